-- belongs_to accessors: Sequelize 6's getOwner, setOwner and createOwner for
-- Pug.belongsTo(Owner), call by call against what Sequelize was observed to
-- do.
\set VERBOSITY default
CREATE SCHEMA bt;
SET search_path = bt, public;
\pset null '(null)'

CREATE TABLE owners (id serial PRIMARY KEY, name text,
    "createdAt" timestamptz NOT NULL, "updatedAt" timestamptz NOT NULL);
CREATE TABLE pugs (id serial PRIMARY KEY, name text,
    "createdAt" timestamptz NOT NULL, "updatedAt" timestamptz NOT NULL);
SET client_min_messages = warning;
SELECT kind, alias, foreign_key FROM assoc.belongs_to('pugs', 'owners');
RESET client_min_messages;
SELECT DISTINCT p.proname
  FROM assoc.associations a, unnest(a.functions) f, pg_proc p
 WHERE p.oid = f AND a.source = 'bt.pugs'::regclass
   AND p.proname NOT LIKE '%\_with\_%'
 ORDER BY 1;

INSERT INTO owners (name, "createdAt", "updatedAt") VALUES
    ('Tom', '2000-01-01', '2000-01-01'), ('Ann', '2000-01-01', '2000-01-01');
INSERT INTO pugs (name, "createdAt", "updatedAt", "ownerId") VALUES
    ('Cody', '2000-01-01', '2000-01-01', 1), ('Dot', '2000-01-01', '2000-01-01', 1),
    ('Ella', '2000-01-01', '2000-01-01', NULL);
CREATE VIEW pug_state AS
    SELECT id, name, "ownerId", "updatedAt" = now() AS bumped
      FROM pugs ORDER BY id;
CREATE VIEW owner_state AS
    SELECT id, name, "createdAt" = now() AS created_now,
           "updatedAt" = now() AS updated_now
      FROM owners ORDER BY id;

-- ---------------------------------------------------------------- get
-- getOwner: the owner, or NULL when the pug has none
SELECT id, name FROM pug_get_owner(1);
SELECT pug_get_owner(3) IS NULL AS ella_has_none;
-- a pug that does not exist, NULL: NULL (a reader is a WHERE)
SELECT pug_get_owner(999) IS NULL AS "999", pug_get_owner(NULL::integer) IS NULL AS "null";
-- the row form reads the foreign key of the row it is given, as Sequelize
-- reads the instance's, without looking the pug up
SELECT p.name, (pug_get_owner(p)).name AS owner FROM pugs p ORDER BY p.id;
SELECT (pug_get_owner(ROW(1, 'Cody', now(), now(), 2)::pugs)).name AS owner_of_stale_row;

-- ---------------------------------------------------------------- set
-- setOwner(ann): the foreign key and updatedAt are written; the pug comes
-- back, updated
BEGIN;
SELECT id, name, "ownerId", "updatedAt" = now() AS bumped FROM pug_set_owner(1, 2);
TABLE pug_state;
COMMIT;
-- setOwner(ann) again: Sequelize sends no UPDATE and the row keeps its
-- updatedAt; the pug still comes back
BEGIN;
SELECT id, name, "ownerId", "updatedAt" = now() AS bumped FROM pug_set_owner(1, 2);
TABLE pug_state;
COMMIT;
-- setOwner(null): unlinked, bumped
BEGIN;
SELECT id, name, "ownerId" FROM pug_set_owner(1, NULL::integer);
TABLE pug_state;
COMMIT;
-- setOwner(null) when already NULL: nothing written
BEGIN;
SELECT id, name, "ownerId" FROM pug_set_owner(1, NULL::integer);
TABLE pug_state;
COMMIT;
-- by rows, as a program holding instances does
BEGIN;
SELECT p.id, p.name, p."ownerId"
  FROM pugs x, owners o, pug_set_owner(x, o) p
 WHERE x.name = 'Ella' AND o.name = 'Tom';
TABLE pug_state;
COMMIT;
-- the owner rows are never written by set
SELECT count(*) AS owners_touched FROM owners WHERE "updatedAt" <> '2000-01-01';

-- ---------------------------------------------------------------- create
-- createOwner: the new owner is inserted (createdAt = updatedAt = now()),
-- the pug points to it (bumped); the new owner comes back
BEGIN;
SELECT id, name, "createdAt" = now() AS created_now, "updatedAt" = now() AS updated_now
  FROM pug_create_owner(2, '{"name": "Zed"}');
TABLE pug_state;
TABLE owner_state;
COMMIT;
-- a given createdAt is kept, a given updatedAt replaced by now() (Sequelize:
-- createOwner({createdAt: '2001-01-01', updatedAt: '2002-02-02'}))
BEGIN;
SELECT id, name, "createdAt" = '2001-01-01T00:00:00Z' AS created_given,
       "updatedAt" = now() AS updated_now
  FROM pug_create_owner(3, '{"name": "Yul", "createdAt": "2001-01-01T00:00:00Z", "updatedAt": "2002-02-02T00:00:00Z"}');
TABLE pug_state;
COMMIT;
-- no values: an owner of defaults
SELECT id, name FROM pug_create_owner(1);
SELECT p.name, (pug_get_owner(p)).id AS owner FROM pugs p ORDER BY p.id;

-- ---------------------------------------------------------------- other keys
-- A target key that is not the primary key, of type text (no separate text
-- overload: an untyped literal is the key), and a table without timestamps.
CREATE TABLE kennels (id serial PRIMARY KEY, code text UNIQUE NOT NULL, city text);
CREATE TABLE dogs (id bigserial PRIMARY KEY, name text);
SET client_min_messages = warning;
SELECT kind, alias, foreign_key, target_key
  FROM assoc.belongs_to('dogs', 'kennels', alias => 'home', target_key => 'code');
RESET client_min_messages;
\d dogs
INSERT INTO kennels (code, city) VALUES ('K1', 'Oslo'), ('K2', 'Rome');
INSERT INTO dogs (name) VALUES ('Rex'), ('Fido');
SELECT id, name, "homeId" FROM dog_set_home(1, 'K2');
SELECT d.id, d.name, d."homeId" FROM kennels k, dog_set_home(2, k) d WHERE k.city = 'Oslo';
SELECT d.name, h.code, h.city FROM dogs d, dog_get_home(d) h ORDER BY d.id;
SELECT id, name, "homeId" FROM dog_set_home(2, NULL::text);
-- get returns one row, not a set: laterally, a dog without a home gets a
-- row of NULLs, as with a LEFT JOIN
SELECT d.name, h.code, h.city FROM dogs d, dog_get_home(d) h ORDER BY d.id;
SELECT code, city FROM dog_create_home(2, '{"code": "K3", "city": "Nice"}');
SELECT d.name, (dog_get_home(d.id)).city FROM dogs d ORDER BY d.id;

-- Without a constraint the foreign key can dangle: get gives NULL, as
-- Sequelize's getOwner does after its SELECT finds nothing
CREATE TABLE cats (id serial PRIMARY KEY, name text);
SET client_min_messages = warning;
SELECT kind, alias, foreign_key, on_delete
  FROM assoc.belongs_to('cats', 'owners', constraints => false);
RESET client_min_messages;
INSERT INTO cats (name, "ownerId") VALUES ('Tab', 1), ('Kit', 999);
SELECT c.name, (cat_get_owner(c)).name AS owner, cat_get_owner(c.id) IS NULL AS no_owner
  FROM cats c ORDER BY c.id;

SET client_min_messages = warning;
DROP SCHEMA bt CASCADE;
