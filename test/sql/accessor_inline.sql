-- The set-returning readers are SQL functions PostgreSQL inlines: the plan
-- of SELECT * FROM owner_get_pugs(1) is the plan of the SELECT in its body,
-- an index scan on pugs, with no Function Scan.
\set VERBOSITY default
CREATE SCHEMA il;
SET search_path = il, public;

CREATE TABLE owners (id serial PRIMARY KEY, name text);
CREATE TABLE pugs (id serial PRIMARY KEY, name text);
SET client_min_messages = warning;
SELECT kind, alias FROM assoc.has_many('owners', 'pugs');
SELECT kind, alias FROM assoc.belongs_to('pugs', 'owners');
SELECT kind, alias FROM assoc.has_one('owners', 'pugs', alias => 'favorite');
RESET client_min_messages;
INSERT INTO owners (name) SELECT 'owner ' || g FROM generate_series(1, 2000) g;
INSERT INTO pugs (name, "ownerId") SELECT 'pug ' || g, g % 2000 + 1 FROM generate_series(1, 20000) g;
ANALYZE owners, pugs;

-- What inlining needs (LANGUAGE sql, STABLE, not STRICT, not SECURITY
-- DEFINER, no SET clause) holds for every reader; the writers are VOLATILE.
SELECT p.proname, l.lanname, p.provolatile,
       p.proisstrict, p.prosecdef, p.proconfig IS NULL AS no_set,
       p.prosqlbody IS NOT NULL AS standard_body, count(*) AS overloads
  FROM assoc.associations a, unnest(a.functions) f, pg_proc p, pg_language l
 WHERE p.oid = f AND l.oid = p.prolang AND a.source = 'il.owners'::regclass
   AND p.proname NOT LIKE '%\_with\_%'
 GROUP BY 1, 2, 3, 4, 5, 6, 7 ORDER BY 1;

-- the plan must not depend on the sizes above
SET enable_seqscan = off;
SET enable_bitmapscan = off;

-- by key, by quoted literal (the text form: the key converted at plan time)
EXPLAIN (COSTS OFF) SELECT * FROM owner_get_pugs(1);
EXPLAIN (COSTS OFF) SELECT * FROM owner_get_pugs('1');
-- a condition of the caller's goes into the scan
EXPLAIN (COSTS OFF) SELECT name FROM owner_get_pugs(1) WHERE name LIKE 'pug 1%' LIMIT 2;
-- a driver's untyped parameter, in a custom and in a generic plan
PREPARE q AS SELECT * FROM owner_get_pugs($1);
EXPLAIN (COSTS OFF) EXECUTE q(1);
SET plan_cache_mode = force_generic_plan;
EXPLAIN (COSTS OFF) EXECUTE q(1);
RESET plan_cache_mode;
-- the row form, laterally, for several owners
EXPLAIN (COSTS OFF)
SELECT o.name, p.name FROM owners o, owner_get_pugs(o) p WHERE o.id < 4;
-- and the results are those of the plain query
SELECT (SELECT array_agg(id) FROM owner_get_pugs(1)) =
       (SELECT array_agg(id ORDER BY id) FROM pugs WHERE "ownerId" = 1) AS same,
       (SELECT count(*) FROM owner_get_pugs(1)) AS n;
SELECT id, name, "ownerId" FROM owner_get_pugs(7) LIMIT 3;

-- The single-row readers (pug_get_owner, owner_get_favorite) and the
-- scalar ones (count, has) are not inlined: PostgreSQL inlines a function
-- in FROM only when it returns a set, and a function in an expression only
-- when its body has no FROM.  They run their body's plan, by index.
EXPLAIN (COSTS OFF) SELECT * FROM pug_get_owner(1);
EXPLAIN (COSTS OFF) SELECT * FROM owner_get_favorite(1);

RESET enable_seqscan;
RESET enable_bitmapscan;
SET client_min_messages = warning;
DROP SCHEMA il CASCADE;
