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

-- The scalar readers (count, has) are not inlined: PostgreSQL inlines a
-- function in an expression only when its body has no FROM.  The
-- single-row readers (pug_get_owner, owner_get_favorite) are the one call
-- assoc.row_one(NULL::owners, 'SELECT t FROM ...', $1), which is inlined;
-- its planner support puts the statement into the caller's query as a
-- scalar subquery (an InitPlan, by index, planned with the query).
SELECT prosrc LIKE E'\nSELECT assoc.row_one(CAST(NULL AS il.owners), ''SELECT t FROM il.owners t WHERE %'', $1);\n' AS row_one_body
  FROM pg_proc WHERE oid = 'pug_get_owner(anycompatible)'::regprocedure;
EXPLAIN (COSTS OFF) SELECT * FROM pug_get_owner(1);
EXPLAIN (COSTS OFF) SELECT * FROM owner_get_favorite(1);
-- a driver's untyped parameter, in a generic plan: the key converted once
PREPARE g AS SELECT * FROM pug_get_owner($1);
SET plan_cache_mode = force_generic_plan;
EXPLAIN (COSTS OFF) EXECUTE g('5');
EXECUTE g('5');
EXECUTE g(7);
RESET plan_cache_mode;
DEALLOCATE g;
-- the same rows and NULLs as before: no pug, no owner (a row of NULLs in
-- FROM, NULL in an expression), by row laterally (one row per pug, as a
-- LEFT JOIN), in the select list, by an expression (run by row_one itself)
INSERT INTO pugs (name) VALUES ('stray');
SELECT * FROM pug_get_owner(999999);
SELECT pug_get_owner(999999) IS NULL AS none, pug_get_owner(NULL::integer) IS NULL AS "null";
SELECT p.id, o.id AS owner FROM pugs p, pug_get_owner(p) o
 WHERE p.id IN (1, 2, 20001) ORDER BY p.id;
EXPLAIN (COSTS OFF) SELECT p.id, o.id AS owner FROM pugs p, pug_get_owner(p) o
 WHERE p.id IN (1, 2) ORDER BY p.id;
SELECT p.id, (pug_get_owner(p.id)).name FROM pugs p WHERE p.id IN (1, 2, 20001) ORDER BY p.id;
UPDATE pugs SET "favoriteId" = 4 WHERE id = 3;
SELECT (pug_get_owner((SELECT 3))).name AS by_subquery,
       (owner_get_favorite((SELECT 4))).name AS favorite,
       (owner_get_favorite((SELECT 5))).name AS no_favorite;
SELECT name FROM owner_get_favorite('4');
DELETE FROM pugs WHERE name = 'stray';
-- the session keeps row_one's parsed statement; a change of the tables
-- makes it parse again
SELECT * FROM pug_get_owner(2);
ALTER TABLE owners RENAME COLUMN name TO title;
SELECT * FROM pug_get_owner(2);
ALTER TABLE owners ADD COLUMN rank int DEFAULT 1;
SELECT * FROM pug_get_owner(2);
PREPARE s AS SELECT * FROM pug_get_owner($1);
EXECUTE s('2');

RESET enable_seqscan;
RESET enable_bitmapscan;
SET client_min_messages = warning;
DROP SCHEMA il CASCADE;
