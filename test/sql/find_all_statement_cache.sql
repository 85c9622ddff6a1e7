--
-- find_all keeps the statement of each call (find_all.c): the same call
-- again is not parsed again, and a kept statement is dropped with the
-- catalog cache it was written from.  The same call, before and after each
-- change, sees the change.
--
\set VERBOSITY default
CREATE SCHEMA fsc;
SET search_path = fsc, public;
\pset format unaligned

\i test/fixtures/find_all_pets.sql

-- kept: the second call is the first's statement
SELECT * FROM assoc.find_all('owners', '{"where": {"id": 1}}');
SELECT * FROM assoc.find_all('owners', '{"where": {"id": 1}}');
-- a column added, renamed, dropped
ALTER TABLE owners ADD COLUMN age int;
SELECT * FROM assoc.find_all('owners', '{"where": {"id": 1}}');
ALTER TABLE owners RENAME COLUMN age TO years;
SELECT * FROM assoc.find_all('owners', '{"where": {"id": 1}}');
ALTER TABLE owners DROP COLUMN years;
SELECT * FROM assoc.find_all('owners', '{"where": {"id": 1}}');
-- in a transaction rolled back
BEGIN;
ALTER TABLE owners ADD COLUMN age int;
SELECT * FROM assoc.find_all('owners', '{"where": {"id": 1}}');
ROLLBACK;
SELECT * FROM assoc.find_all('owners', '{"where": {"id": 1}}');
-- an association declared after the first call, then dropped
CREATE TABLE cats (id int PRIMARY KEY, name text);
SELECT * FROM assoc.find_all('owners', '{"where": {"id": 1}, "include": ["cats"]}');
SET client_min_messages = warning;
SELECT (assoc.has_many('owners', 'cats')).alias AS declared;
RESET client_min_messages;
INSERT INTO cats VALUES (1, 'Tib', 1);
SELECT * FROM assoc.find_all('owners', '{"where": {"id": 1}, "include": ["cats"]}');
SET client_min_messages = warning;
SELECT assoc.drop_association('owners', 'cats');
RESET client_min_messages;
SELECT * FROM assoc.find_all('owners', '{"where": {"id": 1}, "include": ["cats"]}');
-- count and find_and_count_all keep theirs apart from find_all's
SELECT assoc.count('owners', '{"where": {"id": 1}}'),
       assoc.find_and_count_all('owners', '{"where": {"id": 1}}');
-- an error is not kept: the same call fails again
SELECT * FROM assoc.find_all('owners', '{"where": {"nosuch": 1}}');
SELECT * FROM assoc.find_all('owners', '{"where": {"nosuch": 1}}');

SET client_min_messages = warning;
DROP SCHEMA fsc CASCADE;
RESET client_min_messages;
