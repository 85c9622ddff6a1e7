--
-- find_all's statement is one SELECT.  For a page of owners it limits the
-- owners first and reads each one's pugs and toys through the foreign-key
-- indexes that the declarations created.
--
CREATE SCHEMA fax;
SET search_path = fax, public;
CREATE TABLE owners (id serial PRIMARY KEY, name text);
CREATE TABLE pugs (id serial PRIMARY KEY, name text);
CREATE TABLE toys (id serial PRIMARY KEY, label text);
SET client_min_messages = warning;
SELECT alias FROM assoc.has_many('owners', 'pugs');
SELECT alias FROM assoc.has_many('pugs', 'toys');
SELECT alias FROM assoc.belongs_to('pugs', 'owners');
RESET client_min_messages;
-- the indexes on the foreign keys
SELECT indexrelid::regclass AS index, indrelid::regclass AS "table"
  FROM pg_index WHERE indrelid IN ('pugs'::regclass, 'toys'::regclass) AND NOT indisprimary
 ORDER BY 1::text;

-- 1000 owners, 10 pugs each, 2 toys per pug (each table smaller than
-- ANALYZE's sample, and all-visible after VACUUM: the statistics and the
-- plans do not vary)
INSERT INTO owners (name) SELECT 'owner ' || i FROM generate_series(1, 1000) i;
INSERT INTO pugs (name, "ownerId") SELECT 'pug ' || i, 1 + i % 1000 FROM generate_series(1, 10000) i;
INSERT INTO toys (label, "pugId") SELECT 'toy ' || i, 1 + i % 10000 FROM generate_series(1, 20000) i;
VACUUM ANALYZE owners, pugs, toys;
SET jit = off;
SET max_parallel_workers_per_gather = 0;

-- a page of 20 owners, two levels down
SELECT 'EXPLAIN (COSTS OFF) ' || assoc.find_all_sql('owners',
    '{"include": [{"association": "pugs", "include": ["toys"]}], "limit": 20}') \gexec
-- the same page, filtered and ordered
SELECT 'EXPLAIN (COSTS OFF) ' || assoc.find_all_sql('owners',
    '{"where": {"name": {"$like": "owner 1%"}}, "order": [["name", "DESC"]], "limit": 20, "offset": 20,
      "include": [{"association": "pugs", "where": {"name": {"$ne": "x"}}, "required": false, "include": ["toys"]}]}') \gexec
-- a required include filters the owners before the limit
SELECT 'EXPLAIN (COSTS OFF) ' || assoc.find_all_sql('owners',
    '{"limit": 20, "include": [{"association": "pugs", "required": true}]}') \gexec
-- pugs with their owner, a page
SELECT 'EXPLAIN (COSTS OFF) ' || assoc.find_all_sql('pugs', '{"include": ["owner", "toys"], "limit": 20}') \gexec
-- every owner, two levels down: each toy carries its pug's "ownerId", so
-- that the pugs (sorted by "ownerId", id) merge with their toys' arrays and
-- are grouped by owner in that order, with no sort or hash of their JSON
SELECT 'EXPLAIN (COSTS OFF) ' || assoc.find_all_sql('owners',
    '{"include": [{"association": "pugs", "include": ["toys"]}]}') \gexec
-- the same text as the hand-written subqueries per owner and per pug
SELECT md5(string_agg(j::text, E'\n')) = md5((SELECT string_agg(row_to_json(x)::text, E'\n' ORDER BY x.id) FROM (
         SELECT o.*, COALESCE((SELECT json_agg(p ORDER BY p.id) FROM (
                  SELECT p.*, COALESCE((SELECT json_agg(t ORDER BY t.id) FROM toys t WHERE t."pugId" = p.id), '[]') AS toys
                    FROM pugs p WHERE p."ownerId" = o.id) p), '[]') AS pugs
           FROM owners o) x)) AS same
  FROM assoc.find_all('owners', '{"include": [{"association": "pugs", "include": ["toys"]}]}') j;

-- the page has 20 owners, each with its 10 pugs of 2 toys
SELECT count(*) AS owners, sum(json_array_length(j->'pugs')) AS pugs,
       sum((SELECT sum(json_array_length(p->'toys')) FROM json_array_elements(j->'pugs') p)) AS toys
  FROM assoc.find_all('owners', '{"include": [{"association": "pugs", "include": ["toys"]}], "limit": 20}') j;

SET client_min_messages = warning;
DROP SCHEMA fax CASCADE;
RESET client_min_messages;
