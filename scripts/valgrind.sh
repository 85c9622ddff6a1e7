#!/usr/bin/env bash
# scripts/valgrind.sh: the regression suite against a server running under
# Valgrind's memcheck, then a report of the memory errors, telling those
# with assoc.so in their stack from the server's own noise.
#
#   bash scripts/valgrind.sh            (as root, or with sudo for make install)
#
# It builds and installs assoc (as `make test` does; ASSOC_VALGRIND_INSTALL=0
# skips that), starts a throwaway cluster in a fresh temporary directory with
# `valgrind --tool=memcheck --trace-children=yes --track-origins=no
# --suppressions=test/valgrind.supp postgres ...` (as the OS user postgres
# when root), runs `make installcheck` (the pg_regress cases; the isolation
# specs too with ASSOC_VALGRIND_ISOLATION=1; a short find_all fuzz run with
# ASSOC_VALGRIND_FUZZ=N cases), stops the server and reads one Valgrind log
# per server process.
#
# Debian's PostgreSQL is not built with USE_VALGRIND: memcheck does not see
# palloc'd chunks (only the malloc'd blocks that hold them), so it finds
# uninitialized values, reads and writes outside whole blocks and uses of
# freed blocks, not every overrun inside a memory context.  The server's own
# noise is suppressed by test/valgrind.supp or reported apart.
#
# Exit status 1 when an error has an assoc frame in its stack and is an
# invalid read, write or free (or any error whose top frames are assoc's),
# or when the regression suite fails under Valgrind.
#
# Environment:
#   PG_CONFIG, ASSOC_PG_VERSION   as for make test (scripts/ensure-postgres.sh)
#   ASSOC_VALGRIND_PORT           port of the cluster (54339, or the next free one)
#   ASSOC_VALGRIND_ISOLATION=1    also run the isolation specs (slow; their
#                                 timing may make them fail under Valgrind)
#   ASSOC_VALGRIND_FUZZ=N         also run test/extra/fuzz_find_all.sh with N cases
#   ASSOC_VALGRIND_INSTALL=0      do not build and install; test what is installed
#   ASSOC_VALGRIND_GEN_SUPP=1     print suppressions for every error (to grow
#                                 test/valgrind.supp)
#   ASSOC_KEEP=1                  keep the cluster directory and the logs
#   ASSOC_NO_LOCK=1               do not take the install lock (see run.sh)

set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"

# shellcheck source=scripts/common.sh
source scripts/common.sh
# shellcheck source=scripts/ensure-postgres.sh
source scripts/ensure-postgres.sh
# shellcheck source=scripts/cluster.sh
source scripts/cluster.sh

SERVER_PID=
LOCK_FILE=/tmp/assoc-install.lock

on_exit() {
	local rc=$?
	set +e
	trap - EXIT INT TERM HUP
	stop_server
	if [[ -n ${CLUSTER_DIR:-} && -d ${CLUSTER_DIR:-} ]]; then
		if [[ ${ASSOC_KEEP:-0} == 1 ]]; then
			note "ASSOC_KEEP=1: kept $CLUSTER_DIR (Valgrind logs in $CLUSTER_DIR/valgrind)"
		else
			rm -rf "$CLUSTER_DIR"
		fi
	fi
	exit "$rc"
}
trap on_exit EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
trap 'exit 129' HUP

stop_server() {
	local i
	[[ -n $SERVER_PID ]] || return 0
	if kill -0 "$SERVER_PID" 2>/dev/null; then
		step "stopping the server (Valgrind is slow to exit)"
		as_server_user "$PG_BINDIR/pg_ctl" stop -D "$CLUSTER_DATA" -m fast -w -t 300 >/dev/null 2>&1 ||
			as_server_user "$PG_BINDIR/pg_ctl" stop -D "$CLUSTER_DATA" -m immediate -w -t 60 >/dev/null 2>&1 || true
		for ((i = 0; i < 120; i++)); do
			kill -0 "$SERVER_PID" 2>/dev/null || break
			sleep 1
		done
		if kill -0 "$SERVER_PID" 2>/dev/null; then
			warn "the server did not stop: killing process $SERVER_PID"
			kill -9 "$SERVER_PID" 2>/dev/null || true
		fi
	fi
	wait "$SERVER_PID" 2>/dev/null || true
	SERVER_PID=
}

take_lock() {
	if [[ ${ASSOC_NO_LOCK:-0} == 1 ]] || ! command -v flock >/dev/null 2>&1; then return 0; fi
	if [[ ! -e $LOCK_FILE ]] && { : >>"$LOCK_FILE"; } 2>/dev/null; then
		chmod 644 "$LOCK_FILE" 2>/dev/null || true
	fi
	[[ -r $LOCK_FILE ]] || return 0
	exec 9<"$LOCK_FILE"
	if ! flock -n 9; then
		step "waiting for another assoc run on this machine (lock $LOCK_FILE; ASSOC_NO_LOCK=1 skips this)"
		flock 9
	fi
}

# ---------------------------------------------------------------- the report

# report_logs DIR: summarize the Valgrind logs of DIR; sets TOTAL, IN_STACK,
# FATAL and NLOGS
report_logs() {
	local VGDIR=$1 report f
	step "reading the Valgrind logs"
	shopt -s nullglob
	logs=("$VGDIR"/*.log)
	shopt -u nullglob
	note "${#logs[@]} process logs"

	# One line per error: "<kind>\t<assoc: none|stack|top>\t<logfile>\t<first line>",
	# and the errors with assoc frames in full in $VGDIR/assoc-errors.txt.
	# An error block: "==PID== <message>" then its stack lines ("   at", "   by",
	# " Address ...", "   Block was alloc'd at"...) up to the empty "==PID== "
	# line.  Frames are ours when they are in assoc.so, in one of the files of
	# src/, or in a function named assoc_*.
	report=$CLUSTER_DIR/errors.tsv
	: >"$report"
	: >"$VGDIR/assoc-errors.txt"
	# our source files, as frames with debug information name them
	# ("/any/path/src/codegen.c:512"), wherever the .so was built
	srcre=$(cd "$ROOT/src" && ls -- *.c 2>/dev/null | sed 's/\.c$//' | paste -sd'|' -)
	srcre="/src/(${srcre:-assoc})\\.c:"
	for f in "${logs[@]}"; do
		awk -v file="$f" -v srcre="$srcre" -v full="$VGDIR/assoc-errors.txt" -v out="$report" '
		function flush() {
			if (msg == "") return
			if (frames == 0) { msg = ""; block = ""; return }	# a message, not an error
			where = "none"
			if (ours_top) where = "top"
			else if (ours) where = "stack"
			kind = msg
			gsub(/ of size [0-9]+/, "", kind)
			gsub(/0x[0-9a-fA-F]+, 0x[0-9a-fA-F]+, /, "", kind)
			printf "%s\t%s\t%s\t%s\n", kind, where, file, msg >> out
			if (ours) print "---- " file "\n" block >> full
			msg = ""; block = ""; ours = 0; ours_top = 0; frames = 0
		}
		{
			line = $0
			if (line !~ /^==[0-9]+== /) { next }
			sub(/^==[0-9]+== /, "", line)
			if (line == "") { flush(); next }
			if (line ~ /^ +(at|by) 0x/) {
				if (msg == "") next
				frames++
				if (index(line, "assoc.so") || line ~ srcre || line ~ /: assoc_[a-z_]+ /) {
					ours = 1
					if (frames <= 3 && !in_addr) ours_top = 1
				}
				block = block "\n" line
				next
			}
			# the details of an error ("Address 0x... is 8 bytes inside a
			# block ...", "Block was alloc'"'"'d at"), or summary lines
			if (line ~ /^ /) {
				if (msg != "") {
					in_addr = 1
					block = block "\n" line
				}
				next
			}
			if (line ~ /^(Memcheck,|Copyright|Using Valgrind|Command:|Parent PID|HEAP SUMMARY|ERROR SUMMARY|For lists|For counts|Use --|Warning: |WARNING: |Process terminating|Rerun with|All heap blocks|LEAK SUMMARY|Thread [0-9]|Invalid --|Reading syms|\{|\}|<insert)/) {
				flush(); next
			}
			flush()
			msg = line; block = line; in_addr = 0
		}
		END { flush() }
		' "$f"
	done

	total=$(wc -l <"$report")
	in_stack=$(awk -F'\t' '$2 != "none"' "$report" | wc -l)
	fatal=$(awk -F'\t' '($2 == "top") || ($2 == "stack" && $1 ~ /^(Invalid (read|write|free)|Mismatched free|Source and destination overlap)/)' "$report" | wc -l)

	printf '\nValgrind errors by kind (where: none = not in assoc, stack = assoc frame in the stack, top = in the top 3 frames):\n'
	if ((total > 0)); then
		awk -F'\t' '{ n[$1 "\t" $2]++ } END { for (k in n) printf "  %6d  %s\n", n[k], k }' "$report" | sort -rn
	else
		printf '  none\n'
	fi
	if ((in_stack > 0)); then
		printf '\nErrors with assoc frames (first 15 of %s; all in %s):\n' "$in_stack" "$VGDIR/assoc-errors.txt"
		awk 'BEGIN { n = 0 } /^---- / { n++ } n <= 15' "$VGDIR/assoc-errors.txt"
	fi
	if ((total > in_stack)); then
		printf '\nAll errors, most frequent first (message | top frames):\n'
		for f in "${logs[@]}"; do
			awk '/^==[0-9]+== [A-Z]/ { sub(/^==[0-9]+== /, ""); m = $0; getline; sub(/^==[0-9]+== +/, ""); getline l2; sub(/^==[0-9]+== +/, "", l2); print m " | " $0 " | " l2 }' "$f"
		done | sed -E 's/0x[0-9A-F]+: //g; s/of size [0-9]+/of size N/; s/\(0x[0-9a-f]+, 0x[0-9a-f]+, /(/' |
			grep -v 'Memcheck, a memory\|Copyright\|Using Valgrind\|Command:\|Parent PID\|HEAP SUMMARY\|ERROR SUMMARY\|For lists\|For counts\|Use --\|Warning:\|WARNING:\|LEAK SUMMARY\|All heap blocks\|Process terminating' |
			sort | uniq -c | sort -rn | head -n 10
	fi
	TOTAL=$total IN_STACK=$in_stack FATAL=$fatal NLOGS=${#logs[@]}
}

if [[ ${1:-} == --report ]]; then
	# only the report, of the logs of an earlier run (ASSOC_KEEP=1)
	[[ -d ${2:-} ]] || die "usage: $0 --report DIR-WITH-VALGRIND-LOGS"
	CLUSTER_DIR=$(mktemp -d /tmp/assoc-vg-report.XXXXXX)
	report_logs "$2"
	printf '\nvalgrind: %d errors in %d server processes: %d with assoc frames, %d of them invalid reads/writes/frees or in assoc'"'"'s top frames\n' \
		"$TOTAL" "$NLOGS" "$IN_STACK" "$FATAL"
	rm -rf "$CLUSTER_DIR"
	CLUSTER_DIR=
	((FATAL == 0))
	exit
fi

# ---------------------------------------------------------------- set-up

step "checking for PostgreSQL and Valgrind"
ensure_postgres
export PG_CONFIG PG_BINDIR
export PATH=$PG_BINDIR:$PATH
if ! command -v valgrind >/dev/null 2>&1; then
	if is_root && command -v apt-get >/dev/null 2>&1; then
		note "installing valgrind with apt-get"
		DEBIAN_FRONTEND=noninteractive apt-get install -y -q valgrind >/dev/null ||
			{ apt-get update -q >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -q valgrind >/dev/null; } ||
			die "could not install valgrind"
	else
		die "valgrind is not installed (apt-get install valgrind)"
	fi
fi
note "$(valgrind --version), $("$PG_CONFIG" --version)"

if [[ ${ASSOC_VALGRIND_INSTALL:-1} != 0 ]]; then
	step "building and installing assoc"
	log=$(mktemp /tmp/assoc-build.XXXXXX)
	if ! make --no-print-directory -j "$(nproc 2>/dev/null || echo 2)" PG_CONFIG="$PG_CONFIG" >"$log" 2>&1; then
		show_tail "$log" 30
		rm -f "$log"
		die "the build failed"
	fi
	take_lock
	inst=(make --no-print-directory PG_CONFIG="$PG_CONFIG" install)
	if ! is_root && [[ ! -w $("$PG_CONFIG" --pkglibdir) ]]; then inst=(sudo "${inst[@]}"); fi
	if ! "${inst[@]}" >"$log" 2>&1; then
		show_tail "$log" 30
		rm -f "$log"
		die "make install failed"
	fi
	rm -f "$log"
else
	take_lock
fi

# the cluster: initdb normally, then postgres under valgrind
base=/tmp
CLUSTER_DIR=$(mktemp -d "$base/assoc-vg.XXXXXX")
CLUSTER_DATA=$CLUSTER_DIR/data
VGDIR=$CLUSTER_DIR/valgrind
mkdir -p "$VGDIR"
cp test/valgrind.supp "$CLUSTER_DIR/valgrind.supp"
if is_root; then
	ensure_postgres_user
	chown -R postgres: "$CLUSTER_DIR"
fi
chmod 755 "$CLUSTER_DIR"
step "creating a throwaway cluster in $CLUSTER_DIR"
as_server_user "$PG_BINDIR/initdb" -D "$CLUSTER_DATA" -U postgres -A trust -E UTF8 --locale=C --no-sync \
	>"$CLUSTER_DIR/initdb.log" 2>&1 || {
	show_tail "$CLUSTER_DIR/initdb.log"
	die "initdb failed"
}
cat >>"$CLUSTER_DATA/postgresql.conf" <<EOF

# --- assoc valgrind cluster (scripts/valgrind.sh) ---
listen_addresses = ''
unix_socket_directories = '$CLUSTER_DIR'
fsync = off
synchronous_commit = off
full_page_writes = off
max_connections = 20
max_prepared_transactions = 10
shared_buffers = 32MB
autovacuum = off
jit = off
dynamic_shared_memory_type = mmap
lc_messages = 'C'
log_min_messages = warning
log_line_prefix = '%m [%p] %q%a '
EOF

PORT=$(free_port_from "${ASSOC_VALGRIND_PORT:-54339}")
vgopts=(
	--tool=memcheck --trace-children=yes --track-origins=no --leak-check=no
	--error-limit=no --num-callers=40 --read-var-info=no --fullpath-after=
	--suppressions="$CLUSTER_DIR/valgrind.supp" --log-file="$VGDIR/%p.log"
)
if [[ ${ASSOC_VALGRIND_GEN_SUPP:-0} == 1 ]]; then vgopts+=(--gen-suppressions=all); fi

step "starting postgres under valgrind on port $PORT (slow)"
# fd 9 is the install lock: the server must not inherit it
as_server_user valgrind "${vgopts[@]}" "$PG_BINDIR/postgres" -D "$CLUSTER_DATA" -p "$PORT" \
	>"$CLUSTER_DIR/server.log" 2>&1 9>&- &
SERVER_PID=$!
export PGHOST=$CLUSTER_DIR PGPORT=$PORT PGUSER=postgres
unset PGDATABASE PGSERVICE PGOPTIONS
for ((i = 0; i < 300; i++)); do
	if "$PG_BINDIR/pg_isready" -q -h "$PGHOST" -p "$PGPORT" 2>/dev/null; then break; fi
	kill -0 "$SERVER_PID" 2>/dev/null || {
		show_tail "$CLUSTER_DIR/server.log"
		die "the server exited during start-up"
	}
	sleep 1
done
"$PG_BINDIR/pg_isready" -q -h "$PGHOST" -p "$PGPORT" || die "the server did not start within 300 s"
note "up: PGHOST=$PGHOST PGPORT=$PGPORT"

# ---------------------------------------------------------------- the tests

# pg_regress writes its results into a directory of its own, not into the
# source tree (another `make installcheck` there must not mix with ours)
REGRESS_RC=0
step "make installcheck (pg_regress) under valgrind"
start=$SECONDS
make --no-print-directory --silent PG_CONFIG="$PG_CONFIG" installcheck ISOLATION= \
	EXTRA_REGRESS_OPTS="--outputdir=$CLUSTER_DIR/regress" \
	2>&1 | tee "$CLUSTER_DIR/installcheck.log" || REGRESS_RC=${PIPESTATUS[0]}
note "installcheck: exit status $REGRESS_RC, $((SECONDS - start)) s"
if ((REGRESS_RC != 0)) && [[ -s $CLUSTER_DIR/regress/regression.diffs ]]; then
	head -n 100 "$CLUSTER_DIR/regress/regression.diffs"
fi
if [[ ${ASSOC_VALGRIND_ISOLATION:-0} == 1 ]]; then
	step "make installcheck (isolation specs) under valgrind"
	rc=0
	make --no-print-directory --silent PG_CONFIG="$PG_CONFIG" installcheck REGRESS= \
		EXTRA_REGRESS_OPTS="--outputdir=$CLUSTER_DIR/isolation" \
		2>&1 | tee "$CLUSTER_DIR/isolation.log" || rc=${PIPESTATUS[0]}
	note "isolation: exit status $rc"
	if ((rc != 0)); then
		REGRESS_RC=$rc
		[[ -s $CLUSTER_DIR/isolation/regression.diffs ]] && head -n 100 "$CLUSTER_DIR/isolation/regression.diffs"
	fi
fi

FUZZ_RC=0
if [[ ${ASSOC_VALGRIND_FUZZ:-0} =~ ^[1-9][0-9]*$ ]]; then
	step "test/extra/fuzz_find_all.sh with $ASSOC_VALGRIND_FUZZ cases under valgrind"
	psql -X -q -d postgres -c 'CREATE DATABASE vg_fuzz' >/dev/null
	PGDATABASE=vg_fuzz FUZZ_CASES=$ASSOC_VALGRIND_FUZZ FUZZ_BATCH=50 FUZZ_TIME_LIMIT=1800 \
		timeout -k 10 3600 ./test/extra/fuzz_find_all.sh 2>&1 | tail -n 30 || FUZZ_RC=${PIPESTATUS[0]}
	note "fuzz_find_all: exit status $FUZZ_RC"
fi

stop_server

report_logs "$VGDIR"
printf '\nvalgrind: %d errors in %d server processes: %d with assoc frames, %d of them invalid reads/writes/frees or in assoc'"'"'s top frames\n' \
	"$TOTAL" "$NLOGS" "$IN_STACK" "$FATAL"
printf 'regression suite under valgrind: %s\n' "$( ((REGRESS_RC == 0)) && echo passed || echo "FAILED (exit status $REGRESS_RC)")"
if ((FUZZ_RC != 0)); then printf 'fuzz_find_all under valgrind: FAILED (exit status %s)\n' "$FUZZ_RC"; fi
if ((FATAL > 0 || REGRESS_RC != 0 || FUZZ_RC != 0)); then
	exit 1
fi
