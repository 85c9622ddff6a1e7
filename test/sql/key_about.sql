-- assoc.key_of's "about": one text constant (a text[] literal) naming the
-- association, the model and the key column, read only when a message or
-- a row needs it; names with quotes, commas and braces read back.
SET client_min_messages = warning;
CREATE SCHEMA "we ird";
CREATE TABLE "we ird"."my, {table}" (id serial PRIMARY KEY, name text);
CREATE TABLE "we ird"."Pu""gs" (id serial PRIMARY KEY);
SELECT count(*) > 0 AS declared FROM assoc.has_many('"we ird"."my, {table}"', '"we ird"."Pu""gs"');
RESET client_min_messages;
INSERT INTO "we ird"."my, {table}" (name) VALUES ('a');
INSERT INTO "we ird"."Pu""gs" ("my,{table}Id") VALUES (1), (1), (NULL);
-- the about literal of the reader
SELECT prosrc FROM pg_proc
 WHERE proname = 'my___table__get_pu_gs' AND pronamespace = '"we ird"'::regnamespace;
-- every form of the instance
SELECT count(*) FROM "we ird".my___table__get_pu_gs(1);
SELECT count(*) FROM "we ird".my___table__get_pu_gs('1');
SELECT count(*) FROM "we ird".my___table__get_pu_gs(1::bigint);
SELECT count(*) FROM "we ird".my___table__get_pu_gs(5000000000);
SELECT count(*) FROM "we ird"."my, {table}" o, "we ird".my___table__get_pu_gs(o);
SELECT "we ird".my___table__count_pu_gs(o) FROM "we ird"."my, {table}" o;
-- messages name the association from about
SELECT * FROM "we ird".my___table__get_pu_gs('x');
SELECT * FROM "we ird".my___table__get_pu_gs(now());
SELECT "we ird".my___table__add_pu_g(1, 5000000000);
-- a direct call with a malformed about: the error when about is read
SELECT assoc.key_of(1::bigint, 0, '{a,b}', false);
SELECT assoc.key_of('x'::text, 0, '{a,b}', false);
SELECT assoc.key_of('x'::text, 0, '{a,b,NULL,d,e}', false);
SELECT assoc.key_of(NULL::text, 0, NULL, false);
SET client_min_messages = warning;
DROP SCHEMA "we ird" CASCADE;
