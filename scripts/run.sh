#!/usr/bin/env bash
# scripts/run.sh demo|test|bench|stress: what `make demo`, `make test`,
# `make bench` and `make stress` run.  From a machine with nothing but make
# and a C compiler it:
#
#   1. makes sure PostgreSQL (server + PGXS) is installed, installing Debian's
#      postgresql-15 and postgresql-server-dev-15 when root (ensure-postgres.sh);
#   2. builds assoc and installs it into that PostgreSQL (sudo when not root);
#   3. starts a throwaway cluster in a fresh temporary directory, as the OS
#      user postgres when root (cluster.sh), and removes it on any exit;
#   4. demo:  runs demo/walkthrough.sql in database "demo", echoing each
#             statement and its result;
#      test:  runs `make installcheck` (the pg_regress cases of test/sql and
#             the isolation specs of test/isolation/specs), then every
#             executable test/extra/*.sh, each with a fresh database (one
#             that exits with status 77 is skipped, as test/extra/citus.sh
#             without Citus: neither passed nor failed); shows
#             the diffs of what failed; the last line printed is "N passed, M failed", and
#             the exit status is non-zero when M > 0 or nothing ran;
#      bench: runs bench/run.sh in database "bench";
#      stress: runs scripts/stress.sh in database "stress" (pgbench, 8
#             clients, ASSOC_STRESS_SECONDS=60, then consistency checks).
#
# Environment:
#   PG_CONFIG            a pg_config to use instead of Debian's PostgreSQL 15
#   ASSOC_PG_VERSION     Debian PostgreSQL major version to use/install (15)
#   ASSOC_TEST_PORT      port of the throwaway cluster (54329, or next free)
#   ASSOC_TEST_LISTEN    also listen on TCP at this address (e.g. 127.0.0.1);
#                        by default only the private Unix socket
#   ASSOC_KEEP=1         leave the cluster running at the end, and say how to
#                        connect to it and stop it
#   ASSOC_EXTRA_TIMEOUT  seconds one test/extra script may take (900)
#   ASSOC_NO_LOCK=1      do not wait for other assoc runs on this machine
#                        (they install into the same PostgreSQL)
#   ASSOC_TESTS          test mode: run only these tests (names separated by
#                        spaces: a test/sql file, a test/isolation/specs
#                        spec or a test/extra script, without its
#                        extension), e.g.
#                        ASSOC_TESTS="naming set_pugs dump_restore" make test
# A file <mode>/postgresql.conf (test/, demo/ or bench/), when present, is
# included in the throwaway cluster's configuration.
#
# Scripts and commands run by the test, bench and stress modes get PGHOST,
# PGPORT, PGUSER (postgres), PGDATABASE, PG_CONFIG and PG_BINDIR, with
# PG_BINDIR first on PATH.

set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"

# shellcheck source=scripts/common.sh
source scripts/common.sh
# shellcheck source=scripts/ensure-postgres.sh
source scripts/ensure-postgres.sh
# shellcheck source=scripts/cluster.sh
source scripts/cluster.sh

MODE=${1:-}
case $MODE in
demo | test | bench | stress) ;;
*)
	printf 'usage: %s demo|test|bench|stress\n' "$0" >&2
	exit 2
	;;
esac

PASSED=0
FAILED=0
FAILED_NAMES=()
SUMMARY_DONE=0
EXTRA_PID=
LOCK_FILE=/tmp/assoc-install.lock

print_summary() {
	SUMMARY_DONE=1
	if ((FAILED > 0)); then
		printf 'failed:'
		printf ' %s' "${FAILED_NAMES[@]}"
		printf '\n'
	fi
	if ((PASSED + FAILED == 0)); then
		printf 'nothing ran\n'
	fi
	printf '%d passed, %d failed\n' "$PASSED" "$FAILED"
}

# Tell how to reach a cluster left running by ASSOC_KEEP=1, and forget it so
# that the exit trap leaves it alone.
keep_cluster() {
	local runas=
	if is_root; then runas='runuser -u postgres -- '; fi
	step "ASSOC_KEEP=1: the cluster keeps running"
	note "connect: psql -h $PGHOST -p $PGPORT -U postgres ${1:-postgres}"
	note "stop:    ${runas}$PG_BINDIR/pg_ctl stop -D $CLUSTER_DATA && rm -rf $CLUSTER_DIR"
	CLUSTER_DIR=
}

stop_or_keep_cluster() {
	[[ -n ${CLUSTER_DIR:-} ]] || return 0
	if [[ ${ASSOC_KEEP:-0} == 1 ]]; then
		keep_cluster "$@"
	else
		step "stopping the cluster"
		cluster_stop
	fi
}

on_exit() {
	local rc=$?
	set +e
	trap - EXIT INT TERM HUP
	if [[ -n $EXTRA_PID ]]; then
		kill -TERM "$EXTRA_PID" 2>/dev/null
		wait "$EXTRA_PID" 2>/dev/null
	fi
	stop_or_keep_cluster
	if [[ $MODE == test && $SUMMARY_DONE == 0 ]]; then
		# set-up failed (or interrupted) before the tests could finish
		FAILED=$((FAILED + 1))
		case $rc in
		130) FAILED_NAMES+=("(interrupted)") ;;
		129 | 143) FAILED_NAMES+=("(terminated)") ;;
		*) FAILED_NAMES+=("(stopped-by-an-error:status=$rc)") ;;
		esac
		print_summary
		((rc != 0)) || rc=1
	fi
	exit "$rc"
}
trap on_exit EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
trap 'exit 129' HUP
# output cut short (`make test | head`): clean up all the same
trap 'trap "" PIPE; exit 141' PIPE

# Other assoc runs on this machine install into the same PostgreSQL: hold a
# lock from `make install` until the cluster is gone, so that no run tests
# another's build.
take_lock() {
	if [[ ${ASSOC_NO_LOCK:-0} == 1 ]]; then return 0; fi
	command -v flock >/dev/null 2>&1 || return 0
	# opened read-only (flock needs no more), so that another user's lock
	# file in sticky /tmp opens even with fs.protected_regular
	if [[ ! -e $LOCK_FILE ]] && { : >>"$LOCK_FILE"; } 2>/dev/null; then
		chmod 644 "$LOCK_FILE" 2>/dev/null || true
	fi
	if [[ ! -r $LOCK_FILE ]]; then
		warn "cannot open $LOCK_FILE: not waiting for other assoc runs"
		return 0
	fi
	exec 9<"$LOCK_FILE"
	if ! flock -n 9; then
		step "waiting for another assoc run on this machine to finish (lock $LOCK_FILE; ASSOC_NO_LOCK=1 skips this)"
		flock 9
	fi
}

# Are the installed module, control file and SQL scripts the ones just built?
installed_copy_is_current() {
	local pkglibdir=$1 extdir=$2 f
	cmp -s assoc.so "$pkglibdir/assoc.so" || return 1
	for f in assoc.control sql/*.sql; do
		[[ -f $f ]] || continue
		cmp -s "$f" "$extdir/${f##*/}" || return 1
	done
}

build_and_install() {
	local jobs=() log pkglibdir sharedir
	if [[ ${MAKEFLAGS:-} != *-j* && ${MAKEFLAGS:-} != *jobserver* ]]; then
		jobs=(-j "$(nproc 2>/dev/null || echo 2)")
	fi
	step "building assoc against $("$PG_CONFIG" --version) ($PG_CONFIG)"
	# the (long) compiler command lines go to a log; warnings and errors show
	log=$(mktemp /tmp/assoc-build.XXXXXX)
	if ! make --no-print-directory "${jobs[@]}" PG_CONFIG="$PG_CONFIG" >"$log"; then
		show_tail "$log" 15
		rm -f "$log"
		die "the build failed"
	fi
	rm -f "$log"

	take_lock

	pkglibdir=$("$PG_CONFIG" --pkglibdir)
	sharedir=$("$PG_CONFIG" --sharedir)
	step "installing assoc into $pkglibdir and $sharedir/extension"
	log=$(mktemp /tmp/assoc-install.XXXXXX)
	local cmd=(make --no-print-directory PG_CONFIG="$PG_CONFIG" install)
	if is_root || { [[ -w $pkglibdir && -w $sharedir/extension ]]; }; then
		:
	elif installed_copy_is_current "$pkglibdir" "$sharedir/extension"; then
		note "(not root: the installed copy is identical to this build; not reinstalling)"
		rm -f "$log"
		return 0
	elif command -v sudo >/dev/null 2>&1; then
		note "(not root: using sudo)"
		cmd=(sudo "${cmd[@]}")
	else
		rm -f "$log"
		die "installing into $pkglibdir needs root, and there is no sudo.
Run as root:  make -C $ROOT install PG_CONFIG=$PG_CONFIG
or run 'make $MODE' as root."
	fi
	# an install leaves the SQL scripts of earlier builds in place: a script
	# of a version this checkout does not ship would offer update paths
	# that do not exist here
	if [[ ${cmd[0]} == sudo ]]; then
		sudo find "$sharedir/extension" -maxdepth 1 \( -name 'assoc--*.sql' -o -name 'assoc--*.control' \) -delete
	else
		find "$sharedir/extension" -maxdepth 1 \( -name 'assoc--*.sql' -o -name 'assoc--*.control' \) -delete
	fi
	if ! "${cmd[@]}" >"$log" 2>&1; then
		show_tail "$log"
		rm -f "$log"
		die "make install failed"
	fi
	rm -f "$log"
}

# Create (or re-create) a database in the throwaway cluster.
fresh_database() {
	psql -X -q -v ON_ERROR_STOP=1 -d postgres -c 'SET client_min_messages = warning' \
		-c "DROP DATABASE IF EXISTS \"$1\"" -c "CREATE DATABASE \"$1\"" >/dev/null
}

# ---------------------------------------------------------------- test mode

record_pass() { PASSED=$((PASSED + 1)); }
record_fail() {
	FAILED=$((FAILED + 1))
	FAILED_NAMES+=("$1")
}

# Read a pg_regress / pg_isolation_regress log and print one line per test,
# "P name" or "F name", and "S n" for a summary that says n tests failed.
# Understands the PostgreSQL <= 15 format ("test name ... ok   12 ms",
# "     name ... FAILED", "failed (ignored)") and the TAP format of 16 and
# later ("ok 1   - name   12 ms", "not ok 2   + name").
parse_pg_regress() {
	awk '
	{ line = $0; sub(/\r$/, "", line) }
	line ~ /^(not )?ok +[0-9]+ +[-+] +[^ ]/ {
		name = line
		sub(/^(not )?ok +[0-9]+ +[-+] +/, "", name)
		sub(/ .*/, "", name)
		if (line ~ /^not ok/ && line !~ /# *\(?ignored/)
			print "F", name
		else
			print "P", name
		next
	}
	line ~ / \.\.\. +(ok|FAILED|failed \(ignored\))/ {
		name = line
		sub(/ \.\.\. .*/, "", name)
		sub(/^ *(test +)?/, "", name)
		sub(/ .*/, "", name)
		status = line
		sub(/^.* \.\.\. +/, "", status)
		if (status ~ /^FAILED/)
			print "F", name
		else
			print "P", name
		next
	}
	line ~ /^[# ]*All [0-9]+ tests passed/ { print "S", 0; next }
	line ~ /^[# ]*[0-9]+ of [0-9]+ tests failed/ {
		n = line
		sub(/^[# ]*/, "", n)
		sub(/ .*/, "", n)
		ignored = 0
		if (match(line, /[0-9]+ of these failures ignored/)) {
			ignored = substr(line, RSTART)
			sub(/ .*/, "", ignored)
		}
		print "S", n - ignored
	}
	' "$1"
}

# run_pg_regress LABEL DIFFS-FILE make-arguments...
run_pg_regress() {
	local label=$1 diffs=$2 log rc=0 kind name summary=-1 p=0 f=0
	shift 2
	log=$CLUSTER_DIR/$label.log
	make --no-print-directory --silent PG_CONFIG="$PG_CONFIG" "$@" 2>&1 | tee "$log" || rc=${PIPESTATUS[0]}

	while read -r kind name; do
		case $kind in
		P)
			p=$((p + 1))
			record_pass
			;;
		F)
			f=$((f + 1))
			record_fail "$label/$name"
			;;
		S) summary=$name ;;
		esac
	done < <(parse_pg_regress "$log")

	# do not trust the per-test lines alone, nor the summary alone
	while ((summary > f)); do
		f=$((f + 1))
		record_fail "$label/(counted-by-summary)"
	done
	if ((rc != 0 && f == 0)); then
		record_fail "$label(exit-status=$rc)"
		f=1
		warn "$label exited with status $rc without a failing test: see the output above"
	fi
	if ((rc == 0 && p + f == 0)); then
		record_fail "$label(no-results)"
		f=1
		warn "$label reported no test results"
	fi
	if ((f > 0)) && [[ -s $diffs ]]; then
		printf -- '---- %s ----\n' "$diffs"
		head -n "${ASSOC_DIFF_LINES:-400}" "$diffs"
		if (($(wc -l <"$diffs") > ${ASSOC_DIFF_LINES:-400})); then
			printf -- '---- (cut: see all of %s) ----\n' "$diffs"
		else
			printf -- '---- end of %s ----\n' "$diffs"
		fi
	fi
}

run_extra_scripts() {
	local scripts=("$@") f name db log rc
	if ((${#scripts[@]} == 0)); then
		shopt -s nullglob
		scripts=(test/extra/*.sh)
		shopt -u nullglob
	fi
	((${#scripts[@]} > 0)) || return 0
	step "running test/extra scripts (${#scripts[@]})"
	for f in "${scripts[@]}"; do
		name=extra/${f##*/}
		if [[ ! -x $f ]]; then
			warn "$f is not executable (chmod +x it): not run"
			continue
		fi
		db=$(basename "$f" .sh)
		db=extra_${db//[^A-Za-z0-9_]/_}
		fresh_database "$db"
		log=$CLUSTER_DIR/extra-${f##*/}.log
		rc=0
		# in the background, so that Ctrl-C interrupts `wait` and the exit
		# trap stops the script (timeout runs it in a process group of its own)
		PGDATABASE=$db timeout -k 10 "${ASSOC_EXTRA_TIMEOUT:-900}" "./$f" </dev/null >"$log" 2>&1 &
		EXTRA_PID=$!
		wait "$EXTRA_PID" || rc=$?
		EXTRA_PID=
		if ((rc == 0)); then
			printf 'test %-40s ... ok\n' "$name"
			record_pass
		elif ((rc == 77)); then
			# exit status 77: skipped (what it needs is not installed),
			# neither passed nor failed; its last line says why
			printf 'test %-40s ... skipped: %s\n' "$name" "$(tail -n 1 "$log")"
		else
			if ((rc == 124)); then
				printf 'test %-40s ... FAILED (timed out after %ss)\n' "$name" "${ASSOC_EXTRA_TIMEOUT:-900}"
			else
				printf 'test %-40s ... FAILED (exit status %d)\n' "$name" "$rc"
			fi
			record_fail "$name"
			printf -- '---- output of %s (last 100 lines) ----\n' "$f"
			tail -n 100 "$log"
			printf -- '---- end of output of %s ----\n' "$f"
		fi
	done
}

# ASSOC_TESTS, split into the names of each kind; an unknown name is an error
select_tests() {
	local t
	ONLY_SQL=() ONLY_SPECS=() ONLY_EXTRA=()
	for t in ${ASSOC_TESTS:-}; do
		if [[ -f test/sql/$t.sql ]]; then
			ONLY_SQL+=("$t")
		elif [[ -f test/isolation/specs/$t.spec ]]; then
			ONLY_SPECS+=("$t")
		elif [[ -f test/extra/$t.sh ]]; then
			ONLY_EXTRA+=("test/extra/$t.sh")
		else
			die "ASSOC_TESTS: no test named $t in test/sql, test/isolation/specs or test/extra"
		fi
	done
}

test_mode() {
	local have_sql=0 have_specs=0 only=0
	if compgen -G 'test/sql/*.sql' >/dev/null; then have_sql=1; fi
	if compgen -G 'test/isolation/specs/*.spec' >/dev/null; then have_specs=1; fi
	if [[ -n ${ASSOC_TESTS:-} ]]; then
		only=1
		select_tests
		((${#ONLY_SQL[@]} > 0)) || have_sql=0
		((${#ONLY_SPECS[@]} > 0)) || have_specs=0
	fi

	rm -rf results output_iso regression.diffs regression.out
	if ((have_sql)); then
		step "running the pg_regress cases (test/sql)"
		# ISOLATION= so that a failing regression run does not skip them
		if ((only)); then
			run_pg_regress pg_regress regression.diffs installcheck ISOLATION= REGRESS="${ONLY_SQL[*]}"
		else
			run_pg_regress pg_regress regression.diffs installcheck ISOLATION=
		fi
	fi
	if ((have_specs)); then
		step "running the isolation specs (test/isolation/specs)"
		if ((only)); then
			run_pg_regress isolation output_iso/regression.diffs installcheck REGRESS= ISOLATION="${ONLY_SPECS[*]}"
		else
			run_pg_regress isolation output_iso/regression.diffs installcheck REGRESS=
		fi
	fi
	if ((only)); then
		((${#ONLY_EXTRA[@]} == 0)) || run_extra_scripts "${ONLY_EXTRA[@]}"
	else
		run_extra_scripts
	fi

	stop_or_keep_cluster
	print_summary
	((FAILED == 0 && PASSED > 0))
}

# ---------------------------------------------------------------- main

case $MODE in
demo)
	[[ -f demo/walkthrough.sql ]] || die "demo/walkthrough.sql does not exist"
	;;
bench)
	[[ -f bench/run.sh ]] || die "bench/run.sh does not exist: there are no benchmarks yet"
	;;
esac

step "checking for PostgreSQL"
ensure_postgres
export PG_CONFIG PG_BINDIR
export PATH=$PG_BINDIR:$PATH
note "using $("$PG_CONFIG" --version) from $PG_BINDIR"

build_and_install
cluster_start "$MODE/postgresql.conf"
export PGCLIENTENCODING=UTF8

case $MODE in
demo)
	fresh_database demo
	step "running demo/walkthrough.sql in database demo"
	PGDATABASE=demo psql -X -a -v ON_ERROR_STOP=1 -P pager=off -f demo/walkthrough.sql ||
		die "demo/walkthrough.sql failed"
	stop_or_keep_cluster demo
	;;
test)
	test_mode
	;;
bench)
	fresh_database bench
	step "running bench/run.sh in database bench"
	rc=0
	if [[ -x bench/run.sh ]]; then
		PGDATABASE=bench ./bench/run.sh || rc=$?
	else
		PGDATABASE=bench bash bench/run.sh || rc=$?
	fi
	stop_or_keep_cluster bench
	((rc == 0)) || die "bench/run.sh failed (exit status $rc)"
	;;
stress)
	fresh_database stress
	step "running scripts/stress.sh in database stress"
	rc=0
	# the server log, to look for crashes and deadlocks during the run
	PGDATABASE=stress ASSOC_SERVER_LOG=$CLUSTER_DIR/server.log bash scripts/stress.sh || rc=$?
	stop_or_keep_cluster stress
	((rc == 0)) || die "the stress test failed (exit status $rc)"
	;;
esac
