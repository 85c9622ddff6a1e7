-- The one argument form of the accessors (README, "Accessors"): keys of
-- other integer types, keys beyond the column's range (nothing for readers,
-- an error for writers), one target for the accessors of several, untyped
-- and prepared parameters, and the index scan kept for each.
\set VERBOSITY default
CREATE SCHEMA wide; SET search_path = wide, public;
CREATE TABLE owners (id serial PRIMARY KEY, name text);
CREATE TABLE pugs (id serial PRIMARY KEY, name text);
SET client_min_messages = warning;
SELECT 1 FROM assoc.has_many('owners', 'pugs'); SELECT 1 FROM assoc.belongs_to('pugs', 'owners');
RESET client_min_messages;
INSERT INTO owners (name) VALUES ('Tom'), ('Ann'); INSERT INTO pugs (name, "ownerId") VALUES ('Rex', 1), ('Bo', 2), ('Cy', NULL);
EXPLAIN (COSTS OFF) SELECT * FROM owner_get_pugs(1);
EXPLAIN (COSTS OFF) SELECT * FROM owner_get_pugs(1::bigint);
EXPLAIN (COSTS OFF) SELECT p.* FROM owners o, owner_get_pugs(o) p;
SELECT * FROM owner_get_pugs(5000000000);
SELECT owner_add_pug(1, 5000000000);
SELECT owner_add_pugs(1, ARRAY[5000000000]);
SELECT owner_has_pugs(1, '{1,5000000000}'), owner_has_pugs(1, '{1}'), owner_has_pug(1, '5000000000');
SELECT pug_get_owner(p) FROM pugs p ORDER BY id;
SELECT * FROM pug_get_owner(1::smallint);
PREPARE q(unknown) AS SELECT count(*) FROM owner_get_pugs($1); EXECUTE q('1');
SELECT owner_with_pugs(2::bigint), owner_with_pugs('1');
SELECT * FROM owner_add_pugs('2', 3);
SELECT * FROM owner_remove_pug(1, 99999999999::bigint);
SELECT * FROM owner_get_pugs(4.5);
SELECT * FROM owner_set_pugs(1, ARRAY['1'::varchar]);
SELECT id, "ownerId" FROM pug_set_owner(3, 2::smallint);
SELECT id, "ownerId" FROM pug_set_owner(3, 5000000000);
PREPARE w(bigint, bigint) AS SELECT id FROM owner_add_pug($1, $2); EXECUTE w(2, 1);
SELECT name FROM owner_get_pugs(2::bigint) ORDER BY id;

SET client_min_messages = warning;
DROP SCHEMA wide CASCADE;
