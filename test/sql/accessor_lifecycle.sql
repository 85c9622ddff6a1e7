-- The generated functions over an association's life: where they are
-- made, how the catalog lists them, and how drop_association, DROP TABLE
-- and DROP FUNCTION remove them.  Names are as hostile as SQL allows.
\set VERBOSITY default
CREATE SCHEMA "Zoo ""Keepers""";
SET search_path = "Zoo ""Keepers""", public;
\pset null '(null)'

-- "Owners" is the model "Owner", whose functions are owner_...;
-- "my pugs" is the model "my pug", the alias "my pugs", the functions
-- ..._my_pugs and my_pug_...
CREATE TABLE "Owners" ("Id" serial PRIMARY KEY, "Name" text,
    "createdAt" timestamptz NOT NULL, "updatedAt" timestamptz NOT NULL);
CREATE TABLE "my pugs" (id serial PRIMARY KEY, "the name" text,
    "createdAt" timestamptz NOT NULL, "updatedAt" timestamptz NOT NULL);
SET client_min_messages = warning;
SELECT kind, alias, foreign_key FROM assoc.has_many('"Owners"', '"my pugs"');
SELECT kind, alias, foreign_key FROM assoc.belongs_to('"my pugs"', '"Owners"');
RESET client_min_messages;
-- the catalog rows of this schema's tables
CREATE VIEW zoo AS
    SELECT a.* FROM assoc.associations a JOIN pg_class c ON c.oid = a.source
     WHERE c.relnamespace = '"Zoo ""Keepers"""'::regnamespace;

-- the catalog lists every function of each association, as regprocedure
SELECT a.alias, p.proname, count(*) AS overloads
  FROM zoo a, unnest(a.functions) f, pg_proc p
 WHERE p.oid = f
   AND p.proname NOT LIKE '%\_with\_%'
 GROUP BY a.id, a.alias, p.proname ORDER BY a.id, p.proname;
SELECT f AS signature
  FROM assoc.associations a, unnest(a.functions) f
 WHERE a.source = '"Owners"'::regclass AND f::text LIKE '%owner\_add\_my\_pug(%'
 ORDER BY 1;
-- all of them live in the source table's schema, and nothing else there
-- is a function
SELECT count(DISTINCT p.pronamespace) AS schemas,
       bool_and(p.pronamespace = '"Zoo ""Keepers"""'::regnamespace) AS in_source_schema,
       count(*) = (SELECT count(*) FROM pg_proc
                    WHERE pronamespace = '"Zoo ""Keepers"""'::regnamespace) AS all_of_schema
  FROM zoo a, unnest(a.functions) f, pg_proc p
 WHERE p.oid = f;

-- they work with those names
INSERT INTO "Owners" ("Name", "createdAt", "updatedAt") VALUES ('Tom', now(), now()), ('Ann', now(), now());
SELECT id, "the name", "OwnerId" FROM owner_create_my_pug(1, '{"the name": "Cody"}');
SELECT id, "the name", "OwnerId" FROM owner_create_my_pug('1', '{"the name": "Dot"}');
SELECT "Id", "Name" FROM owner_set_my_pugs(2, '{2}');
SELECT o."Name", p."the name" FROM "Owners" o, owner_get_my_pugs(o) p ORDER BY 1, 2;
SELECT id, "OwnerId" FROM my_pug_set_owner(1, 2);
SELECT "Name" FROM my_pug_get_owner(1);
SELECT owner_count_my_pugs(2), owner_has_my_pugs(2, '{1,2}'), owner_has_my_pug(1, 1);

-- ---------------------------------------------------------------- drop_association
-- its functions go, the other association's stay, the column stays
SET client_min_messages = warning;
SELECT assoc.drop_association('"Owners"', 'my pugs');
RESET client_min_messages;
SELECT count(*) AS owner_functions FROM pg_proc
 WHERE pronamespace = '"Zoo ""Keepers"""'::regnamespace AND proname LIKE 'owner\_%';
SELECT alias, cardinality(functions) > 0 AS has_functions
  FROM zoo ORDER BY id;
SELECT "Name" FROM my_pug_get_owner(2);
SELECT owner_get_my_pugs(1);
-- declared again, they are back
SET client_min_messages = warning;
SELECT kind, alias FROM assoc.has_many('"Owners"', '"my pugs"');
RESET client_min_messages;
SELECT count(*) AS my_pugs_of_ann FROM owner_get_my_pugs(2);

-- ---------------------------------------------------------------- DROP TABLE
-- The generated functions depend on the tables (their bodies are parsed
-- at creation and recorded): PostgreSQL refuses the drop and names them.
CREATE TABLE tags (id serial PRIMARY KEY, label text);
CREATE TABLE notes (id serial PRIMARY KEY, body text);
SET client_min_messages = warning;
SELECT kind, alias, foreign_key FROM assoc.belongs_to('notes', 'tags');
RESET client_min_messages;
DROP TABLE tags;
-- the source table too (the same functions, not listed again)
\set VERBOSITY terse
DROP TABLE notes;
\set VERBOSITY default
-- with CASCADE they go, and the catalog row with them; the column stays,
-- its constraint goes with the referenced table
SET client_min_messages = warning;
DROP TABLE tags CASCADE;
RESET client_min_messages;
SELECT count(*) AS tag_associations FROM assoc.associations
 WHERE source = 'notes'::regclass;
SELECT count(*) AS note_functions FROM pg_proc
 WHERE pronamespace = '"Zoo ""Keepers"""'::regnamespace AND proname LIKE 'note\_%';
\d notes

-- the source table likewise
SET client_min_messages = warning;
DROP TABLE "my pugs" CASCADE;
RESET client_min_messages;
SELECT alias, cardinality(functions) FROM zoo ORDER BY id;
SELECT count(*) AS functions_left FROM pg_proc
 WHERE pronamespace = '"Zoo ""Keepers"""'::regnamespace;

-- ---------------------------------------------------------------- DROP FUNCTION
-- dropping one generated function by hand: the catalog stops listing it
CREATE TABLE "my pugs" (id serial PRIMARY KEY);
SET client_min_messages = warning;
SELECT kind, alias FROM assoc.has_many('"Owners"', '"my pugs"');
RESET client_min_messages;
SELECT cardinality(functions) AS before FROM assoc.associations WHERE source = '"Owners"'::regclass;
DROP FUNCTION owner_add_my_pug(anycompatible, anyelement);
SELECT cardinality(functions) AS after,
       'owner_add_my_pug(anycompatible,anyelement)' IN (SELECT f::text FROM unnest(functions) f) AS listed
  FROM assoc.associations WHERE source = '"Owners"'::regclass;
-- drop_association drops the rest without tripping over the missing one
SET client_min_messages = warning;
SELECT assoc.drop_association('"Owners"', 'my pugs');
RESET client_min_messages;
SELECT count(*) AS functions_left FROM pg_proc
 WHERE pronamespace = '"Zoo ""Keepers"""'::regnamespace;

SET client_min_messages = warning;
DROP SCHEMA "Zoo ""Keepers""" CASCADE;
RESET client_min_messages;
-- no catalog row is left pointing at a table that is gone
SELECT count(*) AS dangling FROM assoc.associations a
 WHERE NOT EXISTS (SELECT FROM pg_class c WHERE c.oid = a.source)
    OR NOT EXISTS (SELECT FROM pg_class c WHERE c.oid = a.target);
