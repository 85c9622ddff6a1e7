-- Hostile identifiers: quotes, spaces, unicode, reserved words, 63 bytes.
\set VERBOSITY default
CREATE SCHEMA "hostile ""names"" test";
SET search_path = "hostile ""names"" test", public;

CREATE TABLE "Own'ers; DROP TABLE x" ("select" serial PRIMARY KEY, "na""me" text);
CREATE TABLE "pügs ünïcode" (id bigserial PRIMARY KEY, "from" text);
SELECT alias, foreign_key FROM assoc.has_many('"Own''ers; DROP TABLE x"', '"pügs ünïcode"');
SELECT alias, foreign_key FROM assoc.belongs_to('"pügs ünïcode"', '"Own''ers; DROP TABLE x"',
                                               alias => 'own''er "x"');
SELECT p.proname FROM pg_proc p
 WHERE p.pronamespace = '"hostile ""names"" test"'::regnamespace
 GROUP BY p.proname ORDER BY p.proname;
INSERT INTO "Own'ers; DROP TABLE x" ("na""me") VALUES ('Tom');
SELECT "from" FROM own_ers___d_r_o_p__t_a_b_l_e_x_create_pügs_ünïcode(1, '{"from": "it''s \"quoted\""}');
SELECT own_ers___d_r_o_p__t_a_b_l_e_x_with_pügs_ünïcodes(1);
SELECT pügs_ünïcode_with_own_er__x_(1);
SELECT own_ers___d_r_o_p__t_a_b_l_e_x_set_pügs_ünïcodes('1', '{}');
SELECT * FROM pügs_ünïcode_with_own_er__x_();

-- a 63-byte table name: the function names it would give are too long
CREATE TABLE "t23456789012345678901234567890123456789012345678901234567890123" (id serial PRIMARY KEY);
SELECT alias FROM assoc.has_many('"Own''ers; DROP TABLE x"',
                                 '"t23456789012345678901234567890123456789012345678901234567890123"');
-- an alias as long as a name may be: refused before PostgreSQL truncates
SELECT alias FROM assoc.belongs_to('"pügs ünïcode"', '"Own''ers; DROP TABLE x"',
    alias => 'a23456789012345678901234567890123456789012345678901234567890123');

SET client_min_messages = warning;
DROP SCHEMA "hostile ""names"" test" CASCADE;
RESET client_min_messages;
