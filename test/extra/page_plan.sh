#!/usr/bin/env bash
# find_all plans a page (a limit of at most 1000 rows) with enable_bitmapscan
# off unless assoc.page_bitmap_scans is on (find_all.c, README
# "Performance"): on data where PostgreSQL's planner picks bitmap heap scans
# for the correlated subqueries of a page's includes, auto_explain (nested
# statements, to the client) shows plain index scans in find_all's plan,
# and bitmap heap scans again with assoc.page_bitmap_scans on; the JSON is
# the same, and enable_bitmapscan is on again after the call.  A call
# without a limit is planned as before (bitmap scans allowed).
#
# Run by `make test` with PGHOST, PGPORT, PGUSER and a fresh PGDATABASE.
set -euo pipefail

psql=(psql -X -q -At -v ON_ERROR_STOP=1)
fail() { printf 'FAIL: %s\n' "$*" >&2; exit 1; }

"${psql[@]}" >/dev/null <<'SQL'
CREATE EXTENSION IF NOT EXISTS assoc;
CREATE TABLE owners (id int PRIMARY KEY, name text);
CREATE TABLE pugs (id int PRIMARY KEY, name text);
CREATE TABLE toys (id int PRIMARY KEY, name text);
SET client_min_messages = warning;
SELECT assoc.has_many('owners', 'pugs'), assoc.has_many('pugs', 'toys');
RESET client_min_messages;
INSERT INTO owners SELECT i, 'o' || i FROM generate_series(1, 5000) i;
-- pugs and toys in random order: low correlation with the foreign key
INSERT INTO pugs SELECT i, 'p' || i, 1 + (hashint4(i) & 2147483647) % 5000
  FROM generate_series(1, 50000) i;
INSERT INTO toys SELECT i, 't' || i, 1 + (hashint4(i + 7) & 2147483647) % 50000
  FROM generate_series(1, 100000) i;
VACUUM ANALYZE owners, pugs, toys;
SQL

page='{"order": [["id", "ASC"]], "limit": 20, "include": [{"association": "pugs", "include": ["toys"]}]}'
all='{"where": {"id": {"$lte": 20}}, "include": [{"association": "pugs", "include": ["toys"]}]}'

# plans of find_all's statement (nested) sent to the client; $1 settings
plans() {
	"${psql[@]}" -c "LOAD 'auto_explain'" -c "SET auto_explain.log_min_duration = 0" \
		-c "SET auto_explain.log_nested_statements = on" -c "SET client_min_messages = log" \
		${1:+-c "$1"} -c "SELECT md5(string_agg(j::text, '|')) FROM (SELECT assoc.find_all('owners', '$2') AS j) s" \
		-c "SHOW enable_bitmapscan" 2>&1
}

# the planner's own choice for these subqueries: bitmap heap scans
"${psql[@]}" -c "EXPLAIN $("${psql[@]}" -c "SELECT assoc.find_all_sql('owners', '$page')")" | grep -q 'Bitmap Heap Scan' ||
	fail "the data does not make the planner choose bitmap heap scans"

off=$(plans "" "$page")
on=$(plans "SET assoc.page_bitmap_scans = on" "$page")
echo "$off" | grep -q 'Bitmap Heap Scan' && fail "a page was planned with bitmap heap scans: $off"
echo "$off" | grep -q 'Index Scan using "pugs_ownerId' || fail "no index scan of pugs in the page's plan: $off"
echo "$on" | grep -q 'Bitmap Heap Scan' || fail "assoc.page_bitmap_scans = on: no bitmap heap scan: $on"
[[ $(echo "$off" | tail -n 1) == on ]] || fail "enable_bitmapscan not restored after the call"
[[ $(echo "$off" | grep -E '^[0-9a-f]{32}$') == $(echo "$on" | grep -E '^[0-9a-f]{32}$') ]] ||
	fail "the page's JSON differs with bitmap scans"
echo "a page: index scans (bitmap heap scans with assoc.page_bitmap_scans = on), the same JSON"

# not a page: the planner chooses as it does for any statement
nolimit=$(plans "" "$all")
echo "$nolimit" | grep -q 'Bitmap Heap Scan' || fail "a call without a limit was planned without bitmap scans: $nolimit"
echo "without a limit: planned as before"
