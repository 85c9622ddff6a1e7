-- createdAt / updatedAt (or created_at / updated_at), filled and bumped as
-- Sequelize 6 does, on tables as Sequelize's sync makes them (NOT NULL, no
-- default).  Timestamps are never printed: they are compared with now(),
-- which is the same for every statement of a transaction, and with each
-- other.
\set VERBOSITY default
CREATE SCHEMA ts;
SET search_path = ts, public;
\pset null '(null)'

CREATE TABLE owners (id serial PRIMARY KEY, name text,
    "createdAt" timestamptz NOT NULL, "updatedAt" timestamptz NOT NULL);
CREATE TABLE pugs (id serial PRIMARY KEY, name text,
    "createdAt" timestamptz NOT NULL, "updatedAt" timestamptz NOT NULL);
CREATE TABLE profiles (id serial PRIMARY KEY, bio text,
    "createdAt" timestamptz NOT NULL, "updatedAt" timestamptz NOT NULL);
SET client_min_messages = warning;
SELECT kind, alias FROM assoc.has_many('owners', 'pugs');
SELECT kind, alias FROM assoc.belongs_to('pugs', 'owners');
SELECT kind, alias FROM assoc.has_one('owners', 'profiles');
RESET client_min_messages;

CREATE VIEW pug_state AS
    SELECT id, name, "ownerId", "createdAt" = now() AS created_now,
           "updatedAt" = now() AS updated_now, "updatedAt" > "createdAt" AS updated_later
      FROM pugs ORDER BY id;
CREATE VIEW owner_state AS
    SELECT id, name, "createdAt" = now() AS created_now,
           "updatedAt" = now() AS updated_now, "updatedAt" > "createdAt" AS updated_later
      FROM owners ORDER BY id;

-- ---------------------------------------------------------------- create fills both
-- Rows are made through the accessors only: a plain INSERT would have to
-- give both columns (NOT NULL, no default), as with Sequelize.
INSERT INTO owners (name, "createdAt", "updatedAt") VALUES ('Tom', now(), now()), ('Ann', now(), now());
BEGIN;
SELECT name FROM owner_create_pug(1, '{"name": "Cody"}');
SELECT name FROM owner_create_pug(1, '{"name": "Dot"}');
SELECT name FROM owner_create_pug(2, '{"name": "Ella"}');
-- createdAt = updatedAt = now(), for every row made in this transaction,
-- like the one JS Date Sequelize gives both
TABLE pug_state;
-- the owners were not written
TABLE owner_state;
COMMIT;

-- ---------------------------------------------------------------- which writes bump
-- a later transaction: its now() is later than the rows' createdAt
SELECT pg_sleep(0.01);
-- add: every pug named is bumped, linked already or not (Cody is)
BEGIN;
SELECT name FROM owner_add_pugs(1, ARRAY[1, 3]);
TABLE pug_state;
TABLE owner_state;
COMMIT;
SELECT pg_sleep(0.01);
-- set: Dot leaves (bumped), Cody and Ella stay (not bumped)
BEGIN;
SELECT name FROM owner_set_pugs(1, ARRAY[1, 3]);
TABLE pug_state;
COMMIT;
SELECT pg_sleep(0.01);
-- set: Dot comes back (bumped), the others stay
BEGIN;
SELECT name FROM owner_set_pugs(1, ARRAY[1, 2, 3]);
TABLE pug_state;
COMMIT;
SELECT pg_sleep(0.01);
-- set with nothing to change: nothing bumped
BEGIN;
SELECT name FROM owner_set_pugs(1, ARRAY[3, 2, 1]);
SELECT count(*) AS bumped FROM pugs WHERE "updatedAt" = now();
COMMIT;
SELECT pg_sleep(0.01);
-- remove: only what is unlinked is bumped; another owner's pug is not
BEGIN;
SELECT name FROM owner_remove_pugs(2, ARRAY[1, 3]);
SELECT count(*) AS bumped FROM pugs WHERE "updatedAt" = now();
SELECT name FROM owner_remove_pugs(1, ARRAY[3]);
TABLE pug_state;
COMMIT;
SELECT pg_sleep(0.01);
-- belongs_to set bumps the pug when its owner changes, not otherwise
BEGIN;
SELECT name FROM pug_set_owner(3, 2);
SELECT name FROM pug_set_owner(1, 1);
TABLE pug_state;
TABLE owner_state;
COMMIT;
SELECT pg_sleep(0.01);
-- belongs_to create: the new owner gets both, the pug is bumped
BEGIN;
SELECT name FROM pug_create_owner(2, '{"name": "Zed"}');
TABLE pug_state;
TABLE owner_state;
COMMIT;

-- ---------------------------------------------------------------- has_one
SELECT pg_sleep(0.01);
BEGIN;
SELECT bio FROM owner_create_profile(1, '{"bio": "first"}');
COMMIT;
SELECT pg_sleep(0.01);
-- create again: the first one loses its link and is bumped
BEGIN;
SELECT bio FROM owner_create_profile(1, '{"bio": "second"}');
SELECT id, bio, "ownerId", "createdAt" = now() AS created_now, "updatedAt" = now() AS updated_now
  FROM profiles ORDER BY id;
COMMIT;
SELECT pg_sleep(0.01);
-- set to the one already linked: nothing bumped; to the other: both are
BEGIN;
SELECT bio FROM owner_set_profile(1, 2);
SELECT count(*) AS bumped FROM profiles WHERE "updatedAt" = now();
SELECT bio FROM owner_set_profile(1, 1);
SELECT id, bio, "ownerId", "updatedAt" = now() AS updated_now FROM profiles ORDER BY id;
COMMIT;
SELECT count(*) AS owners_bumped FROM owners WHERE "updatedAt" > "createdAt";

-- ---------------------------------------------------------------- values given for the timestamps
BEGIN;
-- createdAt given: kept; updatedAt given: replaced by now(); createdAt
-- null: filled (Sequelize treats a null createdAt as missing)
SELECT name, "createdAt" = '2001-01-01T00:00:00Z' AS created_given, "updatedAt" = now() AS updated_now
  FROM owner_create_pug(1, '{"name": "Kit", "createdAt": "2001-01-01T00:00:00Z", "updatedAt": "2002-02-02T00:00:00Z"}');
SELECT name, "createdAt" = now() AS created_now, "updatedAt" = now() AS updated_now
  FROM owner_create_pug(1, '{"name": "Lou", "createdAt": null, "updatedAt": null}');
SELECT name, "createdAt" = now() AS created_now, "updatedAt" = now() AS updated_now
  FROM pug_create_owner(1, '{"name": "Yul", "updatedAt": "2002-02-02T00:00:00Z"}');
COMMIT;
-- no row was ever left without either
SELECT count(*) FROM pugs WHERE "updatedAt" IS NULL OR "createdAt" IS NULL;

-- ---------------------------------------------------------------- underscored, partial, none
-- created_at / updated_at, as Sequelize's underscored models name them
CREATE TABLE shelters (id serial PRIMARY KEY, name text,
    created_at timestamptz NOT NULL, updated_at timestamptz NOT NULL);
CREATE TABLE cats (id serial PRIMARY KEY, name text,
    created_at timestamptz NOT NULL, updated_at timestamptz NOT NULL);
-- only an updatedAt; no timestamps at all
CREATE TABLE kennels (id serial PRIMARY KEY, name text);
CREATE TABLE dogs (id serial PRIMARY KEY, name text, "updatedAt" timestamptz);
CREATE TABLE bowls (id serial PRIMARY KEY, size int);
SET client_min_messages = warning;
SELECT kind, alias, foreign_key FROM assoc.has_many('shelters', 'cats', underscored => true);
SELECT kind, alias, foreign_key FROM assoc.has_many('kennels', 'dogs');
SELECT kind, alias, foreign_key FROM assoc.has_many('kennels', 'bowls');
RESET client_min_messages;
INSERT INTO shelters (name, created_at, updated_at) VALUES ('North', '2000-01-01', '2000-01-01');
INSERT INTO kennels (name) VALUES ('K');
BEGIN;
SELECT name, created_at = now() AS created_now, updated_at = now() AS updated_now, shelter_id
  FROM shelter_create_cat(1, '{"name": "Tab"}');
SELECT name, created_at = '2001-01-01T00:00:00Z' AS created_given, updated_at = now() AS updated_now
  FROM shelter_create_cat(1, '{"name": "Kit", "created_at": "2001-01-01T00:00:00Z", "updated_at": "2002-02-02T00:00:00Z"}');
COMMIT;
UPDATE cats SET updated_at = '2000-01-01';
BEGIN;
SELECT name FROM shelter_set_cats(1, ARRAY[2]);
SELECT id, name, shelter_id, updated_at = now() AS updated_now FROM cats ORDER BY id;
COMMIT;
BEGIN;
SELECT name, "updatedAt" = now() AS updated_now FROM kennel_create_dog(1, '{"name": "Rex"}');
SELECT name, "updatedAt" = now() AS updated_now FROM kennel_create_dog(1, '{"name": "Fido", "updatedAt": null}');
COMMIT;
UPDATE dogs SET "updatedAt" = NULL;
BEGIN;
SELECT name FROM kennel_remove_dog(1, 1);
SELECT id, name, "kennelId", "updatedAt" = now() AS updated_now FROM dogs ORDER BY id;
COMMIT;
SELECT size, "kennelId" FROM kennel_create_bowl(1, '{"size": 3}');
SELECT name FROM kennel_set_bowls(1, '{}');
SELECT id, size, "kennelId" FROM bowls;

SET client_min_messages = warning;
DROP SCHEMA ts CASCADE;
