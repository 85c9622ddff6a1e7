-- Bad declarations: each is a clear error, and nothing is left behind.
\set VERBOSITY default
-- every test works in a schema of its own, dropped at the end
CREATE SCHEMA declare_errors_test;
SET search_path = declare_errors_test, public;

CREATE TABLE owners (id serial PRIMARY KEY, name text);
CREATE TABLE pugs (id serial PRIMARY KEY, name text);

-- unknown table
SELECT assoc.has_many('owners', 'nope');
SELECT assoc.belongs_to(NULL, 'owners');

-- no primary key, composite primary key, and no key named instead
CREATE TABLE loose (name text);
SELECT assoc.has_many('loose', 'pugs');
SELECT assoc.belongs_to('pugs', 'loose');
SELECT assoc.has_many('owners', 'loose');
CREATE TABLE pairs (a int, b int, PRIMARY KEY (a, b));
SELECT assoc.has_many('pairs', 'pugs');
SELECT assoc.belongs_to('pugs', 'pairs');

-- a named key that is missing or not unique
SELECT assoc.has_many('owners', 'pugs', source_key => 'nope');
SELECT assoc.has_many('owners', 'pugs', source_key => 'name');
SELECT assoc.belongs_to('pugs', 'owners', target_key => 'name');

-- an existing foreign-key column of another type
CREATE TABLE cats (id serial PRIMARY KEY, "ownerId" text);
SELECT assoc.has_many('owners', 'cats');

-- rows that would violate the new constraint: how many, and one of them
INSERT INTO owners (name) VALUES ('Tom');
CREATE TABLE birds (id serial PRIMARY KEY, name text, "ownerId" integer);
INSERT INTO birds (name, "ownerId") VALUES ('Tweety', 1), ('Polly', 7), ('Kiwi', 8), ('Zazu', NULL);
SELECT assoc.has_many('owners', 'birds');
DELETE FROM birds WHERE id = 3;
SELECT assoc.has_many('owners', 'birds');
\d birds

-- invalid actions
SELECT assoc.has_many('owners', 'pugs', on_delete => 'explode');
SELECT assoc.belongs_to('pugs', 'owners', on_update => 'set nothing');
-- SET NULL on a NOT NULL column
CREATE TABLE fish (id serial PRIMARY KEY, "ownerId" integer NOT NULL);
SELECT assoc.has_many('owners', 'fish', on_delete => 'SET NULL');
-- an existing constraint with other actions than those asked for
CREATE TABLE hamsters (id serial PRIMARY KEY, "ownerId" integer REFERENCES owners ON DELETE CASCADE);
SELECT assoc.has_many('owners', 'hamsters', on_delete => 'set null');

-- the same alias for another association of the same table
SELECT alias FROM assoc.has_many('owners', 'pugs', alias => 'pets');
CREATE TABLE toys (id serial PRIMARY KEY);
SELECT assoc.has_many('owners', 'toys', alias => 'pets');
-- an alias that is also a column of the source (Sequelize: naming collision)
SELECT assoc.belongs_to('pugs', 'owners', alias => 'name');
-- an alias whose singular and plural are the same is no error: one name
-- serves one target and several, as Sequelize's addSheep (uncountable.sql)
CREATE TABLE sheep (id serial PRIMARY KEY);
SELECT kind, alias, foreign_key FROM assoc.has_many('owners', 'sheep', dry_run => true);
-- an alias so long the function names would be truncated
SELECT assoc.has_many('owners', 'toys',
    alias => 'toysThatWereBoughtAtTheShopOnTheCornerOfTheStreetOnSundays');

-- views, materialized views, foreign tables, sequences and indexes are
-- not tables
CREATE VIEW owner_names AS SELECT id, name FROM owners;
SELECT assoc.has_many('owner_names', 'pugs');
CREATE MATERIALIZED VIEW pug_names AS SELECT id, name FROM pugs;
SELECT assoc.belongs_to('pug_names', 'owners');
CREATE FOREIGN DATA WRAPPER nowhere;
CREATE SERVER faraway FOREIGN DATA WRAPPER nowhere;
CREATE FOREIGN TABLE remote_pugs (id int, name text) SERVER faraway;
SELECT assoc.has_many('owners', 'remote_pugs');
SELECT assoc.has_many('owners', 'pugs_id_seq');
SELECT assoc.belongs_to('pugs_pkey', 'owners');

-- a generated name taken by someone else's function: nothing half-done
CREATE TABLE bones (id serial PRIMARY KEY);
CREATE FUNCTION owner_get_bones(integer) RETURNS integer LANGUAGE sql AS 'SELECT 1';
SELECT assoc.has_many('owners', 'bones');
\d bones
SELECT count(*) FROM pg_proc WHERE proname LIKE 'owner\_%bone%';
SELECT count(*) FROM assoc.associations WHERE target = 'bones'::regclass;

-- only the owner of the tables may declare; nobody writes the catalog directly
CREATE ROLE regress_assoc_stranger;
GRANT ALL ON owners, pugs TO regress_assoc_stranger;
CREATE TABLE strangers_pets (id serial PRIMARY KEY);
ALTER TABLE strangers_pets OWNER TO regress_assoc_stranger;
SET ROLE regress_assoc_stranger;
SELECT assoc.has_many('owners', 'strangers_pets');
SELECT assoc.belongs_to('strangers_pets', 'owners');
SELECT assoc.drop_association('owners', 'pets');
INSERT INTO assoc.associations (kind, source, target, alias, foreign_key, source_key, target_key)
    VALUES ('has_many', 'owners', 'pugs', 'mine', 'x', 'id', 'id');
UPDATE assoc.associations SET alias = 'mine';
DELETE FROM assoc.associations;
SELECT alias FROM assoc.associations ORDER BY id;
RESET ROLE;
\d strangers_pets
SELECT count(*) FROM assoc.associations;
DROP TABLE strangers_pets;
REVOKE ALL ON owners, pugs FROM regress_assoc_stranger;
DROP ROLE regress_assoc_stranger;

SET client_min_messages = warning;
DROP SCHEMA declare_errors_test CASCADE;
DROP SERVER faraway;
DROP FOREIGN DATA WRAPPER nowhere;
RESET client_min_messages;
SELECT count(*) AS associations_left FROM assoc.associations;
