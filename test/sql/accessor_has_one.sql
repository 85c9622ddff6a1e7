-- has_one accessors: Sequelize 6's getProfile, setProfile and createProfile
-- for Owner.hasOne(Profile), call by call against what Sequelize was
-- observed to do, and where assoc differs on purpose.
\set VERBOSITY default
CREATE SCHEMA ho;
SET search_path = ho, public;
\pset null '(null)'

CREATE TABLE owners (id serial PRIMARY KEY, name text,
    "createdAt" timestamptz NOT NULL, "updatedAt" timestamptz NOT NULL);
CREATE TABLE profiles (id serial PRIMARY KEY, bio text,
    "createdAt" timestamptz NOT NULL, "updatedAt" timestamptz NOT NULL);
SET client_min_messages = warning;
SELECT kind, alias, foreign_key FROM assoc.has_one('owners', 'profiles');
RESET client_min_messages;
SELECT DISTINCT p.proname
  FROM assoc.associations a, unnest(a.functions) f, pg_proc p
 WHERE p.oid = f AND a.source = 'ho.owners'::regclass
   AND p.proname NOT LIKE '%\_with\_%'
 ORDER BY 1;

INSERT INTO owners (name, "createdAt", "updatedAt") VALUES
    ('Tom', '2000-01-01', '2000-01-01'), ('Ann', '2000-01-01', '2000-01-01');
INSERT INTO profiles (bio, "createdAt", "updatedAt") VALUES
    ('pr1', '2000-01-01', '2000-01-01'), ('pr2', '2000-01-01', '2000-01-01'),
    ('pr3', '2000-01-01', '2000-01-01');
CREATE VIEW profile_state AS
    SELECT id, bio, "ownerId", "updatedAt" = now() AS bumped
      FROM profiles ORDER BY id;

-- ---------------------------------------------------------------- get
-- none yet: NULL; an owner that does not exist, NULL: NULL too
SELECT owner_get_profile(1) IS NULL AS tom_none, owner_get_profile(999) IS NULL AS "999",
       owner_get_profile(NULL::integer) IS NULL AS "null";

-- ---------------------------------------------------------------- set
-- setProfile(pr1): linked (bumped); the profile comes back
BEGIN;
SELECT id, bio, "ownerId" FROM owner_set_profile(1, 1);
TABLE profile_state;
COMMIT;
SELECT id, bio FROM owner_get_profile(1);
-- setProfile(pr3) while pr1 is linked: pr1 loses the link (bumped), pr3
-- gains it (bumped); pr3 comes back
BEGIN;
SELECT id, bio, "ownerId" FROM owner_set_profile(1, 3);
TABLE profile_state;
COMMIT;
-- setProfile(pr3) again: nothing is written (Sequelize sends no UPDATE
-- either, but returns null; assoc returns the linked profile)
BEGIN;
SELECT id, bio, "ownerId" FROM owner_set_profile(1, 3);
TABLE profile_state;
COMMIT;
-- Ann takes Tom's profile: it moves, Tom is left without one
BEGIN;
SELECT id, bio, "ownerId" FROM owner_set_profile(2, 3);
TABLE profile_state;
COMMIT;
SELECT owner_get_profile(1) IS NULL AS tom_none;
-- setProfile(null): the linked one loses the link (bumped); NULL comes back
BEGIN;
SELECT owner_set_profile(2, NULL::integer) IS NULL AS returns_null;
TABLE profile_state;
COMMIT;
-- setProfile(null) with none linked: nothing
BEGIN;
SELECT owner_set_profile(2, NULL::integer) IS NULL AS returns_null;
SELECT count(*) AS bumped FROM profile_state WHERE bumped;
COMMIT;
-- by rows
BEGIN;
SELECT s.id, s.bio, s."ownerId"
  FROM owners o, profiles p, owner_set_profile(o, p) s
 WHERE o.name = 'Ann' AND p.bio = 'pr2';
TABLE profile_state;
COMMIT;

-- Two profiles linked to one owner (written by hand; nothing in assoc
-- makes that): get gives the one with the lowest key, and set unlinks
-- every other one (Sequelize unlinks one, whichever its unordered LIMIT 1
-- finds)
UPDATE profiles SET "ownerId" = 1 WHERE id IN (1, 3);
SELECT id, bio FROM owner_get_profile(1);
BEGIN;
SELECT id, bio, "ownerId" FROM owner_set_profile(1, 3);
TABLE profile_state;
COMMIT;

-- ---------------------------------------------------------------- create
-- createProfile: inserted with the foreign key set (a given ownerId loses),
-- createdAt = updatedAt = now(); the new profile comes back.  The one Tom
-- had (pr3) loses its link, as set would do: Sequelize leaves both linked,
-- a bug assoc does not copy.
BEGIN;
SELECT id, bio, "ownerId", "createdAt" = now() AS created_now, "updatedAt" = now() AS updated_now
  FROM owner_create_profile(1, '{"bio": "pr4", "ownerId": 2}');
TABLE profile_state;
COMMIT;
SELECT id, bio FROM owner_get_profile(1);
-- an owner without a profile: only the INSERT; a given createdAt is kept,
-- a given updatedAt is not
UPDATE profiles SET "ownerId" = NULL WHERE "ownerId" = 2;
BEGIN;
SELECT id, bio, "ownerId", "createdAt" = '2001-01-01T00:00:00Z' AS created_given,
       "updatedAt" = now() AS updated_now
  FROM owner_create_profile(2, '{"bio": "pr5", "createdAt": "2001-01-01T00:00:00Z", "updatedAt": "2002-02-02T00:00:00Z"}');
TABLE profile_state;
COMMIT;
-- no values: a profile of defaults, and pr5 loses the link
SELECT id, bio, "ownerId" FROM owner_create_profile(2);
SELECT o.name, p.id, p.bio FROM owners o, owner_get_profile(o) p ORDER BY o.id;
SELECT id, bio, "ownerId" FROM profiles ORDER BY id;

-- the owners' own rows are never written
SELECT count(*) AS owners_touched FROM owners WHERE "updatedAt" <> '2000-01-01';

-- A unique foreign key, as a one-to-one is often made: the old link is
-- cleared before the new one is made, so neither create nor set trips over
-- the unique constraint.
CREATE TABLE passports (id serial PRIMARY KEY, code text, "ownerId" integer UNIQUE);
SET client_min_messages = warning;
SELECT kind, alias, foreign_key FROM assoc.has_one('owners', 'passports');
RESET client_min_messages;
SELECT id, code, "ownerId" FROM owner_create_passport(1, '{"code": "A"}');
SELECT id, code, "ownerId" FROM owner_create_passport(1, '{"code": "B"}');
SELECT id, code, "ownerId" FROM owner_set_passport(1, 1);
SELECT id, code, "ownerId" FROM owner_set_passport(2, 1);
SELECT id, code, "ownerId" FROM passports ORDER BY id;

SET client_min_messages = warning;
DROP SCHEMA ho CASCADE;
