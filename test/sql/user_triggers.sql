-- User code that runs inside assoc's writers (triggers, column defaults,
-- check constraints, domain checks) sees the caller's search_path, as it
-- does under the caller's own INSERT and UPDATE.  Every piece of it below
-- names its tables, sequences and functions without a schema; they live in
-- schema user_code, which only the caller's search_path reaches.
\set VERBOSITY default
CREATE SCHEMA user_code;
SET search_path = user_code, public;
\pset null '(null)'

-- the audit trigger: the table, the operation, the row, and the
-- search_path it ran under
CREATE TABLE audit (n serial PRIMARY KEY, tab text, op text, item jsonb,
                    path text DEFAULT current_setting('search_path'));
CREATE FUNCTION log_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO audit (tab, op, item)
    VALUES (TG_TABLE_NAME, TG_OP, to_jsonb(CASE TG_OP WHEN 'DELETE' THEN OLD ELSE NEW END));
    RETURN NULL;
END $$;

-- a column default: string bodies look their objects up when they run
CREATE SEQUENCE codes;
CREATE FUNCTION next_code(prefix text) RETURNS text LANGUAGE sql
    AS $$ SELECT prefix || nextval('codes') $$;
-- a check constraint
CREATE TABLE banned_names (name text PRIMARY KEY);
INSERT INTO banned_names VALUES ('Evil');
CREATE FUNCTION name_allowed(n text) RETURNS boolean LANGUAGE sql
    AS $$ SELECT NOT EXISTS (SELECT FROM banned_names b WHERE b.name = n) $$;
-- a domain whose CHECK calls a function
CREATE TABLE colors (color text PRIMARY KEY);
INSERT INTO colors VALUES ('fawn'), ('black');
CREATE FUNCTION known_color(c text) RETURNS boolean LANGUAGE plpgsql
    AS $$ BEGIN RETURN EXISTS (SELECT FROM colors k WHERE k.color = c); END $$;
CREATE DOMAIN color AS text CHECK (VALUE IS NULL OR known_color(VALUE));

CREATE TABLE owners (id serial PRIMARY KEY, name text CHECK (name_allowed(name)),
    code text DEFAULT next_code('O'));
CREATE TABLE pugs (id serial PRIMARY KEY, name text CHECK (name_allowed(name)),
    code text DEFAULT next_code('P'), color color);
CREATE TABLE profiles (id serial PRIMARY KEY, bio text CHECK (name_allowed(bio)),
    code text DEFAULT next_code('R'), color color);
CREATE TABLE toys (id serial PRIMARY KEY, name text CHECK (name_allowed(name)),
    code text DEFAULT next_code('T'), color color);
-- an existing through table, adopted, with defaults and checks of its own
CREATE TABLE pug_toys ("pugId" integer NOT NULL, "toyId" integer NOT NULL,
    code text DEFAULT next_code('L') CHECK (name_allowed(code)),
    color color DEFAULT 'fawn', PRIMARY KEY ("pugId", "toyId"));
CREATE TRIGGER owners_audit AFTER INSERT OR UPDATE OR DELETE ON owners
    FOR EACH ROW EXECUTE FUNCTION log_change();
CREATE TRIGGER pugs_audit AFTER INSERT OR UPDATE OR DELETE ON pugs
    FOR EACH ROW EXECUTE FUNCTION log_change();
CREATE TRIGGER profiles_audit AFTER INSERT OR UPDATE OR DELETE ON profiles
    FOR EACH ROW EXECUTE FUNCTION log_change();
CREATE TRIGGER toys_audit AFTER INSERT OR UPDATE OR DELETE ON toys
    FOR EACH ROW EXECUTE FUNCTION log_change();
CREATE TRIGGER pug_toys_audit AFTER INSERT OR UPDATE OR DELETE ON pug_toys
    FOR EACH ROW EXECUTE FUNCTION log_change();

SET client_min_messages = warning;
SELECT kind, alias FROM assoc.has_many('owners', 'pugs');
SELECT kind, alias FROM assoc.belongs_to('pugs', 'owners');
SELECT kind, alias FROM assoc.has_one('owners', 'profiles');
SELECT kind, alias FROM assoc.belongs_to_many('pugs', 'toys', through => 'pug_toys');
RESET client_min_messages;
-- no generated function pins a search_path: a SET clause would be what the
-- triggers see
SELECT count(*) > 0 AS generated,
       count(*) FILTER (WHERE p.proconfig IS NOT NULL) AS with_settings,
       count(*) FILTER (WHERE p.prosecdef) AS security_definer
  FROM assoc.associations a, unnest(a.functions) f, pg_proc p
 WHERE p.oid = f AND p.pronamespace = 'user_code'::regnamespace;

-- the caller's own INSERTs, for comparison
INSERT INTO owners (name) VALUES ('Tom');
INSERT INTO pugs (name, color) VALUES ('Cody', 'black'), ('Lulu', NULL);
INSERT INTO profiles (bio) VALUES ('first');
INSERT INTO toys (name, color) VALUES ('ball', 'fawn');

-- has_many: create (by key and by row), add, set, remove
SELECT * FROM owner_create_pug(1, '{"name": "Rex", "color": "fawn"}');
SELECT c.* FROM owners o, owner_create_pug(o, '{"name": "Bo"}') c WHERE o.id = 1;
SELECT id, name FROM owner_add_pug(1, 1);
SELECT id, name FROM owner_set_pugs(1, ARRAY[1, 2]);
SELECT id, name FROM owner_remove_pug(1, 2);
-- belongs_to: set, create
SELECT id, name, "ownerId" FROM pug_set_owner(2, 1);
SELECT * FROM pug_create_owner(2, '{"name": "Ann"}');
-- has_one: set, create
SELECT * FROM owner_set_profile(1, 1);
SELECT * FROM owner_create_profile(1, '{"bio": "likes naps", "color": "black"}');
-- belongs_to_many: add, set, create, remove
SELECT id, name FROM pug_add_toy(1, 1);
SELECT id, name FROM pug_set_toys(2, ARRAY[1], '{"color": "black"}');
SELECT * FROM pug_create_toy(1, '{"name": "rope"}', '{"color": "black"}');
SELECT id, name FROM pug_remove_toy(1, 1);

SELECT * FROM pugs ORDER BY id;
SELECT * FROM pug_toys ORDER BY 1, 2;
-- every write went through the trigger, under the caller's search_path
SELECT n, tab, op, item, path FROM audit ORDER BY n;

-- the check constraint and the domain refuse values with their own
-- messages, through the writers as through an INSERT
SELECT * FROM owner_create_pug(1, '{"name": "Evil"}');
SELECT * FROM owner_create_pug(1, '{"color": "purple"}');
SELECT * FROM pug_create_owner(1, '{"name": "Evil"}');
SELECT * FROM owner_create_profile(1, '{"color": "purple"}');
SELECT * FROM pug_create_toy(1, '{"name": "Evil"}');
SELECT * FROM pug_create_toy(1, '{"name": "kite"}', '{"color": "purple"}');
SELECT id, name FROM pug_add_toy(3, 2, '{"code": "Evil"}');
SELECT count(*) AS audit_rows FROM audit;

-- a BEFORE INSERT trigger that returns NULL (as the routing trigger of
-- inheritance partitioning does) leaves create nothing to return: an
-- error, and nothing changed
CREATE FUNCTION skip_row() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO audit (tab, op, item) VALUES (TG_TABLE_NAME, 'SKIPPED', to_jsonb(NEW));
    RETURN NULL;
END $$;
CREATE TRIGGER pugs_skip BEFORE INSERT ON pugs
    FOR EACH ROW WHEN (NEW.name = 'Ghost') EXECUTE FUNCTION skip_row();
CREATE TRIGGER owners_skip BEFORE INSERT ON owners
    FOR EACH ROW WHEN (NEW.name = 'Ghost') EXECUTE FUNCTION skip_row();
CREATE TRIGGER toys_skip BEFORE INSERT ON toys
    FOR EACH ROW WHEN (NEW.name = 'Ghost') EXECUTE FUNCTION skip_row();
SELECT * FROM owner_create_pug(1, '{"name": "Ghost"}');
SELECT * FROM pug_create_owner(1, '{"name": "Ghost"}');
SELECT * FROM pug_create_toy(1, '{"name": "Ghost"}');
-- the caller's own INSERT skips it silently
INSERT INTO pugs (name) VALUES ('Ghost') RETURNING *;
SELECT tab, op, item->>'name' AS name FROM audit WHERE op = 'SKIPPED';
SELECT count(*) AS audit_rows FROM audit;
-- so does a DO INSTEAD rule that does something else
CREATE RULE profiles_instead AS ON INSERT TO profiles
    DO INSTEAD UPDATE profiles SET bio = NEW.bio WHERE id = 1 RETURNING *;
SELECT * FROM owner_create_profile(1, '{"bio": "instead"}');
DROP RULE profiles_instead ON profiles;

-- the trigger writes into whichever audit table the caller's search_path
-- finds first
CREATE SCHEMA user_code_2;
CREATE TABLE user_code_2.audit (LIKE audit INCLUDING DEFAULTS);
SET search_path = user_code_2, user_code, public;
SELECT id, name FROM owner_create_pug(1, '{"name": "Mo"}');
SELECT tab, op, item->>'name' AS name, path FROM user_code_2.audit;
SET search_path = user_code, public;

-- a user schema that is not on the caller's search_path is not found,
-- through assoc as through the caller's own INSERT
SET search_path = public;
INSERT INTO user_code.pugs (name) VALUES ('Jo');
SELECT * FROM user_code.owner_create_pug(1, '{"name": "Jo"}');
SET search_path = user_code, public;

-- row-level security policies too, for a role they apply to: a policy
-- calling a function that reads a table without naming its schema
CREATE TABLE hidden_names (name text PRIMARY KEY);
INSERT INTO hidden_names VALUES ('secret');
CREATE FUNCTION name_visible(n text) RETURNS boolean LANGUAGE sql
    AS $$ SELECT NOT EXISTS (SELECT FROM hidden_names h WHERE h.name = n) $$;
ALTER TABLE toys ENABLE ROW LEVEL SECURITY;
CREATE POLICY toys_visible ON toys USING (name_visible(name)) WITH CHECK (name_visible(name));
CREATE ROLE regress_user_code;
GRANT USAGE ON SCHEMA user_code TO regress_user_code;
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA user_code TO regress_user_code;
GRANT USAGE ON ALL SEQUENCES IN SCHEMA user_code TO regress_user_code;
SELECT max(n) AS audit_mark FROM audit \gset
SET ROLE regress_user_code;
SELECT id, name FROM pug_create_toy(3, '{"name": "frisbee"}');
SELECT id, name FROM pug_create_toy(3, '{"name": "secret"}');
SELECT id, name FROM pug_add_toy(3, 1);
SELECT id, name FROM pug_get_toys(3);
SELECT tab, op, item, path FROM audit WHERE n > :audit_mark ORDER BY n;
RESET ROLE;

SET client_min_messages = warning;
DROP SCHEMA user_code_2 CASCADE;
DROP SCHEMA user_code CASCADE;
RESET client_min_messages;
DROP ROLE regress_user_code;
