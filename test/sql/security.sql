-- Privileges, row-level security and search_path safety of generated code.
\set VERBOSITY default
CREATE SCHEMA security_test;
SET search_path = security_test, public;

CREATE TABLE owners (id serial PRIMARY KEY, name text);
CREATE TABLE pugs (id serial PRIMARY KEY, name text, keeper text);
SELECT alias FROM assoc.has_many('owners', 'pugs');
SELECT alias FROM assoc.belongs_to('pugs', 'owners');
INSERT INTO owners (name) VALUES ('Tom');
INSERT INTO pugs (name, keeper, "ownerId") VALUES
    ('Cody', 'regress_alice', 1), ('Rex', 'regress_bob', 1), ('Lulu', 'regress_alice', 1);

-- no generated function is SECURITY DEFINER or pinned to a search_path
SELECT count(*) AS functions, count(*) FILTER (WHERE prosecdef) AS security_definer,
       count(*) FILTER (WHERE proconfig IS NOT NULL) AS with_settings
  FROM pg_proc WHERE pronamespace = 'security_test'::regnamespace;

-- grants apply: without SELECT on pugs, no pugs
CREATE ROLE regress_alice;
CREATE ROLE regress_bob;
GRANT USAGE ON SCHEMA security_test TO regress_alice, regress_bob;
GRANT SELECT ON owners TO regress_alice, regress_bob;
SET ROLE regress_bob;
SELECT * FROM owner_get_pugs(1);
SELECT owner_with_pugs(1);
RESET ROLE;

-- row-level security applies: each keeper sees only their pugs
GRANT SELECT, UPDATE ON pugs TO regress_alice, regress_bob;
ALTER TABLE pugs ENABLE ROW LEVEL SECURITY;
CREATE POLICY own_pugs ON pugs USING (keeper = current_user);
SET ROLE regress_alice;
SELECT id, name FROM owner_get_pugs(1);
SELECT owner_count_pugs(1);
SELECT owner_with_pugs(1);
SELECT pug_with_owner(2);
-- a single-row reader reads the pug under the policy too; a plan made for
-- one role is made again for another
SELECT (pug_get_owner(1)).name AS cody_owner, pug_get_owner(2) IS NULL AS rex_hidden;
PREPARE get_owner AS SELECT name FROM pug_get_owner($1::int);
EXECUTE get_owner(2);
RESET ROLE;
SET ROLE regress_bob;
EXECUTE get_owner(2);
SELECT * FROM pug_get_owner(1);
RESET ROLE;
DEALLOCATE get_owner;
SET ROLE regress_alice;
-- writers lock the owner row, which takes UPDATE privilege on owners
SELECT owner_remove_pug(1, 2);
RESET ROLE;
GRANT UPDATE ON owners TO regress_alice;
SET ROLE regress_alice;
-- and they cannot touch what the policy hides: Rex does not exist for Alice
SELECT owner_remove_pug(1, 2);
SELECT owner_set_pugs(1, ARRAY[1]);
RESET ROLE;
SET ROLE regress_bob;
SELECT id, name FROM owner_get_pugs(1);
RESET ROLE;
SELECT id, name, "ownerId" FROM pugs ORDER BY id;
ALTER TABLE pugs DISABLE ROW LEVEL SECURITY;

-- search_path: an operator another role puts in public, matching the key's
-- argument types exactly, must not be picked (the CVE-2018-1058 class).
-- varchar = varchar does not exist in pg_catalog (it is text = text), so
-- an unqualified "=" on two varchars would prefer this one.
CREATE TABLE clubs (code varchar(10) PRIMARY KEY, name text);
CREATE TABLE members (id serial PRIMARY KEY, name text);
SELECT alias, foreign_key FROM assoc.has_many('clubs', 'members');
INSERT INTO clubs VALUES ('chess', 'Chess club');
INSERT INTO members (name, "clubCode") VALUES ('Ann', 'chess'), ('Bob', NULL);
GRANT CREATE ON SCHEMA public TO regress_bob;
SET ROLE regress_bob;
CREATE FUNCTION public.evil_eq(varchar, varchar) RETURNS boolean
    LANGUAGE plpgsql AS $$ BEGIN RAISE NOTICE 'hijacked'; RETURN true; END $$;
CREATE OPERATOR public.= (LEFTARG = varchar, RIGHTARG = varchar, FUNCTION = public.evil_eq);
CREATE FUNCTION public.count(varchar) RETURNS bigint
    LANGUAGE plpgsql AS $$ BEGIN RAISE NOTICE 'hijacked'; RETURN 42; END $$;
RESET ROLE;
-- with public first on the path, the caller's queries would use it...
SET search_path = public, security_test;
SELECT count(*) FROM members m WHERE m."clubCode" = 'chess'::varchar;
-- ...but assoc's functions do not
SELECT name FROM club_get_members('chess'::varchar);
SELECT club_count_members('chess');
SELECT club_has_member('chess', 2);
SELECT name FROM club_add_member('chess'::varchar, 2);
SELECT club_with_members('chess');
-- nor does a declaration
SELECT alias FROM assoc.belongs_to('members', 'clubs');
SELECT name FROM member_get_club(1);
-- create_* inserts under the caller's search_path (the table's triggers and
-- defaults are written for it, see user_triggers), naming all it uses with
-- their schema: with public ahead even of pg_catalog, the caller's own
-- unqualified now() and jsonb_populate_record are Bob's...
SET search_path = security_test, public;
CREATE TABLE notes (id serial PRIMARY KEY, body text,
    "createdAt" timestamptz NOT NULL, "updatedAt" timestamptz NOT NULL);
SELECT alias FROM assoc.has_many('clubs', 'notes');
SET ROLE regress_bob;
CREATE FUNCTION public.now() RETURNS timestamptz
    LANGUAGE plpgsql AS $$ BEGIN RAISE NOTICE 'hijacked'; RETURN '2000-01-01'; END $$;
CREATE FUNCTION public.jsonb_populate_record(anyelement, jsonb) RETURNS anyelement
    LANGUAGE plpgsql AS $$ BEGIN RAISE NOTICE 'hijacked'; RETURN $1; END $$;
RESET ROLE;
SET search_path = public, pg_catalog, security_test;
SELECT now() = '2000-01-01' AS caller_hijacked;
-- ...but not create's
SELECT body, "clubCode", "createdAt" = pg_catalog.now() AS created_now,
       "updatedAt" = pg_catalog.now() AS updated_now
  FROM club_create_note('chess', '{"body": "Meets on Mondays"}');
SELECT name, "clubCode" FROM club_create_member('chess', '{"name": "Cy"}');
SELECT name FROM member_create_club(2, '{"code": "go", "name": "Go club"}');
SET search_path = security_test, public;
DROP FUNCTION public.now();
DROP FUNCTION public.jsonb_populate_record(anyelement, jsonb);
DROP OPERATOR public.= (varchar, varchar);
DROP FUNCTION public.evil_eq(varchar, varchar);
DROP FUNCTION public.count(varchar);
REVOKE CREATE ON SCHEMA public FROM regress_bob;

SET client_min_messages = warning;
DROP SCHEMA security_test CASCADE;
RESET client_min_messages;
DROP ROLE regress_alice;
DROP ROLE regress_bob;
