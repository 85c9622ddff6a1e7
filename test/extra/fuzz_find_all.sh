#!/usr/bin/env bash
# Fuzzing assoc.find_all / assoc.find_all_sql with a few thousand random and
# malformed options documents (random keys, wrong types, deep nesting, huge
# numbers, unicode, quotes, SQL fragments, $-operators in the wrong places)
# and odd models (views, sequences, catalogs, OIDs of nothing), against a
# small seeded schema with associations, some of them with hostile names.
#
# Every case must either succeed or fail with a clean ERROR:
#   - never an internal error (SQLSTATE class XX, e.g. "cache lookup failed",
#     "unrecognized node type") or a system error (class 58);
#   - never a crash: after every batch the server must answer, with the same
#     pg_postmaster_start_time (no restart);
#   - never SQL injection: the payloads call public.fuzz_pwned(), which
#     raises a WARNING "FUZZ-PWNED" (so it is seen even in a read-only
#     statement); that warning, a "function public.fuzz_pwned() does not
#     exist", a PostgreSQL "syntax error at or near" (input reaching the SQL
#     text unquoted), or a "... is not allowed in a non-volatile function"
#     (a DROP/DELETE that got into the statement) is a failure; and the
#     canary table must keep its rows, every table its row count;
#   - no leak warnings (resource, snapshot, cache reference leaks).
# The failures are printed with the JSON that reproduces them.
#
# Run by `make test` with PGHOST, PGPORT, PGUSER and a fresh PGDATABASE; or
# by hand against any database where assoc can be created (it works in
# schema fuzz_find_all, dropped at the end).  Needs node (installed with
# apt-get when missing and root).
#
# Environment:
#   FUZZ_SEED        seed of the generator (default: random; printed, so a run can be repeated)
#   FUZZ_CASES       number of cases (3000)
#   FUZZ_BATCH       cases per psql session (250)
#   FUZZ_TIME_LIMIT  seconds after which no new batch starts (600)
#   FUZZ_KEEP=1      keep the schema and write every case to fuzz_find_all.cases.sql
#   FUZZ_VERBOSE=1   list the distinct error messages, with a case of each
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)

if ! command -v node >/dev/null 2>&1; then
	if [[ $(id -u) == 0 ]] && command -v apt-get >/dev/null 2>&1; then
		echo "installing nodejs with apt-get"
		DEBIAN_FRONTEND=noninteractive apt-get install -y -q nodejs >/dev/null ||
			{ apt-get update -q >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -q nodejs >/dev/null; }
	fi
	command -v node >/dev/null 2>&1 || {
		echo "FAIL: node is needed (apt-get install nodejs)"
		exit 1
	}
fi

export PGDATABASE=${PGDATABASE:-${PGUSER:-postgres}}

cleanup() {
	if [[ ${FUZZ_KEEP:-0} != 1 ]]; then
		psql -X -q -c 'SET client_min_messages = warning' \
			-c 'DROP SCHEMA IF EXISTS fuzz_find_all CASCADE' >/dev/null 2>&1 || true
	fi
}
trap cleanup EXIT

psql -X -q -v ON_ERROR_STOP=1 >/dev/null <<'SQL'
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS assoc;
DROP SCHEMA IF EXISTS fuzz_find_all CASCADE;
CREATE SCHEMA fuzz_find_all;
SET search_path = fuzz_find_all;

-- the injection marker: seen by the client even when the statement that
-- called it fails or is read-only
CREATE FUNCTION fuzz_pwned() RETURNS boolean LANGUAGE plpgsql AS $$
BEGIN
    RAISE WARNING 'FUZZ-PWNED: injected SQL ran';
    RETURN true;
END
$$;
-- in public too, where payloads name it (search_path of the generated SQL
-- may not include our schema)
CREATE OR REPLACE FUNCTION public.fuzz_pwned() RETURNS boolean LANGUAGE plpgsql AS $$
BEGIN
    RAISE WARNING 'FUZZ-PWNED: injected SQL ran';
    RETURN true;
END
$$;

CREATE TABLE canary (id int PRIMARY KEY, note text NOT NULL);
INSERT INTO canary VALUES (1, 'alive'), (2, 'still alive'), (3, 'tweet');

CREATE TABLE owners (id serial PRIMARY KEY, name text, score numeric, tags text[], meta jsonb,
    born date, active boolean DEFAULT true,
    "createdAt" timestamptz NOT NULL DEFAULT '2024-01-01Z', "updatedAt" timestamptz NOT NULL DEFAULT '2024-01-02Z');
CREATE TABLE pugs (id serial PRIMARY KEY, name text, age int, weight real,
    "createdAt" timestamptz NOT NULL DEFAULT '2024-01-01Z', "updatedAt" timestamptz NOT NULL DEFAULT '2024-01-02Z');
CREATE TABLE toys (id bigserial PRIMARY KEY, label varchar(40), price numeric(10, 2));
CREATE TABLE profiles (id uuid PRIMARY KEY DEFAULT gen_random_uuid(), bio text);
CREATE TABLE "we'ird ""tab" (id int PRIMARY KEY, "na'me" text, "sel;ect" int, "$gt" text);
CREATE TABLE nopk (a int, b text);
CREATE VIEW owner_names AS SELECT id, name FROM owners;
CREATE SEQUENCE a_sequence;

SELECT 1 FROM assoc.has_many('owners', 'pugs');
SELECT 1 FROM assoc.belongs_to('pugs', 'owners');
SELECT 1 FROM assoc.has_many('pugs', 'toys');
SELECT 1 FROM assoc.belongs_to('toys', 'pugs');
SELECT 1 FROM assoc.has_one('owners', 'profiles');
SELECT 1 FROM assoc.has_many('owners', '"we''ird ""tab"', alias => 'we''ird "s');
SELECT 1 FROM assoc.belongs_to('"we''ird ""tab"', 'owners', alias => 'own"er');
SELECT 1 FROM assoc.has_many('owners', 'owners', alias => 'children', foreign_key => 'parentId');
SELECT 1 FROM assoc.belongs_to('owners', 'owners', alias => 'parent', foreign_key => 'parentId');

INSERT INTO owners (name, score, tags, meta, born, active)
SELECT CASE i % 5 WHEN 0 THEN 'Tom' WHEN 1 THEN 'Ann''s "x"' WHEN 2 THEN 'Zoë 🐶' WHEN 3 THEN '%_\' ELSE 'o' || i END,
       i * 1.5, ARRAY['a', 'b' || i], jsonb_build_object('k', i), date '2000-01-01' + i, i % 2 = 0
  FROM generate_series(1, 20) i;
UPDATE owners SET "parentId" = id - 1 WHERE id > 1;
INSERT INTO pugs (name, age, weight, "ownerId")
SELECT 'pug ' || i, i % 15, i / 3.0, CASE WHEN i % 7 = 0 THEN NULL ELSE 1 + i % 20 END
  FROM generate_series(1, 60) i;
INSERT INTO toys (label, price, "pugId") SELECT 'toy ' || i, i / 7.0, 1 + i % 60 FROM generate_series(1, 100) i;
INSERT INTO profiles (bio, "ownerId") SELECT 'bio ' || i, i FROM generate_series(1, 10) i;
SQL

# the foreign key of the hostile association has whatever name assoc
# derived: fill that table by column number
psql -X -q -v ON_ERROR_STOP=1 >/dev/null <<'SQL' || echo "note: could not fill the table of the hostile association"
SET search_path = fuzz_find_all;
DO $do$
DECLARE fk text;
BEGIN
    SELECT foreign_key INTO fk FROM assoc.associations
     WHERE source = 'owners'::regclass AND alias = 'we''ird "s';
    EXECUTE format('INSERT INTO %I (id, "na''me", "sel;ect", "$gt", %I) SELECT i, $x$it''s$x$ || i, i, $y$$gt$y$, 1 + i %% 20 FROM generate_series(1, 10) i',
                   'we''ird "tab', fk);
END
$do$;
SQL

# belongs_to_many, when this build has it
psql -X -q -v ON_ERROR_STOP=1 >/dev/null 2>&1 <<'SQL' || echo "note: no belongs_to_many associations in the fuzz schema"
SET client_min_messages = warning;
SET search_path = fuzz_find_all;
DO $$
BEGIN
    IF to_regproc('assoc.belongs_to_many') IS NULL THEN
        RAISE EXCEPTION 'assoc.belongs_to_many does not exist';
    END IF;
END
$$;
CREATE TABLE students (id serial PRIMARY KEY, name text);
CREATE TABLE courses (id serial PRIMARY KEY, title text);
SELECT 1 FROM assoc.belongs_to_many('students', 'courses', through => 'enrollments');
SELECT 1 FROM assoc.belongs_to_many('courses', 'students', through => 'enrollments');
INSERT INTO students (name) SELECT 's' || i FROM generate_series(1, 10) i;
INSERT INTO courses (title) SELECT 'c' || i FROM generate_series(1, 5) i;
INSERT INTO enrollments ("studentId", "courseId", "createdAt", "updatedAt")
SELECT s, c, now(), now() FROM generate_series(1, 10) s, generate_series(1, 5) c WHERE (s + c) % 3 = 0;
SQL

node "$HERE/fuzz_find_all.js"
