--
-- A page (a limit of at most 1000 rows) is planned with enable_bitmapscan
-- off unless assoc.page_bitmap_scans is on, and materialized in the select
-- list too (find_all.c; test/extra/page_plan.sh shows the plans): the same
-- rows in the same order either way, in the select list and in FROM, under
-- an outer LIMIT, and the caller's enable_bitmapscan untouched.
--
\set VERBOSITY default
CREATE SCHEMA fap;
SET search_path = fap, public;
\pset format unaligned

\i test/fixtures/find_all_pets.sql

SHOW assoc.page_bitmap_scans;
-- a page in the select list, in FROM, and its statement run by hand
SELECT assoc.find_all('owners', '{"limit": 2, "include": [{"association": "pugs", "include": ["toys"]}]}');
SELECT * FROM assoc.find_all('owners', '{"limit": 2, "include": [{"association": "pugs", "include": ["toys"]}]}');
SELECT string_agg(j::text, ' | ') = (SELECT string_agg(f::text, ' | ') FROM assoc.find_all('owners',
         '{"limit": 2, "include": [{"association": "pugs", "include": ["toys"]}]}') f) AS same_as_from
  FROM (SELECT assoc.find_all('owners', '{"limit": 2, "include": [{"association": "pugs", "include": ["toys"]}]}') AS j) s;
SHOW enable_bitmapscan;
-- an outer LIMIT over a page, an offset, and a limit above 1000 (streamed)
SELECT assoc.find_all('owners', '{"order": [["id", "DESC"]], "limit": 3}') LIMIT 1;
SELECT assoc.find_all('owners', '{"offset": 1, "limit": 5}');
SELECT assoc.find_all('owners', '{"limit": 1001, "include": ["pugs"]}');
-- the same page with bitmap scans allowed
SET assoc.page_bitmap_scans = on;
SELECT assoc.find_all('owners', '{"limit": 2, "include": [{"association": "pugs", "include": ["toys"]}]}');
SET enable_bitmapscan = off;
SELECT assoc.find_all('owners', '{"limit": 2, "include": ["pugs"]}');
SHOW enable_bitmapscan;
RESET enable_bitmapscan;
RESET assoc.page_bitmap_scans;
-- a page in a cursor of the caller, read in steps
BEGIN;
DECLARE c CURSOR FOR SELECT assoc.find_all('owners', '{"limit": 3}');
FETCH 2 FROM c;
FETCH 2 FROM c;
COMMIT;
-- not a bool
SET assoc.page_bitmap_scans = sometimes;

SET client_min_messages = warning;
DROP SCHEMA fap CASCADE;
RESET client_min_messages;
