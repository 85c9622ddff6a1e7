--
-- find_all: cursor strings for keyset pagination.  With "cursor": true a
-- page is one json {"rows": [...], "next": cursor or null}; "after": that
-- cursor gives the next page.  The cursor is checked like an "after" array
-- and bound to the model and the order.
--
\set VERBOSITY default
CREATE SCHEMA fac;
SET search_path = fac, public;
\pset format unaligned

\i test/fixtures/find_all_pets.sql

-- dogs, whose order columns have ties and nulls, times with microseconds
-- and fractions: each comes back from a cursor as it went
CREATE TABLE dogs (id int PRIMARY KEY, name text, seen timestamptz NOT NULL, weight numeric);
INSERT INTO dogs
SELECT i, CASE WHEN i % 5 = 0 THEN NULL ELSE 'dog ' || (i % 7) END,
       timestamptz '2020-01-01 10:00:00.123456+00' + (i % 4) * interval '1.000001 hour',
       CASE WHEN i % 6 = 0 THEN NULL ELSE (i % 9) / 3.0 END
  FROM generate_series(1, 40) i;

-- ---------------------------------------------------------------- pages
-- a page of 2 of 5 pugs and its cursor, then the pages after it: the last
-- one has no next
SELECT * FROM assoc.find_all('pugs', '{"order": ["id"], "limit": 2, "cursor": true, "attributes": ["id", "name"]}');
SELECT * FROM assoc.find_all('pugs', '{"order": ["id"], "limit": 2, "cursor": true, "attributes": ["id", "name"],
    "after": "eyJhZnRlciI6IFsyXSwgIm9yZGVyIjogImZhYy5wdWdzOiBpZCJ9"}');
SELECT * FROM assoc.find_all('pugs', '{"order": ["id"], "limit": 2, "cursor": true, "attributes": ["id", "name"],
    "after": "eyJhZnRlciI6IFs0XSwgIm9yZGVyIjogImZhYy5wdWdzOiBpZCJ9"}');
-- what a cursor holds (base64url of JSON): the values and the order
SELECT convert_from(decode(translate(c, '-_', '+/') || repeat('=', (4 - length(c) % 4) % 4), 'base64'), 'UTF8') AS cursor_holds
  FROM (SELECT j->>'next' AS c
          FROM assoc.find_all('pugs', '{"order": [["name", "DESC"]], "limit": 2, "cursor": true, "attributes": ["id"]}') j) x;
-- a page that ends exactly at the last row has no next (the limit's next
-- row is looked for); without a limit, all rows and no next
SELECT * FROM assoc.find_all('pugs', '{"order": ["id"], "limit": 5, "cursor": true, "attributes": ["id"]}');
SELECT * FROM assoc.find_all('pugs', '{"order": ["id"], "cursor": true, "attributes": ["id"]}');
-- no rows, limit 0
SELECT * FROM assoc.find_all('pugs', '{"where": {"id": {"$gt": 10}}, "limit": 2, "cursor": true}');
SELECT * FROM assoc.find_all('pugs', '{"limit": 0, "cursor": true}');
-- without an order, the primary key's (find_all's order then)
SELECT * FROM assoc.find_all('owners', '{"limit": 2, "cursor": true, "attributes": ["name"]}');
SELECT * FROM assoc.find_all('owners', '{"limit": 2, "cursor": true, "attributes": ["name"],
    "after": "eyJhZnRlciI6IFsyXSwgIm9yZGVyIjogImZhYy5vd25lcnM6IGlkIn0"}');
-- with includes and find_and_count_all (the count is of every page)
SELECT * FROM assoc.find_all('owners', '{"order": [["name", "ASC"]], "limit": 1, "cursor": true,
    "attributes": ["name"], "include": [{"association": "pugs", "attributes": ["name"]}]}');
SELECT assoc.find_and_count_all('owners', '{"order": [["name", "ASC"]], "limit": 1, "cursor": true,
    "attributes": ["name"], "include": [{"association": "pugs", "attributes": ["name"]}],
    "after": "eyJhZnRlciI6IFsiQW5uIiwgMl0sICJvcmRlciI6ICJmYWMub3duZXJzOiBuYW1lLCBpZCJ9"}');

-- walking every order to the end with the cursors equals the whole
-- ordering, whatever the attributes hold (here not the order's keys)
CREATE FUNCTION walk(o jsonb) RETURNS text LANGUAGE plpgsql AS $$
DECLARE
    page json;
    cursor text := NULL;
    got text[] := '{}';
    pages int := 0;
    opts jsonb;
BEGIN
    LOOP
        opts := jsonb_build_object('order', o, 'limit', 3, 'cursor', true, 'attributes', '["id"]'::jsonb);
        IF cursor IS NOT NULL THEN
            opts := opts || jsonb_build_object('after', cursor);
        END IF;
        SELECT j INTO page FROM assoc.find_all('dogs', opts) j;
        pages := pages + 1;
        got := got || ARRAY(SELECT r->>'id' FROM json_array_elements(page->'rows') r);
        cursor := page->>'next';
        EXIT WHEN cursor IS NULL;
    END LOOP;
    RETURN CASE WHEN got = ARRAY(SELECT j->>'id' FROM assoc.find_all('dogs', jsonb_build_object('order', o)) j)
                THEN 'same in ' || pages || ' pages' ELSE 'differs: ' || array_to_string(got, ',') END;
END
$$;
SELECT o, walk(o::jsonb) AS pages_vs_full
  FROM (VALUES ('["id"]'),
               ('[["id", "DESC"]]'),
               ('[["name", "ASC"]]'),
               ('[["name", "DESC"]]'),
               ('[["name", "ASC NULLS FIRST"]]'),
               ('[["name", "DESC NULLS LAST"]]'),
               ('[["seen", "DESC"], ["name", "ASC"]]'),
               ('[["seen", "ASC"], ["id", "DESC"]]'),
               ('[["weight", "DESC"], ["seen", "ASC"]]')) v(o);
-- the same order spelled otherwise takes the same cursor
SELECT j->'rows' AS rows
  FROM assoc.find_all('pugs', '{"order": [["id", "ASC NULLS LAST"]], "limit": 2, "cursor": true, "attributes": ["id"],
      "after": "eyJhZnRlciI6IFsyXSwgIm9yZGVyIjogImZhYy5wdWdzOiBpZCJ9"}') j;
-- "cursor": false changes nothing; a cursor in "after" without "cursor"
-- gives the rows as usual
SELECT * FROM assoc.find_all('pugs', '{"order": ["id"], "limit": 1, "cursor": false, "attributes": ["id"]}');
SELECT * FROM assoc.find_all('pugs', '{"order": ["id"], "limit": 1, "attributes": ["id"],
    "after": "eyJhZnRlciI6IFsyXSwgIm9yZGVyIjogImZhYy5wdWdzOiBpZCJ9"}');

-- ---------------------------------------------------------------- errors
-- a cursor of another order, of another model
SELECT * FROM assoc.find_all('pugs', '{"order": [["id", "DESC"]], "limit": 2,
    "after": "eyJhZnRlciI6IFsyXSwgIm9yZGVyIjogImZhYy5wdWdzOiBpZCJ9"}');
SELECT * FROM assoc.find_all('pugs', '{"order": ["name"], "limit": 2,
    "after": "eyJhZnRlciI6IFsyXSwgIm9yZGVyIjogImZhYy5wdWdzOiBpZCJ9"}');
SELECT * FROM assoc.find_all('owners', '{"order": ["id"], "limit": 2,
    "after": "eyJhZnRlciI6IFsyXSwgIm9yZGVyIjogImZhYy5wdWdzOiBpZCJ9"}');
-- strings that are no cursor: not base64url, not text, not JSON, not the
-- object of a cursor
SELECT * FROM assoc.find_all('pugs', '{"after": "2; DROP TABLE pugs"}');
SELECT * FROM assoc.find_all('pugs', '{"after": "_w"}');
SELECT * FROM assoc.find_all('pugs', '{"after": ""}');
SELECT * FROM assoc.find_all('pugs', '{"after": "eyJhZnRlciI6IFsy"}');
SELECT * FROM assoc.find_all('pugs', '{"after": "WzJd"}');
SELECT * FROM assoc.find_all('pugs', '{"after": "eyJhZnRlciI6IFsyXX0"}');
-- an edited cursor is checked like an "after" array: a value that is not
-- an id, too many values, a value that is no scalar
CREATE FUNCTION cursor_of(json text) RETURNS text LANGUAGE sql AS $$
    SELECT translate(encode(convert_to(json, 'UTF8'), 'base64'), E'+/=\n', '-_')
$$;
SELECT * FROM assoc.find_all('pugs', jsonb_build_object('after', cursor_of('{"after": ["1) OR (1=1"], "order": "fac.pugs: id"}')));
SELECT * FROM assoc.find_all('pugs', jsonb_build_object('after', cursor_of('{"after": [1, 2], "order": "fac.pugs: id"}')));
SELECT * FROM assoc.find_all('pugs', jsonb_build_object('after', cursor_of('{"after": [{"id": 1}], "order": "fac.pugs: id"}')));
SELECT * FROM assoc.find_all('dogs', jsonb_build_object('order', '["seen"]'::jsonb,
    'after', cursor_of('{"after": [null, 3], "order": "fac.dogs: seen, id"}')));
-- "cursor" needs an order that "after" can continue
SELECT * FROM assoc.find_all('owners', '{"order": [["$count(pugs)$", "DESC"]], "limit": 2, "cursor": true}');
SELECT * FROM assoc.find_all('owners', '{"order": [["pugs", "name", "ASC"]], "include": ["pugs"], "cursor": true}');
SELECT * FROM assoc.find_all('pugs', '{"cursor": "yes"}');
SELECT * FROM assoc.find_all('pugs', '{"after": {"id": 2}}');

SET client_min_messages = warning;
DROP SCHEMA fac CASCADE;
RESET client_min_messages;
