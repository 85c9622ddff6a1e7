-- Schema migrations on associated tables: every ALTER TABLE that
-- PostgreSQL allows on a table without assoc works with the same statement
-- (no CASCADE), and after each one every accessor and loader answers as if
-- the associations had been declared on the new table shape.  The four
-- kinds are declared on tables with data; :check runs a reader of each
-- kind, the loaders and find_all, and a writer round trip.
\set VERBOSITY default
CREATE SCHEMA mig;
SET search_path = mig, public;

CREATE TABLE owners (id serial PRIMARY KEY, name varchar(100) NOT NULL,
    "createdAt" timestamptz NOT NULL DEFAULT '2020-01-01Z',
    "updatedAt" timestamptz NOT NULL DEFAULT '2020-01-01Z');
CREATE TABLE pugs (id serial PRIMARY KEY, name varchar(100),
    "createdAt" timestamptz NOT NULL DEFAULT '2020-01-01Z',
    "updatedAt" timestamptz NOT NULL DEFAULT '2020-01-01Z');
CREATE TABLE profiles (id serial PRIMARY KEY, bio text);
CREATE TABLE students (id serial PRIMARY KEY, name text);
CREATE TABLE courses (id serial PRIMARY KEY, title text);
SET client_min_messages = warning;
SELECT kind, alias FROM assoc.has_many('owners', 'pugs');
SELECT kind, alias FROM assoc.belongs_to('pugs', 'owners');
SELECT kind, alias FROM assoc.has_one('owners', 'profiles');
SELECT kind, alias FROM assoc.belongs_to_many('students', 'courses', through => 'enrollments');
SELECT kind, alias FROM assoc.belongs_to_many('courses', 'students', through => 'enrollments');
RESET client_min_messages;
INSERT INTO owners (name) VALUES ('Tom'), ('Ann');
INSERT INTO pugs (name, "ownerId") VALUES ('Cody', 1), ('Rex', 1), ('Lulu', 2), ('Bo', NULL);
INSERT INTO profiles (bio, "ownerId") VALUES ('likes pugs', 1);
INSERT INTO students (name) VALUES ('Ada'), ('Bob');
INSERT INTO courses (title) VALUES ('Math'), ('Art');
INSERT INTO enrollments ("studentId", "courseId", "createdAt", "updatedAt")
    VALUES (1, 1, now(), now()), (1, 2, now(), now()), (2, 2, now(), now());

-- what every step checks: readers by key and by row, the loaders, find_all
-- with nested includes, and writers whose effect is undone
\set check 'SELECT (SELECT string_agg(name::text, \',\' ORDER BY id) FROM owner_get_pugs(1)) AS tom_pugs, owner_count_pugs(1) AS n, owner_has_pugs(1, \'{1,2}\') AS has, (pug_get_owner(3)).name AS lulus_owner, (owner_get_profile(1)).bio, (SELECT string_agg(title, \',\' ORDER BY id) FROM student_get_courses(1)) AS ada_courses, course_count_students(2) AS art_n; SELECT o.id, jsonb_path_query_array(owner_with_pugs(o)::jsonb, \'$.pugs[*].name\') AS owner_with_pugs FROM owners o ORDER BY o.id; SELECT (SELECT jsonb_agg(x) FROM (SELECT p.id, (pug_with_owner(p)::jsonb -> \'owner\' ->> \'name\') AS owner FROM pugs p ORDER BY p.id) x) AS pug_with_owner; SELECT (SELECT jsonb_agg(e - \'createdAt\' - \'updatedAt\') FROM jsonb_array_elements(jsonb_path_query_array(student_with_courses(s)::jsonb, \'$.courses[*].enrollment\')) e) AS through_row FROM students s WHERE s.id = 2; SELECT jsonb_path_query_array(assoc.find_all(\'owners\', \'{"attributes": ["name"], "include": [{"association": "pugs", "attributes": ["name"]}, {"association": "profile", "attributes": ["bio"]}], "order": [["id", "ASC"]]}\')::jsonb, \'$\') AS find_all; SELECT id FROM owner_add_pug(2, 4); SELECT count(*) AS ann_now FROM owner_get_pugs(2); SELECT id FROM owner_remove_pug(2, 4); SELECT id FROM student_add_course(2, 1); SELECT student_count_courses(2); SELECT id FROM student_remove_course(2, 1);'

:check

-- ADD COLUMN, without and with DEFAULT (Sequelize's addColumn)
ALTER TABLE pugs ADD COLUMN age integer;
ALTER TABLE pugs ADD COLUMN color text NOT NULL DEFAULT 'fawn';
ALTER TABLE owners ADD COLUMN city text DEFAULT 'Oslo';
ALTER TABLE enrollments ADD COLUMN grade integer DEFAULT 5;
SELECT id, name, age, color FROM owner_get_pugs(1);
SELECT name, city FROM pug_get_owner(1);
SELECT id, name, color FROM owner_create_pug(2, '{"name": "Mo", "age": 2}');
:check

-- DROP COLUMN of columns that are no key, on every table
ALTER TABLE pugs DROP COLUMN age;
ALTER TABLE owners DROP COLUMN city;
ALTER TABLE enrollments DROP COLUMN grade;
ALTER TABLE profiles DROP COLUMN bio;
ALTER TABLE profiles ADD COLUMN bio text DEFAULT 'new';
SELECT id, name, "ownerId", color FROM owner_get_pugs(2);
:check

-- ALTER COLUMN TYPE of columns that are no key (changeColumn)
ALTER TABLE pugs ALTER COLUMN name TYPE varchar(300);
ALTER TABLE owners ALTER COLUMN name TYPE varchar(400);
ALTER TABLE courses ALTER COLUMN title TYPE varchar(50);
SELECT pg_typeof(name) FROM owner_get_pugs(1) LIMIT 1;
:check

-- SET/DROP NOT NULL, SET/DROP DEFAULT, ADD/DROP CONSTRAINT
ALTER TABLE pugs ALTER COLUMN name SET NOT NULL;
ALTER TABLE pugs ALTER COLUMN name DROP NOT NULL;
ALTER TABLE pugs ALTER COLUMN name SET DEFAULT 'nameless';
ALTER TABLE pugs ALTER COLUMN "ownerId" SET DEFAULT 1;
ALTER TABLE pugs ALTER COLUMN "ownerId" DROP DEFAULT;
ALTER TABLE pugs ADD CONSTRAINT pug_name_short CHECK (length(name) < 20);
ALTER TABLE owners ADD CONSTRAINT owner_name_unique UNIQUE (name);
SELECT name FROM owner_create_pug(1, '{}');
SELECT id FROM owner_remove_pug(1, (SELECT max(id) FROM pugs));
ALTER TABLE pugs DROP CONSTRAINT pug_name_short;
ALTER TABLE owners DROP CONSTRAINT owner_name_unique;
-- the foreign key constraint itself (removeConstraint / addConstraint)
ALTER TABLE pugs DROP CONSTRAINT "pugs_ownerId_fkey";
:check
ALTER TABLE pugs ADD CONSTRAINT "pugs_ownerId_fkey" FOREIGN KEY ("ownerId")
    REFERENCES owners (id) ON DELETE SET NULL ON UPDATE CASCADE;
-- the foreign key NOT NULL: the writers see it (remove is refused)
BEGIN;
UPDATE pugs SET "ownerId" = 2 WHERE "ownerId" IS NULL;
ALTER TABLE pugs ALTER COLUMN "ownerId" SET NOT NULL;
SELECT id FROM owner_remove_pug(1, 1);
ROLLBACK;
SELECT id FROM owner_remove_pug(2, 5);
:check

-- RENAME COLUMN (keys and others), RENAME TABLE, SET SCHEMA
ALTER TABLE pugs RENAME COLUMN name TO title;
ALTER TABLE pugs RENAME COLUMN title TO name;
ALTER TABLE pugs RENAME COLUMN "ownerId" TO owner_ref;
ALTER TABLE owners RENAME COLUMN id TO owner_no;
ALTER TABLE enrollments RENAME COLUMN "studentId" TO student_ref;
SELECT kind, foreign_key, source_key, target_key, other_key FROM assoc.associations ORDER BY id;
SELECT id, name, owner_ref FROM owner_get_pugs(1);
SELECT owner_no, name FROM pug_get_owner(3);
SELECT owner_count_pugs(o), owner_with_pugs(o)::jsonb -> 'pugs' -> 0 ->> 'owner_ref' AS fk FROM owners o ORDER BY owner_no;
SELECT owner_no FROM owner_add_pug(2, 4);
SELECT owner_no FROM owner_remove_pug(2, 4);
SELECT title FROM student_get_courses(1);
SELECT student_with_courses(s)::jsonb #> '{courses,0,enrollment,student_ref}' AS through_fk FROM students s WHERE id = 1;
SELECT assoc.find_all('owners', '{"attributes": ["owner_no"], "include": [{"association": "pugs", "attributes": ["owner_ref"]}], "order": [["owner_no", "ASC"]]}');
ALTER TABLE pugs RENAME COLUMN owner_ref TO "ownerId";
ALTER TABLE owners RENAME COLUMN owner_no TO id;
ALTER TABLE enrollments RENAME COLUMN student_ref TO "studentId";
ALTER TABLE pugs RENAME TO dogs;
ALTER TABLE dogs RENAME TO pugs;
CREATE SCHEMA mig2;
ALTER TABLE pugs SET SCHEMA mig2;
SELECT source, target FROM assoc.associations ORDER BY id;
SELECT id, name FROM owner_get_pugs(1);
ALTER TABLE mig2.pugs SET SCHEMA mig;
:check

-- the int -> bigint migration of a growing app: the key and its foreign
-- key, in two transactions, and the accessors take the new type
ALTER TABLE owners ALTER COLUMN id TYPE bigint;
SELECT id, name FROM owner_get_pugs(1::bigint);
ALTER TABLE pugs ALTER COLUMN "ownerId" TYPE bigint;
SELECT pg_get_function_identity_arguments(f) AS args
  FROM assoc.associations a, unnest(a.functions) f
 WHERE a.alias = 'pugs' AND f::text LIKE '%owner_get_pugs%' ORDER BY 1;
SELECT id, name FROM owner_get_pugs(9000000000);
SELECT id FROM owner_add_pug(9000000000, 1);
:check
-- ... and in one transaction, for the through table's keys
BEGIN;
ALTER TABLE students ALTER COLUMN id TYPE bigint;
ALTER TABLE enrollments ALTER COLUMN "studentId" TYPE bigint;
COMMIT;
SELECT p.prosrc LIKE '%CAST(NULL AS bigint)%' AS bigint_key FROM pg_proc p WHERE p.oid = 'student_get_courses(anycompatible)'::regprocedure;
:check

-- two ALTERs of one table in one transaction; one ALTER with two actions
BEGIN;
ALTER TABLE pugs ADD COLUMN weight numeric;
ALTER TABLE pugs RENAME COLUMN weight TO kilos;
COMMIT;
ALTER TABLE pugs ALTER COLUMN kilos TYPE real, ADD COLUMN born date;
SELECT id, kilos, born FROM owner_get_pugs(1);

-- an ALTER rolled back leaves the functions as they were
SELECT md5(string_agg(p.prosrc, '' ORDER BY p.oid)) AS before
  FROM assoc.associations a, unnest(a.functions) f, pg_proc p WHERE p.oid = f \gset
BEGIN;
ALTER TABLE pugs RENAME COLUMN "ownerId" TO gone;
ALTER TABLE owners RENAME TO keepers;
SELECT id, gone FROM owner_get_pugs(1);
ROLLBACK;
SELECT md5(string_agg(p.prosrc, '' ORDER BY p.oid)) = :'before' AS unchanged
  FROM assoc.associations a, unnest(a.functions) f, pg_proc p WHERE p.oid = f;
:check

-- an ALTER that changes nothing assoc writes leaves every function alone
SELECT p.xmin AS xmin_before FROM pg_proc p WHERE p.oid = 'owner_get_pugs(anycompatible)'::regprocedure \gset
ALTER TABLE pugs ADD COLUMN nickname text, ALTER COLUMN born TYPE timestamp;
SELECT p.xmin = :'xmin_before' AS not_rewritten FROM pg_proc p
 WHERE p.oid = 'owner_get_pugs(anycompatible)'::regprocedure;

-- DROP TABLE is refused while functions depend on it, as before
DROP TABLE profiles;

-- dropping a key column ends the associations that use it, with a NOTICE
-- (PostgreSQL drops the foreign key constraint along); no CASCADE
ALTER TABLE enrollments DROP COLUMN "courseId";
SELECT kind, alias FROM assoc.associations ORDER BY id;
SELECT count(*) AS btm_functions_left FROM pg_proc WHERE proname LIKE 'student\_%' OR proname LIKE 'course\_%';
ALTER TABLE pugs DROP COLUMN "ownerId";
SELECT kind, alias FROM assoc.associations ORDER BY id;
-- dropping a referenced key needs CASCADE for PostgreSQL's own constraint
ALTER TABLE owners DROP COLUMN id;
SET client_min_messages = warning;
ALTER TABLE owners DROP COLUMN id CASCADE;
RESET client_min_messages;
SELECT count(*) AS associations FROM assoc.associations;
SELECT count(*) AS functions_left FROM pg_proc WHERE pronamespace = 'mig'::regnamespace;

SET client_min_messages = warning;
DROP SCHEMA mig CASCADE;
DROP SCHEMA mig2 CASCADE;
RESET client_min_messages;
