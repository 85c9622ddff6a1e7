#!/usr/bin/env bash
# assoc on Citus distributed tables (README, "Scaling out", "Citus"): a
# coordinator and two workers on the loopback (127.0.0.1), three throwaway
# clusters of the PostgreSQL under test with shared_preload_libraries =
# citus, started here and stopped and removed on any exit.
#
# Skipped (exit status 77, which scripts/run.sh reports as skipped, neither
# passed nor failed) when Citus is not installed in that PostgreSQL: assoc
# does not need Citus, and Citus is not in the package registries this
# project uses (README says how it was built for these tests).
#
# In database "shop" of the coordinator, and the same statements in a
# single-node database "single" of the coordinator with plain tables:
#   - co-located distributed tables: owners by id, pugs by "ownerId"
#     (has_many, belongs_to), profiles by "ownerId" (has_one);
#   - a reference parent: kennels a reference table, pugs' "kennelId";
#   - distributed-by-id children of a reference parent: breeds a reference
#     table, dogs distributed by id (has_many, belongs_to);
#   - belongs_to_many of three reference tables (students, courses,
#     enrollments);
# every accessor, loader and find_all (one level, two levels, pages) answers
# as on the single node; EXPLAIN of a single-owner read on the co-located
# tables shows one shard; pages ordered by a child's column; every writer
# (add, set, remove, create; given keys, text, rows, arrays) writes the
# same rows and gives the same errors as on the single node; the errors
# for what Citus cannot do.
#
# Run by `make test` (PG_BINDIR, PG_CONFIG; the database it is given is not
# used).  CITUS_KEEP=1 leaves the three servers running and says how to
# reach and stop them.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
PG_CONFIG=${PG_CONFIG:-pg_config}
PG_BINDIR=${PG_BINDIR:-$("$PG_CONFIG" --bindir)}
export PG_BINDIR PATH=$PG_BINDIR:$PATH
if [[ ! -f $("$PG_CONFIG" --sharedir)/extension/citus.control ||
	! -f $("$PG_CONFIG" --pkglibdir)/citus.so ]]; then
	printf 'SKIP: Citus is not installed in the PostgreSQL under test (%s): no extension/citus.control or citus.so\n' \
		"$("$PG_CONFIG" --sharedir)"
	exit 77
fi
FAILS=0
fail() {
	printf 'FAIL: %s\n' "$*"
	FAILS=$((FAILS + 1))
}
ok() { printf 'ok: %s\n' "$*"; }
# shellcheck source=scripts/common.sh
source "$ROOT/scripts/common.sh"
# shellcheck source=scripts/cluster.sh
source "$ROOT/scripts/cluster.sh"
NODE_DIRS=()
NODE_DATAS=()
NODE_PORTS=()
cleanup() {
	local rc=$?
	set +e
	trap - EXIT INT TERM HUP
	if [[ ${CITUS_KEEP:-} == 1 && $rc == 0 ]]; then
		for i in "${!NODE_DIRS[@]}"; do
			printf 'kept node %d: psql -h 127.0.0.1 -p %s -U postgres shop; stop: runuser -u postgres -- %s/pg_ctl stop -D %s && rm -rf %s\n' \
				"$i" "${NODE_PORTS[$i]}" "$PG_BINDIR" "${NODE_DATAS[$i]}" "${NODE_DIRS[$i]}"
		done
		exit 0
	fi
	# the workers first, then the coordinator
	for ((i = ${#NODE_DIRS[@]} - 1; i >= 0; i--)); do
		CLUSTER_DIR=${NODE_DIRS[$i]} CLUSTER_DATA=${NODE_DATAS[$i]}
		cluster_stop
	done
	if [[ -n ${CLUSTER_DIR:-} ]]; then
		# cluster_start failed half way
		cluster_stop
	fi
	exit "$rc"
}
trap_exit cleanup
# ---- three servers: node 0 the coordinator, 1 and 2 the workers
conf=$(mktemp)
cat >"$conf" <<'EOF'
shared_preload_libraries = 'citus'
max_prepared_transactions = 20
citus.shard_count = 4
EOF
port=$((${PGPORT:-54329} + 200))
for i in 0 1 2; do
	port=$(free_port_from "$port")
	ASSOC_TEST_LISTEN=127.0.0.1 ASSOC_TEST_PORT=$port cluster_start "$conf" >/dev/null
	NODE_DIRS+=("$CLUSTER_DIR") NODE_DATAS+=("$CLUSTER_DATA") NODE_PORTS+=("$PGPORT")
	CLUSTER_DIR= CLUSTER_DATA=
	port=$((PGPORT + 1))
done
rm -f "$conf"
on_node() {
	local i=$1 db=$2
	shift 2
	PGHOST=127.0.0.1 PGPORT=${NODE_PORTS[$i]} command psql -X -q -v ON_ERROR_STOP=1 -U postgres -d "$db" "$@"
}
coord() { on_node 0 "$@"; }
# the extensions in every node's database "shop" (Citus propagates neither
# CREATE DATABASE nor, for a database made before citus, the extensions)
for i in 0 1 2; do
	on_node "$i" postgres -c 'CREATE DATABASE shop'
	on_node "$i" shop -c 'SET client_min_messages = warning' -c 'CREATE EXTENSION citus' -c 'CREATE EXTENSION assoc'
done
coord postgres -c 'CREATE DATABASE single'
coord single -c 'SET client_min_messages = warning' -c 'CREATE EXTENSION assoc'
coord shop >/dev/null <<SQL
SELECT citus_set_coordinator_host('127.0.0.1', ${NODE_PORTS[0]});
SELECT citus_add_node('127.0.0.1', ${NODE_PORTS[1]});
SELECT citus_add_node('127.0.0.1', ${NODE_PORTS[2]});
SQL
nodes=$(coord shop -A -t -c "SELECT count(*) FROM pg_dist_node WHERE isactive AND noderole = 'primary' AND groupid > 0")
if [[ $nodes != 2 ]]; then
	fail "the coordinator has $nodes active workers, not 2"
	exit 1
fi
ok "Citus $(coord shop -A -t -c "SELECT extversion FROM pg_extension WHERE extname = 'citus'"): a coordinator on port ${NODE_PORTS[0]}, workers on ${NODE_PORTS[1]} and ${NODE_PORTS[2]}"
# ---- the seed: the same tables, rows and declarations in "single" (plain
# tables) and "shop" (Citus tables; $2 says so)
seed() {
	local citus=$1
	cat <<'SQL'
SET client_min_messages = warning;
CREATE TABLE owners (id serial PRIMARY KEY, name varchar(100),
    "createdAt" timestamptz NOT NULL DEFAULT '2020-01-01Z', "updatedAt" timestamptz NOT NULL DEFAULT '2020-01-01Z');
CREATE TABLE kennels (id serial PRIMARY KEY, city text);
CREATE TABLE breeds (id serial PRIMARY KEY, label text);
CREATE TABLE dogs (id serial PRIMARY KEY, name text);
SQL
	if ((citus)); then
		cat <<'SQL'
-- co-located: the children's primary keys include the distribution column
CREATE TABLE pugs (id serial, "ownerId" integer NOT NULL, name varchar(100),
    "createdAt" timestamptz NOT NULL DEFAULT '2020-02-01Z', "updatedAt" timestamptz NOT NULL DEFAULT '2020-02-01Z',
    PRIMARY KEY ("ownerId", id));
CREATE TABLE profiles (id serial, "ownerId" integer NOT NULL, bio text, PRIMARY KEY ("ownerId", id));
SELECT create_distributed_table('owners', 'id');
SELECT create_distributed_table('pugs', 'ownerId', colocate_with => 'owners');
SELECT create_distributed_table('profiles', 'ownerId', colocate_with => 'owners');
SELECT create_reference_table('kennels');
SELECT create_reference_table('breeds');
SELECT create_distributed_table('dogs', 'id');
SQL
	else
		cat <<'SQL'
CREATE TABLE pugs (id serial PRIMARY KEY, "ownerId" integer NOT NULL, name varchar(100),
    "createdAt" timestamptz NOT NULL DEFAULT '2020-02-01Z', "updatedAt" timestamptz NOT NULL DEFAULT '2020-02-01Z');
CREATE TABLE profiles (id serial PRIMARY KEY, "ownerId" integer NOT NULL, bio text);
SQL
	fi
	cat <<'SQL'
SELECT 1 FROM assoc.has_many('owners', 'pugs');
SELECT 1 FROM assoc.belongs_to('pugs', 'owners');
SELECT 1 FROM assoc.has_one('owners', 'profiles');
SELECT 1 FROM assoc.has_many('kennels', 'pugs');
SELECT 1 FROM assoc.belongs_to('pugs', 'kennels');
SELECT 1 FROM assoc.has_many('breeds', 'dogs');
SELECT 1 FROM assoc.belongs_to('dogs', 'breeds');
SELECT 1 FROM assoc.has_one('breeds', 'dogs', alias => 'champion', foreign_key => 'breedId');
INSERT INTO owners (name, "createdAt") SELECT 'Owner ' || g, '2020-01-01Z'::timestamptz + g * interval '1 day'
  FROM generate_series(1, 25) g;
INSERT INTO kennels (city) VALUES ('Oslo'), ('Rome'), ('Lima');
INSERT INTO pugs (name, "ownerId", "kennelId") SELECT 'Pug ' || g, (g * 7) % 23 + 1, NULLIF(g % 4, 0)
  FROM generate_series(1, 40) g;
INSERT INTO profiles (bio, "ownerId") SELECT 'bio of owner ' || g, g FROM generate_series(2, 20, 3) g;
INSERT INTO breeds (label) VALUES ('pug'), ('collie'), ('husky');
INSERT INTO dogs (name, "breedId") SELECT 'Dog ' || g, NULLIF(g % 4, 0) FROM generate_series(1, 15) g;
SQL
}
# The readers: the same text on both databases.  In a query over a Citus
# table, Citus runs the select list on the shards, where a per-row call of
# an accessor would be a distributed query nested in one (refused): the
# accessors are called with keys, once per statement, as an application
# does; rows of many instances come from the loaders and find_all.
readers() {
	cat <<'SQL'
\pset null '(null)'
SET timezone = 'UTC';
\echo -- accessors, by key and by text
SELECT * FROM owner_get_pugs(1);
SELECT * FROM owner_get_pugs('2');
SELECT owner_count_pugs(1), owner_count_pugs('3'), owner_count_pugs(999), owner_count_pugs(NULL::integer),
       owner_has_pug(1, 1), owner_has_pug(2, 3), owner_has_pug(2, NULL::integer),
       owner_has_pugs(1, ARRAY[1, 21]), owner_has_pugs(2, '{3,26}');
SELECT * FROM pug_get_owner(7);
SELECT * FROM pug_get_owner('8');
SELECT * FROM pug_get_kennel(3);
SELECT * FROM pug_get_kennel(4);
SELECT * FROM kennel_get_pugs(2);
SELECT kennel_count_pugs(1), kennel_has_pug(1, 5), kennel_has_pug(3, 3);
SELECT * FROM owner_get_profile(2);
SELECT * FROM owner_get_profile(3);
SELECT * FROM breed_get_dogs(1);
SELECT breed_count_dogs('2'), breed_has_dog(3, 3);
SELECT * FROM dog_get_breed(6);
\echo -- loaders, all rows and by key
SELECT * FROM owner_with_pugs();
SELECT * FROM pug_with_owner();
SELECT * FROM owner_with_profile();
SELECT * FROM pug_with_kennel();
SELECT * FROM kennel_with_pugs();
SELECT * FROM dog_with_breed();
SELECT owner_with_pugs(3), owner_with_pugs('4'), pug_with_owner(5), owner_with_profile(5);
SELECT dog_with_breed(7), pug_with_kennel(9);
\echo -- find_all, one level
SELECT * FROM assoc.find_all('owners', '{"include": ["pugs"]}');
SELECT * FROM assoc.find_all('pugs', '{"include": [{"model": "owner"}]}');
SELECT * FROM assoc.find_all('owners', '{"include": [{"association": "profile"}, "pugs"]}');
SELECT * FROM assoc.find_all('dogs', '{"include": ["breed"]}');
\echo -- find_all, two levels
SELECT * FROM assoc.find_all('pugs', '{"include": [{"model": "owner", "include": ["profile"]}, "kennel"]}');
SELECT * FROM assoc.find_all('owners', '{"include": [{"association": "pugs", "include": ["owner", "kennel"]}]}');
\echo -- find_all, pages, where, order
SELECT * FROM assoc.find_all('owners', '{"include": ["pugs"], "limit": 20}');
SELECT * FROM assoc.find_all('owners', '{"include": ["pugs"], "order": [["name", "DESC"]], "limit": 5, "offset": 3}');
SELECT * FROM assoc.find_all('owners', '{"include": [{"association": "pugs", "include": ["owner"]}], "limit": 4, "offset": 10}');
SELECT * FROM assoc.find_all('owners', '{"where": {"id": 1}, "include": ["pugs"]}');
SELECT * FROM assoc.find_all('owners', '{"where": {"name": {"$like": "Owner 1%"}}, "include": [{"association": "pugs", "where": {"name": {"$ne": "Pug 11"}}}], "order": [["id", "DESC"]]}');
SELECT * FROM assoc.find_all('owners', '{"include": [{"association": "pugs", "required": false}], "order": [["pugs", "name", "DESC"]], "limit": 6}');
SELECT * FROM assoc.find_all('pugs', '{"where": {"$or": [{"id": {"$lt": 4}}, {"name": {"$in": ["Pug 30", "Pug 31"]}}]}, "include": ["owner"], "attributes": {"exclude": ["createdAt"]}}');
SELECT * FROM assoc.find_all('dogs', '{"include": ["breed"], "limit": 5, "offset": 2}');
SELECT * FROM assoc.count('owners', '{"include": [{"association": "pugs", "required": true}]}');
SQL
}
seed 0 | coord single >/dev/null
if ! seed 1 | coord shop >"$NODE_DIRS/seed.out" 2>&1; then
	fail "the seed on the Citus tables failed:"
	tail -n 20 "$NODE_DIRS/seed.out"
	exit 1
fi
ok "the seed: owners by id, pugs and profiles by \"ownerId\" co-located; kennels and breeds reference tables; dogs by id"
# same_answers NAME WHAT MIN: the statements in $NODE_DIRS/NAME.sql give the
# same output on the single node and on the Citus tables, at least MIN
# lines; the number of lines in $lines
same_answers() {
	local name=$1 what=$2 min=$3
	lines=0
	coord single -A -t -f "$NODE_DIRS/$name.sql" >"$NODE_DIRS/$name.single.out"
	if ! coord shop -A -t -f "$NODE_DIRS/$name.sql" >"$NODE_DIRS/$name.citus.out" 2>&1; then
		fail "$what failed on the Citus tables:"
		tail -n 20 "$NODE_DIRS/$name.citus.out"
		return 1
	elif ! diff -u "$NODE_DIRS/$name.single.out" "$NODE_DIRS/$name.citus.out"; then
		fail "$what answer differently on the Citus tables and on a single node (above)"
		return 1
	fi
	lines=$(wc -l <"$NODE_DIRS/$name.single.out")
	if ((lines < min)); then
		fail "only $lines lines of output of $what: $(head -c 600 "$NODE_DIRS/$name.single.out")"
		return 1
	fi
}
# same_writes NAME WHAT MIN ERRORS: the statements in $NODE_DIRS/NAME.sql,
# run to the end whatever fails, give the same rows and errors on the
# single node and on the Citus tables, at least MIN lines and exactly
# ERRORS errors; the number of lines in $lines
same_writes() {
	local name=$1 what=$2 min=$3 errors=$4 n
	coord single -v ON_ERROR_STOP=0 -A -t -f "$NODE_DIRS/$name.sql" >"$NODE_DIRS/$name.single.out" 2>&1 || true
	coord shop -v ON_ERROR_STOP=0 -A -t -f "$NODE_DIRS/$name.sql" >"$NODE_DIRS/$name.citus.out" 2>&1 || true
	lines=$(wc -l <"$NODE_DIRS/$name.single.out")
	n=$(grep -c 'ERROR:' "$NODE_DIRS/$name.single.out" || true)
	if ! diff -u "$NODE_DIRS/$name.single.out" "$NODE_DIRS/$name.citus.out"; then
		fail "$what write other rows or give other errors on the Citus tables than on a single node (above)"
	elif ((lines < min || n != errors)); then
		fail "$lines lines and $n errors of output of $what, not at least $min and $errors: $(head -c 600 "$NODE_DIRS/$name.single.out")"
	else
		return 0
	fi
	return 1
}
readers >"$NODE_DIRS/readers.sql"
if same_answers readers "the readers" 150; then
	ok "every reader, loader and find_all answers on the Citus tables as on a single node ($lines lines identical)"
fi
# ---- one shard for a single-owner read on co-located tables: the
# statement Citus sends for owner_get_pugs(1), and the plan of find_all's
# statement for one owner
one_shard=$(coord shop -A -t 2>&1 <<'SQL'
SET citus.log_remote_commands = on;
SET client_min_messages = log;
SELECT count(*) FROM owner_get_pugs(1);
SQL
)
shards=$(grep -c 'issuing .*FROM public\.pugs_[0-9]* ' <<<"$one_shard" || true)
if [[ $shards != 1 ]]; then
	fail "owner_get_pugs(1) sent $shards statements to shards of pugs, not 1: $one_shard"
else
	ok "owner_get_pugs(1) sends one statement, to one shard of pugs: $(grep -o 'issuing .*' <<<"$one_shard" | head -c 200)"
fi
# explain_find_all TABLE OPTIONS FILE: the plan of find_all's statement
explain_find_all() {
	coord shop -A -t -v tab="$1" -v opts="$2" >"$3" 2>&1 <<'SQL'
SELECT set_config('explain.q', assoc.find_all_sql(:'tab', :'opts'), false) IS NULL;
DO $$
DECLARE l text;
BEGIN
  FOR l IN EXECUTE 'EXPLAIN (COSTS OFF) ' || current_setting('explain.q') LOOP RAISE NOTICE '%', l; END LOOP;
END $$;
SQL
}
explain_find_all owners '{"where": {"id": 1}, "include": ["pugs"]}' "$NODE_DIRS/explain.out"
if grep -q 'Task Count: 1$' "$NODE_DIRS/explain.out" && ! grep -q 'Task Count: [02-9]' "$NODE_DIRS/explain.out"; then
	ok "EXPLAIN of find_all for one owner: one task ($(grep -c 'Task Count' "$NODE_DIRS/explain.out") distributed scan)"
else
	fail "EXPLAIN of find_all for one owner does not show a single task:"
	cat "$NODE_DIRS/explain.out"
fi

# ---- readers: reference parents with distributed children, pages that
# read only their instances' children, assoc.regenerate() after
# distributing (README, "Citus")
ref_readers() {
	cat <<'SQL'
\pset null '(null)'
SET timezone = 'UTC';
\echo -- reference parent, by-key loader and has for several
SELECT kennel_with_pugs(1), kennel_with_pugs('3'), kennel_with_pugs(999);
SELECT breed_with_dogs(2), breed_with_dogs('1');
SELECT kennel_has_pugs(3, ARRAY[3, 7]), kennel_has_pugs(3, ARRAY[3, 8]), kennel_has_pugs(3, '{3,3,7}'),
       kennel_has_pugs(3, ARRAY[]::integer[]), kennel_has_pugs(3, ARRAY[3, NULL]), kennel_has_pugs(3, NULL::integer[]),
       breed_has_dogs(1, ARRAY[1, 5, 9]), breed_has_dogs('2', '{2,3}');
\echo -- reference parent, has_one: by-key loader, get, find_all
SELECT breed_with_champion(1), breed_with_champion('2'), breed_with_champion(999);
SELECT d.id, d.name FROM breed_get_champion(3) d;
SELECT * FROM assoc.find_all('breeds', '{"include": ["champion"]}');
SELECT * FROM assoc.find_all('breeds', '{"include": ["champion", "dogs"], "limit": 2, "offset": 1}');
\echo -- reference parent, find_all: one level, two levels, pages, where
SELECT * FROM assoc.find_all('kennels', '{"include": ["pugs"]}');
SELECT * FROM assoc.find_all('kennels', '{"include": [{"association": "pugs", "include": ["owner"]}]}');
SELECT * FROM assoc.find_all('kennels', '{"include": [{"association": "pugs", "include": ["owner"]}], "order": [["city", "DESC"]], "limit": 2, "offset": 1}');
SELECT * FROM assoc.find_all('kennels', '{"include": [{"association": "pugs", "where": {"name": {"$ne": "Pug 7"}}}], "order": [["city", "DESC"]]}');
SELECT * FROM assoc.find_all('kennels', '{"where": {"id": 2}, "include": [{"association": "pugs", "required": true}]}');
SELECT * FROM assoc.find_all('breeds', '{"include": ["dogs"], "limit": 2}');
\echo -- reference parent, a page with a required include (uncorrelated IN on Citus)
SELECT * FROM assoc.find_all('kennels', '{"include": [{"association": "pugs", "required": true}], "limit": 2}');
SELECT * FROM assoc.find_all('kennels', '{"include": [{"association": "pugs", "where": {"name": "Pug 7"}}], "limit": 2}');
SELECT * FROM assoc.find_and_count_all('kennels', '{"include": [{"association": "pugs", "where": {"name": {"$like": "Pug 1%"}}}], "order": [["city", "DESC"]], "limit": 2}');
SELECT * FROM assoc.find_all('breeds', '{"include": [{"association": "dogs", "required": true, "where": {"name": {"$ne": "Dog 1"}}}], "limit": 2, "offset": 1}');
SELECT assoc.count('kennels', '{"include": [{"association": "pugs", "where": {"name": "Pug 7"}}]}');
SELECT * FROM assoc.find_and_count_all('breeds', '{"include": ["dogs"], "limit": 1, "offset": 1}');
\echo -- co-located pages: has_one and two levels, with order
SELECT * FROM assoc.find_all('owners', '{"include": [{"association": "pugs", "include": ["owner", "kennel"]}, "profile"], "order": [["name", "DESC"]], "limit": 7, "offset": 2}');
SELECT * FROM assoc.find_and_count_all('owners', '{"include": ["pugs", "profile"], "limit": 3, "offset": 4}');
SQL
}
ref_readers >"$NODE_DIRS/ref_readers.sql"
if same_answers ref_readers "the reference parents' readers and the pages" 40; then
	ok "the reference parents' by-key loaders, has for several, find_all (one level, two levels, pages) and the co-located pages answer as on a single node ($lines lines identical)"
fi
# ---- reference parents' pages ordered by a child's column: the parents'
# order key is a LEFT JOIN of the children's first values grouped by
# foreign key on Citus (a subquery per parent on the single node); the
# same order and JSON as on the single node, co-located parents too
ref_order() {
	cat <<'SQL'
\pset null '(null)'
SET timezone = 'UTC';
\echo -- reference parent, has_many: pages, all rows, two keys
SELECT * FROM assoc.find_all('kennels', '{"include": ["pugs"], "order": [["pugs", "name", "DESC"]], "limit": 2}');
SELECT * FROM assoc.find_all('kennels', '{"include": ["pugs"], "order": [["pugs", "name", "ASC"]], "limit": 2, "offset": 1}');
SELECT * FROM assoc.find_all('kennels', '{"include": ["pugs"], "order": [["pugs", "name", "DESC"]]}');
SELECT * FROM assoc.find_all('kennels', '{"include": [{"association": "pugs", "required": false}], "order": [["pugs", "ownerId", "DESC"], ["pugs", "name", "ASC"], ["city", "ASC"]], "limit": 3}');
\echo -- reference parent, has_many: two levels, a where, required, with the count
SELECT * FROM assoc.find_all('kennels', '{"include": [{"association": "pugs", "include": ["owner"]}], "order": [["pugs", "owner", "name", "DESC"]], "limit": 2}');
SELECT * FROM assoc.find_all('kennels', '{"include": [{"association": "pugs", "where": {"name": {"$like": "Pug 1%"}}}], "order": [["pugs", "name", "DESC"]], "limit": 2}');
SELECT * FROM assoc.find_all('kennels', '{"include": [{"association": "pugs", "required": true}], "order": [["pugs", "id", "DESC"]], "limit": 2, "offset": 1}');
SELECT * FROM assoc.find_and_count_all('kennels', '{"include": ["pugs"], "order": [["pugs", "name", "DESC"]], "limit": 2}');
\echo -- reference parent, has_one and has_many: a page ordered by the champion
SELECT * FROM assoc.find_all('breeds', '{"include": ["champion", "dogs"], "order": [["champion", "name", "DESC"]], "limit": 2}');
SELECT * FROM assoc.find_all('breeds', '{"include": ["dogs"], "order": [["dogs", "name", "ASC"]], "limit": 2, "offset": 1}');
\echo -- co-located parents, the same orders
SELECT * FROM assoc.find_all('owners', '{"include": ["pugs"], "order": [["pugs", "name", "DESC"]], "limit": 4, "offset": 2}');
SELECT * FROM assoc.find_all('owners', '{"include": [{"association": "pugs", "include": ["kennel"]}], "order": [["pugs", "kennel", "city", "DESC"], ["id", "ASC"]], "limit": 4}');
SELECT * FROM assoc.find_all('owners', '{"include": ["profile"], "order": [["profile", "bio", "DESC"]], "limit": 3}');
SQL
}
ref_order >"$NODE_DIRS/ref_order.sql"
if same_answers ref_order "the pages ordered by a child's column" 30; then
	ok "pages of reference and co-located parents ordered by a child's column answer as on a single node ($lines lines identical)"
fi
explain_find_all kennels '{"include": ["pugs"], "order": [["pugs", "name", "DESC"]], "limit": 2}' "$NODE_DIRS/explain_order.out"
if grep -q 'array_agg\|GroupAggregate\|HashAggregate' "$NODE_DIRS/explain_order.out" && ! grep -q 'ERROR' "$NODE_DIRS/explain_order.out"; then
	ok "EXPLAIN of a page of kennels ordered by their pugs' name: the first names grouped by \"kennelId\" over the shards, then the page"
else
	fail "EXPLAIN of a page of kennels ordered by their pugs' name:"
	cat "$NODE_DIRS/explain_order.out"
fi

# ---- belongs_to_many of three reference tables: every reader, loader,
# find_all (one level, two levels, pages) and writer as on the single
# node; a distributed through table is refused (0A000, below)
btm_seed() {
	local citus=$1
	cat <<'SQL'
SET client_min_messages = warning;
CREATE TABLE students (id serial PRIMARY KEY, name text);
CREATE TABLE courses (id serial PRIMARY KEY, title text);
CREATE TABLE enrollments ("studentId" integer NOT NULL, "courseId" integer NOT NULL, grade text,
    PRIMARY KEY ("studentId", "courseId"));
SQL
	if ((citus)); then
		cat <<'SQL'
SELECT create_reference_table('students');
SELECT create_reference_table('courses');
SELECT create_reference_table('enrollments');
SQL
	fi
	cat <<'SQL'
SELECT 1 FROM assoc.belongs_to_many('students', 'courses', through => 'enrollments');
SELECT 1 FROM assoc.belongs_to_many('courses', 'students', through => 'enrollments');
INSERT INTO students (name) SELECT 'Student ' || g FROM generate_series(1, 8) g;
INSERT INTO courses (title) SELECT 'Course ' || g FROM generate_series(1, 5) g;
INSERT INTO enrollments SELECT s, c, chr(64 + (s * c) % 5 + 1) FROM generate_series(1, 8) s, generate_series(1, 5) c
  WHERE (s + c) % 3 = 0 OR s = c;
SQL
}
btm_readers() {
	cat <<'SQL'
\pset null '(null)'
\set VERBOSITY terse
\set SHOW_CONTEXT never
SET timezone = 'UTC';
\echo -- accessors
SELECT * FROM student_get_courses(1);
SELECT * FROM student_get_courses('2');
SELECT * FROM course_get_students(3);
SELECT student_count_courses(2), student_count_courses(NULL::integer), course_count_students('4'),
       student_has_course(1, 2), student_has_course(1, 3), student_has_courses(2, ARRAY[1, 4]),
       student_has_courses(2, '{1,3}'), course_has_student(3, 3), course_has_students(2, ARRAY[1, 4, 7]);
\echo -- loaders
SELECT * FROM student_with_courses();
SELECT * FROM course_with_students();
SELECT student_with_courses(3), course_with_students('5'), student_with_courses(999);
\echo -- find_all: one level, two levels, pages, where, order
SELECT * FROM assoc.find_all('students', '{"include": ["courses"]}');
SELECT * FROM assoc.find_all('courses', '{"include": [{"association": "students", "include": ["courses"]}]}');
SELECT * FROM assoc.find_all('students', '{"include": ["courses"], "limit": 3, "offset": 2}');
SELECT * FROM assoc.find_all('courses', '{"include": [{"association": "students", "where": {"name": {"$ne": "Student 2"}}}], "order": [["title", "DESC"]], "limit": 2}');
SELECT * FROM assoc.find_all('courses', '{"include": ["students"], "order": [["students", "name", "DESC"]], "limit": 3}');
SELECT * FROM assoc.find_all('students', '{"include": [{"association": "courses", "required": true, "where": {"title": "Course 5"}}], "limit": 2}');
SELECT * FROM assoc.find_and_count_all('students', '{"include": [{"association": "courses", "through": {"where": {"grade": "A"}}}], "limit": 4}');
SELECT assoc.count('courses', '{"include": [{"association": "students", "required": true}]}');
\echo -- writers: remove, create
SELECT w.id FROM student_remove_course(1, 1) w;
SELECT w.id FROM student_remove_courses('2', '{1,4}') w;
SELECT w.id FROM course_remove_students(3, ARRAY[3, 6]) w;
SELECT w.id FROM student_remove_course(999, 1) w;
SELECT w.id, w.title FROM student_create_course(4, '{"title": "New course"}') w;
SELECT w.id, w.name FROM course_create_student(2, '{"name": "New student"}', '{"grade": "B"}') w;
SELECT w.id FROM student_create_course(999, '{"title": "Nobody"}') w;
\echo -- writers: add and set, with and without through values, unknown keys and NULL
SELECT w.id FROM student_add_course(5, 2) w;
SELECT w.id FROM student_add_courses(5, ARRAY[1, 3], '{"grade": "C"}') w;
SELECT w.id FROM student_add_courses(5, ARRAY[1, 3], '{"grade": "C"}') w;
SELECT w.id FROM student_add_course('5', '3', '{"grade": "D"}') w;
SELECT w.id FROM student_set_courses(6, ARRAY[1, 2]) w;
SELECT w.id FROM course_set_students(4, '{1,2,3}', '{"grade": "E"}') w;
SELECT w.id FROM course_add_students(5, ARRAY[7, 8]) w;
SELECT w.id FROM student_set_courses(7, NULL::integer[]) w;
SELECT w.id FROM student_add_courses(5, ARRAY[999]) w;
SELECT w.id FROM student_set_courses(5, ARRAY[1, NULL]) w;
SELECT * FROM enrollments ORDER BY 1, 2;
SELECT * FROM courses ORDER BY id;
SELECT * FROM students ORDER BY id;
SQL
}
btm_seed 0 | coord single -q -v ON_ERROR_STOP=1 >/dev/null
btm_seed 1 | coord shop -q -v ON_ERROR_STOP=1 >/dev/null
btm_readers >"$NODE_DIRS/btm.sql"
if same_writes btm "belongs_to_many of reference tables" 80 4; then
	ok "belongs_to_many of reference tables: accessors, loaders, find_all (one level, two levels, pages), every writer as on a single node ($lines lines identical)"
fi

# declared on plain tables, then distributed in place (no foreign key
# between them): the single-node functions until assoc.regenerate(), which
# generates the Citus ones.  With a foreign key, see the next block.
coord shop -A -t -v ON_ERROR_STOP=0 >"$NODE_DIRS/regenerate.out" 2>&1 <<'SQL'
SET client_min_messages = error;
CREATE TABLE sitters (id serial PRIMARY KEY, name text);
CREATE TABLE walks (id serial PRIMARY KEY, place text);
SELECT 1 FROM assoc.has_many('sitters', 'walks', constraints => false);
SELECT 1 FROM assoc.belongs_to('walks', 'sitters', constraints => false);
INSERT INTO sitters (name) VALUES ('Ida'), ('Max');
INSERT INTO walks (place, "sitterId") VALUES ('park', 1), ('beach', 1), ('hill', 2);
SELECT 1 FROM create_reference_table('sitters');
SELECT 1 FROM create_distributed_table('walks', 'id');
\echo BEFORE
SELECT sitter_with_walks(1);
\echo REGENERATE
SELECT count(*) > 0 FROM assoc.regenerate();
\echo AFTER
SELECT sitter_with_walks(1);
SELECT sitter_count_walks(1), sitter_has_walks(1, ARRAY[1, 2]), sitter_has_walks(1, ARRAY[3]);
SELECT * FROM assoc.find_all('sitters', '{"include": ["walks"], "limit": 1}');
SELECT (walk_get_sitter(3)).name;
SQL
regen_ok=1
before=$(sed -n '/^BEFORE$/,/^REGENERATE$/p' "$NODE_DIRS/regenerate.out")
after=$(sed -n '/^AFTER$/,$p' "$NODE_DIRS/regenerate.out")
if ! grep -q 'ERROR' <<<"$before"; then
	regen_ok=0
	fail "before assoc.regenerate() the single-node loader ran on the Citus tables: $before"
fi
if grep -q 'ERROR' <<<"$after" || ! grep -q '"place":"beach"' <<<"$after" ||
	! grep -q '^2|t|f$' <<<"$after" || ! grep -q '^Max$' <<<"$after"; then
	regen_ok=0
	fail "after assoc.regenerate() the readers do not answer on the Citus tables: $after"
fi
if ((regen_ok)); then
	ok "declared on plain tables, then distributed in place: $(grep -m1 -o 'ERROR: .*' <<<"$before" | head -c 120) until assoc.regenerate(), then the Citus readers"
fi

# ---- declared on plain tables with the association's foreign key, then
# create_reference_table of the parent (Citus makes the child a Citus local
# table: the table becomes its shard, kittens_<n>, under a new table
# "kittens"), then create_distributed_table of the child (Citus copies it
# into a new table and drops the old one): the associations follow the
# table of the user's name each time (NOTICE), their functions generated
# for the layout; after each step the accessors, loaders, find_all and
# writers answer as on the single node, and assoc.regenerate() finds
# nothing to rewrite.  Then undistribute_table of the child (a copy again)
# and the readers of the plain child.
follow_seed() {
	cat <<'SQL'
SET client_min_messages = warning;
CREATE TABLE shelters (id serial PRIMARY KEY, city text);
CREATE TABLE kittens (id serial PRIMARY KEY, name text);
SELECT 1 FROM assoc.has_many('shelters', 'kittens');
SELECT 1 FROM assoc.belongs_to('kittens', 'shelters');
INSERT INTO shelters (city) VALUES ('Oslo'), ('Rome'), ('Lima');
INSERT INTO kittens (name, "shelterId") SELECT 'Kitten ' || g, NULLIF(g % 4, 0) FROM generate_series(1, 12) g;
SQL
}
follow_readers() {
	cat <<'SQL'
\pset null '(null)'
\set VERBOSITY terse
SELECT * FROM shelter_get_kittens(1);
SELECT shelter_count_kittens(2), shelter_has_kitten(1, 5), shelter_has_kittens(3, ARRAY[3, 7]), shelter_has_kittens(3, '{3,8}');
SELECT (kitten_get_shelter(6)).city, kitten_get_shelter(4) IS NULL;
SELECT * FROM shelter_with_kittens();
SELECT shelter_with_kittens(2), shelter_with_kittens('3'), kitten_with_shelter(7);
SELECT * FROM kitten_with_shelter();
SELECT * FROM assoc.find_all('shelters', '{"include": ["kittens"]}');
SELECT * FROM assoc.find_all('shelters', '{"include": [{"association": "kittens", "include": ["shelter"]}], "order": [["city", "DESC"]], "limit": 2}');
SELECT * FROM assoc.find_all('kittens', '{"include": ["shelter"], "where": {"id": {"$lt": 6}}}');
SELECT assoc.count('shelters', '{"include": [{"association": "kittens", "required": true}]}');
SELECT 1 FROM shelter_add_kitten(3, 1);
SELECT 1 FROM kitten_set_shelter(2, 1);
SELECT 1 FROM shelter_remove_kitten(2, 6);
SELECT (shelter_create_kitten(1, '{"name": "Newborn"}')).name;
SELECT id, name, "shelterId" FROM kittens ORDER BY id;
SQL
}
follow_seed | coord single >/dev/null
follow_readers >"$NODE_DIRS/follow.sql"
follow_ok=1
step() {
	local what=$1 sql=$2 expect=$3 out
	if ! out=$(coord shop -A -t -c 'SET client_min_messages = notice' -c "$sql" 2>&1); then
		follow_ok=0
		fail "$what failed: $out"
		return 1
	fi
	if [[ -n $expect ]] && ! grep -q "$expect" <<<"$out"; then
		follow_ok=0
		fail "$what did not say that the associations follow: $out"
	fi
	if ! same_answers follow "the readers and writers after $what" 30; then
		follow_ok=0
	fi
	regen=$(coord shop -A -t -c "SELECT assoc.regenerate('kittens')" 2>&1)
	if [[ $regen != 0 ]]; then
		follow_ok=0
		fail "after $what assoc.regenerate('kittens') rewrote $regen functions (not 0): the event trigger left them behind"
	fi
}
if ! follow_seed | coord shop >"$NODE_DIRS/follow_seed.out" 2>&1; then
	follow_ok=0
	fail "the declarations on plain tables failed: $(tail -n 5 "$NODE_DIRS/follow_seed.out")"
fi
step "create_reference_table('shelters')" "SELECT create_reference_table('shelters')" \
	'the associations of table public.kittens follow it to the table Citus puts in its place'
layout1=$(coord shop -A -t -c "SELECT partmethod FROM pg_dist_partition WHERE logicalrelid = 'kittens'::regclass")
step "create_distributed_table('kittens', 'id')" "SELECT create_distributed_table('kittens', 'id')" \
	'Citus copies table public.kittens into a new table'
layout2=$(coord shop -A -t -c "SELECT partmethod FROM pg_dist_partition WHERE logicalrelid = 'kittens'::regclass")
names=$(coord shop -A -t -c "SELECT string_agg(DISTINCT t::regclass::text, ',') FROM assoc.associations a, unnest(ARRAY[a.source, a.target]) t WHERE a.alias IN ('kittens', 'shelter')")
if [[ $layout1 != n || $layout2 != h || $names != kittens,shelters ]]; then
	follow_ok=0
	fail "the layouts or the catalog after the conversions: kittens a Citus local table ($layout1, not n), then distributed ($layout2, not h); the associations' tables $names"
fi
step "undistribute_table('kittens', cascade_via_foreign_keys => true)" \
	"SELECT undistribute_table('kittens', cascade_via_foreign_keys => true)" ''
if ((follow_ok)); then
	ok "declared with a foreign key on plain tables: create_reference_table of the parent, create_distributed_table of the child, undistribute_table: the associations follow the tables of their names (NOTICE), the readers and writers answer as on a single node after each ($lines lines identical), assoc.regenerate() finds nothing to rewrite"
fi

# the settings of the writers' scripts, and :pugs, :profiles, :dogs: the
# rows of those tables (updatedAt as "bumped by the writer")
writes_header() {
	cat <<'SQL'
\pset null '(null)'
\set VERBOSITY terse
\set SHOW_CONTEXT never
SET timezone = 'UTC';
\set pugs 'SELECT id, "ownerId", "kennelId", name, "updatedAt" > ''2020-06-01'' AS bumped FROM pugs ORDER BY id;'
\set profiles 'SELECT id, "ownerId", bio FROM profiles ORDER BY id;'
\set dogs 'SELECT id, "breedId", name FROM dogs ORDER BY id;'
SQL
}
# ---- the writers: add, set, remove, create of every kind and layout, the
# same statements on both databases; after each, the rows of the tables it
# writes (updatedAt as "bumped by the writer"), and the errors (terse: the
# message), which must be the same.  Co-located: a move is DELETE + INSERT
# (the pug keeps its id), unlinking is refused (the foreign key is NOT NULL,
# as on the single node); reference parents: plain UPDATEs.
writers() {
	writes_header
	cat <<'SQL'
\echo -- has_many on co-located tables: a move is DELETE + INSERT
SELECT w.id, w.name FROM owner_add_pug(2, 5) w;
:pugs
SELECT w.id FROM owner_add_pug(2, 5) w;
SELECT w.id FROM owner_add_pugs(3, ARRAY[1, 2]) w;
SELECT w.id FROM owner_add_pugs(3, '{6,7}') w;
SELECT w.id FROM owner_add_pug('4', '11') w;
SELECT w.id FROM owner_add_pugs(4, NULL::integer[]) w;
:pugs
SELECT w.id FROM owner_set_pugs(3, (SELECT array_agg(id) FROM owner_get_pugs(3)) || ARRAY[9, 10]) w;
:pugs
SELECT w.id FROM owner_set_pugs(3, (SELECT array_agg(id) FROM owner_get_pugs(3))) w;
SELECT w.id FROM owner_remove_pug(1, 10) w;
SELECT w.id FROM owner_remove_pugs(1, NULL::integer[]) w;
\echo -- refused as on the single node: unknown keys, NULL, unlinking from a NOT NULL key
SELECT w.id FROM owner_add_pug(3, 999) w;
SELECT w.id FROM owner_add_pugs(3, ARRAY[1, NULL]) w;
SELECT w.id FROM owner_add_pug(999, 1) w;
SELECT w.id FROM owner_set_pugs(3, ARRAY[9]) w;
SELECT w.id FROM owner_remove_pug(3, 9) w;
SELECT w.id FROM owner_remove_pugs(3, ARRAY[9, 10]) w;
:pugs
\echo -- belongs_to on co-located tables
SELECT w.id, w."ownerId" FROM pug_set_owner(25, 4) w;
SELECT w.id, w."ownerId" FROM pug_set_owner('26', '4') w;
:pugs
SELECT w.id, w."ownerId" FROM pug_set_owner(25, 4) w;
SELECT w.id, w."ownerId" FROM pug_set_owner(25, NULL::integer) w;
SELECT w.id, w."ownerId" FROM pug_set_owner(25, 999) w;
SELECT w.id, w."ownerId" FROM pug_set_owner(999, 1) w;
:pugs
\echo -- has_one on co-located tables
SELECT w.id, w."ownerId" FROM owner_set_profile(3, 2) w;
SELECT w.id, w."ownerId" FROM owner_set_profile(3, 2) w;
:profiles
SELECT w.id, w."ownerId" FROM owner_set_profile(3, 3) w;
SELECT w.id, w."ownerId" FROM owner_set_profile(3, NULL::integer) w;
SELECT w.id, w."ownerId" FROM owner_set_profile(4, 999) w;
SELECT w.id, w.bio FROM owner_create_profile(4, '{"bio": "new"}') w;
SELECT w.id, w.bio FROM owner_create_profile(5, '{"bio": "newer"}') w;
:profiles
\echo -- has_many and belongs_to with a reference parent: UPDATEs
SELECT w.id FROM kennel_add_pug(1, 3) w;
SELECT w.id FROM kennel_add_pugs(2, ARRAY[4, 8, 12]) w;
:pugs
SELECT w.id FROM kennel_set_pugs(3, ARRAY[1, 2]) w;
:pugs
SELECT w.id FROM kennel_remove_pug(2, 4) w;
SELECT w.id FROM kennel_remove_pugs(1, ARRAY[3, 7]) w;
SELECT w.id FROM kennel_set_pugs(1, NULL::integer[]) w;
SELECT w.id FROM kennel_add_pugs(2, ARRAY[999]) w;
:pugs
SELECT w.id, w."kennelId" FROM pug_set_kennel(6, 2) w;
SELECT w.id, w."kennelId" FROM pug_set_kennel(6, NULL::integer) w;
SELECT w.id, w."kennelId" FROM pug_set_kennel(6, 99) w;
:pugs
SELECT w.id FROM breed_add_dog(1, 2) w;
SELECT w.id FROM breed_set_dogs(2, ARRAY[3, 4]) w;
SELECT w.id FROM breed_remove_dogs(2, ARRAY[4]) w;
SELECT w.id, w."breedId" FROM dog_set_breed(5, 3) w;
SELECT w.id, w."breedId" FROM dog_set_breed(5, NULL::integer) w;
SELECT w.id, w."breedId" FROM dog_set_breed(5, 99) w;
:dogs
\echo -- create
SELECT w.id, w.name, w."ownerId" FROM owner_create_pug(2, '{"name": "Bo"}') w;
SELECT w.id, w.name FROM kennel_create_pug(1, '{"name": "Kip", "ownerId": 7}') w;
SELECT w.id, w.name FROM breed_create_dog(3, '{"name": "Rex"}') w;
:pugs
:dogs
\echo -- belongs_to create: the target inserted, the instance moved to it (co-located: DELETE + INSERT)
SELECT w.id, w.name FROM pug_create_owner(9, '{"name": "Al"}') w;
SELECT w.id, w.city FROM pug_create_kennel(9, '{"city": "Pisa"}') w;
SELECT w.id, w.label FROM dog_create_breed(1, '{"label": "beagle"}') w;
SELECT w.id FROM pug_create_owner(999, '{"name": "Nobody"}') w;
SELECT w.id FROM pug_create_owner(9, '{"nope": 1}') w;
:pugs
:dogs
SELECT id, name FROM owners WHERE name IN ('Al', 'Nobody') ORDER BY id;
SELECT id, city FROM kennels ORDER BY id;
SQL
}
writers >"$NODE_DIRS/writers.sql"
coord single -v ON_ERROR_STOP=0 -A -t -f "$NODE_DIRS/writers.sql" >"$NODE_DIRS/writers-single.out" 2>&1 || true
coord shop -v ON_ERROR_STOP=0 -A -t -f "$NODE_DIRS/writers.sql" >"$NODE_DIRS/writers-citus.out" 2>&1 || true
if ! diff -u "$NODE_DIRS/writers-single.out" "$NODE_DIRS/writers-citus.out"; then
	fail "the writers give other rows or errors on the Citus tables than on a single node (above)"
else
	lines=$(wc -l <"$NODE_DIRS/writers-single.out")
	errors=$(grep -c 'ERROR:' "$NODE_DIRS/writers-single.out" || true)
	if ((lines < 500 || errors < 14)); then
		fail "only $lines lines and $errors errors of writers' output: $(head -c 600 "$NODE_DIRS/writers-single.out")"
	else
		ok "every writer writes on the Citus tables what it writes on a single node ($lines lines, $errors errors identical)"
	fi
fi
grep 'ERROR:' "$NODE_DIRS/writers-citus.out" | sed 's/^psql:[^ ]* //' | sort | uniq -c

# ---- writers of a scoped association on a paranoid child, co-located:
# the scope's values written on the moved rows, soft-deleted rows neither
# linked nor moved, as on the single node
scoped() {
	local citus=$1
	cat <<'SQL'
SET client_min_messages = warning;
CREATE TABLE vets (id serial PRIMARY KEY, name text);
SQL
	if ((citus)); then
		cat <<'SQL'
CREATE TABLE visits (id serial, "vetId" integer NOT NULL, kind text, "deletedAt" timestamptz,
    "createdAt" timestamptz NOT NULL DEFAULT '2020-01-01Z', "updatedAt" timestamptz NOT NULL DEFAULT '2020-01-01Z',
    PRIMARY KEY ("vetId", id));
SELECT create_distributed_table('vets', 'id');
SELECT create_distributed_table('visits', 'vetId', colocate_with => 'vets');
SQL
	else
		cat <<'SQL'
CREATE TABLE visits (id serial PRIMARY KEY, "vetId" integer NOT NULL, kind text, "deletedAt" timestamptz,
    "createdAt" timestamptz NOT NULL DEFAULT '2020-01-01Z', "updatedAt" timestamptz NOT NULL DEFAULT '2020-01-01Z');
SQL
	fi
	cat <<'SQL'
SELECT 1 FROM assoc.model('visits', paranoid => true);
SELECT 1 FROM assoc.has_many('vets', 'visits', alias => 'checkups', scope => '{"kind": "checkup"}');
INSERT INTO vets (name) SELECT 'Vet ' || g FROM generate_series(1, 4) g;
INSERT INTO visits ("vetId", kind) SELECT g % 4 + 1, CASE WHEN g % 3 = 0 THEN 'surgery' ELSE 'checkup' END
  FROM generate_series(1, 16) g ORDER BY g;
UPDATE visits SET "deletedAt" = '2020-03-01Z' WHERE id IN (5, 6);
SQL
}
scoped_writes() {
	cat <<'SQL'
\pset null '(null)'
\set VERBOSITY terse
\set SHOW_CONTEXT never
\set visits 'SELECT id, "vetId", kind, "deletedAt" IS NOT NULL AS deleted, "updatedAt" > ''2020-06-01'' AS bumped FROM visits ORDER BY id;'
SELECT w.id FROM vet_get_checkups(1) w;
SELECT w.id FROM vet_add_checkup(1, 2) w;
SELECT w.id FROM vet_add_checkups(1, ARRAY[3, 7]) w;
SELECT w.id FROM vet_add_checkup(1, 5) w;
SELECT w.id FROM vet_set_checkups(2, ARRAY[4, 8, 12]) w;
SELECT w.id FROM vet_set_checkups(2, ARRAY[1, 13, 12]) w;
SELECT w.id FROM vet_add_checkup(3, 9) w;
SELECT w.id FROM vet_get_checkups(1) w;
SELECT w.id FROM vet_get_checkups(2) w;
:visits
SQL
}
scoped 0 | coord single -q -v ON_ERROR_STOP=1 >/dev/null
scoped 1 | coord shop -q -v ON_ERROR_STOP=1 >/dev/null
scoped_writes >"$NODE_DIRS/scoped.sql"
coord single -v ON_ERROR_STOP=0 -A -t -f "$NODE_DIRS/scoped.sql" >"$NODE_DIRS/scoped-single.out" 2>&1 || true
coord shop -v ON_ERROR_STOP=0 -A -t -f "$NODE_DIRS/scoped.sql" >"$NODE_DIRS/scoped-citus.out" 2>&1 || true
if ! diff -u "$NODE_DIRS/scoped-single.out" "$NODE_DIRS/scoped-citus.out"; then
	fail "the writers of a scoped association on a paranoid child give other rows or errors on the Citus tables (above)"
elif (($(wc -l <"$NODE_DIRS/scoped-single.out") < 25)); then
	fail "too little output of the scoped writers: $(head -c 600 "$NODE_DIRS/scoped-single.out")"
else
	ok "the writers of a scoped association on a paranoid child write on the Citus tables what they write on a single node ($(wc -l <"$NODE_DIRS/scoped-single.out") lines identical)"
fi

# ---- the writers given rows (README, "Citus": rows as values, read by
# the application or held in PL/pgSQL variables), arrays of rows, text and
# arrays of text, on both layouts: the same rows and errors as on the
# single node
row_writes() {
	writes_header
	cat <<'SQL'
\echo -- co-located, rows read by the application and passed back as values: moves
SELECT o AS o6 FROM owners o WHERE id = 6 \gset
SELECT p AS p13 FROM pugs p WHERE id = 13 \gset
SELECT array_agg(p ORDER BY p.id) AS p14_15 FROM pugs p WHERE id IN (14, 15) \gset
SELECT w.id, w.name FROM owner_add_pug(CAST(:'o6' AS owners), CAST(:'p13' AS pugs)) w;
SELECT w.id FROM owner_add_pugs(CAST(:'o6' AS owners), CAST(:'p14_15' AS pugs[])) w;
SELECT owner_has_pugs(CAST(:'o6' AS owners), CAST(:'p14_15' AS pugs[])), owner_count_pugs(CAST(:'o6' AS owners));
SELECT p AS p16 FROM pugs p WHERE id = 16 \gset
SELECT w.id, w."ownerId" FROM pug_set_owner(CAST(:'p16' AS pugs), CAST(:'o6' AS owners)) w;
SELECT array_agg(p ORDER BY p.id) AS p6s FROM pugs p WHERE "ownerId" = 6 OR id = 17 \gset
SELECT w.id FROM owner_set_pugs(CAST(:'o6' AS owners), CAST(:'p6s' AS pugs[])) w;
SELECT o AS o9 FROM owners o WHERE id = 9 \gset
SELECT p AS pr11 FROM profiles p WHERE "ownerId" = 11 \gset
SELECT w.id, w."ownerId" FROM owner_set_profile(CAST(:'o9' AS owners), CAST(:'pr11' AS profiles)) w;
SELECT w.id FROM owner_remove_pug(CAST(:'o6' AS owners), CAST(:'p13' AS pugs)) w;
:pugs
:profiles
\echo -- co-located, rows and arrays of rows from PL/pgSQL variables, text, arrays of text
DO $$
DECLARE o owners; p pugs; ps pugs[]; r owners; q pugs;
BEGIN
  SELECT * INTO o FROM owners WHERE id = 7;
  SELECT * INTO p FROM pugs WHERE id = 18;
  r := owner_add_pug(o, p);
  SELECT array_agg(x ORDER BY x.id) INTO ps FROM pugs x WHERE id IN (19, 20);
  r := owner_add_pugs(o, ps);
  RAISE NOTICE 'owner %, has %: %', r.id, ps[1].id, owner_has_pugs(o, ps);
  q := pug_set_owner(p, 9);
  RAISE NOTICE 'pug % of owner %, get_owner: %', q.id, q."ownerId", (pug_get_owner(q)).name;
  SELECT array_agg(x ORDER BY x.id) INTO ps FROM pugs x WHERE "ownerId" = o.id OR x.id = 22;
  r := owner_set_pugs(o, ps);
  RAISE NOTICE 'owner % has % pugs', r.id, owner_count_pugs(o);
END $$;
SELECT w.id FROM owner_add_pugs('7', '{21,22}') w;
SELECT w.id FROM owner_add_pugs(7, ARRAY['23', '24']) w;
SELECT w.id FROM owner_add_pug('7', '25') w;
SELECT w.id, w."ownerId" FROM pug_set_owner('21', '8') w;
:pugs
\echo -- reference parents, rows: UPDATEs
SELECT k AS k1 FROM kennels k WHERE id = 1 \gset
SELECT k AS k2 FROM kennels k WHERE id = 2 \gset
SELECT p AS p26 FROM pugs p WHERE id = 26 \gset
SELECT array_agg(p ORDER BY p.id) AS p27_28 FROM pugs p WHERE id IN (27, 28) \gset
SELECT w.id FROM kennel_add_pug(CAST(:'k1' AS kennels), CAST(:'p26' AS pugs)) w;
SELECT w.id FROM kennel_set_pugs(CAST(:'k2' AS kennels), CAST(:'p27_28' AS pugs[])) w;
SELECT w.id FROM kennel_remove_pugs(CAST(:'k2' AS kennels), (CAST(:'p27_28' AS pugs[]))[1:1]) w;
SELECT w.id, w."kennelId" FROM pug_set_kennel(CAST(:'p26' AS pugs), CAST(:'k2' AS kennels)) w;
DO $$
DECLARE b breeds := (SELECT x FROM breeds x WHERE id = 1); d dogs := (SELECT x FROM dogs x WHERE id = 6);
  ds dogs[] := ARRAY(SELECT x FROM dogs x WHERE id IN (7, 8) ORDER BY x.id);
BEGIN
  PERFORM breed_add_dog(b, d), breed_add_dogs(b, ds);
  PERFORM breed_remove_dogs(b, ds[1:1]);
  RAISE NOTICE 'dog % of breed %', d.id, (dog_get_breed(dog_set_breed(d, 2))).label;
END $$;
SELECT w.id, w."kennelId" FROM pug_set_kennel('29', '3') w;
SELECT w.id FROM kennel_add_pugs('1', ARRAY['29', '30']) w;
\echo -- refused as on the single node: unknown, NULL
SELECT o AS o7 FROM owners o WHERE id = 7 \gset
SELECT w.id FROM owner_add_pugs(CAST(:'o7' AS owners), ARRAY['999']) w;
SELECT w.id FROM owner_add_pugs(7, '{1,NULL}') w;
SELECT w.id FROM kennel_add_pugs('1', '{999}') w;
:pugs
:dogs
SQL
}
row_writes >"$NODE_DIRS/row_writes.sql"
if same_writes row_writes "the writers given rows, arrays of rows and text" 150 4; then
	ok "the writers given rows (read by the client, PL/pgSQL variables), arrays of rows, text and arrays of text write on both layouts what they write on a single node ($lines lines identical)"
fi

# ---- two moves of one pug at once on the co-located tables: the second
# waits for the first (its DELETE waits for the row), then moves the row
# the first inserted, as the second UPDATE would on a single node
coord shop -c 'BEGIN' -c 'SELECT 1 FROM owner_add_pug(5, 30)' -c 'SELECT pg_sleep(2)' -c 'COMMIT' >/dev/null 2>&1 &
first=$!
sleep 0.7
coord shop -A -t -c 'SELECT 1 FROM pug_set_owner(30, 6)' >/dev/null
wait "$first"
moved=$(coord shop -A -t -c "SELECT string_agg(id || ':' || \"ownerId\", ',') FROM pugs WHERE id = 30")
if [[ $moved == 30:6 ]]; then
	ok "two moves of pug 30 at once (owner_add_pug(5, 30), then pug_set_owner(30, 6)): one row, of owner 6"
else
	fail "two moves of pug 30 at once: $moved, not 30:6"
fi

# ---- what Citus refuses, and what assoc says: SQLSTATE and message (the
# expected text is a part of them), 00000 ok for no error
declare -A refused=(
	# co-located: the foreign key is the distribution column
	["SELECT assoc.has_many('owners', 'leashes', on_delete => 'SET NULL')"]="0A000 foreign key \"ownerId\" of co-located Citus tables public.leashes and public.owners cannot ON DELETE SET NULL"
	["SELECT assoc.has_many('owners', 'leashes', on_update => 'CASCADE')"]="0A000 foreign key \"ownerId\" of co-located Citus tables public.leashes and public.owners cannot ON UPDATE CASCADE"
	["SELECT assoc.has_many('owners', 'collars')"]="0A000 has_many association \"collars\" of Citus tables public.owners and public.collars is in a layout assoc does not support"
	["SELECT assoc.has_many('owners', 'locals')"]="0A000 has_many association \"locals\" of Citus tables public.owners and public.locals is in a layout assoc does not support"
	# per-row calls in a query over a distributed table run on the shards
	["SELECT o.id, owner_count_pugs(o.id) FROM owners o"]="XX000 cannot execute a distributed query from a query on a shard"
	# (on a shard the row is of the shard's type, owners_<n>, which the row
	# overload does not take: the polymorphic one refuses it, naming the type)
	["SELECT owner_with_pugs(o) FROM owners o"]="42804 owner given as type owners_"
	# a row read by a subquery of the calling statement: Citus runs the
	# statement, the call with it, on the shard of owner 7
	["SELECT w.id FROM owner_add_pug((SELECT o FROM owners o WHERE id = 7), 5) w"]="42804 owner given as type owners_"
	# belongs_to_many: a distributed through table
	["SELECT assoc.belongs_to_many('pupils', 'courses', through => 'classes')"]="0A000 belongs_to_many of Citus tables public.pupils and public.courses needs reference tables"
	# counter_cache and touch: triggers, which Citus refuses on its tables
	["SELECT assoc.has_many('owners', 'leashes', counter_cache => 'true')"]="0A000 counter_cache of has_many association \"leashes\" is not supported on Citus table public.leashes"
	["SELECT assoc.belongs_to('leashes', 'owners', touch => true)"]="0A000 touch of belongs_to association \"owner\" is not supported on Citus table public.leashes"
)
{
	printf '\\set VERBOSITY default\n'
	printf '%s\n' 'CREATE TABLE leashes (id serial, "ownerId" integer NOT NULL, PRIMARY KEY ("ownerId", id));' \
		"SELECT create_distributed_table('leashes', 'ownerId', colocate_with => 'owners');" \
		'CREATE TABLE collars (id serial PRIMARY KEY, "ownerId" integer);' \
		"SELECT create_distributed_table('collars', 'id', colocate_with => 'none');" \
		'CREATE TABLE locals (id serial PRIMARY KEY, "ownerId" integer);' \
		'CREATE TABLE pupils (id serial PRIMARY KEY, name text);' \
		'CREATE TABLE classes ("pupilId" integer NOT NULL, "courseId" integer NOT NULL, PRIMARY KEY ("pupilId", "courseId"));' \
		"SELECT create_distributed_table('pupils', 'id');" \
		"SELECT create_distributed_table('classes', 'pupilId', colocate_with => 'pupils');"
	for w in "${!refused[@]}"; do
		# the last statement's error, or ok
		printf '\\set SQLSTATE 00000\n\\set LAST_ERROR_MESSAGE ok\n%s;\n\\echo RESULT :SQLSTATE :LAST_ERROR_MESSAGE\n' "$w"
	done
} >"$NODE_DIRS/refused.sql"
coord shop -v ON_ERROR_STOP=0 -A -t -f "$NODE_DIRS/refused.sql" >"$NODE_DIRS/refused.out" 2>&1 || true
mapfile -t results < <(grep '^RESULT ' "$NODE_DIRS/refused.out")
i=0
for w in "${!refused[@]}"; do
	r=${results[$i]:-}
	r=${r#RESULT }
	if [[ $r == *"${refused[$w]}"* ]]; then
		ok "$w: $r"
	else
		fail "$w: expected '${refused[$w]}', got '$r'"
	fi
	i=$((i + 1))
done
grep -B2 -A6 'ERROR:  foreign key\|ERROR:  has_many\|ERROR:  counter_cache\|ERROR:  belongs_to_many' "$NODE_DIRS/refused.out" | grep 'DETAIL\|HINT' | sort -u

# ---- the cost, measured (not checked: the machine is shared): with 5000
# owners and 50000 pugs more, a single-owner read (owner_get_pugs by key)
# and a page of 20 owners with their pugs (find_all), and with their pugs
# and the pugs' owners (two levels), each the mean of 100 calls in one
# session, on the Citus tables and on the single node
cost() {
	coord "$1" -A -t 2>&1 <<'SQL'
SET client_min_messages = warning;
INSERT INTO owners (name) SELECT 'More ' || g FROM generate_series(1, 5000) g;
INSERT INTO pugs (name, "ownerId") SELECT 'More ' || g, g % 5000 + 26 FROM generate_series(1, 50000) g;
ANALYZE owners; ANALYZE pugs;
SET client_min_messages = notice;
DO $$
DECLARE t timestamptz; n int := 100; read numeric; page numeric; page2 numeric;
BEGIN
  PERFORM count(*) FROM owner_get_pugs(1);
  PERFORM count(*) FROM assoc.find_all('owners', '{"include": ["pugs"], "limit": 20}');
  t := clock_timestamp();
  FOR i IN 1..n LOOP PERFORM count(*) FROM owner_get_pugs(i % 5000 + 26); END LOOP;
  read := extract(epoch FROM clock_timestamp() - t) * 1000 / n;
  t := clock_timestamp();
  FOR i IN 1..n LOOP PERFORM count(*) FROM assoc.find_all('owners', format('{"include": ["pugs"], "limit": 20, "offset": %s}', i * 20)::jsonb); END LOOP;
  page := extract(epoch FROM clock_timestamp() - t) * 1000 / n;
  PERFORM count(*) FROM assoc.find_all('owners', '{"include": [{"association": "pugs", "include": ["owner"]}], "limit": 20}');
  t := clock_timestamp();
  FOR i IN 1..n LOOP PERFORM count(*) FROM assoc.find_all('owners', format('{"include": [{"association": "pugs", "include": ["owner"]}], "limit": 20, "offset": %s}', i * 20)::jsonb); END LOOP;
  page2 := extract(epoch FROM clock_timestamp() - t) * 1000 / n;
  RAISE NOTICE 'single-owner read % ms, 20-owner page % ms, two levels % ms', round(read, 2), round(page, 2), round(page2, 2);
END $$;
SQL
}
printf 'cost: Citus (coordinator + 2 workers, 4 shards): %s\n' "$(cost shop | grep -o 'single-owner.*')"
printf 'cost: single node:                              %s\n' "$(cost single | grep -o 'single-owner.*')"

# a page of co-located owners (with the rows the cost added): the page
# first (an intermediate result), then the pugs of its owners only, by the
# index, on the shards
explain_find_all owners '{"include": ["pugs"], "limit": 20, "offset": 5}' "$NODE_DIRS/explain_page.out"
if grep -q 'Index Cond: .*"ownerId" = ANY' "$NODE_DIRS/explain_page.out" &&
	grep -q 'read_intermediate_result' "$NODE_DIRS/explain_page.out" &&
	! grep -q 'Seq Scan on pugs_' "$NODE_DIRS/explain_page.out"; then
	ok "EXPLAIN of a 20-owner page: the page's owners as an intermediate result, their pugs by index on each shard ($(grep -o 'Index Cond: .*ANY[^)]*)' "$NODE_DIRS/explain_page.out" | head -n 1))"
else
	fail "EXPLAIN of a 20-owner page does not read the pugs of the page's owners only:"
	cat "$NODE_DIRS/explain_page.out"
fi
# ---- a page's includes below the first level read only the rows of the
# page's rows too: the pugs' owners of a page of owners (the owners of the
# page's pugs, an intermediate result) and the owner's pugs of a page of
# pugs, by index on each shard (the page itself, t0, may be a scan)
explain_find_all owners '{"include": [{"association": "pugs", "include": ["owner"]}], "limit": 20, "offset": 5}' "$NODE_DIRS/explain_nested.out"
explain_find_all pugs '{"include": [{"association": "owner", "include": ["pugs"]}], "limit": 20, "offset": 5}' "$NODE_DIRS/explain_nested2.out"
if grep -q 'Index Cond: (id = ANY' "$NODE_DIRS/explain_nested.out" &&
	! grep -q 'Seq Scan on \(owners\|pugs\)_[0-9]* t[1-9]' "$NODE_DIRS/explain_nested.out" &&
	grep -q 'Index Cond: .*"ownerId" = ANY' "$NODE_DIRS/explain_nested2.out" &&
	! grep -q 'Seq Scan on \(owners\|pugs\)_[0-9]* t[1-9]' "$NODE_DIRS/explain_nested2.out"; then
	ok "EXPLAIN of pages with two levels: no sequential scan of a shard of owners or pugs for an include, the second level by index ($(grep -o 'Index Cond: (id = ANY[^)]*)' "$NODE_DIRS/explain_nested.out" | head -n 1))"
else
	fail "EXPLAIN of a page with two levels reads a whole table below the first level:"
	cat "$NODE_DIRS/explain_nested.out" "$NODE_DIRS/explain_nested2.out"
fi
if ((FAILS > 0)); then
	printf '%d failed\n' "$FAILS"
	exit 1
fi
