#!/usr/bin/env bash
# ALTER EXTENSION assoc UPDATE from the released 0.1.0, for real: the 0.1.0
# module is built from its commit in this repository's history and
# installed, a database declares all four kinds with it (so its functions
# are 0.1.0's, with SQL-standard bodies), then this build is installed again
# and the extension updated.  Afterwards:
#   - every accessor, loader and find_all answers exactly as in a database
#     made fresh with this version (same declarations, same data);
#   - the functions are this version's (string bodies, no column
#     dependencies), none became a member of the extension, and their
#     pg_depend rows equal those of the fresh database;
#   - the migrations that 0.1.0 refused work (ALTER COLUMN TYPE, DROP COLUMN);
#   - the catalog's generated_by, which 0.1.0 did not have, says this
#     version for every association.
# This build is installed again on exit, whatever happens.
# Run by `make test` with PGHOST, PGPORT, PGUSER, a fresh PGDATABASE and
# PG_CONFIG; needs write access to PostgreSQL's lib and extension
# directories (root, as make test runs on CI).
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
# the commit that was released as 0.1.0
RELEASE_0_1_0=a4f8797022e796d5f5091c8f95826b1fce67f9ad
PG_CONFIG=${PG_CONFIG:-pg_config}
old_db=$PGDATABASE
new_db=${PGDATABASE}_fresh
work=$(mktemp -d)

psql() { command psql -X -q -v ON_ERROR_STOP=1 "$@"; }

reinstall_current() {
	make -C "$ROOT" --no-print-directory -s PG_CONFIG="$PG_CONFIG" install >"$work/install-current.log" 2>&1 ||
		{ echo "FAIL: reinstalling this build"; cat "$work/install-current.log"; return 1; }
}
cleanup() {
	local rc=$?
	reinstall_current || rc=1
	dropdb --if-exists "$new_db" >/dev/null 2>&1 || true
	rm -rf "$work"
	exit "$rc"
}

if ! git -C "$ROOT" cat-file -e "$RELEASE_0_1_0^{commit}" 2>/dev/null; then
	echo "FAIL: commit $RELEASE_0_1_0 (release 0.1.0) is not in this clone's history (a shallow clone?)"
	exit 1
fi
pkglibdir=$("$PG_CONFIG" --pkglibdir)
if [[ ! -w $pkglibdir ]]; then
	echo "skipped: $pkglibdir is not writable (run make test as root to test the upgrade)"
	exit 0
fi
trap cleanup EXIT

# ---- the 0.1.0 module, built, installed beside this version's scripts
git -C "$ROOT" archive "$RELEASE_0_1_0" | tar -x -C "$work"
mkdir "$work/build" && mv "$work"/{Makefile,assoc.control,src,sql} "$work/build/"
if ! make -C "$work/build" --no-print-directory -s -j2 PG_CONFIG="$PG_CONFIG" >"$work/build.log" 2>&1; then
	echo "FAIL: building 0.1.0"
	tail -n 30 "$work/build.log"
	exit 1
fi
# this version's control and SQL files (VERSION selects the script), and
# 0.1.0's module
reinstall_current
install -m 755 "$work/build/assoc.so" "$pkglibdir/assoc.so"

schema() {
	psql -d "$1" >/dev/null <<'SQL'
SET client_min_messages = warning;
CREATE TABLE owners (id serial PRIMARY KEY, name varchar(100),
    "createdAt" timestamptz NOT NULL DEFAULT '2020-01-01Z', "updatedAt" timestamptz NOT NULL DEFAULT '2020-01-01Z');
CREATE TABLE pugs (id serial PRIMARY KEY, name varchar(100),
    "createdAt" timestamptz NOT NULL DEFAULT '2020-01-01Z', "updatedAt" timestamptz NOT NULL DEFAULT '2020-01-01Z');
CREATE TABLE profiles (id serial PRIMARY KEY, bio text);
CREATE TABLE students (id serial PRIMARY KEY, name text);
CREATE TABLE courses (id serial PRIMARY KEY, title text);
SELECT 1 FROM assoc.has_many('owners', 'pugs');
SELECT 1 FROM assoc.belongs_to('pugs', 'owners');
SELECT 1 FROM assoc.has_one('owners', 'profiles');
SELECT 1 FROM assoc.belongs_to_many('students', 'courses', through => 'enrollments', timestamps => false);
SELECT 1 FROM assoc.belongs_to_many('courses', 'students', through => 'enrollments', timestamps => false);
INSERT INTO owners (name) VALUES ('Tom'), ('Ann');
INSERT INTO pugs (name, "ownerId") VALUES ('Cody', 1), ('Rex', 1), ('Lulu', 2), ('Bo', NULL);
INSERT INTO profiles (bio, "ownerId") VALUES ('likes pugs', 1);
INSERT INTO students (name) VALUES ('Ada'), ('Bob');
INSERT INTO courses (title) VALUES ('Math'), ('Art');
INSERT INTO enrollments ("studentId", "courseId") VALUES (1, 1), (1, 2), (2, 2);
SQL
}

# ---- a database made with 0.1.0
psql -d "$old_db" -c "CREATE EXTENSION assoc VERSION '0.1.0'" >/dev/null
schema "$old_db"
standard=$(psql -d "$old_db" -A -t -c "SELECT count(*) FILTER (WHERE p.prosqlbody IS NOT NULL) FROM assoc.associations a, unnest(a.functions) f, pg_proc p WHERE p.oid = f")
if ((standard < 20)); then
	echo "FAIL: the 0.1.0 module made only $standard functions with SQL-standard bodies: not 0.1.0's?"
	exit 1
fi
echo "ok: 0.1.0 declared the associations ($standard functions with SQL-standard bodies)"
# 0.1.0 refuses this migration
if psql -d "$old_db" -c 'ALTER TABLE pugs ALTER COLUMN name TYPE varchar(300)' >/dev/null 2>&1; then
	echo "FAIL: 0.1.0 allowed ALTER COLUMN TYPE: the test does not test what it should"
	exit 1
fi

generated_by() {
	psql -d "$old_db" -A -t -c "SELECT count(*) FROM pg_attribute
	    WHERE attrelid = 'assoc.associations'::regclass AND attname = 'generated_by' AND NOT attisdropped"
}
if [[ $(generated_by) != 0 ]]; then
	echo "FAIL: 0.1.0's catalog already has a column generated_by"
	exit 1
fi

# ---- this build, and the update
reinstall_current
out=$(psql -d "$old_db" -c 'ALTER EXTENSION assoc UPDATE' 2>&1) || { echo "FAIL: ALTER EXTENSION assoc UPDATE: $out"; exit 1; }
version=$(psql -d "$old_db" -A -t -c "SELECT extversion FROM pg_extension WHERE extname = 'assoc'")
echo "ok: ALTER EXTENSION assoc UPDATE to $version"
# every row of 0.1.0 says the version whose code now wrote its functions
authors=$(psql -d "$old_db" -A -t -c "SELECT string_agg(DISTINCT coalesce(generated_by, 'NULL'), ',') || ' ' || count(*) FROM assoc.associations")
if [[ $(generated_by) != 1 || $authors != "$version 5" ]]; then
	echo "FAIL: after the update, generated_by of the 5 associations is not $version: $authors"
	exit 1
fi
echo "ok: after the update, generated_by = $version for the 5 associations of 0.1.0"

# ---- a fresh database of this version
createdb "$new_db"
psql -d "$new_db" -c 'CREATE EXTENSION assoc' >/dev/null
schema "$new_db"

answers() {
	psql -d "$1" -A -t <<'SQL'
SELECT extversion, extnamespace::regnamespace FROM pg_extension WHERE extname = 'assoc';
SELECT (SELECT count(*) FROM pg_depend d WHERE d.classid = 'pg_namespace'::regclass
           AND d.objid = 'assoc'::regnamespace AND d.deptype = 'e') AS schema_is_member;
SELECT kind, source, target, alias, foreign_key, source_key, target_key, through, other_key,
       on_delete, on_update, cardinality(functions), generated_by FROM assoc.associations ORDER BY id;
SELECT string_agg(f::text, ' ' ORDER BY f::text) FROM assoc.associations a, unnest(a.functions) f;
SELECT count(*) FILTER (WHERE p.prosqlbody IS NOT NULL) AS standard_bodies,
       count(*) FILTER (WHERE EXISTS (SELECT FROM pg_depend d WHERE d.classid = 'pg_proc'::regclass
                                        AND d.objid = p.oid AND d.deptype = 'e')) AS members,
       count(*) FILTER (WHERE EXISTS (SELECT FROM pg_depend d WHERE d.classid = 'pg_proc'::regclass
                                        AND d.objid = p.oid AND d.refobjsubid <> 0)) AS column_deps
  FROM assoc.associations a, unnest(a.functions) f, pg_proc p WHERE p.oid = f;
SELECT format('%s | %s | %s', pg_describe_object(d.classid, d.objid, d.objsubid),
              pg_describe_object(d.refclassid, d.refobjid, d.refobjsubid), d.deptype)
  FROM pg_depend d
 WHERE d.classid = 'pg_proc'::regclass
   AND d.objid IN (SELECT f FROM assoc.associations a, unnest(a.functions) f)
 ORDER BY 1;
SELECT md5(string_agg(p.prosrc, '' ORDER BY p.oid::regprocedure::text))
  FROM assoc.associations a, unnest(a.functions) f, pg_proc p WHERE p.oid = f;
SELECT id, name FROM owner_get_pugs(1);
SELECT owner_count_pugs('1'), owner_has_pugs(1, '{1,2}'), (pug_get_owner(3)).name, (owner_get_profile(1)).bio;
SELECT string_agg(title, ',' ORDER BY id) FROM student_get_courses(1);
SELECT course_count_students(2);
SELECT owner_with_pugs(o) FROM owners o ORDER BY id;
SELECT * FROM owner_with_pugs();
SELECT pug_with_owner(p) FROM pugs p ORDER BY id;
SELECT student_with_courses(s) FROM students s ORDER BY id;
SELECT assoc.find_all('owners', '{"include": [{"association": "pugs"}, {"association": "profile"}], "order": [["id", "ASC"]]}');
SELECT assoc.find_all('students', '{"include": [{"association": "courses", "include": [{"association": "students"}]}], "order": [["id", "ASC"]]}');
SELECT id FROM owner_set_pugs(2, ARRAY[3, 4]);
SELECT id, "ownerId" FROM pugs ORDER BY id;
SELECT id FROM student_add_course(2, 1);
SELECT "studentId", "courseId" FROM enrollments ORDER BY 1, 2;
ALTER TABLE pugs ALTER COLUMN name TYPE varchar(300);
ALTER TABLE pugs ADD COLUMN age integer DEFAULT 3;
ALTER TABLE owners ALTER COLUMN id TYPE bigint;
ALTER TABLE pugs ALTER COLUMN "ownerId" TYPE bigint;
SELECT id, name, age FROM owner_get_pugs(2::bigint);
ALTER TABLE pugs DROP COLUMN age;
SELECT kind, alias, cardinality(functions), generated_by FROM assoc.associations ORDER BY id;
SQL
}
answers "$old_db" >"$work/upgraded.txt" 2>&1 || { echo "FAIL: on the upgraded database:"; tail -n 20 "$work/upgraded.txt"; exit 1; }
answers "$new_db" >"$work/fresh.txt" 2>&1 || { echo "FAIL: on the fresh database:"; tail -n 20 "$work/fresh.txt"; exit 1; }
if ! diff -u "$work/fresh.txt" "$work/upgraded.txt"; then
	echo "FAIL: the upgraded database answers differently from a fresh $version one"
	exit 1
fi
if ! grep -qx '0|0|0' "$work/upgraded.txt"; then
	echo "FAIL: after the update, functions with SQL-standard bodies, extension membership or column dependencies remain:"
	grep -E '^[0-9]+\|[0-9]+\|[0-9]+$' "$work/upgraded.txt"
	exit 1
fi
# and after the update, DROP EXTENSION leaves nothing (0.1.0 left its schema)
out=$(psql -d "$old_db" -A -t -c 'SET client_min_messages = warning' -c 'DROP EXTENSION assoc CASCADE' \
	-c "SELECT count(*) FROM pg_namespace WHERE nspname = 'assoc'" 2>&1) || { echo "FAIL: DROP EXTENSION after the update: $out"; exit 1; }
if [[ $out != 0 ]]; then
	echo "FAIL: DROP EXTENSION assoc CASCADE after the update left the schema assoc behind"
	exit 1
fi
echo "ok: after the update, DROP EXTENSION assoc CASCADE leaves no schema assoc"
lines=$(wc -l <"$work/upgraded.txt")
echo "ok: the upgraded database answers as a fresh $version one ($lines lines: catalog, functions, pg_depend, accessors, loaders, find_all, writers, migrations)"
