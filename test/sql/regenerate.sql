-- assoc.regenerate(tab): the generated functions written again where they
-- differ from what assoc generates now (after an upgrade of assoc, or a
-- function changed by hand); only the caller's tables.
\set VERBOSITY default
CREATE SCHEMA regen;
SET search_path = regen, public;
CREATE TABLE owners (id serial PRIMARY KEY, name text);
CREATE TABLE pugs (id serial PRIMARY KEY, name text);
SET client_min_messages = warning;
SELECT alias FROM assoc.has_many('owners', 'pugs');
SELECT alias FROM assoc.belongs_to('pugs', 'owners');
RESET client_min_messages;
INSERT INTO owners (name) VALUES ('Tom');
INSERT INTO pugs (name, "ownerId") VALUES ('Cody', 1);

-- generated_by: the version of assoc that wrote the functions, in the row a
-- declaration returns (with dry_run too) and in the catalog
SET client_min_messages = warning;
SELECT id, alias, generated_by FROM assoc.has_one('owners', 'pugs', alias => 'favorite', dry_run => true);
RESET client_min_messages;
SELECT alias, generated_by FROM assoc.associations ORDER BY id;

-- nothing to do: every function is as assoc writes it; the rows are not
-- written either (find_all's caches stay warm)
CREATE TEMP TABLE row_versions AS SELECT id, xmin::text AS x FROM assoc.associations;
SELECT assoc.regenerate('owners');
SELECT assoc.regenerate();
SELECT count(*) AS rows_written FROM assoc.associations a JOIN row_versions v USING (id)
 WHERE a.xmin::text <> v.x;

-- functions another version wrote (as after ALTER EXTENSION assoc UPDATE),
-- or of unknown version (NULL, a row of 0.1.0 before the update's
-- regenerate), that this version writes the same: no function is written
-- again, generated_by becomes this version
UPDATE assoc.associations SET generated_by = '0.1.0' WHERE alias = 'pugs';
UPDATE assoc.associations SET generated_by = NULL WHERE alias = 'owner';
SELECT assoc.regenerate();
SELECT alias, generated_by FROM assoc.associations ORDER BY id;

-- an ALTER TABLE that changes no function: the same
UPDATE assoc.associations SET generated_by = '0.1.0';
ALTER TABLE pugs ADD COLUMN age integer;
SELECT alias, generated_by FROM assoc.associations ORDER BY id;

-- a function changed by hand, one dropped by hand: both written again
CREATE OR REPLACE FUNCTION owner_count_pugs(owner anycompatible) RETURNS bigint
    LANGUAGE sql STABLE AS 'SELECT 42::bigint';
DROP FUNCTION owner_get_pugs(anycompatible);
SELECT owner_count_pugs(1);
UPDATE assoc.associations SET generated_by = '0.1.0';
SELECT assoc.regenerate('pugs');
SELECT owner_count_pugs(1), (SELECT name FROM owner_get_pugs('1'));
SELECT alias, generated_by FROM assoc.associations ORDER BY id;
SELECT count(*) AS functions FROM assoc.associations a, unnest(a.functions) f;

-- a key's new type keeps the functions' (polymorphic) argument types: a
-- function of the caller's taking the new type is left alone, and the ALTER
-- TABLE goes through
CREATE FUNCTION owner_get_pugs(owner bigint) RETURNS SETOF pugs
    LANGUAGE sql AS 'SELECT * FROM regen.pugs WHERE false';
ALTER TABLE owners ALTER COLUMN id TYPE bigint;
SELECT pg_typeof(id) FROM owners;
DROP FUNCTION owner_get_pugs(bigint);
-- and a view using an accessor: the function is replaced, not dropped
CREATE VIEW tom_pugs AS SELECT * FROM owner_get_pugs(1);
ALTER TABLE owners ALTER COLUMN id TYPE bigint;
DROP VIEW tom_pugs;
ALTER TABLE owners ALTER COLUMN id TYPE bigint;
SELECT name FROM owner_get_pugs(1::bigint);

-- only the owner of the table may
CREATE ROLE regen_other;
GRANT USAGE ON SCHEMA regen TO regen_other;
SET ROLE regen_other;
SELECT assoc.regenerate('owners');
-- without a table: the caller's tables only (here none)
SELECT assoc.regenerate();
RESET ROLE;
DROP OWNED BY regen_other;
DROP ROLE regen_other;

SET client_min_messages = warning;
DROP SCHEMA regen CASCADE;
RESET client_min_messages;
