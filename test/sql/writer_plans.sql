-- The writers run their statements from plans kept for the session
-- (src/writer_plan.c): each writer is one call of assoc.run_writer, which
-- PostgreSQL inlines into the calling query.  In one session, the kept
-- plans follow what changes under them: columns added, dropped and
-- renamed, the role and its row-level security policies and privileges,
-- functions created while a writer runs, errors caught and writers called
-- from within writers.
SET client_min_messages = warning;
CREATE SCHEMA wp;
SET search_path = wp, public;
CREATE TABLE owners (id serial PRIMARY KEY, name text, "updatedAt" timestamptz);
CREATE TABLE pugs (id serial PRIMARY KEY, name text, keeper text);
SELECT alias FROM assoc.has_many('owners', 'pugs');
SELECT alias FROM assoc.belongs_to('pugs', 'owners');
INSERT INTO owners (name) VALUES ('Ann'), ('Bob');
INSERT INTO pugs (name, keeper) VALUES ('Cody', 'regress_wp_alice'), ('Ditto', 'regress_wp_alice'),
    ('Eve', 'regress_wp_bob');

-- inlined: the plan of the calling query calls run_writer itself
CREATE FUNCTION plan_of(q text) RETURNS text LANGUAGE plpgsql AS $$
DECLARE
    j json;
BEGIN
    EXECUTE 'EXPLAIN (VERBOSE, COSTS OFF, FORMAT JSON) ' || q INTO j;
    RETURN pg_catalog.left(j->0->'Plan'->>'Function Call', 40);
END
$$;
SELECT plan_of('SELECT * FROM wp.owner_add_pug(1, 1)');
SELECT plan_of('SELECT * FROM wp.owner_set_pugs(1, ARRAY[1, 2])');
SELECT plan_of('SELECT * FROM wp.pug_set_owner(1, 2)');
SELECT plan_of('SELECT * FROM wp.owner_create_pug(1, ''{}'')');

-- the same plans, called again and again
SELECT id, name FROM owner_add_pug(1, 1);
SELECT id, name FROM owner_add_pug(1, 2);
SELECT id, name FROM owner_add_pugs(2, '{3}');
SELECT id, name FROM owner_set_pugs(1, ARRAY[2, 3]);
SELECT id, name FROM owner_remove_pug(1, 3);
SELECT id, name, "ownerId" FROM pugs ORDER BY id;

-- an error keeps its message and SQLSTATE, with no CONTEXT of the
-- writer's statements, and the next call runs normally
SELECT owner_add_pug(1, 99);
\echo :LAST_ERROR_SQLSTATE
SELECT owner_add_pug(7, 1);
\echo :LAST_ERROR_SQLSTATE
DO $$
BEGIN
    PERFORM wp.owner_add_pug(1, 99);
EXCEPTION WHEN OTHERS THEN
    RAISE WARNING 'caught: % (%)', SQLERRM, SQLSTATE;
END
$$;
SELECT id, name FROM owner_add_pug(1, 1);

-- the tables change under the kept plans: the row returned has the
-- columns of the table as it is now
ALTER TABLE owners ADD COLUMN nick text DEFAULT 'n';
SELECT * FROM owner_add_pug(1, 3);
ALTER TABLE owners DROP COLUMN name;
SELECT * FROM owner_remove_pug(1, 3);
SELECT * FROM pug_set_owner(3, 2);
ALTER TABLE pugs RENAME COLUMN "ownerId" TO "keeperId";
SELECT * FROM owner_set_pugs(2, ARRAY[1]);
SELECT id, name, "keeperId" FROM pugs ORDER BY id;

-- the role, its policies and its privileges apply to the kept plans
CREATE ROLE regress_wp_alice;
CREATE ROLE regress_wp_bob;
GRANT USAGE ON SCHEMA wp TO regress_wp_alice, regress_wp_bob;
GRANT SELECT, UPDATE ON owners, pugs TO regress_wp_alice;
GRANT SELECT ON owners, pugs TO regress_wp_bob;
ALTER TABLE pugs ENABLE ROW LEVEL SECURITY;
CREATE POLICY own_pugs ON pugs USING (keeper = current_user);
SELECT id FROM owner_add_pug(1, 3);
SET ROLE regress_wp_alice;
-- Eve is Bob's: not there for Alice
SELECT id FROM owner_add_pug(2, 3);
SELECT id FROM owner_add_pug(2, 2);
RESET ROLE;
SET ROLE regress_wp_bob;
SELECT id FROM owner_add_pug(2, 3);
RESET ROLE;
SELECT id FROM owner_add_pug(2, 3);
SELECT id, name, "keeperId" FROM pugs ORDER BY id;
ALTER TABLE pugs DISABLE ROW LEVEL SECURITY;

-- a trigger creating a function while a writer runs (the session's plans
-- are dropped later, not under the running writer), and a writer called
-- from within a writer
CREATE TABLE log (n serial, what text);
CREATE FUNCTION pugs_moved() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    EXECUTE 'CREATE OR REPLACE FUNCTION wp.scratch() RETURNS int LANGUAGE sql AS ''SELECT 1''';
    IF NEW.name = 'Ditto' AND NEW."keeperId" IS NOT NULL THEN
        PERFORM wp.pug_set_owner(1, NEW."keeperId");
    END IF;
    IF NEW.name = 'Eve' AND NEW."keeperId" IS NOT NULL THEN
        PERFORM wp.pug_set_owner(1, 99);
    END IF;
    INSERT INTO wp.log (what) VALUES (NEW.name || ' -> ' || coalesce(NEW."keeperId"::text, 'none'));
    RETURN NEW;
END
$$;
CREATE TRIGGER moved AFTER UPDATE OF "keeperId" ON pugs
    FOR EACH ROW EXECUTE FUNCTION pugs_moved();
SELECT id FROM owner_add_pug(1, 2);
SELECT id FROM owner_set_pugs(2, ARRAY[2]);
-- the inner writer's error, with the trigger's CONTEXT
SELECT id FROM owner_add_pug(2, 3);
SELECT what FROM log ORDER BY n;
SELECT id, name, "keeperId" FROM pugs ORDER BY id;
-- create, with the trigger on the new row's link
DROP TRIGGER moved ON pugs;
-- a warning raised while a writer runs: the trigger's CONTEXT, not the
-- writer's statements
CREATE FUNCTION pugs_warn() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE WARNING 'pug % moves to %', NEW.name, NEW."keeperId";
    RETURN NEW;
END
$$;
CREATE TRIGGER warn BEFORE UPDATE OF "keeperId" ON pugs
    FOR EACH ROW EXECUTE FUNCTION pugs_warn();
\set SHOW_CONTEXT always
SELECT id FROM owner_add_pug(1, 1);
\set SHOW_CONTEXT errors
DROP TRIGGER warn ON pugs;
SELECT id, name, "keeperId" FROM owner_create_pug(1, '{"name": "Fay"}');
SELECT id, name, "keeperId" FROM owner_create_pug(1, '{"name": "Gus"}');

DROP SCHEMA wp CASCADE;
DROP ROLE regress_wp_alice;
DROP ROLE regress_wp_bob;
