-- The helpers that the generated functions call (assoc.require_row,
-- require_keys, require_nullable, check_key, check_through, insert_json)
-- are callable by anyone: called directly with arguments the generated code
-- never gives, they raise errors with an SQLSTATE, never crash.
\set VERBOSITY default
CREATE SCHEMA ih;
SET search_path = ih, public;
\pset null '(null)'

CREATE TABLE owners (id serial PRIMARY KEY, name text);
CREATE TABLE pugs (id serial PRIMARY KEY, name text,
    "createdAt" timestamptz NOT NULL, "updatedAt" timestamptz NOT NULL);
SET client_min_messages = warning;
SELECT kind, alias FROM assoc.has_many('owners', 'pugs');
RESET client_min_messages;
INSERT INTO owners (name) VALUES ('Tom');

-- every error of this file, with its SQLSTATE
CREATE FUNCTION try(stmt text) RETURNS text LANGUAGE plpgsql AS $$
BEGIN
    EXECUTE stmt;
    RETURN 'ok';
EXCEPTION WHEN OTHERS THEN
    RETURN SQLSTATE || ': ' || SQLERRM;
END $$;

-- the names the messages are made of must be given
SELECT assoc.require_row(0, 'owners', 'pugs', 'owner', 'owners', NULL, '9');
SELECT assoc.require_row(0, 'owners', NULL, 'owner', 'owners', 'id', '9');
SELECT assoc.require_row(0, NULL, 'pugs', 'owner', 'owners', 'id', NULL);
SELECT assoc.require_keys(ARRAY['9'], 'owners', 'pugs', 'pug', 'pugs', NULL);
SELECT assoc.require_keys(ARRAY['9'], 'owners', 'pugs', NULL, 'pugs', 'id');
SELECT assoc.require_nullable(ARRAY['9'], 'owners', 'pugs', 'pug', NULL, 'ownerId');
SELECT assoc.require_nullable(ARRAY['9'], 'owners', 'pugs', 'pug', 'pugs', NULL);
SELECT assoc.check_key('x', NULL::integer, 'owners', NULL, 'pug');
SELECT assoc.check_key('x', NULL::integer, 'owners', 'pugs', NULL);
SELECT assoc.check_through('{"x": 1}', NULL, 'owners', 'pugs', 'pugs', ARRAY['a', 'b']);
SELECT assoc.check_through('{"x": 1}', ARRAY['c'], 'owners', NULL, 'pugs', ARRAY['a', 'b']);
SELECT assoc.check_through('{"x": 1}', ARRAY['c'], 'owners', 'pugs', 'pugs', NULL);
SELECT * FROM assoc.insert_json(NULL, '{}', '{}', 'owners', 'pugs') AS x(id integer);
SELECT * FROM assoc.insert_json('pugs', '{}', '{}', NULL, 'pugs') AS x(id integer);
SELECT * FROM assoc.insert_json('pugs', '{"nom": 1}', '{}', 'owners', NULL) AS x(id integer);

-- given them, the checks answer as for the generated functions
SELECT assoc.require_row(1, 'owners', 'pugs', 'owner', 'owners', 'id', '1');
SELECT assoc.require_row(0, 'owners', 'pugs', 'owner', 'owners', 'id', '9');
SELECT assoc.require_keys(NULL, 'owners', 'pugs', 'pug', 'pugs', 'id');
SELECT assoc.require_nullable(NULL, 'owners', 'pugs', 'pug', 'pugs', 'ownerId');
SELECT assoc.check_key(NULL, NULL::integer, 'owners', 'pugs', 'pug');
SELECT assoc.check_key('12', NULL::integer, 'owners', 'pugs', 'pug');
SELECT assoc.check_through(NULL, ARRAY['c'], 'owners', 'pugs', 'pugs', ARRAY['a', 'b']);
SELECT assoc.check_through('{"c": 1}', ARRAY['c'], 'owners', 'pugs', 'pugs', ARRAY['a', 'b']);
SELECT assoc.check_through('{"x": 1}', ARRAY['c'], 'owners', 'pugs', 'pugs', ARRAY['a', 'b']);

-- insert_json: its JSON arguments are objects, and NULL ones are empty
SELECT * FROM assoc.insert_json('pugs', '{}', '[1]', 'owners', 'pugs') AS x(id integer);
SELECT * FROM assoc.insert_json('pugs', '"Rex"', NULL, 'owners', 'pugs') AS x(id integer);
SELECT id, name, "ownerId", "createdAt" = now() AS created_now
  FROM assoc.insert_json('pugs', NULL, NULL, 'owners', 'pugs')
       AS x(id integer, name text, "createdAt" timestamptz, "updatedAt" timestamptz, "ownerId" integer);
SELECT id, name, "ownerId"
  FROM assoc.insert_json('pugs', '{"name": "Rex"}', NULL, 'owners', 'pugs')
       AS x(id integer, name text, "createdAt" timestamptz, "updatedAt" timestamptz, "ownerId" integer);
-- the row comes back in the shape of the column definition list, which
-- must be the table's
SELECT * FROM assoc.insert_json('pugs', '{}', '{}', 'owners', 'pugs');
SELECT assoc.insert_json('pugs', '{}', '{}', 'owners', 'pugs');
SELECT * FROM assoc.insert_json('pugs', '{}', '{}', 'owners', 'pugs') AS x(id integer);
SELECT * FROM assoc.insert_json('pugs', '{}', '{}', 'owners', 'pugs')
    AS x(id integer, name integer, "createdAt" timestamptz, "updatedAt" timestamptz, "ownerId" integer);
SELECT * FROM assoc.insert_json('owners', '{}', '{}', 'owners', 'pugs') AS x(id integer, name text);
SELECT * FROM assoc.insert_json(0, '{}', '{}', 'owners', 'pugs') AS x(id integer);
SELECT id, name FROM pugs ORDER BY id;

-- the SQLSTATEs
SELECT try($$SELECT assoc.require_row(0, 'owners', 'pugs', 'owner', 'owners', NULL, '9')$$);
SELECT try($$SELECT assoc.check_through('{"x": 1}', NULL, 'owners', 'pugs', 'pugs', NULL)$$);
SELECT try($$SELECT * FROM assoc.insert_json(NULL, '{}', '{}', 'owners', 'pugs') AS x(id integer)$$);
SELECT try($$SELECT * FROM assoc.insert_json('pugs', '{}', '[1]', 'owners', 'pugs') AS x(id integer)$$);
SELECT try($$SELECT * FROM assoc.insert_json('owners', '{}', '{}', 'owners', 'pugs') AS x(id integer)$$);
SELECT try($$SELECT * FROM assoc.insert_json('owners', '{}', '{}', 'owners', 'pugs') AS x(id integer, name integer)$$);

SET client_min_messages = warning;
DROP SCHEMA ih CASCADE;
RESET client_min_messages;
