#!/usr/bin/env bash
# pg_dump of a database with associations, restored into a new database:
# the catalog is intact and every accessor and loader works the same.
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
SELECT 1 FROM assoc.has_many('owners', 'pugs');
SELECT 1 FROM assoc.belongs_to('pugs', 'owners');
SELECT 1 FROM assoc.has_one('owners', 'profiles', alias => 'bio');
INSERT INTO owners (name) VALUES ('Tom'), ('Ann');
INSERT INTO pugs (name, "ownerId") VALUES ('Cody', 1), ('Rex', 1), ('Lulu', 2), ('Bo', NULL);
INSERT INTO profiles (bio, "bioId") VALUES ('likes pugs', 1);
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
SQL
}

pg_dump -Fc -f "$work/dump" "$src"
checks "$src" >"$work/before.txt"
createdb "$dst"
pg_restore --exit-on-error -d "$dst" "$work/dump"
checks "$dst" >"$work/after.txt"

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
