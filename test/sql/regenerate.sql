-- assoc.regenerate(tab): the generated functions written again where they
-- differ from what assoc generates now (after an upgrade of assoc, or a
-- function changed by hand); only the caller's tables.
\set VERBOSITY default
CREATE SCHEMA regen;
SET search_path = regen, public;
CREATE TABLE owners (id serial PRIMARY KEY, name text);
CREATE TABLE pugs (id serial PRIMARY KEY, name text);
SET client_min_messages = warning;
SELECT alias FROM assoc.has_many('owners', 'pugs');
SELECT alias FROM assoc.belongs_to('pugs', 'owners');
RESET client_min_messages;
INSERT INTO owners (name) VALUES ('Tom');
INSERT INTO pugs (name, "ownerId") VALUES ('Cody', 1);

-- nothing to do: every function is as assoc writes it
SELECT assoc.regenerate('owners');
SELECT assoc.regenerate();

-- a function changed by hand, one dropped by hand: both written again
CREATE OR REPLACE FUNCTION owner_count_pugs(owner integer) RETURNS bigint
    LANGUAGE sql STABLE AS 'SELECT 42::bigint';
DROP FUNCTION owner_get_pugs(text);
SELECT owner_count_pugs(1);
SELECT assoc.regenerate('pugs');
SELECT owner_count_pugs(1), (SELECT name FROM owner_get_pugs('1'));
SELECT count(*) AS functions FROM assoc.associations a, unnest(a.functions) f;

-- only the owner of the table may
CREATE ROLE regen_other;
GRANT USAGE ON SCHEMA regen TO regen_other;
SET ROLE regen_other;
SELECT assoc.regenerate('owners');
-- without a table: the caller's tables only (here none)
SELECT assoc.regenerate();
RESET ROLE;
DROP OWNED BY regen_other;
DROP ROLE regen_other;

SET client_min_messages = warning;
DROP SCHEMA regen CASCADE;
RESET client_min_messages;
