--
-- find_all: keyset pagination, "after" the previous page's last row under
-- the order (beyond Sequelize): each page is the slice that limit and
-- offset would give, found through the order's index instead of counted
-- from the start.
--
\set VERBOSITY default
CREATE SCHEMA fak;
SET search_path = fak, public;
\pset format unaligned

\i test/fixtures/find_all_pets.sql

-- and a page-sized table with ties and nulls in its order column
CREATE TABLE dogs (id int PRIMARY KEY, name text, born date NOT NULL);
INSERT INTO dogs SELECT i, CASE WHEN i % 5 = 0 THEN NULL ELSE 'dog ' || (i % 7) END,
                        date '2020-01-01' + (i % 4)
  FROM generate_series(1, 40) i;
CREATE INDEX ON dogs (born, id);

-- ---------------------------------------------------------------- pages
-- order by id: the page after pug 2
SELECT * FROM assoc.find_all('pugs', '{"order": ["id"], "after": [2], "limit": 2, "attributes": ["id", "name"]}');
-- with includes: owners after Tom, with their pugs
SELECT * FROM assoc.find_all('owners', '{"order": [["id", "ASC"]], "after": [1], "limit": 1,
    "attributes": ["name"], "include": [{"association": "pugs", "attributes": ["name"]}]}');
-- by name DESC (ties broken by id): the values of the order, then the key
SELECT * FROM assoc.find_all('pugs', '{"order": [["name", "DESC"]], "after": ["Ella", 3], "attributes": ["id", "name"]}');
-- walking every page of every order equals limit/offset: for each order,
-- the pages of 3 taken with "after" (each starting after the last row of
-- the one before) give the rows of the whole ordering, in order
CREATE FUNCTION walk(o jsonb, keys text[]) RETURNS text LANGUAGE plpgsql AS $$
DECLARE
    page json[];
    after jsonb := NULL;
    got text[] := '{}';
    opts jsonb;
BEGIN
    LOOP
        opts := jsonb_build_object('order', o, 'limit', 3, 'attributes', '["id", "name", "born"]'::jsonb);
        IF after IS NOT NULL THEN
            opts := opts || jsonb_build_object('after', after);
        END IF;
        SELECT array_agg(j) INTO page FROM assoc.find_all('dogs', opts) j;
        EXIT WHEN page IS NULL;
        got := got || ARRAY(SELECT p->>'id' FROM unnest(page) p);
        after := (SELECT jsonb_agg(page[array_length(page, 1)]::jsonb -> k) FROM unnest(keys) k);
    END LOOP;
    RETURN CASE WHEN got = ARRAY(SELECT j->>'id' FROM assoc.find_all('dogs', jsonb_build_object('order', o)) j)
                THEN 'same' ELSE 'differs: ' || array_to_string(got, ',') END;
END
$$;
SELECT o, walk(o::jsonb, k) AS pages_vs_full
  FROM (VALUES ('["id"]', '{id}'::text[]),
               ('[["id", "DESC"]]', '{id}'),
               ('[["name", "ASC"]]', '{name,id}'),
               ('[["name", "DESC"]]', '{name,id}'),
               ('[["name", "ASC NULLS FIRST"]]', '{name,id}'),
               ('[["name", "DESC NULLS LAST"]]', '{name,id}'),
               ('[["born", "DESC"], ["name", "ASC"]]', '{born,name,id}'),
               ('[["born", "ASC"], ["id", "DESC"]]', '{born,id}')) v(o, k);
-- after a null name (nulls last in ASC): only the nulls after it remain
SELECT * FROM assoc.find_all('dogs', '{"order": ["name"], "after": [null, 30], "attributes": ["id", "name"]}');
-- with where, offset and a required include
SELECT * FROM assoc.find_all('owners', '{"order": [["name", "ASC"]], "after": ["Ann", 2], "offset": 0,
    "where": {"id": {"$lt": 10}}, "attributes": ["name"], "include": [{"association": "pugs", "required": true, "attributes": ["name"]}]}');
-- the count of find_and_count_all is of every page
SELECT assoc.find_and_count_all('pugs', '{"order": ["id"], "after": [3], "limit": 1, "attributes": ["id"]}');
-- the first key's index gives the page's start (born is NOT NULL): an
-- index condition, not a filter over the rows before the page
CREATE FUNCTION plan_of(sql text) RETURNS SETOF text LANGUAGE plpgsql AS $$
BEGIN
    RETURN QUERY EXECUTE 'EXPLAIN (COSTS OFF) ' || sql;
END
$$;
SET enable_seqscan = off;
SELECT p AS index_condition
  FROM plan_of(assoc.find_all_sql('dogs', '{"order": ["born"], "after": ["2020-01-02", 7], "limit": 3}')) p
 WHERE p LIKE '%Index Cond%';
RESET enable_seqscan;

-- ---------------------------------------------------------------- errors
SELECT * FROM assoc.find_all('pugs', '{"after": [2]}');
SELECT * FROM assoc.find_all('pugs', '{"order": ["name"], "after": ["Dot"]}');
SELECT * FROM assoc.find_all('pugs', '{"order": ["id"], "after": [1, 2]}');
SELECT * FROM assoc.find_all('pugs', '{"order": ["id"], "after": ["abc"]}');
SELECT * FROM assoc.find_all('dogs', '{"order": ["born"], "after": ["yesterday at noon", 1]}');
SELECT * FROM assoc.find_all('pugs', '{"order": ["id"], "after": [null]}');
SELECT * FROM assoc.find_all('pugs', '{"order": ["id"], "after": [[1]]}');
SELECT * FROM assoc.find_all('pugs', '{"order": ["id"], "after": 2}');
SELECT * FROM assoc.find_all('owners', '{"order": [["pugs", "name", "ASC"]], "after": ["Cody", 1], "include": ["pugs"]}');
SELECT * FROM assoc.find_all('owners', '{"include": [{"association": "pugs", "order": ["id"], "after": [1]}]}');

SET client_min_messages = warning;
DROP SCHEMA fak CASCADE;
RESET client_min_messages;
