-- ALTER TABLE on associated tables: accessors keep working after columns
-- are added, renamed or dropped and tables renamed.
\set VERBOSITY default
CREATE SCHEMA alter_test;
SET search_path = alter_test, public;

CREATE TABLE owners (id serial PRIMARY KEY, name text);
CREATE TABLE pugs (id serial PRIMARY KEY, name text);
SELECT alias FROM assoc.has_many('owners', 'pugs');
SELECT alias FROM assoc.belongs_to('pugs', 'owners');
INSERT INTO owners (name) VALUES ('Tom');
INSERT INTO pugs (name, "ownerId") VALUES ('Cody', 1), ('Rex', 1);

-- a new column appears in what the accessors return
ALTER TABLE pugs ADD COLUMN age integer;
SELECT * FROM owner_get_pugs(1);
SELECT id, name, age FROM owner_create_pug(1, '{"name": "Bo", "age": 3}');
SELECT owner_with_pugs(1);

-- renamed foreign key column and table: same functions, catalog follows
ALTER TABLE pugs RENAME COLUMN "ownerId" TO owner_ref;
ALTER TABLE owners RENAME TO keepers;
SELECT id, owner_ref FROM owner_get_pugs(1);
SELECT (pug_get_owner(2)).name;
SELECT source, target, alias, foreign_key FROM assoc.associations ORDER BY id;
SELECT id FROM owner_add_pug(1, 3);

-- a column with a default (Sequelize's addColumn with defaultValue), and
-- columns named like the aliases generated SQL uses inside
ALTER TABLE pugs ADD COLUMN x integer DEFAULT 7;
ALTER TABLE pugs ADD COLUMN k text DEFAULT 'k', ADD COLUMN t text DEFAULT 't';
ALTER TABLE keepers ADD COLUMN s integer DEFAULT 1, ADD COLUMN e integer DEFAULT 2;
SELECT owner_with_pugs(1);
SELECT owner_with_pugs(k) FROM keepers k;
SELECT pug_with_owner(p) FROM pugs p ORDER BY id;
SELECT owner_has_pugs(1, '{1,2}'), owner_count_pugs(k) FROM keepers k;
SELECT id FROM owner_set_pugs(1, ARRAY[1, 2]);
SELECT id, x, k, t FROM owner_create_pug(1, '{"name": "Lu"}');
ALTER TABLE pugs DROP COLUMN x, DROP COLUMN k, DROP COLUMN t;
ALTER TABLE keepers DROP COLUMN s, DROP COLUMN e;

-- dropping a column the functions return needs no CASCADE (as for a
-- table without assoc): the functions return whole rows, as they are now
ALTER TABLE pugs DROP COLUMN age;
SELECT * FROM owner_get_pugs(1);
SELECT alias, cardinality(functions) AS functions FROM assoc.associations ORDER BY id;
SELECT pg_get_functiondef('owner_count_pugs(anycompatible)'::regprocedure);

-- dropping the foreign key column (no CASCADE: PostgreSQL drops its
-- constraint and index along) ends both associations, with a NOTICE each
ALTER TABLE pugs DROP COLUMN owner_ref;
SELECT count(*) FROM assoc.associations;
SELECT count(*) FROM pg_proc WHERE proname LIKE 'owner\_%' OR proname LIKE 'pug\_%';

-- DROP TABLE: refused while functions depend on it, then the catalog follows
SELECT alias FROM assoc.has_many('keepers', 'pugs', alias => 'pugs');
DROP TABLE pugs;
SET client_min_messages = warning;
DROP TABLE pugs CASCADE;
RESET client_min_messages;
SELECT count(*) FROM assoc.associations;

SET client_min_messages = warning;
DROP SCHEMA alter_test CASCADE;
RESET client_min_messages;
