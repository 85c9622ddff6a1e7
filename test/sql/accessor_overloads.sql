-- The forms an accessor takes: the instance as a row or as its key, and as
-- text, so that a driver's untyped $1 and a quoted literal resolve without
-- a cast; targets as rows, keys, arrays of either, or text.
\set VERBOSITY default
CREATE SCHEMA ov;
SET search_path = ov, public;
\pset null '(null)'

CREATE TABLE owners (id serial PRIMARY KEY, name text);
CREATE TABLE pugs (id serial PRIMARY KEY, name text);
CREATE TABLE profiles (id serial PRIMARY KEY, bio text);
SET client_min_messages = warning;
SELECT kind, alias FROM assoc.has_many('owners', 'pugs');
SELECT kind, alias FROM assoc.belongs_to('pugs', 'owners');
SELECT kind, alias FROM assoc.has_one('owners', 'profiles');
RESET client_min_messages;
INSERT INTO owners (name) VALUES ('Tom'), ('Ann');
INSERT INTO pugs (name, "ownerId") VALUES ('Cody', 1), ('Dot', 1), ('Ella', 2), ('Fig', NULL);
INSERT INTO profiles (bio, "ownerId") VALUES ('pr1', 1), ('pr2', NULL);

-- the signatures: owner as a row, integer or text; a pug likewise; pugs as
-- an array of rows, of integers, or text
\df owner_get_pugs
\df owner_add_pug
\df owner_set_pugs
\df owner_create_pug
\df pug_set_owner

-- ---------------------------------------------------------------- the instance
SELECT 'row' AS form, array_agg(p.id) AS get, owner_count_pugs(o) AS count,
       owner_has_pug(o, 2) AS has, owner_has_pugs(o, ARRAY[1, 2]) AS has_all
  FROM owners o, owner_get_pugs(o) p WHERE o.id = 1 GROUP BY o.*
UNION ALL
SELECT 'key', (SELECT array_agg(id) FROM owner_get_pugs(1)), owner_count_pugs(1),
       owner_has_pug(1, 2), owner_has_pugs(1, ARRAY[1, 2])
UNION ALL
SELECT 'literal', (SELECT array_agg(id) FROM owner_get_pugs('1')), owner_count_pugs('1'),
       owner_has_pug('1', '2'), owner_has_pugs('1', '{1,2}')
UNION ALL
SELECT 'text', (SELECT array_agg(id) FROM owner_get_pugs('1'::text)), owner_count_pugs('1'::text),
       owner_has_pug('1'::text, '2'::text), owner_has_pugs('1'::text, '{1,2}'::text)
UNION ALL
SELECT 'smallint', (SELECT array_agg(id) FROM owner_get_pugs(1::smallint)), owner_count_pugs(1::smallint),
       owner_has_pug(1::smallint, 2::smallint), owner_has_pugs(1::smallint, ARRAY[1, 2]::smallint[]);
-- named arguments
SELECT id, name FROM owner_get_pugs(owner => 2);
SELECT owner_has_pug(owner => 2, pug => 3), owner_has_pugs(owner => 2, pugs => ARRAY[3]);
SELECT name, "ownerId" FROM owner_create_pug(owner => 2, "values" => '{"name": "Gus"}');
-- an untyped NULL is text: nothing for a reader, an error for a writer
SELECT count(*) FROM owner_get_pugs(NULL);
SELECT owner_add_pug(NULL, NULL);

-- ---------------------------------------------------------------- targets
-- one pug: a row, a key, a literal
SELECT owner_has_pug(1, p) AS "row", owner_has_pug(1, p.id) AS key,
       owner_has_pug(1, '1') AS literal
  FROM pugs p WHERE p.id = 1;
SELECT o.id, o.name FROM pugs p, owner_add_pug(1, p) o WHERE p.name = 'Fig';
SELECT id, name FROM owner_remove_pug('1', '4');
-- several: an array of rows, of keys, a literal
SELECT owner_has_pugs(2, ARRAY(SELECT p FROM pugs p WHERE p."ownerId" = 2)) AS rows,
       owner_has_pugs(2, ARRAY(SELECT id FROM pugs WHERE "ownerId" = 2)) AS keys,
       owner_has_pugs(2, '{3,5}') AS literal;
SELECT id, name FROM owner_add_pugs(1, ARRAY(SELECT p FROM pugs p WHERE p.id IN (4, 5)));
SELECT array_agg(id) FROM owner_get_pugs(1);
SELECT id, name FROM owner_remove_pugs(1, '{4,5}');
SELECT s.id, s.name
  FROM owners o, owner_set_pugs(o, ARRAY(SELECT p FROM pugs p WHERE p.id IN (1, 4))) s
 WHERE o.id = 1;
SELECT array_agg(id) FROM owner_get_pugs(1);
SELECT id, name FROM owner_set_pugs('2', '{3,5}');
SELECT id, "ownerId" FROM pugs ORDER BY id;
-- belongs_to and has_one, every combination of forms
SELECT s.id, s."ownerId" FROM pugs p, owners o, pug_set_owner(p, o) s WHERE p.id = 4 AND o.id = 2;
SELECT id, "ownerId" FROM pug_set_owner(4, 1);
SELECT id, "ownerId" FROM pug_set_owner('4', '2');
SELECT id, "ownerId" FROM pug_set_owner('4', NULL);
SELECT (pug_get_owner(p)).name, (pug_get_owner(p.id)).name, (pug_get_owner(p.id::text)).name
  FROM pugs p WHERE p.id = 3;
SELECT id, bio, "ownerId" FROM owner_set_profile('2', '2');
SELECT s.id, s.bio, s."ownerId" FROM owners o, profiles p, owner_set_profile(o, p) s WHERE o.id = 1 AND p.id = 1;
SELECT (owner_get_profile(o)).bio, (owner_get_profile(o.id)).bio, (owner_get_profile(o.id::text)).bio
  FROM owners o ORDER BY o.id;

-- ---------------------------------------------------------------- a driver's parameters
-- PREPARE without types, as node-pg, psycopg and pgbench -M prepared send
-- them: every parameter is of type unknown
PREPARE get_pugs AS SELECT id, name FROM owner_get_pugs($1);
EXECUTE get_pugs(1);
EXECUTE get_pugs('2');
PREPARE count_pugs AS SELECT owner_count_pugs($1);
EXECUTE count_pugs(1);
PREPARE has_pug AS SELECT owner_has_pug($1, $2);
EXECUTE has_pug(1, 1);
PREPARE has_pugs AS SELECT owner_has_pugs($1, $2);
EXECUTE has_pugs(2, '{3,5}');
PREPARE add_pug AS SELECT id, name FROM owner_add_pug($1, $2);
EXECUTE add_pug(2, 1);
PREPARE set_pugs AS SELECT id, name FROM owner_set_pugs($1, $2);
EXECUTE set_pugs(1, '{1,2}');
PREPARE remove_pugs AS SELECT id, name FROM owner_remove_pugs($1, $2);
EXECUTE remove_pugs(1, '{2}');
PREPARE create_pug AS SELECT name, "ownerId" FROM owner_create_pug($1, $2);
EXECUTE create_pug(2, '{"name": "Hal"}');
PREPARE get_owner AS SELECT name FROM pug_get_owner($1);
EXECUTE get_owner(1);
PREPARE set_owner AS SELECT id, "ownerId" FROM pug_set_owner($1, $2);
EXECUTE set_owner(2, 2);
PREPARE set_profile AS SELECT id, "ownerId" FROM owner_set_profile($1, $2);
EXECUTE set_profile(2, 1);
-- the types the parameters resolved to
SELECT name, parameter_types FROM pg_prepared_statements ORDER BY name;
-- a bad value still gets the association's message
EXECUTE get_pugs('one');
EXECUTE add_pug(1, 'two');
SELECT id, "ownerId" FROM pugs ORDER BY id;

-- ---------------------------------------------------------------- other key types
-- bigint and uuid keys have a text form; a text key is its own text form
CREATE TABLE shelters (id uuid PRIMARY KEY, name text);
CREATE TABLE cats (id bigserial PRIMARY KEY, name text);
CREATE TABLE breeds (code text PRIMARY KEY, name text);
SET client_min_messages = warning;
SELECT kind, alias, foreign_key FROM assoc.has_many('shelters', 'cats');
SELECT kind, alias, foreign_key FROM assoc.belongs_to('cats', 'breeds');
RESET client_min_messages;
\df shelter_add_cat
\df cat_set_breed
INSERT INTO shelters VALUES ('a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11', 'North');
INSERT INTO cats (name) VALUES ('Tab'), ('Kit');
INSERT INTO breeds VALUES ('SIA', 'Siamese');
SELECT id, name FROM shelter_add_cats('a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11', '{1,2}');
SELECT id, name FROM shelter_get_cats('a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11'::uuid);
SELECT shelter_has_cat('a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11', 2::bigint);
SELECT id, name, "breedCode" FROM cat_set_breed('1', 'SIA');
SELECT id, name, "breedCode" FROM cat_set_breed(2::bigint, 'SIA'::text);
SELECT name FROM cat_get_breed(1);
PREPARE get_cats AS SELECT id FROM shelter_get_cats($1);
EXECUTE get_cats('a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11');
EXECUTE get_cats('north');
SELECT cat_set_breed(1, 'XXX');

-- ---------------------------------------------------------------- a self association
-- people.personId: the target parameter is "other_person"
CREATE TABLE people (id serial PRIMARY KEY, name text);
SET client_min_messages = warning;
SELECT kind, alias, foreign_key FROM assoc.has_many('people', 'people');
SELECT kind, alias, foreign_key FROM assoc.has_many('people', 'people', alias => 'children', foreign_key => 'parentId');
RESET client_min_messages;
\df person_add_person
\df person_add_child
INSERT INTO people (name) VALUES ('Ada'), ('Bea'), ('Cy');
SELECT id, name FROM person_add_children(1, '{2,3}');
SELECT id, name FROM person_add_person(other_person => 1, person => 3);
SELECT id, name, "personId", "parentId" FROM people ORDER BY id;

SET client_min_messages = warning;
DROP SCHEMA ov CASCADE;
