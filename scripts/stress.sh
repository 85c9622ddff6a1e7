#!/usr/bin/env bash
# scripts/stress.sh: concurrent readers and writers on one has_many /
# belongs_to pair, then a consistency check.  What `make stress` runs (via
# scripts/run.sh stress, in a throwaway cluster); also runs on its own
# against any server where assoc is installed:
#
#   PGHOST=/tmp PGPORT=5432 PGUSER=postgres PGDATABASE=mydb scripts/stress.sh
#
# It works in schema assoc_stress of $PGDATABASE (dropped and created again;
# CREATE EXTENSION assoc if missing, which needs a superuser), loads
# bench/stress/setup.sql (and setup_btm.sql), runs pgbench with the other
# bench/stress/*.sql scripts (-M prepared, so that every call passes untyped
# parameters as a driver does), then bench/stress/check.sql (and
# check_btm.sql, check_counter.sql).  The counter-cache part (kennels with a
# counter of their dogs, touched by them, setup_counter.sql) runs plain
# INSERT, UPDATE and DELETE statements and the belongs_to accessor: the
# has_many accessors lock the owner first, which with a counter cache can
# deadlock with a concurrent move the other way (README, "Counter caches
# and touch").  It fails (exit status 1) when:
#   - pgbench reports a failed transaction (deadlock, serialization, or an
#     assertion of the scripts), a client aborted, or pgbench exits non-zero;
#   - the database counted a deadlock during the run (pg_stat_database);
#   - the server restarted during the run (pg_postmaster_start_time);
#   - a check of check.sql (or check_btm.sql, check_counter.sql) finds a
#     problem;
#   - the server log (ASSOC_SERVER_LOG, when given) has a PANIC, a crash or
#     a deadlock from the run.
#
# Environment:
#   ASSOC_STRESS_SECONDS    length of the pgbench run (60)
#   ASSOC_STRESS_CLIENTS    pgbench clients (8)
#   ASSOC_STRESS_OWNERS     owners (100); fewer means more contention
#   ASSOC_STRESS_PUGS       pugs at the start (1000)
#   ASSOC_STRESS_BTM=0      leave belongs_to_many out even when assoc has it
#   ASSOC_STRESS_COUNTER=0  leave the counter cache out even when assoc has it
#   ASSOC_STRESS_PROTOCOL   pgbench query mode: prepared, extended, simple (prepared)
#   ASSOC_STRESS_KEEP=1     keep schema assoc_stress afterwards
#   ASSOC_SERVER_LOG        the server's log file, to search for crashes
#   PG_BINDIR               where psql and pgbench are (else from PATH)

set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
DIR=$ROOT/bench/stress

SECONDS_=${ASSOC_STRESS_SECONDS:-60}
CLIENTS=${ASSOC_STRESS_CLIENTS:-8}
OWNERS=${ASSOC_STRESS_OWNERS:-100}
PUGS=${ASSOC_STRESS_PUGS:-1000}
PROTOCOL=${ASSOC_STRESS_PROTOCOL:-prepared}

for v in SECONDS_ CLIENTS OWNERS PUGS; do
	if [[ ! ${!v} =~ ^[1-9][0-9]*$ ]]; then
		printf 'error: ASSOC_STRESS_%s must be a positive integer, not "%s"\n' "${v%_}" "${!v}" >&2
		exit 2
	fi
done
case $PROTOCOL in
simple | extended | prepared) ;;
*)
	printf 'error: ASSOC_STRESS_PROTOCOL must be simple, extended or prepared\n' >&2
	exit 2
	;;
esac

if [[ -n ${PG_BINDIR:-} ]]; then
	PATH=$PG_BINDIR:$PATH
fi
for cmd in psql pgbench; do
	command -v "$cmd" >/dev/null 2>&1 || {
		printf 'error: %s not found (set PG_BINDIR)\n' "$cmd" >&2
		exit 2
	}
done

export PGDATABASE=${PGDATABASE:-${PGUSER:-postgres}}
JOBS=$(nproc 2>/dev/null || echo 2)
((JOBS <= CLIENTS)) || JOBS=$CLIENTS

WORK=$(mktemp -d /tmp/assoc-stress.XXXXXX)
cleanup() {
	local rc=$?
	rm -rf "$WORK"
	if [[ ${ASSOC_STRESS_KEEP:-0} != 1 ]]; then
		psql -X -q -c 'SET client_min_messages = warning' \
			-c 'DROP SCHEMA IF EXISTS assoc_stress CASCADE' >/dev/null 2>&1 || true
	fi
	exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

q() { psql -X -q -A -t -v ON_ERROR_STOP=1 "$@"; }

PROBLEMS=()
problem() {
	PROBLEMS+=("$1")
	printf 'PROBLEM: %s\n' "$1"
}

printf '==> stress: %s clients (%s threads), %s s, %s owners, %s pugs, -M %s, database %s\n' \
	"$CLIENTS" "$JOBS" "$SECONDS_" "$OWNERS" "$PUGS" "$PROTOCOL" "$PGDATABASE"

q -v owners="$OWNERS" -v pugs="$PUGS" -f "$DIR/setup.sql" >/dev/null
BTM=0
if [[ ${ASSOC_STRESS_BTM:-1} != 0 && $(q -c "SELECT to_regproc('assoc.belongs_to_many') IS NOT NULL") == t ]]; then
	BTM=1
	STUDENTS=$OWNERS
	COURSES=$(((OWNERS + 1) / 2))
	q -v students="$STUDENTS" -v courses="$COURSES" -f "$DIR/setup_btm.sql" >/dev/null
	printf '    with belongs_to_many: %s students, %s courses through enrollments\n' "$STUDENTS" "$COURSES"
fi

COUNTER=0
if [[ ${ASSOC_STRESS_COUNTER:-1} != 0 && $(q -c "SELECT to_regproc('assoc.recount') IS NOT NULL") == t ]]; then
	COUNTER=1
	q -v kennels="$OWNERS" -v dogs="$PUGS" -f "$DIR/setup_counter.sql" >/dev/null
	printf '    with a counter cache and touch: %s kennels, %s dogs\n' "$OWNERS" "$PUGS"
fi

# where the server stands before the run
start_time=$(q -c 'SELECT pg_postmaster_start_time()')
deadlocks_before=$(q -c 'SELECT deadlocks FROM pg_stat_database WHERE datname = current_database()')
log_offset=0
if [[ -n ${ASSOC_SERVER_LOG:-} && -r ${ASSOC_SERVER_LOG:-} ]]; then
	log_offset=$(wc -c <"$ASSOC_SERVER_LOG")
fi

# readers about half of the transactions, writers the other half
scripts=(
	get_pugs.sql@15 with_pugs.sql@10 get_owner.sql@10 count_pugs.sql@15
	add_pug.sql@12 remove_pug.sql@10 set_pugs.sql@10 set_owner.sql@10 create_pug.sql@8
)
vars=(-D owners="$OWNERS" -D pugs="$PUGS")
if ((BTM)); then
	scripts+=(btm_read.sql@8 btm_add.sql@6 btm_course_add.sql@4 btm_remove.sql@4 btm_set.sql@4)
	vars+=(-D students="$STUDENTS" -D courses="$COURSES")
fi
if ((COUNTER)); then
	scripts+=(counter_insert.sql@5 counter_copy.sql@2 counter_move.sql@6 counter_delete.sql@6
		counter_set_kennel.sql@5 counter_read.sql@5)
	vars+=(-D kennels="$OWNERS" -D dogs="$PUGS")
fi
args=()
for s in "${scripts[@]}"; do
	args+=(-f "$DIR/$s")
done

printf '==> pgbench\n'
rc=0
# search_path for the pgbench sessions: the generated functions live in
# assoc_stress
PGOPTIONS="${PGOPTIONS:-} -c search_path=assoc_stress" \
	timeout -k 10 $((SECONDS_ + 120)) \
	pgbench -n -M "$PROTOCOL" -c "$CLIENTS" -j "$JOBS" -T "$SECONDS_" \
	"${vars[@]}" --failures-detailed --verbose-errors \
	"${args[@]}" >"$WORK/pgbench.out" 2>"$WORK/pgbench.err" || rc=$?
cat "$WORK/pgbench.out"
if [[ -s $WORK/pgbench.err ]]; then
	printf -- '---- pgbench errors (first 30 lines of %s) ----\n' "$(wc -l <"$WORK/pgbench.err")"
	head -n 30 "$WORK/pgbench.err"
	printf -- '---- end ----\n'
fi

((rc == 0)) || problem "pgbench exited with status $rc"
failed=$(sed -n 's/^number of failed transactions: \([0-9]*\).*/\1/p' "$WORK/pgbench.out" | head -n 1)
processed=$(sed -n 's/^number of transactions actually processed: \([0-9]*\).*/\1/p' "$WORK/pgbench.out" | head -n 1)
if [[ -z $processed || $processed == 0 ]]; then
	problem "pgbench processed no transaction"
fi
if [[ -n $failed && $failed != 0 ]]; then
	problem "pgbench: $failed failed transactions"
fi
if grep -q 'aborted' "$WORK/pgbench.err" "$WORK/pgbench.out"; then
	problem "pgbench: a client aborted (an error other than a deadlock or serialization failure)"
fi
if grep -qi 'deadlock' "$WORK/pgbench.err"; then
	problem "pgbench: deadlock errors"
fi

# the server: still the same one, no deadlock counted
if ! now_start=$(q -c 'SELECT pg_postmaster_start_time()'); then
	problem "the server does not answer after the run"
elif [[ $now_start != "$start_time" ]]; then
	problem "the server restarted during the run (crash?): started at $start_time, now $now_start"
fi
# statistics are flushed at most once a second
sleep 1.5
deadlocks_after=$(q -c 'SELECT pg_stat_clear_snapshot(); SELECT deadlocks FROM pg_stat_database WHERE datname = current_database()' | tail -n 1)
if ((deadlocks_after > deadlocks_before)); then
	problem "pg_stat_database counted $((deadlocks_after - deadlocks_before)) deadlocks during the run"
fi
if [[ -n ${ASSOC_SERVER_LOG:-} && -r ${ASSOC_SERVER_LOG:-} ]]; then
	if tail -c +$((log_offset + 1)) "$ASSOC_SERVER_LOG" |
		grep -E 'PANIC|TRAP:|terminated by signal|was terminated|deadlock detected|server process .* exited' >"$WORK/log.bad"; then
		problem "the server log has crashes or deadlocks:"
		head -n 20 "$WORK/log.bad"
	fi
fi

# run_check FILE WHAT [psql -v options]: print FILE's checks, count the failed
run_check() {
	local file=$1 what=$2 bad
	shift 2
	if ! psql -X -q -P pager=off -v ON_ERROR_STOP=1 "$@" -f "$DIR/$file" >"$WORK/$file.out" 2>&1; then
		cat "$WORK/$file.out"
		problem "$file failed to run"
	else
		cat "$WORK/$file.out"
		bad=$(q "$@" -f "$DIR/$file" | awk -F'|' '$2 != 0 { n++ } END { print n + 0 }')
		((bad == 0)) || problem "$bad $what checks failed"
	fi
}

printf '==> consistency checks\n'
run_check check.sql consistency -v pugs="$PUGS"
if ((BTM)); then
	run_check check_btm.sql 'belongs_to_many consistency'
	q -c "SELECT format('belongs_to_many: %s links of %s students and %s courses',
	        (SELECT count(*) FROM assoc_stress.enrollments), (SELECT count(*) FROM assoc_stress.students),
	        (SELECT count(*) FROM assoc_stress.courses))"
fi
if ((COUNTER)); then
	run_check check_counter.sql counter-cache -v dogs="$PUGS"
	q -c "SELECT format('counter cache: %s dogs, %s of them in %s kennels, sum of counters %s',
	        (SELECT count(*) FROM assoc_stress.dogs), (SELECT count(\"kennelId\") FROM assoc_stress.dogs),
	        (SELECT count(*) FROM assoc_stress.kennels), (SELECT sum(\"dogsCount\") FROM assoc_stress.kennels))"
fi
q -c "SELECT format('ledger: %s pugs created; history: %s committed versions of %s pugs; %s pugs owned, %s not',
        (SELECT count(*) FROM assoc_stress.created), (SELECT count(*) FROM assoc_stress.history),
        (SELECT count(*) FROM assoc_stress.pugs),
        (SELECT count(*) FROM assoc_stress.pugs WHERE \"ownerId\" IS NOT NULL),
        (SELECT count(*) FROM assoc_stress.pugs WHERE \"ownerId\" IS NULL))"

if ((${#PROBLEMS[@]} > 0)); then
	printf 'stress: FAILED (%d problems)\n' "${#PROBLEMS[@]}"
	exit 1
fi
printf 'stress: ok (%s transactions, 0 failed, 0 deadlocks, all checks passed)\n' "$processed"
