-- Bad input to the accessors: a clear error that names the association and
-- the offending value, and nothing changed.  (Sequelize silently ignores
-- addPug(999), setPugs([2, 999]), setProfile(999); assoc does not.)  Readers
-- are WHEREs and do not raise for a key that does not exist.
\set VERBOSITY default
CREATE SCHEMA ae;
SET search_path = ae, public;
\pset null '(null)'

CREATE TABLE owners (id serial PRIMARY KEY, name text,
    "createdAt" timestamptz NOT NULL, "updatedAt" timestamptz NOT NULL);
CREATE TABLE pugs (id serial PRIMARY KEY, name text,
    "createdAt" timestamptz NOT NULL, "updatedAt" timestamptz NOT NULL);
CREATE TABLE profiles (id serial PRIMARY KEY, bio text);
CREATE TABLE toys (id serial PRIMARY KEY, name text);
SET client_min_messages = warning;
SELECT kind, alias FROM assoc.has_many('owners', 'pugs');
SELECT kind, alias FROM assoc.belongs_to('pugs', 'owners');
SELECT kind, alias FROM assoc.has_one('owners', 'profiles');
RESET client_min_messages;

INSERT INTO owners (name, "createdAt", "updatedAt") VALUES
    ('Tom', '2000-01-01', '2000-01-01'), ('Ann', '2000-01-01', '2000-01-01');
INSERT INTO pugs (name, "createdAt", "updatedAt", "ownerId") VALUES
    ('Cody', '2000-01-01', '2000-01-01', 1), ('Dot', '2000-01-01', '2000-01-01', 1),
    ('Ella', '2000-01-01', '2000-01-01', 2), ('Fig', '2000-01-01', '2000-01-01', NULL);
INSERT INTO profiles (bio, "ownerId") VALUES ('pr1', 1), ('pr2', NULL);
INSERT INTO toys (name) VALUES ('ball');

-- a fingerprint of everything the accessors could change
CREATE VIEW state AS
    SELECT (SELECT string_agg(format('%s:%s', id, coalesce("ownerId"::text, '-')), ' ' ORDER BY id) FROM pugs) AS pugs,
           (SELECT count(*) FROM pugs WHERE "updatedAt" <> '2000-01-01') AS pugs_bumped,
           (SELECT string_agg(format('%s:%s', id, coalesce("ownerId"::text, '-')), ' ' ORDER BY id) FROM profiles) AS profiles,
           (SELECT count(*) FROM owners) AS owners;
TABLE state;

-- ---------------------------------------------------------------- the owner does not exist
SELECT owner_add_pug(999, 4);
SELECT owner_add_pugs(999, ARRAY[4]);
SELECT owner_set_pugs(999, ARRAY[]::integer[]);
SELECT owner_remove_pug(999, 1);
SELECT owner_remove_pugs(999, ARRAY[1]);
SELECT owner_create_pug(999, '{"name": "Ivy"}');
SELECT owner_set_profile(999, 2);
SELECT owner_create_profile(999);
SELECT pug_set_owner(999, 1);
SELECT pug_create_owner(999, '{"name": "Zed"}');
-- as a row that is not (or no longer) in the table, and as text
SELECT owner_add_pug(ROW(999, 'Gone', now(), now())::owners, 4);
SELECT owner_add_pug('999', '4');
-- readers: a WHERE that finds nothing
SELECT count(*) AS get, owner_count_pugs(999) AS count, owner_has_pug(999, 1) AS has,
       owner_has_pugs(999, ARRAY[1]) AS has_all, owner_get_profile(999) IS NULL AS profile,
       pug_get_owner(999) IS NULL AS owner
  FROM owner_get_pugs(999);
TABLE state;

-- ---------------------------------------------------------------- NULL owner
SELECT owner_add_pug(NULL::integer, 4);
SELECT owner_add_pug(NULL::owners, 4);
SELECT owner_set_pugs(NULL, '{4}');
SELECT owner_remove_pugs(NULL::integer, ARRAY[1]);
SELECT owner_create_pug(NULL::integer, '{"name": "Ivy"}');
SELECT owner_set_profile(NULL::integer, 2);
SELECT owner_create_profile(NULL::owners);
SELECT pug_set_owner(NULL::integer, 1);
SELECT pug_create_owner(NULL::pugs);
TABLE state;

-- ---------------------------------------------------------------- a target that does not exist, or NULL
SELECT owner_add_pug(1, 999);
-- several missing: all are named; pug 4, which exists, is not linked either
SELECT owner_add_pugs(1, ARRAY[4, 999, 998]);
SELECT owner_set_pugs(1, ARRAY[4, 999]);
SELECT owner_remove_pug(1, 999);
SELECT owner_remove_pugs(2, ARRAY[3, 999]);
SELECT owner_set_profile(1, 999);
SELECT pug_set_owner(4, 999);
SELECT owner_add_pug(1, NULL::integer);
SELECT owner_add_pugs(1, ARRAY[4, NULL]);
SELECT owner_set_pugs(1, ARRAY[NULL]::integer[]);
SELECT owner_add_pug(1, ROW(999, 'Gone', now(), now(), NULL)::pugs);
TABLE state;

-- ---------------------------------------------------------------- a row of another table
-- An owner where a pug belongs, a toy where a pug or an owner belongs: an
-- error naming the association, the type given and the forms taken (42804),
-- before anything changes.
SELECT owner_add_pug(1, o) FROM owners o WHERE o.id = 2;
SELECT owner_add_pug(1, t) FROM toys t;
SELECT owner_set_pugs(1, ARRAY[t]) FROM toys t;
SELECT owner_get_pugs(t) FROM toys t;
SELECT pug_set_owner(1, t) FROM toys t;
SELECT owner_set_profile(1, p) FROM pugs p WHERE p.id = 4;
-- the text of a row is not a key
SELECT owner_add_pug(1, t::text) FROM toys t;
TABLE state;

-- ---------------------------------------------------------------- a key of the wrong type
-- as text: the association, the value and the type's own complaint
SELECT owner_add_pug('abc', 4);
SELECT owner_add_pug(1, 'x4');
SELECT owner_add_pugs(1, '{4,x}');
SELECT owner_set_pugs(1, '4,5');
SELECT pug_set_owner(1, '1.5');
SELECT owner_create_pug('99999999999', '{}');
-- readers too: a WHERE cannot compare what is not a key
SELECT * FROM owner_get_pugs('abc');
SELECT owner_has_pug(1, 'x');
-- a typed value of another type is refused the same way; a bigint is a key
SELECT owner_add_pug(1, 4.0);
SELECT owner_add_pug(1, 4::bigint);
TABLE state;

-- ---------------------------------------------------------------- NOT NULL foreign keys
-- A foreign key that may not be NULL (adopted from the tables as they are):
-- what would unlink is refused, naming the rows; what moves is allowed.
CREATE TABLE leashes (id serial PRIMARY KEY, color text, "ownerId" integer NOT NULL);
CREATE TABLE passports (id serial PRIMARY KEY, code text, "ownerId" integer NOT NULL);
SET client_min_messages = warning;
SELECT kind, alias, foreign_key, on_delete FROM assoc.has_many('owners', 'leashes');
SELECT kind, alias, foreign_key, on_delete FROM assoc.belongs_to('leashes', 'owners');
SELECT kind, alias, foreign_key, on_delete FROM assoc.has_one('owners', 'passports');
RESET client_min_messages;
INSERT INTO leashes (color, "ownerId") VALUES ('red', 1), ('blue', 1), ('green', 2);
INSERT INTO passports (code, "ownerId") VALUES ('P1', 1), ('P2', 2);
CREATE VIEW nn_state AS
    SELECT (SELECT string_agg(format('%s:%s', id, "ownerId"), ' ' ORDER BY id) FROM leashes) AS leashes,
           (SELECT string_agg(format('%s:%s', id, "ownerId"), ' ' ORDER BY id) FROM passports) AS passports;
TABLE nn_state;
SELECT owner_remove_leash(1, 1);
SELECT owner_remove_leashes(1, ARRAY[2, 1]);
SELECT owner_set_leashes(1, ARRAY[1]);
SELECT owner_set_leashes(1, ARRAY[]::integer[]);
SELECT leash_set_owner(1, NULL::integer);
SELECT owner_set_passport(1, NULL::integer);
SELECT owner_set_passport(1, 2);
SELECT owner_create_passport(1, '{"code": "P3"}');
TABLE nn_state;
-- removing another owner's leash unlinks nothing, so it is no error
SELECT id, name FROM owner_remove_leash(2, 1);
-- keeping every linked leash, adding to it, moving one: allowed
SELECT id, name FROM owner_set_leashes(1, ARRAY[1, 2, 3]);
SELECT id, name FROM owner_add_leash(2, 3);
SELECT id, "ownerId" FROM leash_set_owner(2, 2);
SELECT id, name FROM owner_remove_leashes(1, ARRAY[]::integer[]);
-- a passport for an owner without one is fine
DELETE FROM passports WHERE "ownerId" = 2;
SELECT code, "ownerId" FROM owner_create_passport(2, '{"code": "P3"}');
TABLE nn_state;

-- ---------------------------------------------------------------- create: bad values
-- a column the table does not have (Sequelize drops unknown attributes
-- silently; assoc refuses)
SELECT owner_create_pug(1, '{"name": "Ivy", "nope": 1}');
SELECT owner_create_profile(1, '{"Bio": "x"}');
SELECT pug_create_owner(4, '{"name": "Zed", "pugs": []}');
-- a value of the wrong type
SELECT owner_create_pug(1, '{"name": "Ivy", "id": "seven"}');
SELECT owner_create_pug(1, '{"name": "Ivy", "createdAt": "yesterday at noon"}');
SELECT pug_create_owner(4, '{"id": 1.5}');
-- values that are not an object
SELECT owner_create_pug(1, '[{"name": "Ivy"}]');
SELECT owner_create_pug(1, '"Ivy"');
-- the new row must satisfy the table's own constraints: PostgreSQL's message
SELECT owner_create_pug(1, '{"id": 1, "name": "Cody again"}');
TABLE state;

-- ---------------------------------------------------------------- generated names that are taken
-- A function of that name already exists, with another signature: the
-- declaration says which, and creates nothing (no column, no constraint).
CREATE FUNCTION owner_get_toys(bigint) RETURNS SETOF toys LANGUAGE sql AS 'SELECT * FROM ae.toys';
SELECT kind, alias FROM assoc.has_many('owners', 'toys');
\d toys
DROP FUNCTION owner_get_toys(bigint);
CREATE FUNCTION owner_count_toys(a text, b text) RETURNS bigint LANGUAGE sql AS 'SELECT 0::bigint';
SELECT kind, alias FROM assoc.has_many('owners', 'toys');
-- with the same signature as a generated one, too
DROP FUNCTION owner_count_toys(text, text);
CREATE FUNCTION toy_get_owner(integer) RETURNS owners LANGUAGE sql AS 'SELECT NULL::ae.owners';
SELECT kind, alias FROM assoc.belongs_to('toys', 'owners');
DROP FUNCTION toy_get_owner(integer);
-- two associations of one table whose names meet: has_one "pug" would make
-- owner_create_pug, which has_many "pugs" already made
SELECT kind, alias FROM assoc.has_one('owners', 'pugs', alias => 'pug');
SELECT count(*) AS toys_associations FROM assoc.associations WHERE target = 'toys'::regclass;
\d toys

SET client_min_messages = warning;
DROP SCHEMA ae CASCADE;
