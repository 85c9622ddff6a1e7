-- The row form of the eager loaders, owner_with_pugs(o owners): one call of
-- assoc.row_loader, which the planner replaces by the correlated subquery
-- (or which runs that subquery itself), as the caller, with privileges,
-- row-level security and a safe search_path.
\set VERBOSITY terse
CREATE SCHEMA row_loader_test;
SET search_path = row_loader_test, public;

CREATE TABLE owners (id serial PRIMARY KEY, name text,
    "createdAt" timestamptz NOT NULL DEFAULT '2024-01-02 03:04:05+00');
CREATE TABLE pugs (id serial PRIMARY KEY, name text, keeper text,
    "createdAt" timestamptz NOT NULL DEFAULT '2024-01-02 03:04:05+00');
CREATE TABLE profiles (id serial PRIMARY KEY, bio text);
SET client_min_messages = warning;
SELECT alias FROM assoc.has_many('owners', 'pugs');
SELECT alias FROM assoc.belongs_to('pugs', 'owners');
SELECT alias FROM assoc.has_one('owners', 'profiles');
RESET client_min_messages;
INSERT INTO owners (name) VALUES ('Tom'), ('Ann'), ('Lee');
INSERT INTO pugs (name, keeper, "ownerId") VALUES
    ('Cody', 'regress_rl_alice', 1), ('Rex', 'regress_rl_bob', 1),
    ('Lulu', 'regress_rl_alice', NULL), ('Bo', 'regress_rl_alice', 2);
INSERT INTO profiles (bio, "ownerId") VALUES ('likes pugs', 1);

-- the generated row form is one call, which PostgreSQL inlines
SELECT pg_get_functiondef('owner_with_pugs(owners)'::regprocedure);

-- the planner replaces the call by the subquery a person would write
EXPLAIN (COSTS OFF, VERBOSE)
SELECT owner_with_pugs(o) FROM owners o WHERE o.name LIKE 'T%' ORDER BY o.id LIMIT 20;
EXPLAIN (COSTS OFF, VERBOSE) SELECT pug_with_owner(p) FROM pugs p;

-- the same JSON as the key form and the all-rows form
SELECT owner_with_pugs(o) FROM owners o ORDER BY o.id;
SELECT pug_with_owner(p) FROM pugs p ORDER BY p.id;
SELECT owner_with_profile(o) FROM owners o ORDER BY o.id;
SELECT bool_and(owner_with_pugs(o)::text = owner_with_pugs(o.id)::text) AS rows_as_keys,
       bool_and(owner_with_profile(o)::text = owner_with_profile(o.id)::text) AS has_one_too
  FROM owners o;
SELECT array_agg(j::text ORDER BY n) = (SELECT array_agg(owner_with_pugs(o)::text ORDER BY o.id) FROM owners o)
       AS rows_as_all
  FROM owner_with_pugs() WITH ORDINALITY f(j, n);

-- it composes: WHERE, LATERAL, a row of a join, NULL rows
SELECT o.id FROM owners o WHERE owner_with_pugs(o)::text LIKE '%"Rex"%';
SELECT o.id, j->'pugs'->0->>'name' AS first FROM owners o, LATERAL owner_with_pugs(o) j ORDER BY o.id;
SELECT p.name, owner_with_pugs(o) IS NULL AS no_owner
  FROM pugs p LEFT JOIN owners o ON o.id = p."ownerId" ORDER BY p.id;
SELECT owner_with_pugs(NULL::owners) IS NULL AS null_row;

-- when the instance is not a column (it would be evaluated twice), the
-- function runs the subquery itself: same JSON
EXPLAIN (COSTS OFF, VERBOSE) SELECT owner_with_pugs((SELECT o FROM owners o WHERE o.id = 1));
SELECT owner_with_pugs((SELECT o FROM owners o WHERE o.id = 1));
SELECT assoc.row_loader('owners', (SELECT 'pugs'), o) FROM owners o ORDER BY o.id;
SELECT assoc.row_loader('pugs', (SELECT 'owner'), p) FROM pugs p ORDER BY p.id;
-- and from PL/pgSQL, with a row variable
CREATE FUNCTION first_owner() RETURNS json LANGUAGE plpgsql AS $$
DECLARE
    r owners;
BEGIN
    SELECT * INTO r FROM owners ORDER BY id LIMIT 1;
    RETURN owner_with_pugs(r);
END $$;
SELECT first_owner();

-- mistakes
SELECT assoc.row_loader('owners', 'dogs', o) FROM owners o;
SELECT assoc.row_loader('owners', (SELECT 'dogs'), o) FROM owners o;
SELECT assoc.row_loader('owners', 'pugs', p) FROM pugs p;
SELECT assoc.row_loader('owners', (SELECT 'pugs'), p) FROM pugs p;
SELECT assoc.row_loader('owners', 'pugs', 1);
SELECT assoc.row_loader(NULL, 'pugs', o) FROM owners o WHERE o.id = 1;

-- json_append_key, which the replaced call uses
SELECT assoc.json_append_key('{}', 'a', '1'),
       assoc.json_append_key('{"x":1}', 'a "b"', NULL),
       assoc.json_append_key(NULL, 'a', '1') IS NULL AS null_object;
SELECT assoc.json_append_key('[1]', 'a', '1');

-- privileges: without SELECT on pugs, no pugs, in either form
CREATE ROLE regress_rl_alice;
CREATE ROLE regress_rl_bob;
GRANT USAGE ON SCHEMA row_loader_test TO regress_rl_alice, regress_rl_bob;
GRANT SELECT ON owners TO regress_rl_alice, regress_rl_bob;
SET ROLE regress_rl_bob;
SELECT owner_with_pugs(o) FROM owners o WHERE o.id = 1;
SELECT owner_with_pugs((SELECT o FROM owners o WHERE o.id = 1));
RESET ROLE;

-- row-level security: each keeper sees only their pugs, also through a
-- statement prepared by someone else
GRANT SELECT ON pugs TO regress_rl_alice, regress_rl_bob;
ALTER TABLE pugs ENABLE ROW LEVEL SECURITY;
CREATE POLICY own_pugs ON pugs USING (keeper = current_user);
PREPARE page AS SELECT owner_with_pugs(o)->'pugs' AS pugs FROM owners o WHERE o.id = 1;
SET ROLE regress_rl_alice;
EXECUTE page;
SELECT owner_with_pugs((SELECT o FROM owners o WHERE o.id = 1))->'pugs' AS pugs;
RESET ROLE;
SET ROLE regress_rl_bob;
EXECUTE page;
SELECT owner_with_pugs((SELECT o FROM owners o WHERE o.id = 1))->'pugs' AS pugs;
RESET ROLE;
EXECUTE page;
ALTER TABLE pugs DISABLE ROW LEVEL SECURITY;

-- search_path: an operator another role puts first on the path, matching
-- the key's types exactly, is not picked (varchar = varchar is not in
-- pg_catalog, so an unqualified "=" on two varchars would prefer it)
CREATE TABLE clubs (code varchar(10) PRIMARY KEY, name text);
CREATE TABLE members (id serial PRIMARY KEY, name text);
SET client_min_messages = warning;
SELECT alias FROM assoc.has_many('clubs', 'members');
RESET client_min_messages;
INSERT INTO clubs VALUES ('chess', 'Chess club');
INSERT INTO members (name, "clubCode") VALUES ('Ann', 'chess'), ('Bob', NULL);
GRANT CREATE ON SCHEMA public TO regress_rl_bob;
SET ROLE regress_rl_bob;
CREATE FUNCTION public.evil_eq(varchar, varchar) RETURNS boolean
    LANGUAGE plpgsql AS $$ BEGIN RAISE NOTICE 'hijacked'; RETURN true; END $$;
CREATE OPERATOR public.= (LEFTARG = varchar, RIGHTARG = varchar, FUNCTION = public.evil_eq);
RESET ROLE;
SET search_path = public, row_loader_test;
SELECT club_with_members(c) FROM clubs c;
SELECT assoc.row_loader('row_loader_test.clubs', (SELECT 'members'), c) FROM clubs c;
SET search_path = row_loader_test, public;
DROP OPERATOR public.= (varchar, varchar);
DROP FUNCTION public.evil_eq(varchar, varchar);
REVOKE CREATE ON SCHEMA public FROM regress_rl_bob;

-- what the session keeps follows the tables and the catalog
PREPARE tom AS SELECT owner_with_pugs(o) FROM owners o WHERE o.id = 1;
EXECUTE tom;
ALTER TABLE pugs RENAME COLUMN "ownerId" TO owner_ref;
ALTER TABLE pugs RENAME TO dogs;
EXECUTE tom;
SELECT owner_with_pugs(o) FROM owners o WHERE o.id = 1;
SELECT assoc.row_loader('owners', (SELECT 'pugs'), o) FROM owners o WHERE o.id = 1;
SELECT assoc.drop_association('owners', 'pugs');
SELECT assoc.row_loader('owners', (SELECT 'pugs'), o) FROM owners o WHERE o.id = 1;

SET client_min_messages = warning;
DROP SCHEMA row_loader_test CASCADE;
RESET client_min_messages;
DROP ROLE regress_rl_alice;
DROP ROLE regress_rl_bob;
