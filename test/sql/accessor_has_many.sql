-- has_many accessors: the ten methods Sequelize 6 gives Owner.hasMany(Pug),
-- call by call against what Sequelize was observed to do (see the comments;
-- "bumped" = the pug's updatedAt set to now()).
\set VERBOSITY default
CREATE SCHEMA hm;
SET search_path = hm, public;
\pset null '(null)'

CREATE TABLE owners (id serial PRIMARY KEY, name text,
    "createdAt" timestamptz NOT NULL, "updatedAt" timestamptz NOT NULL);
CREATE TABLE pugs (id serial PRIMARY KEY, name text,
    "createdAt" timestamptz NOT NULL, "updatedAt" timestamptz NOT NULL);
SET client_min_messages = warning;
SELECT kind, alias, foreign_key FROM assoc.has_many('owners', 'pugs');
RESET client_min_messages;

-- Sequelize's accessor names, in the source table's schema
SELECT DISTINCT p.proname
  FROM assoc.associations a, unnest(a.functions) f, pg_proc p
 WHERE p.oid = f AND a.source = 'hm.owners'::regclass
   AND p.proname NOT LIKE '%\_with\_%'
 ORDER BY 1;

-- The data of the Sequelize experiment: Tom(1) has Cody(1) and Dot(2), Ann(2)
-- has Ella(3); Fig(4), Gus(5), Hal(6) have no owner.  Every timestamp is
-- from 2000, so that a change made by an accessor shows as "updatedAt" =
-- now() inside the transaction that made it.
INSERT INTO owners (name, "createdAt", "updatedAt") VALUES
    ('Tom', '2000-01-01', '2000-01-01'), ('Ann', '2000-01-01', '2000-01-01'),
    ('Bob', '2000-01-01', '2000-01-01');
INSERT INTO pugs (name, "createdAt", "updatedAt", "ownerId") VALUES
    ('Cody', '2000-01-01', '2000-01-01', 1), ('Dot', '2000-01-01', '2000-01-01', 1),
    ('Ella', '2000-01-01', '2000-01-01', 2), ('Fig', '2000-01-01', '2000-01-01', NULL),
    ('Gus', '2000-01-01', '2000-01-01', NULL), ('Hal', '2000-01-01', '2000-01-01', NULL);

-- pugs as they stand, and which rows the current transaction touched
CREATE VIEW pug_state AS
    SELECT id, name, "ownerId", "updatedAt" = now() AS bumped,
           "createdAt" = '2000-01-01' AS created_2000
      FROM pugs ORDER BY id;
-- the owners' own rows are never written by a has_many accessor
CREATE VIEW owners_touched AS
    SELECT count(*) AS owners_touched FROM owners
     WHERE "updatedAt" <> '2000-01-01' OR "createdAt" <> '2000-01-01';

-- ---------------------------------------------------------------- get
-- getPugs: the owner's pugs (assoc orders them by primary key; Sequelize
-- has no ORDER BY)
SELECT id, name, "ownerId" FROM owner_get_pugs(1);
SELECT id, name, "ownerId" FROM owner_get_pugs(2);
-- an owner without pugs, an owner that does not exist, NULL: nothing (a
-- reader is a WHERE)
SELECT id, name FROM owner_get_pugs(3);
SELECT id, name FROM owner_get_pugs(999);
SELECT id, name FROM owner_get_pugs(NULL);
-- an updated row moves to the end of the heap; the order stays by key
UPDATE pugs SET name = 'Cody' WHERE id = 1;
SELECT id, name FROM owner_get_pugs(1);
-- composes with SQL: the row form, laterally
SELECT o.name AS owner, p.name AS pug
  FROM owners o, owner_get_pugs(o) p ORDER BY o.id, p.id;
-- and filters like any table
SELECT name FROM owner_get_pugs(1) WHERE name LIKE 'D%';

-- ---------------------------------------------------------------- count
-- countPugs: a number
SELECT owner_count_pugs(1) AS tom, owner_count_pugs(2) AS ann,
       owner_count_pugs(3) AS bob, owner_count_pugs(999) AS nobody,
       owner_count_pugs(NULL) AS "null";
SELECT pg_typeof(owner_count_pugs(1));
SELECT o.name, owner_count_pugs(o) FROM owners o ORDER BY o.id;

-- ---------------------------------------------------------------- has
-- hasPug: Cody is Tom's (true); Ella is Ann's, 999 does not exist, NULL (false)
SELECT owner_has_pug(1, 1) AS cody, owner_has_pug(1, 3) AS ella,
       owner_has_pug(1, 999) AS "999", owner_has_pug(1, NULL) AS "null",
       owner_has_pug(2, 3) AS ann_ella, owner_has_pug(999, 1) AS nobody;
-- hasPugs: all given are the owner's
SELECT owner_has_pugs(1, ARRAY[1, 2]) AS cody_dot,
       owner_has_pugs(1, ARRAY[1, 3]) AS cody_ella,
       owner_has_pugs(1, ARRAY[1, 999]) AS cody_999;
-- hasPugs([]) is true, as in Sequelize
SELECT owner_has_pugs(1, ARRAY[]::integer[]) AS empty,
       owner_has_pugs(3, ARRAY[]::integer[]) AS bob_empty;
-- duplicates: every given pug is Tom's, so true (Sequelize 6 compares the
-- number of rows found with the length of the array and says false: a
-- documented difference)
SELECT owner_has_pugs(1, ARRAY[1, 1]) AS cody_cody;
-- NULL and NULL elements: false, as Sequelize's hasPugs(null),
-- hasPugs([1, null]) (it looks for "id" IS NULL)
SELECT owner_has_pugs(1, NULL::integer[]) AS "null",
       owner_has_pugs(1, ARRAY[1, NULL]) AS cody_null;

-- ---------------------------------------------------------------- add
-- addPug returns the owner, unchanged
BEGIN;
SELECT id, name FROM owner_add_pug(1, 4);
TABLE pug_state;
COMMIT;
-- addPug of a pug already linked: the same UPDATE, so it is bumped
BEGIN;
SELECT id, name FROM owner_add_pug(1, 1);
TABLE pug_state;
COMMIT;
-- addPug of Ann's pug moves it to Tom (Sequelize does not check either)
BEGIN;
SELECT id, name FROM owner_add_pug(1, 3);
TABLE pug_state;
COMMIT;
-- addPugs: a new and an already linked pug, both bumped, by one UPDATE
BEGIN;
SELECT id, name FROM owner_add_pugs(1, ARRAY[6, 2]);
TABLE pug_state;
COMMIT;
-- addPugs([]), addPugs(NULL): nothing changes, the owner comes back
BEGIN;
SELECT id, name FROM owner_add_pugs(1, ARRAY[]::integer[]);
SELECT id, name FROM owner_add_pugs(1, NULL::integer[]);
SELECT count(*) AS bumped FROM pug_state WHERE bumped;
COMMIT;
-- duplicates in the array: linked once
BEGIN;
SELECT id, name FROM owner_add_pugs(2, ARRAY[5, 5]);
TABLE pug_state;
COMMIT;
TABLE owners_touched;

-- ---------------------------------------------------------------- remove
-- now Tom has 1, 2, 3, 4, 6 and Ann has 5
SELECT array_agg(id) AS tom FROM owner_get_pugs(1);
SELECT array_agg(id) AS ann FROM owner_get_pugs(2);
-- removePug: the link is cleared (bumped); the owner comes back (Sequelize
-- returns its association object; assoc the owner, as add and set do)
BEGIN;
SELECT id, name FROM owner_remove_pug(1, 3);
TABLE pug_state;
COMMIT;
-- removing another owner's pug, or an unlinked one, changes nothing and is
-- no error (Sequelize: ... WHERE "ownerId" = 2 AND "id" IN (1))
BEGIN;
SELECT id, name FROM owner_remove_pug(2, 1);
SELECT id, name FROM owner_remove_pug(1, 3);
SELECT count(*) AS bumped FROM pug_state WHERE bumped;
COMMIT;
-- removePugs: several at once, duplicates and all
BEGIN;
SELECT id, name FROM owner_remove_pugs(1, ARRAY[4, 6, 6]);
TABLE pug_state;
COMMIT;
-- removePugs([]), removePugs(NULL): nothing
BEGIN;
SELECT id, name FROM owner_remove_pugs(1, ARRAY[]::integer[]);
SELECT id, name FROM owner_remove_pugs(1, NULL::integer[]);
SELECT count(*) AS bumped FROM pug_state WHERE bumped;
COMMIT;

-- ---------------------------------------------------------------- set
-- Tom has Cody(1), Dot(2), Fig(4) again, as in the experiment
UPDATE pugs SET "ownerId" = CASE WHEN id IN (1, 2, 4) THEN 1 END,
                "updatedAt" = '2000-01-01';
-- setPugs([1, 5]): Dot and Fig lose the link (bumped), Gus gains it
-- (bumped), Cody stays and is NOT bumped; the owner comes back
BEGIN;
SELECT id, name FROM owner_set_pugs(1, ARRAY[1, 5]);
TABLE pug_state;
COMMIT;
-- Ann takes Cody (Tom's) and Ella (unlinked): both move, bumped
UPDATE pugs SET "ownerId" = NULL WHERE id = 3;
BEGIN;
SELECT id, name FROM owner_set_pugs(2, ARRAY[1, 3]);
TABLE pug_state;
COMMIT;
-- the same set again: nothing is written, nothing bumped
BEGIN;
SELECT id, name FROM owner_set_pugs(2, ARRAY[3, 1]);
SELECT count(*) AS bumped FROM pug_state WHERE bumped;
COMMIT;
-- duplicates in the list
BEGIN;
SELECT id, name FROM owner_set_pugs(2, ARRAY[3, 3, 1, 6, 6]);
TABLE pug_state;
COMMIT;
-- setPugs([]) and setPugs(null): every pug of the owner is unlinked
BEGIN;
SELECT id, name FROM owner_set_pugs(2, ARRAY[]::integer[]);
TABLE pug_state;
COMMIT;
UPDATE pugs SET "ownerId" = 2 WHERE id IN (1, 3);
BEGIN;
SELECT id, name FROM owner_set_pugs(2, NULL::integer[]);
TABLE pug_state;
COMMIT;
-- an owner without pugs set to nothing: nothing happens
BEGIN;
SELECT id, name FROM owner_set_pugs(3, ARRAY[]::integer[]);
SELECT count(*) AS bumped FROM pug_state WHERE bumped;
COMMIT;
-- set from rows, as a program holding instances does
BEGIN;
SELECT id, name FROM owner_set_pugs(3, ARRAY(SELECT p FROM pugs p WHERE name IN ('Fig', 'Hal')));
TABLE pug_state;
COMMIT;
TABLE owners_touched;

-- ---------------------------------------------------------------- create
-- createPug: an INSERT with the foreign key set; the new row comes back,
-- createdAt = updatedAt = now()
BEGIN;
SELECT id, name, "ownerId", "createdAt" = now() AS created_now,
       "updatedAt" = now() AS updated_now
  FROM owner_create_pug(1, '{"name": "Ivy"}');
COMMIT;
-- the accessor's foreign key wins over one in the values (Sequelize: Jax
-- goes to Tom, not Ann)
SELECT id, name, "ownerId" FROM owner_create_pug(1, '{"name": "Jax", "ownerId": 2}');
-- a given createdAt is kept, a given updatedAt replaced by now()
BEGIN;
SELECT id, name, "createdAt" = '2001-01-01T00:00:00Z' AS created_given,
       "updatedAt" = now() AS updated_now
  FROM owner_create_pug(1, '{"name": "Kit", "createdAt": "2001-01-01T00:00:00Z", "updatedAt": "2002-02-02T00:00:00Z"}');
COMMIT;
-- a createdAt given as null is filled, like a missing one (Sequelize)
BEGIN;
SELECT id, name, "createdAt" = now() AS created_now
  FROM owner_create_pug(1, '{"name": "Lou", "createdAt": null}');
COMMIT;
-- {} and no values at all: every other column is left to its default
BEGIN;
SELECT id, name, "ownerId", "createdAt" = now() AS created_now
  FROM owner_create_pug(2, '{}');
SELECT id, name, "ownerId" FROM owner_create_pug(2);
COMMIT;
-- the id may be given, like any column
SELECT id, name, "ownerId" FROM owner_create_pug(3, '{"id": 100, "name": "Max"}');
SELECT id, name, "ownerId" FROM owner_get_pugs(1);
SELECT owner_count_pugs(1), owner_count_pugs(2), owner_count_pugs(3);
TABLE owners_touched;

SET client_min_messages = warning;
DROP SCHEMA hm CASCADE;
