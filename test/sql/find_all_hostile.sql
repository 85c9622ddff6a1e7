--
-- find_all with hostile strings as values, column names, table names and
-- aliases: quotes, semicolons, $1, backslashes, comment markers.  Every one
-- is matched literally (values, names) or rejected with an error that shows
-- it as given; none reaches the SQL text unquoted.
--
\set VERBOSITY default
CREATE SCHEMA "fa h""ost; ile";
SET search_path = "fa h""ost; ile", public;
\pset format unaligned

-- a canary: every injection below would have to run this to show
CREATE FUNCTION public.fa_pwned() RETURNS integer LANGUAGE plpgsql AS
$$ BEGIN RAISE WARNING 'PWNED'; RETURN 1; END $$;

CREATE TABLE "own'ers; --" (
    id serial PRIMARY KEY,
    "na""me" text,
    "$1" text,
    "back\slash" text,
    "semi;colon" integer);
CREATE TABLE "pu""gs" (id serial PRIMARY KEY, "na""me" text, "it's" text);
SET client_min_messages = warning;
SELECT alias, foreign_key FROM assoc.has_many('"own''ers; --"', '"pu""gs"',
    alias => 'x"; DROP TABLE y; --''pugs', foreign_key => 'own"er$1Id');
SELECT alias, foreign_key FROM assoc.belongs_to('"pu""gs"', '"own''ers; --"',
    alias => 'o''wn"er\', foreign_key => 'own"er$1Id');
RESET client_min_messages;

INSERT INTO "own'ers; --" ("na""me", "$1", "back\slash", "semi;colon") VALUES
    ('O''Brien', '$1', 'C:\dir\file', 1),
    ('Robert''); DROP TABLE "pu""gs"; --', 'x; SELECT public.fa_pwned()', '\\', 2),
    ('plain', '$$', 'E''\n''', 3);
INSERT INTO "pu""gs" ("na""me", "it's", "own""er$1Id") VALUES
    ('Cody', 'a''b', 1), ('"Dot"', 'c;d', 1), ('Ella\', '$2', 2), ('%_', '--', 3);

-- the keys of the JSON are the names as they are
SELECT * FROM assoc.find_all('"own''ers; --"', '{"include": ["x\"; DROP TABLE y; --''pugs"]}');
SELECT * FROM assoc.find_all('"pu""gs"', '{"include": [{"association": "o''wn\"er\\"}], "attributes": ["na\"me", "it''s"]}');

-- values match literally, whatever they hold
SELECT w.options, (SELECT coalesce(string_agg(j->>'id', ', '), '(none)')
                     FROM assoc.find_all('"own''ers; --"', jsonb_build_object('where', w.options)) j) AS owners
  FROM (VALUES
    (jsonb_build_object('na"me', 'O''Brien')),
    (jsonb_build_object('na"me', 'Robert''); DROP TABLE "pu""gs"; --')),
    (jsonb_build_object('$1', '$1')),
    (jsonb_build_object('$1', 'x; SELECT public.fa_pwned()')),
    (jsonb_build_object('back\slash', 'C:\dir\file')),
    (jsonb_build_object('back\slash', '\\')),
    (jsonb_build_object('back\slash', 'E''\n''')),
    (jsonb_build_object('$1', '$$')),
    (jsonb_build_object('na"me', jsonb_build_object('$in', jsonb_build_array('O''Brien', 'plain', ''' OR 1=1 --')))),
    (jsonb_build_object('na"me', jsonb_build_object('$like', 'O''%'))),
    (jsonb_build_object('na"me', ''' OR ''1''=''1'))
  ) AS w(options);
-- not an integer: refused by the column type's input function
SELECT * FROM assoc.find_all('"own''ers; --"', jsonb_build_object('where', jsonb_build_object('semi;colon', '1; SELECT public.fa_pwned()')));
-- LIKE patterns keep LIKE's meaning: backslash escapes, % and _ are wildcards
SELECT j->>'na"me' AS pug FROM assoc.find_all('"pu""gs"', '{"where": {"na\"me": {"$like": "Ella\\\\"}}}') j;
SELECT j->>'na"me' AS pug FROM assoc.find_all('"pu""gs"', '{"where": {"na\"me": {"$like": "\\%\\_"}}}') j;
SELECT j->>'na"me' AS pug FROM assoc.find_all('"pu""gs"', '{"where": {"na\"me": "%_"}}') j;

-- hostile names in where, attributes, order and include
SELECT * FROM assoc.find_all('"own''ers; --"', '{"attributes": ["$1", "back\\slash"], "where": {"semi;colon": {"$gte": 2}}, "order": [["semi;colon", "DESC"]]}');
SELECT * FROM assoc.find_all('"own''ers; --"', '{"attributes": ["id"], "include": [{"association": "x\"; DROP TABLE y; --''pugs", "attributes": ["it''s"], "where": {"it''s": {"$ne": "a''b"}}}],
    "order": [["x\"; DROP TABLE y; --''pugs", "it''s", "DESC"]], "limit": 2}');
-- the statement: identifiers quoted, values in quoted literals
SELECT assoc.find_all_sql('"own''ers; --"', '{"attributes": ["na\"me"], "where": {"$1": "x''; SELECT public.fa_pwned(); --", "back\\slash": {"$like": "\\\\%"}},
    "include": [{"association": "x\"; DROP TABLE y; --''pugs", "attributes": ["it''s"]}], "limit": 1}');

-- names that do not exist are rejected as they were given
SELECT * FROM assoc.find_all('"own''ers; --"', '{"where": {"na\"me\"; DROP TABLE x; --": 1}}');
SELECT * FROM assoc.find_all('"own''ers; --"', '{"attributes": ["id\" FROM pg_authid; --"]}');
SELECT * FROM assoc.find_all('"own''ers; --"', '{"include": ["pugs\"); SELECT public.fa_pwned(); --"]}');
SELECT * FROM assoc.find_all('"own''ers; --"', '{"order": [["id", "DESC; SELECT public.fa_pwned()"]]}');
SELECT * FROM assoc.find_all('"own''ers; --"', '{"order": [["id; SELECT 1", "DESC"]]}');
SELECT * FROM assoc.find_all('"own''ers; --"', '{"where": {"id": {"$in; SELECT 1": [1]}}}');
SELECT * FROM assoc.find_all('"own''ers; --"', '{"limit": "1; SELECT public.fa_pwned()"}');
SELECT * FROM assoc.find_all('"own''ers; --"', '{"where": {"id": "1 OR 1=1"}}');

-- operators are the type's own, not whatever an operator named like them on
-- the search_path would be: the statement runs the same under a hostile path
CREATE FUNCTION public.fa_evil_like(text, text) RETURNS boolean LANGUAGE plpgsql AS
$$ BEGIN RAISE WARNING 'PWNED by %', $1; RETURN true; END $$;
CREATE OPERATOR public.~~ (LEFTARG = text, RIGHTARG = text, FUNCTION = public.fa_evil_like);
CREATE FUNCTION public.fa_evil_eq(integer, integer) RETURNS boolean LANGUAGE plpgsql AS
$$ BEGIN RAISE WARNING 'PWNED by %', $1; RETURN true; END $$;
CREATE OPERATOR public.= (LEFTARG = integer, RIGHTARG = integer, FUNCTION = public.fa_evil_eq);
SET search_path = public, "fa h""ost; ile", pg_catalog;
SELECT count(*) FROM assoc.find_all('"own''ers; --"', '{"where": {"na\"me": {"$like": "O%"}}, "include": ["x\"; DROP TABLE y; --''pugs"]}');
SELECT assoc.find_all_sql('"own''ers; --"', '{"where": {"na\"me": {"$like": "O%"}}, "include": ["x\"; DROP TABLE y; --''pugs"]}') AS sql \gset
SELECT count(*) FROM (:sql) s;
RESET search_path;
DROP OPERATOR public.~~ (text, text);
DROP OPERATOR public.= (integer, integer);
DROP FUNCTION public.fa_evil_like(text, text), public.fa_evil_eq(integer, integer);

-- nothing was dropped, every row is there
SELECT (SELECT count(*) FROM "fa h""ost; ile"."own'ers; --") AS owners,
       (SELECT count(*) FROM "fa h""ost; ile"."pu""gs") AS pugs;

DROP FUNCTION public.fa_pwned();
SET client_min_messages = warning;
DROP SCHEMA "fa h""ost; ile" CASCADE;
RESET client_min_messages;
