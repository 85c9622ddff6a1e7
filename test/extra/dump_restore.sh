#!/usr/bin/env bash
# pg_dump of a database with associations, restored into a new database:
# the catalog is intact, every accessor and loader works the same, the
# generated functions have the same pg_depend rows (on their tables and on
# the extension, compared by object identity), and DROP EXTENSION, DROP
# TABLE, ADD COLUMN and DROP of a foreign-key column behave as before; the
# triggers of a counter cache and of touch are restored and keep counting
# and touching (not counting the restored rows again).
# Run by `make test` with PGHOST, PGPORT, PGUSER and a fresh PGDATABASE.
set -euo pipefail

src=$PGDATABASE
dst=${PGDATABASE}_restored
work=$(mktemp -d)
trap 'rm -rf "$work"; dropdb --if-exists "$dst" >/dev/null 2>&1 || true' EXIT

psql() { command psql -X -q -v ON_ERROR_STOP=1 "$@"; }

psql -d "$src" >/dev/null <<'SQL'
SET client_min_messages = warning;
CREATE EXTENSION assoc;
CREATE TABLE owners (id serial PRIMARY KEY, name text,
    "createdAt" timestamptz NOT NULL DEFAULT '2020-01-01Z', "updatedAt" timestamptz NOT NULL DEFAULT '2020-01-01Z');
-- a dropped column makes column numbers differ after the restore
CREATE TABLE pugs (id serial PRIMARY KEY, gone int, name text,
    "createdAt" timestamptz NOT NULL DEFAULT '2020-01-01Z', "updatedAt" timestamptz NOT NULL DEFAULT '2020-01-01Z');
ALTER TABLE pugs DROP COLUMN gone;
CREATE TABLE profiles (id serial PRIMARY KEY, bio text);
SELECT 1 FROM assoc.has_many('owners', 'pugs', counter_cache => 'true');
SELECT 1 FROM assoc.belongs_to('pugs', 'owners');
SELECT 1 FROM assoc.has_one('owners', 'profiles', alias => 'bio');
SELECT 1 FROM assoc.belongs_to('profiles', 'owners', alias => 'keeper', touch => true);
CREATE TABLE students (id serial PRIMARY KEY, name text);
CREATE TABLE courses (id serial PRIMARY KEY, title text);
SELECT 1 FROM assoc.belongs_to_many('students', 'courses', through => 'enrollments', timestamps => false);
INSERT INTO owners (name) VALUES ('Tom'), ('Ann');
INSERT INTO pugs (name, "ownerId") VALUES ('Cody', 1), ('Rex', 1), ('Lulu', 2), ('Bo', NULL);
INSERT INTO profiles (bio, "bioId") VALUES ('likes pugs', 1);
-- model options: a paranoid model with a model name
ALTER TABLE courses ADD COLUMN "deletedAt" timestamptz;
SELECT 1 FROM assoc.model('courses', name => 'Course', paranoid => true);
INSERT INTO students (name) VALUES ('Amy');
INSERT INTO courses (title, "deletedAt") VALUES ('Math', NULL), ('Old', '2020-01-01Z');
INSERT INTO enrollments ("studentId", "courseId") VALUES (1, 1), (1, 2);
-- a scoped association (the scope is in the catalog's options) and a
-- polymorphic one (its declaration is in its triggers' arguments)
CREATE TABLE images (id serial PRIMARY KEY, title text);
CREATE TABLE videos (id serial PRIMARY KEY, title text);
CREATE TABLE comments (id serial PRIMARY KEY, body text, "commentableId" integer, "commentableType" text);
SELECT 1 FROM assoc.has_many('images', 'comments', foreign_key => 'commentableId', constraints => false,
                             scope => '{"commentableType": "image"}');
SELECT 1 FROM assoc.polymorphic('comments', 'commentable', ARRAY['images', 'videos']::regclass[]);
INSERT INTO images (title) VALUES ('sunset'), ('dawn');
INSERT INTO videos (title) VALUES ('cats');
INSERT INTO comments (body, "commentableId", "commentableType") VALUES ('nice', 1, 'image'), ('meh', 1, 'video'), ('wow', 2, 'image');
SQL

# what must be the same on both sides
checks() {
	psql -d "$1" -A -t <<'SQL'
SELECT kind, source, target, alias, foreign_key, source_key, target_key, on_delete, on_update,
       cardinality(functions) FROM assoc.associations ORDER BY id;
SELECT * FROM owner_get_pugs(1);
SELECT owner_count_pugs('1'), owner_has_pugs(1, '{1,2}');
SELECT * FROM owner_with_pugs();
SELECT pug_with_owner(p) FROM pugs p ORDER BY id;
SELECT owner_with_bio(o) FROM owners o ORDER BY id;
SELECT id, name FROM owner_set_pugs(2, ARRAY[3, 4]);
SELECT id, "ownerId" FROM pugs ORDER BY id;
SELECT id, name FROM pug_get_owner(4);
ALTER TABLE pugs ADD COLUMN age int;
SELECT id, name, "ownerId", age FROM owner_get_pugs(2);
SELECT id, "pugsCount", "updatedAt" > '2020-01-01Z' AS touched FROM owners ORDER BY id;
INSERT INTO pugs (name, "ownerId") VALUES ('Mo', 2), ('Zed', 2);
DELETE FROM pugs WHERE name = 'Zed';
UPDATE profiles SET "keeperId" = 2;
SELECT id, "pugsCount", (SELECT count(*) FROM pugs p WHERE p."ownerId" = o.id),
       "updatedAt" > '2020-01-01Z' AS touched FROM owners o ORDER BY id;
SELECT regexp_replace(tgname, '[0-9]+', 'N'), tgrelid::regclass FROM pg_trigger
 WHERE tgname LIKE 'assoc\_%' ORDER BY 1, 2;
SELECT tab, name, paranoid, attnums FROM assoc.models ORDER BY tab::text;
SELECT id, title FROM student_get_courses(1);
SELECT * FROM assoc.find_all('students', '{"include": ["courses"]}');
SELECT * FROM image_get_comments(1);
SELECT * FROM comment_with_commentable();
SELECT body FROM image_create_comment(2, '{"body": "new"}');
DO $$
BEGIN
    INSERT INTO comments (body, "commentableId", "commentableType") VALUES ('orphan', 5, 'video');
    RAISE EXCEPTION 'an orphan comment was accepted after the restore';
EXCEPTION WHEN foreign_key_violation THEN
    NULL;
END
$$;
DELETE FROM images WHERE id = 2;
SELECT id, body, "commentableId", "commentableType" FROM comments ORDER BY id;
SQL
}

# what assoc's objects and the generated functions depend on, by identity
depends() {
	psql -d "$1" -A -t <<'SQL'
SELECT format('%s | %s | %s', pg_describe_object(d.classid, d.objid, d.objsubid),
              pg_describe_object(d.refclassid, d.refobjid, d.refobjsubid), d.deptype)
  FROM pg_depend d
 WHERE (d.classid = 'pg_proc'::regclass
        AND d.objid IN (SELECT f FROM assoc.associations a, unnest(a.functions) f))
    OR (d.refclassid = 'pg_extension'::regclass
        AND d.refobjid = (SELECT oid FROM pg_extension WHERE extname = 'assoc'))
 ORDER BY 1;
SQL
}

# what must behave as before the dump, in a copy of each database
behaviour() {
	command psql -X -q -d "$1" -A -t 2>&1 <<'SQL' | sed -E 's/[0-9]+ other objects/N other objects/'
\set VERBOSITY terse
BEGIN;
DROP TABLE pugs;
ROLLBACK;
BEGIN;
DROP EXTENSION assoc;
ROLLBACK;
BEGIN;
SET client_min_messages = warning;
DROP EXTENSION assoc CASCADE;
SELECT count(*) AS functions_left FROM pg_proc WHERE proname LIKE 'owner\_%' OR proname LIKE 'pug\_%' OR proname LIKE 'student\_%';
ROLLBACK;
BEGIN;
ALTER TABLE pugs ADD COLUMN color text DEFAULT 'fawn';
ALTER TABLE pugs ALTER COLUMN name TYPE varchar(50);
SELECT id, name, color FROM owner_get_pugs(1);
ALTER TABLE pugs DROP COLUMN "ownerId";
SELECT kind, alias FROM assoc.associations ORDER BY id;
ROLLBACK;
SQL
}

pg_dump -Fc -f "$work/dump" "$src"
checks "$src" >"$work/before.txt"
depends "$src" >"$work/depend-before.txt"
behaviour "$src" >"$work/behaviour-before.txt"
createdb "$dst"
pg_restore --exit-on-error -d "$dst" "$work/dump"
depends "$dst" >"$work/depend-after.txt"
behaviour "$dst" >"$work/behaviour-after.txt"
checks "$dst" >"$work/after.txt"

if ! diff -u "$work/depend-before.txt" "$work/depend-after.txt"; then
	echo "FAIL: the restored database's pg_depend rows differ"
	exit 1
fi
ntables=$(grep -c '| table pugs | n$' "$work/depend-before.txt" || true)
nextension=$(grep -c '| extension assoc | n$' "$work/depend-before.txt" || true)
if ((ntables < 20 || nextension < 50)); then
	echo "FAIL: too few dependencies recorded ($ntables on table pugs, $nextension on the extension)"
	cat "$work/depend-before.txt"
	exit 1
fi
echo "ok: $(wc -l <"$work/depend-before.txt") pg_depend rows identical ($ntables functions on table pugs, $nextension on the extension)"
if ! diff -u "$work/behaviour-before.txt" "$work/behaviour-after.txt"; then
	echo "FAIL: DROP TABLE / DROP EXTENSION / ALTER TABLE behave differently after the restore"
	exit 1
fi
for want in 'cannot drop table pugs because other objects depend on it' \
	'cannot drop extension assoc because other objects depend on it' \
	'is dropped with column "ownerId" of table' '^0$'; do
	if ! grep -q -- "$want" "$work/behaviour-before.txt"; then
		echo "FAIL: expected '$want' in:"
		cat "$work/behaviour-before.txt"
		exit 1
	fi
done
echo "ok: DROP TABLE, DROP EXTENSION (with and without CASCADE), ADD COLUMN, ALTER COLUMN TYPE and DROP of the foreign key behave as before the dump"

if ! diff -u "$work/before.txt" "$work/after.txt"; then
	echo "FAIL: the restored database answers differently"
	exit 1
fi
# and something was actually compared
lines=$(wc -l <"$work/before.txt")
if ((lines < 20)); then
	echo "FAIL: only $lines lines compared"
	cat "$work/before.txt"
	exit 1
fi
echo "ok: $lines lines of catalog, accessor and loader output identical after pg_dump/pg_restore"
