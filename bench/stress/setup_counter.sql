-- bench/stress/setup_counter.sql: a counter cache and touch under load
-- (scripts/stress.sh loads it when assoc has them).  psql variables:
-- :kennels, :dogs (sizes).  Runs in schema assoc_stress.
\set ON_ERROR_STOP on
SET client_min_messages = warning;
SET search_path = assoc_stress;
CREATE TABLE kennels (id serial PRIMARY KEY, name text,
    "updatedAt" timestamptz NOT NULL DEFAULT '2000-01-01Z');
CREATE TABLE dogs (id serial PRIMARY KEY, name text);
SELECT 1 FROM assoc.belongs_to('dogs', 'kennels', touch => true);
INSERT INTO kennels (name) SELECT 'kennel ' || i FROM generate_series(1, :kennels) i;
INSERT INTO dogs (name, "kennelId")
    SELECT 'dog ' || i, CASE WHEN random() < 0.9 THEN 1 + floor(random() * :kennels)::int END
      FROM generate_series(1, :dogs) i;
-- declared on a table with rows: the declaration counts them
SELECT 1 FROM assoc.has_many('kennels', 'dogs', counter_cache => 'true');
