#!/usr/bin/env bash
# bench/run.sh: the benchmarks (README, "Performance").  `make bench` runs it against a
# throwaway cluster with PGHOST, PGPORT, PGUSER and PGDATABASE (bench) set;
# it also runs against any database you point those at (it creates tables
# owners, pugs and toys there, and a database bench_node beside it).
#
#   1. builds the dataset (bench/setup.sql): 100k owners, ~1M pugs (0-20
#      each, 1% unowned, inserted in random order), ~2M toys (0-4 per pug),
#      times ASSOC_BENCH_SCALE; VACUUM ANALYZE; for the counter-cache
#      workloads, copies of owners and pugs with and without a counter cache
#      (bench/setup_counter.sql);
#   2. for each workload (bench/queries/<workload>/*.sql: assoc.sql and
#      the hand-written variants), checks that every variant returns the same
#      JSON as assoc (same rows in the same order, white space aside; the
#      writers: the same changes), all workloads before any is timed (the
#      whole-table loads: in their first round); then times them in
#      rounds, alternating them in a rotating order:
#        - whole-table loads with psql (\timing, output to /dev/null: the
#          client receives every row); those with a floor.sql also against
#          their floor, assoc's JSON text written once into a table and
#          sent from it (make_floor), in every round;
#        - pages and single-key calls with pgbench, all variants in one
#          script so that they alternate call by call (per-statement
#          latencies, -r);
#   3. the same findAll calls through Sequelize 6, Drizzle ORM, TypeORM and
#      through node-pg (bench/sequelize), in a smaller database
#      (ASSOC_BENCH_NODE_SCALE);
#   4. prints one table: workload, variant, median, ratio, target;
#   5. schema scale (bench/scale.sh, workload schema_scale): 50, 200 and 800
#      associations declared over empty tables against the same schema
#      without assoc, with its own table.
#
# With ASSOC_BENCH_VERSIONS=1 the released 0.1.0 is timed in the same run:
# built from its commit as library assoc_v010, installed as extension
# assoc_v010 in a database of its own (<database>_v010, same setup.sql),
# where the workloads' variants run again as <variant>@0.1.0, checked
# against this build's assoc, alternating with this build's in the same
# rounds (psql: in the same session, after a \connect; pgbench: one run in
# each database per round, in turns); the table gets columns time/0.1.0 and ratio/0.1.0.
# The Sequelize rows are of this build only.  What it installs is removed
# on exit (see "release 0.1.0" below).
#
# Environment:
#   ASSOC_BENCH_SCALE       dataset size, 1 = 100k owners (default 1)
#   ASSOC_BENCH_ROUNDS      rounds of the whole-table loads (default 3)
#   ASSOC_BENCH_PG_ROUNDS   rounds of the pgbench workloads (default 3)
#   ASSOC_BENCH_SECONDS     seconds of one pgbench round (default 2)
#   ASSOC_BENCH_NODE_SCALE  dataset size for Sequelize (default 0.1 x scale)
#   ASSOC_BENCH_NODE=0      skip the Sequelize, Drizzle and TypeORM comparison
#   ASSOC_BENCH_NODE_ROUNDS rounds of the node comparison (default 3, as the
#                           other sections; it was 5)
#   ASSOC_BENCH_ONLY        space-separated workload names to run (default all)
#   ASSOC_BENCH_FULL_ALL=1  also run the variants of the whole-table loads
#                           that were the slowest in every run so far: the
#                           json_build_object forms (*_jbo), the
#                           correlated subqueries (correlated_*) and those
#                           of SLOW_FULL below; the pages always run them
#   ASSOC_BENCH_FULL_JBO=1  the json_build_object ones only
#   ASSOC_BENCH_KEEP_DATA=1 reuse the dataset already in the database (not
#                           the 0.1.0 database: it is made afresh each run)
#   ASSOC_BENCH_VERSIONS=1  also time release 0.1.0 beside this build (needs
#                           this clone's history and write access to
#                           PostgreSQL's lib and extension directories)
#   ASSOC_BENCH_SCALE_COUNTS association counts of the schema-scale section
#                           (default "50 200 800")

set -euo pipefail

BENCH=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
SCALE=${ASSOC_BENCH_SCALE:-1}
ROUNDS=${ASSOC_BENCH_ROUNDS:-3}
PG_ROUNDS=${ASSOC_BENCH_PG_ROUNDS:-3}
PG_SECONDS=${ASSOC_BENCH_SECONDS:-2}
NODE_SCALE=${ASSOC_BENCH_NODE_SCALE:-$(awk -v s="$SCALE" 'BEGIN { printf "%g", s / 10 }')}
ONLY=${ASSOC_BENCH_ONLY:-}
VERSIONS=${ASSOC_BENCH_VERSIONS:-0}
FULL_ALL=${ASSOC_BENCH_FULL_ALL:-0}
# whole-table variants run only with ASSOC_BENCH_FULL_ALL=1 (run_full)
SLOW_FULL="find_all_all:lateral_rtj pugs_owner_all:lateral_rtj pugs_owner_all:join_rtj"
FULL_JBO=${ASSOC_BENCH_FULL_JBO:-$FULL_ALL}
DB=${PGDATABASE:-bench}
export PGDATABASE=$DB
# release 0.1.0, for ASSOC_BENCH_VERSIONS=1 (see "release 0.1.0" below)
RELEASE_0_1_0=a4f8797022e796d5f5091c8f95826b1fce67f9ad
OLD_TAG=@0.1.0
OLD_EXT=assoc_v010
OLD_DB=${DB}_v010
OLD_FILES=()

WORK=$(mktemp -d /tmp/assoc-bench.XXXXXX)
chmod 755 "$WORK"
# remove_old: release 0.1.0's files and database, when installed
trap 'remove_old; rm -rf "$WORK"' EXIT
trap 'exit 130' INT
trap 'exit 143' TERM HUP
RESULTS=$WORK/results.tsv	# workload variant round ms
STATUS=$WORK/status.tsv		# workload variant status
: >"$RESULTS"
: >"$STATUS"

PSQL=(psql -X -q -v ON_ERROR_STOP=1)
# the target of a floor row: assoc's time / the time of sending its JSON
# text from a table (make_floor)
FLOOR_TARGET=2.0
REPEAT=1	# times each statement is written in a pgbench script (run_pgbench)
WARM=0		# 1: each statement is run once more before it, uncounted (run_pgbench)

say() { printf '%s\n' "$*"; }
step() { printf '\n== %s\n' "$*"; }
elapsed() { printf '[%3ds] ' "$SECONDS"; }

# The workloads, in the order of the table:
#   name|kind|title|target
# kinds: full (psql), page (pgbench, one client, prepared and simple
# protocol), tps (pgbench -c 2), writer (pgbench -c 2, checked by effect).
# targets: "time<=X" (assoc time / best hand time), "tps>=X" (assoc TPS /
# bare TPS), "-" (measured, no target).
WORKLOADS=(
	"owners_pugs_all|full|owner_with_pugs(), all owners|time<=1.05"
	"owners_pugs_page|page|owner_with_pugs(o) FROM owners o ... LIMIT 20|time<=1.10"
	"paranoid_owners_pugs_all|full|paranoid owner_with_pugs(), all owners|time<=1.10"
	"paranoid_owners_pugs_page|page|paranoid owner_with_pugs(o) ... LIMIT 20|time<=1.10"
	"pugs_owner_all|full|pug_with_owner(), all pugs|time<=1.10"
	"find_all_all|full|find_all owners > pugs > toys, all|time<=1.10"
	"find_all_page|page|find_all owners > pugs > toys, page|time<=1.10"
	"find_and_count_page|page|find_and_count_all owners with a pug, page of 20 + count|time<=1.10"
	"count_page|page|count owners with a pug, name LIKE 'a%'|time<=1.10"
	"nested_page|page|find_all \$pugs.name\$ filter, page of 20|time<=1.10"
	"keyset_page|page|find_all after: [90000], page of 20 with pugs|time<=1.10"
	"owners_by_pug_count|page|find_all owners by number of pugs (\$count(pugs)\$), page of 20 with the count|time<=1.10"
	"get_pugs|tps|owner_get_pugs(id), -c 2|tps>=0.97"
	"get_owner|tps|pug_get_owner(id), -c 2|tps>=0.97"
	"add_pug|writer|owner_add_pug(owner, pug) vs the hand-written lock + UPDATE, -c 2|time<=1.50"
	"set_pugs|writer|owner_set_pugs(owner, 3 pugs) vs the hand-written locks + UPDATEs, -c 2|time<=1.20"
	"counter_insert|writer|INSERT of a pug, counter_cache (assoc) vs none, -c 2|time<=1.30"
	"counter_add_pug|writer|owner_add_pug(owner, pug), counter_cache (assoc) vs none, -c 2|time<=1.30"
)

selected() {
	[[ -z $ONLY ]] && return 0
	[[ " $ONLY " == *" $1 "* ]]
}

# The file of a variant of a workload (a variant of 0.1.0's database,
# <variant>@0.1.0, runs the file of <variant>), and the database it runs in.
file_of() { printf '%s' "$BENCH/queries/$1/${2%"$OLD_TAG"}.sql"; }
db_of() { if [[ $1 == *"$OLD_TAG" ]]; then printf '%s' "$OLD_DB"; else printf '%s' "$DB"; fi; }

# The statement of a variant (WORKLOAD VARIANT): without pgbench's \set
# lines, and without the final semicolon.
statement_of() {
	grep -v '^\\' "$(file_of "$1" "$2")" | sed -e 's/;[[:space:]]*$//'
}

# Variants of a workload: assoc first, then the others by name; with
# ASSOC_BENCH_VERSIONS=1, then the same in 0.1.0's database.
variants_of() {
	local d=$BENCH/queries/$1 f tag tags=("")
	if ((VERSIONS)); then tags+=("$OLD_TAG"); fi
	for tag in "${tags[@]}"; do
		[[ -f $d/assoc.sql ]] && printf 'assoc%s\n' "$tag"
		for f in "$d"/*.sql; do
			f=${f##*/}
			f=${f%.sql}
			[[ $f == assoc ]] || printf '%s%s\n' "$f" "$tag"
		done
	done
}

status_of() {
	awk -F'\t' -v w="$1" -v v="$2" '$1 == w && $2 == v { s = $3 } END { print s }' "$STATUS"
}

set_status() { printf '%s\t%s\t%s\n' "$1" "$2" "$3" >>"$STATUS"; }

# ---------------------------------------------------------------- set-up

setup() {
	step "dataset: scale $SCALE ($(awk -v s="$SCALE" 'BEGIN { printf "%d", 100000 * s }') owners)"
	if [[ ${ASSOC_BENCH_KEEP_DATA:-0} == 1 ]] &&
		"${PSQL[@]}" -Atc "SELECT count(*) FROM owners" >/dev/null 2>&1; then
		say "(reusing the tables already in database $DB)"
	else
		"${PSQL[@]}" -c 'SET client_min_messages = warning' \
			-c 'DROP TABLE IF EXISTS toys, pugs, owners CASCADE' -c 'DROP SCHEMA IF EXISTS paranoid CASCADE' >/dev/null
		"${PSQL[@]}" -v scale="$SCALE" -f "$BENCH/setup.sql" >/dev/null
	fi
	# the counter-cache workloads' copies of owners and pugs (schemas counted,
	# uncounted), made again every time: their workloads add rows
	if selected counter_insert || selected counter_add_pug; then
		"${PSQL[@]}" -f "$BENCH/setup_counter.sql" >/dev/null
	fi
	OWNERS=$("${PSQL[@]}" -Atc 'SELECT max(id) FROM owners')
	PUGS=$("${PSQL[@]}" -Atc 'SELECT max(id) FROM pugs')
	describe_and_prewarm "$DB"
}

# describe_and_prewarm DATABASE: print what the dataset holds, and read it
# all into the cache, tables and indexes
describe_and_prewarm() {
	"${PSQL[@]}" -d "$1" -Atc "SELECT format('%s owners, %s pugs (%s unowned), %s toys',
		(SELECT count(*) FROM owners), (SELECT count(*) FROM pugs),
		(SELECT count(*) FROM pugs WHERE \"ownerId\" IS NULL), (SELECT count(*) FROM toys))"
	if ! "${PSQL[@]}" -d "$1" -Atc 'SET client_min_messages = warning' -c 'CREATE EXTENSION IF NOT EXISTS pg_prewarm' \
		-c "SELECT sum(pg_prewarm(c.oid)) FROM pg_class c
		     WHERE c.relnamespace = 'public'::regnamespace AND c.relkind IN ('r', 'i')" >/dev/null 2>&1; then
		"${PSQL[@]}" -d "$1" -Atc "SELECT sum(length(t::text)) FROM owners t" -c "SELECT sum(length(t::text)) FROM pugs t" \
			-c "SELECT sum(length(t::text)) FROM toys t" >/dev/null
	fi
}

# ---------------------------------------------------------------- release 0.1.0

# ASSOC_BENCH_VERSIONS=1.  Both versions must be loaded in one cluster at
# once, and both put their objects in schema assoc: 0.1.0 is built from its
# commit under another library name and installed as another extension
# (OLD_EXT: its SQL script as released, its control file pointing at
# $libdir/assoc_v010), declared in a database of its own (OLD_DB) that
# setup.sql fills with the same rows (same seed).  Its variants are this
# build's files run there, named <variant>@0.1.0 (OLD_TAG).  install_old
# records what it installs in OLD_FILES; remove_old, run on any exit,
# removes it.
install_old() {
	local root=$BENCH/.. build=$WORK/v010 pg_config=${PG_CONFIG:-pg_config} pkglibdir extdir
	step "release 0.1.0 (commit $RELEASE_0_1_0) as extension $OLD_EXT, in database $OLD_DB"
	if ! git -C "$root" cat-file -e "$RELEASE_0_1_0^{commit}" 2>/dev/null; then
		say "commit $RELEASE_0_1_0 is not in this clone's history (a shallow clone?)"
		return 1
	fi
	pkglibdir=$("$pg_config" --pkglibdir)
	extdir=$("$pg_config" --sharedir)/extension
	if [[ ! -w $pkglibdir || ! -w $extdir ]]; then
		say "$pkglibdir or $extdir is not writable (run as root)"
		return 1
	fi
	mkdir "$build"
	git -C "$root" archive "$RELEASE_0_1_0" Makefile assoc.control src sql | tar -x -C "$build"
	# The one place where 0.1.0's C code names its extension: the dependency
	# of each generated function on it.  Nothing else changes.
	sed -i "s/get_extension_oid(\"assoc\", false)/get_extension_oid(\"$OLD_EXT\", false)/" "$build/src/codegen.c"
	if grep -rq 'get_extension_oid("assoc"' "$build/src" || ! grep -q "get_extension_oid(\"$OLD_EXT\"" "$build/src/codegen.c"; then
		say "0.1.0's src/codegen.c does not name its extension as expected"
		return 1
	fi
	if ! make -C "$build" --no-print-directory -s -j2 PG_CONFIG="$pg_config" MODULE_big="$OLD_EXT" >"$build/build.log" 2>&1; then
		tail -n 30 "$build/build.log"
		say "building 0.1.0 failed"
		return 1
	fi
	OLD_FILES=("$pkglibdir/$OLD_EXT.so" "$extdir/$OLD_EXT.control" "$extdir/$OLD_EXT--0.1.0.sql")
	install -m 755 "$build/$OLD_EXT.so" "${OLD_FILES[0]}"
	sed -e "s|^module_pathname = .*|module_pathname = '\$libdir/$OLD_EXT'|" \
		-e "s|^comment = '|comment = 'release 0.1.0 of assoc, installed by make bench: |" \
		"$build/assoc.control" >"${OLD_FILES[1]}"
	install -m 644 "$build/sql/assoc--0.1.0.sql" "${OLD_FILES[2]}"
}

# The 0.1.0 database, and the proof that it runs 0.1.0: the extension's
# version and library, and the functions it generated, as many as this
# build's, about half of them with SQL-standard bodies (BEGIN ATOMIC: the
# readers, counters and loaders of 0.1.0), none since.
setup_old() {
	# (of the tables of schema public: this build's database has more)
	local generated="SELECT count(*) FILTER (WHERE p.prosqlbody IS NOT NULL) || ' of ' || count(*)
	  FROM assoc.associations a JOIN pg_class c ON c.oid = a.source, unnest(a.functions) f, pg_proc p
	 WHERE p.oid = f AND c.relnamespace = 'public'::regnamespace"
	local old new
	"${PSQL[@]}" -d postgres -c 'SET client_min_messages = warning' \
		-c "DROP DATABASE IF EXISTS \"$OLD_DB\"" -c "CREATE DATABASE \"$OLD_DB\""
	"${PSQL[@]}" -d "$OLD_DB" -v scale="$SCALE" -v extension="$OLD_EXT" -f "$BENCH/setup.sql" >/dev/null
	describe_and_prewarm "$OLD_DB"
	old=$("${PSQL[@]}" -d "$OLD_DB" -Atc "SELECT e.extversion || ' ' || (SELECT string_agg(DISTINCT p.probin, ',')
	         FROM pg_proc p WHERE p.pronamespace = e.extnamespace AND p.probin IS NOT NULL)
	       FROM pg_extension e WHERE e.extname = '$OLD_EXT'")
	old+=" $("${PSQL[@]}" -d "$OLD_DB" -Atc "$generated")"
	new=$("${PSQL[@]}" -Atc "$generated")
	say "$OLD_EXT: version, library, generated functions with SQL-standard bodies: $old (this build: $new)"
	if [[ ! $old =~ ^0\.1\.0\ \$libdir/$OLD_EXT\ ([1-9][0-9]*)\ of\ ([0-9]+)$ ]] ||
		[[ $new != "0 of ${BASH_REMATCH[2]}" ]]; then
		say "database $OLD_DB does not run release 0.1.0 as it should"
		return 1
	fi
}

remove_old() {
	((${#OLD_FILES[@]} > 0)) || return 0
	"${PSQL[@]}" -d postgres -c 'SET client_min_messages = warning' \
		-c "DROP DATABASE IF EXISTS \"$OLD_DB\" WITH (FORCE)" >/dev/null 2>&1 || true
	rm -f "${OLD_FILES[@]}"
	OLD_FILES=()
}

machine() {
	step "machine"
	say "cores: $(nproc), $(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo 2>/dev/null || echo unknown CPU)"
	say "memory: $(awk '/^MemTotal/ { printf "%.0f GB", $2 / 1048576 }' /proc/meminfo 2>/dev/null || echo unknown)"
	"${PSQL[@]}" -Atc "SELECT version()"
	"${PSQL[@]}" -Atc "SELECT string_agg(name || ' = ' || setting || coalesce(unit, ''), ', ' ORDER BY name)
		FROM pg_settings WHERE name IN ('shared_buffers', 'work_mem', 'jit', 'max_parallel_workers_per_gather',
		                                'random_page_cost', 'effective_cache_size')"
	say "load average at start: $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo unknown)"
}

# ---------------------------------------------------------------- checks

# Same rows, same order, same JSON (white space aside: json_build_object
# writes "k" : v, row_to_json "k":v): a count and an order-sensitive sum of
# hashes, computed by the server.
checksum() {
	local sql=$1
	shift
	"${PSQL[@]}" -At "$@" <<EOF
SELECT count(*) || ' ' || coalesce(sum(hashtextextended(translate(j::text, E' \n', ''), n)), 0)
  FROM (SELECT j, row_number() OVER () AS n FROM ($sql) q(j)) s;
EOF
}

# The rows a reader returns, in any order (a bare SELECT has no ORDER BY).
rowset_checksum() {
	local sql=$1
	shift
	"${PSQL[@]}" -At "$@" <<EOF
SELECT count(*) || ' ' || coalesce(md5(string_agg(q::text, ',' ORDER BY q::text)), '')
  FROM ($sql) q;
EOF
}

# What a writer changed: the pugs it touched (updatedAt = now()) and where
# they point, seen inside the transaction, which is rolled back.
effect_checksum() {
	local sql=$1
	shift
	"${PSQL[@]}" -At "$@" <<EOF
BEGIN;
\o /dev/null
$sql;
\o
SELECT count(*) || ' ' || coalesce(md5(string_agg(id || ':' || coalesce("ownerId"::text, '-'), ',' ORDER BY id)), '')
  FROM pugs WHERE "updatedAt" = now();
ROLLBACK;
EOF
}

# check WORKLOAD KIND: run every variant once, compare with assoc, record
# ok / differs / n/a (assoc not available: find_all not implemented yet).
check() {
	local w=$1 kind=$2 v sql ref got err args=() old_na=0
	case $kind in
	tps | writer)
		# keys that exist, owned pugs, so that every variant has rows
		args=(-v "o=$(((OWNERS + 1) / 2))" -v "p=$("${PSQL[@]}" -Atc 'SELECT min(id) FROM pugs WHERE "ownerId" IS NOT NULL AND id > '$((PUGS / 2)))")
		args+=(-v "p1=$((PUGS / 3))" -v "p2=$((PUGS / 4))" -v "p3=$((PUGS / 5))")
		;;
	esac
	[[ $kind == full ]] && return 0	# checked in round 1 (run_full)
	ref=
	while read -r v; do
		sql=$(statement_of "$w" "$v")
		err=$WORK/check-$w-$v.err
		case $kind in
		full | page) got=$(checksum "$sql" -d "$(db_of "$v")" 2>"$err") || got= ;;
		tps) got=$(rowset_checksum "$sql" -d "$(db_of "$v")" "${args[@]}" 2>"$err") || got= ;;
		writer) got=$(effect_checksum "$sql" -d "$(db_of "$v")" "${args[@]}" 2>"$err") || got= ;;
		esac
		if [[ -z $got && $v == "assoc$OLD_TAG" ]]; then
			# a workload of a feature added since 0.1.0: none of its
			# variants runs in 0.1.0's database
			say "  $v: n/a ($(grep -m1 ERROR "$err" || true))"
			old_na=1
		fi
		if [[ $v == *"$OLD_TAG" ]] && ((old_na)); then
			set_status "$w" "$v" "n/a in 0.1.0"
			continue
		fi
		if [[ -z $got ]]; then
			if [[ $v == assoc ]]; then
				set_status "$w" "$v" "n/a: $(grep -m1 ERROR "$err" | sed 's/^.*ERROR: *//')"
				say "  $v: n/a ($(grep -m1 ERROR "$err" || true))"
				return 1
			fi
			set_status "$w" "$v" "failed"
			say "  $v: failed: $(grep -m1 ERROR "$err" || true)"
			continue
		fi
		if [[ $v == assoc ]]; then
			ref=$got
			set_status "$w" "$v" ok
			say "  assoc: ${got%% *} rows"
		elif [[ -z $ref ]]; then
			set_status "$w" "$v" ok
		elif [[ $got == "$ref" ]]; then
			set_status "$w" "$v" ok
			[[ $v != "assoc$OLD_TAG" ]] || say "  $v: the same"
		else
			set_status "$w" "$v" differs
			say "  $v: DIFFERS from assoc ($got vs $ref): left out"
		fi
	done < <(variants_of "$w")
	return 0
}

runnable_variants() {
	local w=$1 v
	while read -r v; do
		[[ $(status_of "$w" "$v") == ok ]] && printf '%s\n' "$v"
	done < <(variants_of "$w")
}

# rotate N LIST...: the list rotated left by N
rotate() {
	local n=$1
	shift
	local a=("$@") i k=${#a[@]}
	for ((i = 0; i < k; i++)); do
		printf '%s\n' "${a[$(((i + n) % k))]}"
	done
}

# ---------------------------------------------------------------- whole-table loads

# One round: every variant once, in one psql session.  The client receives
# every row; psql's \timing stops when the last row has arrived, before
# printing.  A variant of 0.1.0 runs after a \connect to its database, and
# the next variant of this build after a \connect back.  In round 1 the output goes through md5sum instead of to
# /dev/null (white space removed: json_build_object writes "k" : v,
# row_to_json "k":v), which checks that all variants return the same JSON
# in the same order without running them again.
full_round() {
	local w=$1 round=$2
	shift 2
	local v sink script=$WORK/$w-round$round.sql out=$WORK/$w-round$round.out db=$DB
	sink=/dev/null
	if ((round == 1)); then
		sink="| tr -d ' \\n' | md5sum | sed 's/^/## /'"
	fi
	{
		printf '\\pset format unaligned\n\\pset tuples_only on\n\\timing on\n'
		for v in "$@"; do
			if [[ $(db_of "$v") != "$db" ]]; then
				db=$(db_of "$v")
				printf '\\connect "%s"\n' "$db"
			fi
			printf '\\echo @@ %s\n\\o %s\n' "$v" "$sink"
			statement_of "$w" "$v"
			printf ';\n\\o\n\\if :ERROR\n\\echo !! :LAST_ERROR_MESSAGE\n\\endif\n'
		done
	} >"$script"
	psql -X -q -f "$script" >"$out" 2>"$out.err" || true
	awk -F'\t' -v w="$w" -v r="$round" '
		function flush() {
			if (v != "" && t != "" && !failed) printf "%s\t%s\t%s\t%s\n", w, v, r, t
			v = ""; t = ""; failed = 0
		}
		/^@@ / { flush(); v = substr($0, 4); next }
		/^Time: / { split($0, a, " "); t = a[2]; next }
		/^!! / { failed = 1; next }
		END { flush() }
	' "$out" >>"$RESULTS"
}

# run_full WORKLOAD: round 1 with every variant but the json_build_object
# ones (*_jbo, 20-50% slower than the fastest in every run so far), the
# correlated subqueries (correlated_*, 1.4-2.2 times the fastest in every
# run so far, and the longest of all: 27 s of the two-level find_all) and
# the variants of SLOW_FULL (1.35-1.46 times the fastest, never the
# fastest in a full run: the plain LATERAL forms where the grouped or
# memoized form of the same workload is the fastest); with
# ASSOC_BENCH_FULL_JBO=1 the first, with ASSOC_BENCH_FULL_ALL=1 both are
# run and checked too (two minutes and a half more at the default scale),
# and the check, then ROUNDS - 1 rounds of assoc, the floor, the fastest
# hand-written variant of round 1 and the second fastest if within 10% of
# it (one further behind keeps its round-1 time, "runs" 1 in the table).
# With ASSOC_BENCH_VERSIONS=1, round 1 also runs assoc@0.1.0, right
# after assoc, and the next rounds the variants kept in both databases (a
# hand-written variant of 0.1.0's database is the same statement on the
# same rows: it has the status of this build's).
run_full() {
	local w=$1 r v ref hash best keep=() all=()
	while read -r v; do
		# json_build_object forms of a whole-table load: only when asked
		[[ $v != *_jbo* ]] || ((FULL_JBO)) || continue
		[[ $v != correlated_* ]] || ((FULL_ALL)) || continue
		[[ " $SLOW_FULL " != *" $w:$v "* ]] || ((FULL_ALL)) || continue
		[[ $v == *"$OLD_TAG" ]] || all+=("$v")
		if [[ $v == assoc ]] && ((VERSIONS)); then all+=("assoc$OLD_TAG"); fi
	done < <(variants_of "$w")
	[[ ! -f $(file_of "$w" floor) ]] || make_floor "$w"
	elapsed
	say "round 1 (and the check): ${all[*]}"
	full_round "$w" 1 "${all[@]}"
	# the check
	ref=$(awk -v want=assoc '/^@@ / { v = substr($0, 4) } /^## / && v == want { print $2 }' "$WORK/$w-round1.out")
	if grep -q '^@@ assoc$' "$WORK/$w-round1.out" && awk '/^@@ / { v = substr($0, 4) } /^!! / && v == "assoc" { f = 1 } END { exit !f }' "$WORK/$w-round1.out"; then
		set_status "$w" assoc "n/a: $(awk '/^@@ / { v = substr($0, 4) } /^!! / && v == "assoc" { sub(/^!! /, ""); print; exit }' "$WORK/$w-round1.out")"
		say "  assoc: n/a ($(status_of "$w" assoc))"
		return 0
	fi
	for v in "${all[@]}"; do
		hash=$(awk -v want="$v" '/^@@ / { v = substr($0, 4) } /^## / && v == want { print $2 }' "$WORK/$w-round1.out")
		if awk -v want="$v" '/^@@ / { v = substr($0, 4) } /^!! / && v == want { f = 1 } END { exit !f }' "$WORK/$w-round1.out"; then
			# assoc@0.1.0 fails: a feature added since 0.1.0
			if [[ $v == "assoc$OLD_TAG" ]]; then set_status "$w" "$v" "n/a in 0.1.0"; else set_status "$w" "$v" failed; fi
			say "  $v: $(status_of "$w" "$v"): $(awk -v want="$v" '/^@@ / { v = substr($0, 4) } /^!! / && v == want { print; exit }' "$WORK/$w-round1.out")"
		elif [[ $hash == "$ref" ]]; then
			set_status "$w" "$v" ok
		else
			set_status "$w" "$v" differs
			say "  $v: DIFFERS from assoc: left out"
		fi
	done
	while read -r v; do
		[[ $v != *"$OLD_TAG" || $v == "assoc$OLD_TAG" ]] || set_status "$w" "$v" "$(status_of "$w" "${v%"$OLD_TAG"}")"
		[[ $v != *"$OLD_TAG" || $(status_of "$w" "assoc$OLD_TAG") != "n/a in 0.1.0" ]] || set_status "$w" "$v" "n/a in 0.1.0"
	done < <(variants_of "$w")
	say "  $(awk -F'\t' -v w="$w" '$1 == w && $3 == 1 { printf "%s %.0f ms  ", $2, $4 }' "$RESULTS")"
	best=$(awk -F'\t' -v w="$w" '$1 == w && $3 == 1 && $2 != "assoc" && $2 != "floor" && $2 !~ /@/ { if (b == "" || $4 < b) b = $4 } END { print b }' "$RESULTS")
	keep=(assoc)
	# the floor, when it sent what assoc sends, in every round
	[[ $(status_of "$w" floor) != ok ]] || keep+=(floor)
	while read -r v; do
		[[ $(status_of "$w" "$v") == ok ]] && keep+=("$v")
	done < <(awk -F'\t' -v w="$w" -v b="$best" '$1 == w && $3 == 1 && $2 != "assoc" && $2 != "floor" && $2 !~ /@/ && $4 <= 1.1 * b { print $4 "\t" $2 }' "$RESULTS" |
		sort -n | head -n 2 | cut -f2)
	if ((VERSIONS)); then
		for v in "${keep[@]}"; do
			# (the floor is of this build's output)
			[[ $v == floor || $(status_of "$w" "$v$OLD_TAG") != ok ]] || keep+=("$v$OLD_TAG")
		done
	fi
	for ((r = 2; r <= ROUNDS; r++)); do
		elapsed
		mapfile -t keep < <(rotate "$((r - 1))" "${keep[@]}")
		say "round $r: ${keep[*]}"
		full_round "$w" "$r" "${keep[@]}"
	done
	[[ ! -f $(file_of "$w" floor) ]] || "${PSQL[@]}" -c "DROP TABLE IF EXISTS \"floor_$w\""
}

# make_floor WORKLOAD: the floor of a whole-table load, the cost of sending
# its JSON text and nothing else: assoc's output written once into a table
# floor_<workload> (one json column j, the rows in assoc's order), read
# into the cache, which variant floor (bench/queries/<workload>/floor.sql:
# SELECT j FROM floor_<workload>) sends as it is.  Round 1 checks it like
# the other variants (the same text in the same order); it runs in every
# round, and has a row of its own in the table (<workload> [floor]).
make_floor() {
	local w=$1
	"${PSQL[@]}" -c 'SET client_min_messages = warning' -c "DROP TABLE IF EXISTS \"floor_$w\"" \
		-c "CREATE UNLOGGED TABLE \"floor_$w\" AS SELECT j FROM ($(statement_of "$w" assoc)) q(j)" \
		>/dev/null
	"${PSQL[@]}" -c "SELECT pg_prewarm('\"floor_$w\"')" >/dev/null 2>&1 ||
		"${PSQL[@]}" -c "SELECT count(*) FROM \"floor_$w\"" >/dev/null
	say "  floor: $("${PSQL[@]}" -Atc "SELECT count(*) || ' rows, ' || pg_size_pretty(sum(octet_length(j::text))) || ' of JSON text' FROM \"floor_$w\"")"
}

# ---------------------------------------------------------------- pgbench

# One round: all variants in one script, one after the other in each
# transaction; per-statement latencies.  The variants are all of one
# database (this build's, or 0.1.0's).
pgbench_round() {
	local w=$1 round=$2 tag=$3
	shift 3
	local opts=() v i k script out db
	local order=()
	while [[ $1 != -- ]]; do
		opts+=("$1")
		shift
	done
	shift
	db=$(db_of "$1")
	script=$WORK/$w-${tag//[^a-z]/}-$db-round$round.pgb
	out=${script%.pgb}.out
	: >"$script"
	# -r prints latencies in microseconds with no decimals: a statement of
	# 50 us would be known to 2%; written $REPEAT times (each with keys of
	# its own), the sum is known to 0.5%.  With WARM=1 each statement runs
	# twice in a row and only the second run counts ("-" in the order):
	# every variant is then timed right after itself, and none pays for
	# what the variant before it left behind (the same neighbour in every
	# rotation: a whole-table offset or grouped join before the page made
	# the page after it up to 2x slower, whichever variant that was).
	for ((i = 0; i < REPEAT; i++)); do
		for v in "$@"; do
			for ((k = 0; k <= WARM; k++)); do
				# one line per command; -r prints one latency per line, in order
				grep '^\\' "$(file_of "$w" "$v")" >>"$script" || true
				statement_of "$w" "$v" | tr '\n' ' ' >>"$script"
				printf ';\n' >>"$script"
				if ((k < WARM)); then order+=("-"); else order+=("$v"); fi
			done
		done
	done
	PGDATABASE=$db pgbench -n -r -T "$PG_SECONDS" -D owners="$OWNERS" -D pugs="$PUGS" "${opts[@]}" -f "$script" \
		>"$out" 2>"$out.err" || {
		say "pgbench failed:"
		tail -n 5 "$out.err"
		return 1
	}
	awk -v w="$w$tag" -v r="$round" -v list="${order[*]}" '
		BEGIN { n = split(list, names, " "); i = 0 }
		/statement latencies/ { on = 1; next }
		on && /^ +[0-9.]+ / {
			line = $0
			sub(/^[ 0-9.]+/, "", line)
			if (line ~ /^\\/) next
			i++
			if (i <= n && names[i] != "-") {
				if (!(names[i] in sum)) seen[++m] = names[i]
				sum[names[i]] += $1
				cnt[names[i]]++
			}
		}
		END { for (k = 1; k <= m; k++) printf "%s\t%s\t%s\t%.4f\n", w, seen[k], r, sum[seen[k]] / cnt[seen[k]] }
	' "$out" >>"$RESULTS"
}

# run_pgbench WORKLOAD KIND: PG_ROUNDS rounds of each protocol.  With
# ASSOC_BENCH_VERSIONS=1, a round is two runs of pgbench, one in each
# database with the same variants, this build's first in odd rounds and
# 0.1.0's first in even ones.
run_pgbench() {
	local w=$1 kind=$2 r tag v run name_tag modes=() opts=() all=() old=() runs=() list=()
	while read -r v; do
		if [[ $v == *"$OLD_TAG" ]]; then old+=("$v"); else all+=("$v"); fi
	done < <(runnable_variants "$w")
	case $kind in
	page | tps) modes=(prepared simple) ;;
	*) modes=(simple) ;;
	esac
	REPEAT=1
	[[ $kind == tps ]] && REPEAT=5
	WARM=0
	[[ $kind == page ]] && WARM=1
	case $kind in
	page) opts=(-c 1) ;;
	tps) opts=(-c 2 -j 2) ;;
	writer) opts=(-c 2 -j 2 --max-tries=10) ;;
	esac
	for tag in "${modes[@]}"; do
		# the workload's name in the results: with the protocol when it has two
		name_tag=
		[[ $kind != page && $kind != tps ]] || name_tag=" [$tag]"
		for ((r = 1; r <= PG_ROUNDS; r++)); do
			mapfile -t all < <(rotate 1 "${all[@]}")
			((${#old[@]} == 0)) || mapfile -t old < <(rotate 1 "${old[@]}")
			runs=(this old)
			((r % 2)) || runs=(old this)
			for run in "${runs[@]}"; do
				if [[ $run == this ]]; then list=("${all[@]}"); else list=("${old[@]}"); fi
				((${#list[@]} > 0)) || continue
				elapsed
				say "-M $tag round $r: ${list[*]}"
				pgbench_round "$w" "$r" "$name_tag" "${opts[@]}" -M "$tag" -- "${list[@]}" || return 1
			done
		done
	done
}

# ---------------------------------------------------------------- Sequelize

run_node() {
	local nodedb=${DB}_node
	step "Sequelize 6, Drizzle ORM and TypeORM (+ pg) against assoc through node-pg (scale $NODE_SCALE)"
	if [[ ${ASSOC_BENCH_NODE:-1} == 0 ]]; then
		say "skipped (ASSOC_BENCH_NODE=0)"
		return 0
	fi
	if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
		if [[ $(id -u) == 0 ]] && command -v apt-get >/dev/null 2>&1; then
			say "installing nodejs and npm (apt-get)"
			DEBIAN_FRONTEND=noninteractive apt-get install -y -q nodejs npm >"$WORK/apt.log" 2>&1 ||
				{ tail -n 5 "$WORK/apt.log"; say "could not install node: skipped"; return 0; }
		else
			say "node and npm are missing (apt-get install nodejs npm): skipped"
			return 0
		fi
	fi
	if [[ ! -d $BENCH/sequelize/node_modules/sequelize || ! -d $BENCH/sequelize/node_modules/pg ||
		! -d $BENCH/sequelize/node_modules/drizzle-orm || ! -d $BENCH/sequelize/node_modules/typeorm ]]; then
		say "npm ci in bench/sequelize"
		(cd "$BENCH/sequelize" && npm ci --no-audit --no-fund --loglevel=error >"$WORK/npm.log" 2>&1) ||
			{ tail -n 10 "$WORK/npm.log"; say "npm ci failed: skipped"; return 0; }
	fi
	"${PSQL[@]}" -d postgres -c 'SET client_min_messages = warning' \
		-c "DROP DATABASE IF EXISTS \"$nodedb\"" -c "CREATE DATABASE \"$nodedb\""
	PGDATABASE=$nodedb "${PSQL[@]}" -v scale="$NODE_SCALE" -f "$BENCH/setup.sql" >/dev/null
	PGDATABASE=$nodedb "${PSQL[@]}" -Atc "SELECT format('%s owners, %s pugs, %s toys',
		(SELECT count(*) FROM owners), (SELECT count(*) FROM pugs), (SELECT count(*) FROM toys))"
	PGDATABASE=$nodedb ASSOC_BENCH_NODE_ROUNDS=${ASSOC_BENCH_NODE_ROUNDS:-3} \
		node --expose-gc "$BENCH/sequelize/bench.js" >"$WORK/node.out" 2>"$WORK/node.err" ||
		{ tail -n 20 "$WORK/node.err"; say "the node benchmark failed"; }
	grep -v '^RESULT\|^STATUS' "$WORK/node.out" || true
	awk -F'\t' '$1 == "RESULT" { printf "%s\t%s\t%s\t%s\n", $2, $3, $4, $5 }' "$WORK/node.out" >>"$RESULTS"
	awk -F'\t' '$1 == "STATUS" { printf "%s\t%s\t%s\n", $2, $3, $4 }' "$WORK/node.out" >>"$STATUS"
	"${PSQL[@]}" -d postgres -c 'SET client_min_messages = warning' -c "DROP DATABASE IF EXISTS \"$nodedb\""
}

# ---------------------------------------------------------------- report

report() {
	local defs=$WORK/workloads.tsv i=0 entry name kind title target
	: >"$defs"
	for entry in "${WORKLOADS[@]}"; do
		IFS='|' read -r name kind title target <<<"$entry"
		i=$((i + 1))
		if [[ $kind == page || $kind == tps ]]; then
			printf '%s\t%s\t%s\t%s\t%s\n' "$i" "$name [prepared]" "$kind" "$title, -M prepared" "$target" >>"$defs"
			printf '%s.5\t%s\t%s\t%s\t%s\n' "$i" "$name [simple]" "$kind" "$title, -M simple" "$target" >>"$defs"
		else
			printf '%s\t%s\t%s\t%s\t%s\n' "$i" "$name" "$kind" "$title" "$target" >>"$defs"
		fi
		# the floor row of a whole-table load: assoc against its own JSON
		# text sent from a table (make_floor)
		[[ ! -f $(file_of "$name" floor) ]] ||
			printf '%s.2\t%s\t%s\t%s\t%s\n' "$i" "$name [floor]" floor "$title: vs sending its JSON from a table (floor)" \
				"time<=$FLOOR_TARGET" >>"$defs"
	done
	printf '%s\t%s\t%s\t%s\t%s\n' 20 seq_one node "Sequelize vs assoc (node), owners > pugs, all" "x>=5" >>"$defs"
	printf '%s\t%s\t%s\t%s\t%s\n' 21 seq_two node "Sequelize vs assoc (node), owners > pugs > toys, all" "x>=5" >>"$defs"
	printf '%s\t%s\t%s\t%s\t%s\n' 22 seq_page node "Sequelize vs assoc (node), owners > pugs > toys, page" "x>=4" >>"$defs"
	# peer: the target is on the fastest of Drizzle and TypeORM
	printf '%s\t%s\t%s\t%s\t%s\n' 23 peer_one peer "Drizzle / TypeORM vs assoc (node), owners > pugs, all" "x>=2" >>"$defs"
	printf '%s\t%s\t%s\t%s\t%s\n' 24 peer_two peer "Drizzle / TypeORM vs assoc (node), owners > pugs > toys, all" "x>=2" >>"$defs"
	printf '%s\t%s\t%s\t%s\t%s\n' 25 peer_page peer "Drizzle / TypeORM vs assoc (node), owners > pugs > toys, page" "x>=2" >>"$defs"
	# page statuses apply to both protocols; a floor row has assoc's and the
	# floor's results and statuses, and the floor is not one of the
	# workload's hand-written variants
	awk -F'\t' 'BEGIN { OFS = "\t" } $2 == "assoc" || $2 == "floor" { print $1 " [floor]", $2, $3 }
		$2 != "floor" { print; print $1 " [prepared]", $2, $3; print $1 " [simple]", $2, $3 }' \
		"$STATUS" >"$STATUS.all"
	awk -F'\t' 'BEGIN { OFS = "\t" } $2 == "assoc" || $2 == "floor" { print $1 " [floor]", $2, $3, $4 }
		$2 != "floor" { print }' "$RESULTS" >"$RESULTS.all"
	# report.sql with the \copy of the result files where it says so
	{
		sed -n '1,/^-- @load@/p' "$BENCH/report.sql"
		printf '\\copy defs FROM %s\n\\copy results FROM %s\n\\copy status (workload, variant, status) FROM %s\n' \
			"$defs" "$RESULTS.all" "$STATUS.all"
		sed -n '/^-- @load@/,$p' "$BENCH/report.sql"
	} >"$WORK/report.sql"
	"${PSQL[@]}" -P pager=off -v versions="$VERSIONS" -f "$WORK/report.sql"
}

# ---------------------------------------------------------------- main

say "assoc benchmarks; reproduce with: make bench${ONLY:+ ASSOC_BENCH_ONLY=\"$ONLY\"}${ASSOC_BENCH_VERSIONS:+ ASSOC_BENCH_VERSIONS=$VERSIONS} (ASSOC_BENCH_SCALE=$SCALE)"
machine
setup
if ((VERSIONS)); then
	install_old || exit 1
	setup_old || exit 1
fi

# All checks first: a writer's timed run changes the rows, differently in
# each database, and the writers' checks compare the two databases.
step "checking that every variant returns what assoc returns (whole-table loads: in their round 1)"
unchecked=" "
for entry in "${WORKLOADS[@]}"; do
	IFS='|' read -r name kind title target <<<"$entry"
	selected "$name" || continue
	[[ $kind == full ]] && continue
	elapsed
	say "$name"
	check "$name" "$kind" || unchecked+="$name "
done

for entry in "${WORKLOADS[@]}"; do
	IFS='|' read -r name kind title target <<<"$entry"
	selected "$name" || continue
	[[ $unchecked != *" $name "* ]] || continue
	step "$name: $title"
	case $kind in
	full) run_full "$name" ;;
	*) run_pgbench "$name" "$kind" || set_status "$name" assoc "failed" ;;
	esac
done

if selected sequelize; then
	run_node
fi

step "results (elapsed ${SECONDS}s)"
report

if selected schema_scale; then
	step "schema scale: declaring, altering, dumping and restoring N associations (bench/scale.sh)"
	"$BENCH/scale.sh" | grep -v '^SCALE' || say "bench/scale.sh failed"
fi
