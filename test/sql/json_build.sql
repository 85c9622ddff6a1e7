--
-- assoc.json_row(record) and the aggregate assoc.json_rows(record), which
-- the loaders and find_all build their JSON with: the same text as
-- PostgreSQL's row_to_json and json_agg, byte for byte, for every kind of
-- column (written directly, or handed to PostgreSQL's to_json).
--
CREATE SCHEMA jb;
SET search_path = jb, public;
SET timezone = 'UTC';
\pset format unaligned

CREATE TYPE mood AS ENUM ('sad', 'ok', 'happy');
CREATE TYPE pair AS (a int, b text);
CREATE DOMAIN posint AS int CHECK (VALUE > 0);
CREATE DOMAIN doc AS json;
CREATE TABLE kinds (
    id serial PRIMARY KEY,
    gone int,
    b boolean, i2 smallint, i4 int, i8 bigint, f4 real, f8 double precision,
    n numeric, d date, ts timestamp, tz timestamptz, t time, iv interval,
    j json, jb jsonb, tx text, vc varchar(20), ch char(3), nm name,
    u uuid, by bytea, m money, ip inet, pt point, x xml,
    ia int[], ta text[], e mood, p pair, dp posint, dj doc,
    "we""ird key" text, "ключ" text);
ALTER TABLE kinds DROP COLUMN gone;
INSERT INTO kinds (b, i2, i4, i8, f4, f8, n, d, ts, tz, t, iv, j, jb, tx, vc,
                   ch, nm, u, by, m, ip, pt, x, ia, ta, e, p, dp, dj,
                   "we""ird key", "ключ")
VALUES
    (true, -2, 4, 9007199254740993, 1.5, 0.1, 12.3400, '2024-02-29',
     '2024-01-01 12:34:56.789', '2024-01-01 12:34:56.789+02', '12:00', '1 day 2 hours',
     '{"a" : [1, 2] }', '{"b": [true, null]}', E'quote " back \\ nl \n tab \t bell \x07 é 😀', 'v',
     'ab', 'name', 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11', '\xdeadbeef', 12.5, '10.0.0.1/8',
     '(1,2)', '<a>x</a>', '{1,NULL,3}', '{"a b",NULL}', 'happy', '(1,"x y")', 7,
     '[1, {"c": "d"}]', 'k', 'v'),
    (false, 0, 0, 0, 'NaN', 'Infinity', 'NaN', 'infinity', '-infinity', 'infinity',
     '00:00', '0', 'null', 'null', '', '', '', '', NULL, '', 0, NULL,
     NULL, NULL, '{}', '{}', 'sad', NULL, NULL, 'null', NULL, NULL),
    (NULL, NULL, NULL, NULL, '-Infinity', '-0', '-1e-20', NULL, NULL, NULL,
     NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
     NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL);

-- one row at a time: every row, every column
SELECT k.id, assoc.json_row(k)::text = row_to_json(k)::text AS same
  FROM kinds k ORDER BY k.id;
SELECT assoc.json_row(k) FROM kinds k WHERE k.id = 1;
-- aggregated: with a NULL row in the middle, in a given order
SELECT assoc.json_rows(k ORDER BY k.id DESC)::text = json_agg(k ORDER BY k.id DESC)::text AS same
  FROM kinds k;
SELECT assoc.json_rows(r ORDER BY n)::text = json_agg(r ORDER BY n)::text AS same
  FROM (SELECT k.id AS n, CASE WHEN k.id = 2 THEN NULL ELSE k END AS r FROM kinds k) s;
-- no rows: NULL, as json_agg
SELECT assoc.json_rows(k) IS NULL AS is_null FROM kinds k WHERE false;
-- a row of no table (a subquery's), and rows of two types in one query
SELECT assoc.json_row(s)::text = row_to_json(s)::text AS same
  FROM (SELECT 1 AS one, 'two' AS "Two", NULL::int AS three) s;
SELECT assoc.json_rows(a)::text = json_agg(a)::text AND assoc.json_rows(b)::text = json_agg(b)::text AS same
  FROM (SELECT k.id, k.tx FROM kinds k) a, (SELECT k.id, k.d, k.e FROM kinds k) b;
-- values whose text depends on settings follow the settings of the moment
SET extra_float_digits = 0;
SET intervalstyle = sql_standard;
SELECT assoc.json_row(k)::text = row_to_json(k)::text AS same FROM kinds k WHERE k.id = 1;
RESET extra_float_digits;
RESET intervalstyle;
-- a NULL row is NULL
SELECT assoc.json_row(NULL::kinds) IS NULL AS is_null;
-- the integers' and strings' own writers: the ends of each integer type,
-- every byte below 0x20, quotes and backslashes at the ends and in runs,
-- multi-byte characters, a string longer than the first buffer, char(n)'s
-- padding, a domain over varchar
CREATE DOMAIN shortname AS varchar(10);
CREATE TABLE edges (i2 smallint, i4 int, i8 bigint, tx text, vc varchar(5000), ch char(4), sn shortname);
INSERT INTO edges VALUES
    (-32768, -2147483648, -9223372036854775808, '"', '\\', 'a', 'é'),
    (32767, 2147483647, 9223372036854775807, '', '""\\\\', '', ''),
    (0, -1, 10, (SELECT string_agg(chr(c), '' ORDER BY c) FROM generate_series(1, 127) c),
     repeat('ab"cd\\ é😀', 400), 'x"', E'a\tb'),
    (NULL, NULL, NULL, E'\\"x"\n', repeat('z', 3000), NULL, NULL);
SELECT assoc.json_row(e)::text = row_to_json(e)::text AS same FROM edges e;
SELECT assoc.json_rows(e)::text = json_agg(e)::text AS same FROM edges e;
SELECT assoc.json_row(e) FROM edges e WHERE e.i2 IS NOT NULL AND e.i2 <> 0;

SET client_min_messages = warning;
DROP SCHEMA jb CASCADE;
RESET client_min_messages;
