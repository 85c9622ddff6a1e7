-- assoc.diagram: the declared associations as a Mermaid erDiagram;
-- assoc.check: the keys that point nowhere where no constraint holds them.
\set VERBOSITY default
CREATE SCHEMA diagram_check_test;
SET search_path = diagram_check_test, public;

-- nothing declared: an empty diagram
SELECT assoc.diagram('diagram_check_test');

-- the seed plus students/courses (the README's diagram)
CREATE TABLE owners (id serial PRIMARY KEY, name text,
    "createdAt" timestamptz NOT NULL DEFAULT now(), "updatedAt" timestamptz NOT NULL DEFAULT now());
CREATE TABLE pugs (id serial PRIMARY KEY, name text,
    "createdAt" timestamptz NOT NULL DEFAULT now(), "updatedAt" timestamptz NOT NULL DEFAULT now());
CREATE TABLE students (id serial PRIMARY KEY, name text,
    "createdAt" timestamptz NOT NULL DEFAULT now(), "updatedAt" timestamptz NOT NULL DEFAULT now());
CREATE TABLE courses (id serial PRIMARY KEY, title text,
    "createdAt" timestamptz NOT NULL DEFAULT now(), "updatedAt" timestamptz NOT NULL DEFAULT now());
SET client_min_messages = warning;
SELECT 1 FROM assoc.has_many('owners', 'pugs');
SELECT 1 FROM assoc.belongs_to('pugs', 'owners');
SELECT 1 FROM assoc.belongs_to_many('students', 'courses', through => 'enrollments');
SELECT 1 FROM assoc.belongs_to_many('courses', 'students', through => 'enrollments');
RESET client_min_messages;
\pset format unaligned
\pset tuples_only on
SELECT assoc.diagram('diagram_check_test');

-- has_one, a NOT NULL key, a key without constraint (dotted), a unique
-- key referenced, names that need quoting, a table in another schema
CREATE TABLE profiles (id serial PRIMARY KEY, "ownerId" integer NOT NULL);
CREATE TABLE "Tag Lists" (id bigserial PRIMARY KEY, code text UNIQUE NOT NULL);
CREATE TABLE labels (id serial PRIMARY KEY, "listCode" text);
CREATE SCHEMA diagram_check_other;
CREATE TABLE diagram_check_other.vets (id serial PRIMARY KEY);
SET client_min_messages = warning;
SELECT 1 FROM assoc.has_one('owners', 'profiles');
SELECT 1 FROM assoc.belongs_to('labels', '"Tag Lists"', alias => 'list', foreign_key => 'listCode',
                                target_key => 'code', constraints => false);
SELECT 1 FROM assoc.belongs_to('pugs', 'diagram_check_other.vets');
RESET client_min_messages;
SELECT assoc.diagram('diagram_check_test');
-- only the other schema's: none of its tables is a source
SELECT assoc.diagram('diagram_check_other');
-- deterministic: the same text again
SELECT assoc.diagram('diagram_check_test') = assoc.diagram('diagram_check_test') AS same;
\pset format aligned
\pset tuples_only off

-- check: only the links without a valid constraint
SELECT * FROM assoc.check('labels');
INSERT INTO "Tag Lists" (code) VALUES ('a'), ('b');
INSERT INTO labels ("listCode") VALUES ('a'), ('x'), ('x'), ('y'), (NULL);
SELECT * FROM assoc.check('labels');
SELECT * FROM assoc.check('"Tag Lists"');
-- a constrained association has nothing to check
SELECT * FROM assoc.check('owners');
-- its constraint dropped (or NOT VALID): checked
INSERT INTO owners (name) VALUES ('Tom');
INSERT INTO pugs (name, "ownerId") VALUES ('Cody', 1);
ALTER TABLE pugs DROP CONSTRAINT "pugs_ownerId_fkey";
INSERT INTO pugs (name, "ownerId") VALUES ('Rex', 7);
SELECT * FROM assoc.check('pugs');
ALTER TABLE pugs ADD FOREIGN KEY ("ownerId") REFERENCES owners NOT VALID;
SELECT * FROM assoc.check('owners');
DELETE FROM pugs WHERE "ownerId" = 7;
ALTER TABLE pugs VALIDATE CONSTRAINT "pugs_ownerId_fkey";
SELECT * FROM assoc.check('pugs');
-- belongs_to_many: both keys of the through table
ALTER TABLE enrollments DROP CONSTRAINT "enrollments_courseId_fkey";
INSERT INTO students (name) VALUES ('Amy');
INSERT INTO enrollments ("createdAt", "updatedAt", "studentId", "courseId") VALUES (now(), now(), 1, 42);
SELECT * FROM assoc.check('enrollments');
-- all tables
SELECT source, alias, key_table, key_column, orphans FROM assoc.check()
 WHERE source::text NOT LIKE '%.%' ORDER BY 1, 2, 4;

-- errors: a table without associations, not a table
CREATE TABLE loners (id serial PRIMARY KEY);
SELECT * FROM assoc.check('loners');
CREATE VIEW loner_view AS SELECT * FROM loners;
SELECT * FROM assoc.check('loner_view');
-- the caller must be able to read the tables
CREATE ROLE regress_check;
GRANT USAGE ON SCHEMA diagram_check_test TO regress_check;
SET ROLE regress_check;
SELECT * FROM assoc.check('labels');
RESET ROLE;

SET client_min_messages = warning;
DROP SCHEMA diagram_check_other CASCADE;
DROP SCHEMA diagram_check_test CASCADE;
DROP ROLE regress_check;
