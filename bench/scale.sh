#!/usr/bin/env bash
# bench/scale.sh: the schema-scale section of the benchmarks (run by
# bench/run.sh, workload schema_scale; README, "Performance").  For each
# count N of ASSOC_BENCH_SCALE_COUNTS (default 50 200 800) it builds two
# databases with N/2 pairs of empty tables o<i>_owners, o<i>_pugs:
#   assoc: has_many('o<i>_owners', 'o<i>_pugs') and belongs_to back, N
#          associations in all, each declared by its own statement;
#   plain: the same tables with what those declarations create by hand (the
#          "ownerId" column, its foreign key and its index), no functions;
# and reports, for both: the time of the declarations (of the hand-written
# DDL), the functions created, the median time of ALTER TABLE ... ADD
# COLUMN on 9 of the owners tables, the median time of three pg_dump -Fc
# (one at 800 associations and more) and the time of pg_restore into a new
# database; then the cost per association.  (An ALTER TABLE takes a few
# milliseconds, a pg_dump of 50 associations a few hundred: medians of one
# run each varied by half between runs, which the per-association figure
# of the smallest count magnifies.)
# Prints lines "SCALE <tab> n <tab> variant <tab> measure <tab> value" for
# the table, and the table itself.  Uses PGHOST/PGPORT/PGUSER; creates and
# drops databases <PGDATABASE>_scale_*.
set -euo pipefail

COUNTS=${ASSOC_BENCH_SCALE_COUNTS:-50 200 800}
DB=${PGDATABASE:-bench}
PSQL=(psql -X -q -v ON_ERROR_STOP=1)
WORK=$(mktemp -d /tmp/assoc-scale.XXXXXX)
chmod 755 "$WORK"
trap 'rm -rf "$WORK"' EXIT
OUT=$WORK/scale.tsv
: >"$OUT"

now_ms() { date +%s%3N; }
record() { printf '%s\t%s\t%s\t%s\n' "$1" "$2" "$3" "$4" >>"$OUT"; }
# median COUNT: the median of the COUNT numbers on standard input
median() { sort -n | sed -n "$((($1 + 1) / 2))p"; }

# the DDL of N associations (assoc) or of what they create (plain)
write_schema() {
	local n=$1 variant=$2 pairs=$(($1 / 2)) i
	{
		printf 'SET client_min_messages = warning;\n'
		for ((i = 1; i <= pairs; i++)); do
			printf 'CREATE TABLE o%d_owners (id serial PRIMARY KEY, name text, "createdAt" timestamptz NOT NULL DEFAULT now(), "updatedAt" timestamptz NOT NULL DEFAULT now());\n' "$i"
			printf 'CREATE TABLE o%d_pugs (id serial PRIMARY KEY, name text, "createdAt" timestamptz NOT NULL DEFAULT now(), "updatedAt" timestamptz NOT NULL DEFAULT now());\n' "$i"
		done
	} >"$WORK/tables.sql"
	{
		printf 'SET client_min_messages = warning;\n'
		for ((i = 1; i <= pairs; i++)); do
			if [[ $variant == assoc ]]; then
				printf "SELECT 1 FROM assoc.has_many('o%d_owners', 'o%d_pugs', foreign_key => 'ownerId');\n" "$i" "$i"
				printf "SELECT 1 FROM assoc.belongs_to('o%d_pugs', 'o%d_owners', foreign_key => 'ownerId');\n" "$i" "$i"
			else
				printf 'ALTER TABLE o%d_pugs ADD COLUMN "ownerId" integer REFERENCES o%d_owners (id) ON DELETE SET NULL ON UPDATE CASCADE;\n' "$i" "$i"
				printf 'CREATE INDEX "o%d_pugs_ownerId_idx" ON o%d_pugs ("ownerId");\n' "$i" "$i"
			fi
		done
	} >"$WORK/declare.sql"
}

functions_in() {
	"${PSQL[@]}" -d "$1" -Atc "SELECT count(*) FROM pg_proc WHERE pronamespace = 'public'::regnamespace"
}

# median ms of ALTER TABLE ... ADD COLUMN of the tables given, in one new session
median_alter_ms() {
	local db=$1 t
	shift
	{
		printf '\\timing on\n'
		for t; do
			printf 'ALTER TABLE %s ADD COLUMN note text;\n' "$t"
		done
	} >"$WORK/alter.sql"
	"${PSQL[@]}" -d "$db" -f "$WORK/alter.sql" | awk '/^Time: / { print $2 }' | median $#
}

# median ms of ALTER TABLE o<i>_owners ADD COLUMN for 9 owners tables
alter_ms() {
	local db=$1 pairs=$2 k tables=()
	for ((k = 1; k <= 9; k++)); do
		tables+=("o$(((k * pairs + 9) / 10))_owners")
	done
	median_alter_ms "$db" "${tables[@]}"
}

# median ms of ALTER TABLE a<k>_owners ADD COLUMN for 9 owners tables with
# four associations each (has_many pugs and toys, and belongs_to back from
# both; plain: the same foreign keys and indexes by hand), made after the
# other measures so that they do not count in the per-association costs
alter4_ms() {
	local db=$1 variant=$2 k c
	{
		printf 'SET client_min_messages = warning;\n'
		for ((k = 1; k <= 9; k++)); do
			printf 'CREATE TABLE a%d_owners (id serial PRIMARY KEY, name text, "createdAt" timestamptz NOT NULL DEFAULT now(), "updatedAt" timestamptz NOT NULL DEFAULT now());\n' "$k"
			for c in pugs toys; do
				printf 'CREATE TABLE a%d_%s (id serial PRIMARY KEY, name text, "createdAt" timestamptz NOT NULL DEFAULT now(), "updatedAt" timestamptz NOT NULL DEFAULT now());\n' "$k" "$c"
				if [[ $variant == assoc ]]; then
					printf "SELECT 1 FROM assoc.has_many('a%d_owners', 'a%d_%s', foreign_key => 'ownerId');\n" "$k" "$k" "$c"
					printf "SELECT 1 FROM assoc.belongs_to('a%d_%s', 'a%d_owners', foreign_key => 'ownerId');\n" "$k" "$c" "$k"
				else
					printf 'ALTER TABLE a%d_%s ADD COLUMN "ownerId" integer REFERENCES a%d_owners (id) ON DELETE SET NULL ON UPDATE CASCADE;\n' "$k" "$c" "$k"
					printf 'CREATE INDEX "a%d_%s_ownerId_idx" ON a%d_%s ("ownerId");\n' "$k" "$c" "$k" "$c"
				fi
			done
		done
	} >"$WORK/four.sql"
	"${PSQL[@]}" -d "$db" -f "$WORK/four.sql" >/dev/null
	median_alter_ms "$db" a{1..9}_owners
}

run_one() {
	local n=$1 variant=$2 db=${DB}_scale_$2 t0 t1 before k dumps
	local pairs=$((n / 2))
	"${PSQL[@]}" -d postgres -c 'SET client_min_messages = warning' \
		-c "DROP DATABASE IF EXISTS \"$db\"" -c "DROP DATABASE IF EXISTS \"${db}_restored\"" \
		-c "CREATE DATABASE \"$db\"" -c "CREATE DATABASE \"${db}_restored\"" >/dev/null
	[[ $variant == assoc ]] && "${PSQL[@]}" -d "$db" -c 'CREATE EXTENSION assoc' >/dev/null
	write_schema "$n" "$variant"
	"${PSQL[@]}" -d "$db" -f "$WORK/tables.sql" >/dev/null
	before=$(functions_in "$db")
	t0=$(now_ms)
	"${PSQL[@]}" -d "$db" -f "$WORK/declare.sql" >/dev/null
	t1=$(now_ms)
	record "$n" "$variant" declare_ms $((t1 - t0))
	record "$n" "$variant" functions $(($(functions_in "$db") - before))
	record "$n" "$variant" alter_ms "$(alter_ms "$db" "$pairs")"
	# three pg_dumps below 800 associations, where the per-association cost
	# is a difference of a few hundred milliseconds
	dumps=$((n < 800 ? 3 : 1))
	record "$n" "$variant" dump_ms "$(for ((k = 1; k <= dumps; k++)); do
		t0=$(now_ms)
		pg_dump -Fc -f "$WORK/dump" "$db"
		t1=$(now_ms)
		echo $((t1 - t0))
	done | median "$dumps")"
	t0=$(now_ms)
	pg_restore --exit-on-error -d "${db}_restored" "$WORK/dump"
	t1=$(now_ms)
	record "$n" "$variant" restore_ms $((t1 - t0))
	# the restored copy has every function again
	record "$n" "$variant" restored_functions "$(functions_in "${db}_restored")"
	record "$n" "$variant" alter4_ms "$(alter4_ms "$db" "$variant")"
	"${PSQL[@]}" -d postgres -c "DROP DATABASE \"$db\"" -c "DROP DATABASE \"${db}_restored\"" >/dev/null
	rm -f "$WORK/dump"
}

for n in $COUNTS; do
	for variant in plain assoc; do
		printf '[%3ds] %d associations, %s\n' "$SECONDS" "$n" "$variant"
		run_one "$n" "$variant"
	done
done

sed 's/^/SCALE\t/' "$OUT"
"${PSQL[@]}" -d postgres -P pager=off <<SQL
CREATE TEMP TABLE s (n int, variant text, measure text, value float8);
\\copy s FROM '$OUT'
\\pset footer off
\\echo
\\echo 'schema scale: N associations (N/2 has_many + N/2 belongs_to over N empty tables), against the same'
\\echo 'tables with the foreign keys and indexes written by hand (plain); per association: (assoc - plain) / N'
SELECT a.n AS associations,
       max(a.value) FILTER (WHERE a.measure = 'functions')::int AS functions,
       to_char(max(a.value) FILTER (WHERE a.measure = 'declare_ms'), 'FM999990') || ' ms (plain '
         || to_char(max(p.value) FILTER (WHERE p.measure = 'declare_ms'), 'FM999990') || ')' AS declare,
       to_char((max(a.value) FILTER (WHERE a.measure = 'declare_ms')
                - max(p.value) FILTER (WHERE p.measure = 'declare_ms')) / a.n, 'FM990.00') AS "ms/assoc",
       to_char(max(a.value) FILTER (WHERE a.measure = 'alter_ms'), 'FM99990.00') || ' ms (plain '
         || to_char(max(p.value) FILTER (WHERE p.measure = 'alter_ms'), 'FM99990.00') || ')' AS "ALTER TABLE",
       to_char(max(a.value) FILTER (WHERE a.measure = 'dump_ms'), 'FM999990') || ' ms (plain '
         || to_char(max(p.value) FILTER (WHERE p.measure = 'dump_ms'), 'FM999990') || ')' AS pg_dump,
       to_char((max(a.value) FILTER (WHERE a.measure = 'dump_ms')
                - max(p.value) FILTER (WHERE p.measure = 'dump_ms')) / a.n, 'FM990.00') AS "ms/assoc ",
       to_char(max(a.value) FILTER (WHERE a.measure = 'restore_ms'), 'FM999990') || ' ms (plain '
         || to_char(max(p.value) FILTER (WHERE p.measure = 'restore_ms'), 'FM999990') || ')' AS pg_restore,
       to_char((max(a.value) FILTER (WHERE a.measure = 'restore_ms')
                - max(p.value) FILTER (WHERE p.measure = 'restore_ms')) / a.n, 'FM990.00') AS "ms/assoc  ",
       CASE WHEN max(a.value) FILTER (WHERE a.measure = 'restored_functions')
                 = max(a.value) FILTER (WHERE a.measure = 'functions') THEN 'yes' ELSE 'NO' END AS "restored all"
  FROM s a JOIN s p ON p.n = a.n AND p.variant = 'plain' AND a.variant = 'assoc'
 GROUP BY a.n ORDER BY a.n;

-- flat: the cost per association at the largest count is at most 1.5 times
-- the cost at the smallest (declaration, pg_dump and pg_restore), and so is
-- an ALTER TABLE (whose table has the same two associations at every count)
WITH per AS (
  SELECT a.n, a.measure,
         CASE WHEN a.measure = 'alter_ms' THEN a.value ELSE (a.value - p.value) / a.n END AS cost
    FROM s a JOIN s p ON p.n = a.n AND p.measure = a.measure AND p.variant = 'plain'
   WHERE a.variant = 'assoc' AND a.measure IN ('declare_ms', 'alter_ms', 'dump_ms', 'restore_ms'))
SELECT measure, to_char(min(cost) FILTER (WHERE n = (SELECT min(n) FROM s)), 'FM99990.00') AS smallest,
       to_char(min(cost) FILTER (WHERE n = (SELECT max(n) FROM s)), 'FM99990.00') AS largest,
       to_char(min(cost) FILTER (WHERE n = (SELECT max(n) FROM s))
               / nullif(min(cost) FILTER (WHERE n = (SELECT min(n) FROM s)), 0), 'FM990.00') AS growth,
       '<= 1.5' AS target,
       CASE WHEN min(cost) FILTER (WHERE n = (SELECT max(n) FROM s))
                 <= 1.5 * min(cost) FILTER (WHERE n = (SELECT min(n) FROM s)) THEN 'met' ELSE 'MISSED' END AS result
  FROM per GROUP BY measure ORDER BY measure;

-- an ALTER TABLE of a table with four associations, at each count
SELECT a.n AS associations,
       to_char(a.value, 'FM99990.00') || ' ms (plain ' || to_char(p.value, 'FM99990.00') || ')'
         AS "ALTER TABLE, 4 associations",
       '<= 10 ms' AS target, CASE WHEN a.value <= 10 THEN 'met' ELSE 'MISSED' END AS result
  FROM s a JOIN s p ON p.n = a.n AND p.measure = a.measure AND p.variant = 'plain'
 WHERE a.variant = 'assoc' AND a.measure = 'alter4_ms'
 ORDER BY a.n;
SQL
