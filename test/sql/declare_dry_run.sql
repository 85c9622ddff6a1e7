-- dry_run, one method for every kind: the declaration runs whole in a
-- subtransaction that is rolled back, error or not; nothing is left behind,
-- and an error raised in the rolled-back part is the declaration's own and
-- leaves the caller's transaction (or its exception block) usable.
\set VERBOSITY default
CREATE SCHEMA declare_dry_run_test;
SET search_path = declare_dry_run_test, public;

CREATE TABLE owners (id serial PRIMARY KEY, name text);
CREATE TABLE pugs (id serial PRIMARY KEY, name text);
INSERT INTO owners (name) VALUES ('Ann');
INSERT INTO pugs (name) VALUES ('Rex'), ('Bo');

-- what a table looks like, its functions and its catalog rows
CREATE FUNCTION leftovers() RETURNS TABLE (what text, n bigint) LANGUAGE sql AS $$
  SELECT 'columns of pugs', count(*) FROM pg_attribute
   WHERE attrelid = 'pugs'::regclass AND attnum > 0 AND NOT attisdropped
  UNION ALL
  SELECT 'constraints and indexes of pugs',
         (SELECT count(*) FROM pg_constraint WHERE conrelid = 'pugs'::regclass) +
         (SELECT count(*) FROM pg_index WHERE indrelid = 'pugs'::regclass)
  UNION ALL
  SELECT 'functions', count(*) FROM pg_proc
   WHERE pronamespace = 'declare_dry_run_test'::regnamespace AND proname <> 'leftovers'
  UNION ALL
  SELECT 'tables', count(*) FROM pg_class
   WHERE relnamespace = 'declare_dry_run_test'::regnamespace AND relkind = 'r'
  UNION ALL
  SELECT 'catalog rows', count(*) FROM assoc.associations
   WHERE source::oid IN (SELECT oid FROM pg_class
                          WHERE relnamespace = 'declare_dry_run_test'::regnamespace)
$$;
SELECT * FROM leftovers();

-- each kind: the notice and row, then nothing left
SELECT id IS NULL AS no_id, kind, alias, foreign_key, functions
  FROM assoc.belongs_to('pugs', 'owners', dry_run => true);
SELECT id IS NULL AS no_id, kind, alias, foreign_key, functions
  FROM assoc.has_one('owners', 'pugs', dry_run => true);
SELECT id IS NULL AS no_id, kind, alias, foreign_key, functions, through
  FROM assoc.belongs_to_many('owners', 'pugs', through => 'walks', dry_run => true);
SELECT * FROM leftovers();

-- an error in the part that is rolled back: the declaration's own error,
-- and nothing left
SELECT assoc.has_many('owners', 'pugs', dry_run => true,
    alias => 'pugsThatWereBoughtAtTheShopOnTheCornerOfTheStreetOnSundays');
SELECT * FROM leftovers();

-- the same in an exception block, and in a transaction that goes on: the
-- block catches it, and the transaction declares for real afterwards
BEGIN;
DO $$
BEGIN
  PERFORM assoc.has_many('owners', 'pugs', dry_run => true,
      alias => 'pugsThatWereBoughtAtTheShopOnTheCornerOfTheStreetOnSundays');
EXCEPTION WHEN OTHERS THEN
  RAISE NOTICE 'caught: %', SQLERRM;
END
$$;
SELECT * FROM leftovers();
SELECT kind, alias FROM assoc.has_many('owners', 'pugs', dry_run => true);
SELECT kind, alias, foreign_key FROM assoc.has_many('owners', 'pugs');
SELECT * FROM leftovers();
ROLLBACK;
SELECT * FROM leftovers();

-- a dry run adopting what is there reports it as a real declaration would
SELECT kind, alias, foreign_key FROM assoc.has_many('owners', 'pugs');
SELECT kind, alias, foreign_key FROM assoc.belongs_to('pugs', 'owners', dry_run => true);
SELECT * FROM leftovers();


-- an error of a query the rolled-back part runs: rows that would violate
-- the constraint
CREATE TABLE toys (id serial PRIMARY KEY, "ownerId" integer);
INSERT INTO toys ("ownerId") VALUES (99);
SELECT assoc.has_many('owners', 'toys', dry_run => true);
SELECT count(*) AS toys_constraints FROM pg_constraint WHERE conrelid = 'toys'::regclass;

SET client_min_messages = warning;
DROP SCHEMA declare_dry_run_test CASCADE;
RESET client_min_messages;
