-- bench/setup_counter.sql: the tables of the counter-cache workloads
-- (bench/run.sh): the seed's pair twice, in schema counted with
-- counter_cache on has_many, in schema uncounted without, each with the
-- owners and pugs of the main dataset.
SET client_min_messages = warning;
DROP SCHEMA IF EXISTS counted, uncounted CASCADE;
CREATE SCHEMA counted;
CREATE SCHEMA uncounted;
CREATE TABLE counted.owners (id serial PRIMARY KEY, name text,
    "createdAt" timestamptz NOT NULL DEFAULT now(), "updatedAt" timestamptz NOT NULL DEFAULT now());
CREATE TABLE counted.pugs (id serial PRIMARY KEY, name text,
    "createdAt" timestamptz NOT NULL DEFAULT now(), "updatedAt" timestamptz NOT NULL DEFAULT now(),
    "ownerId" integer);
CREATE TABLE uncounted.owners (id serial PRIMARY KEY, name text,
    "createdAt" timestamptz NOT NULL DEFAULT now(), "updatedAt" timestamptz NOT NULL DEFAULT now());
CREATE TABLE uncounted.pugs (id serial PRIMARY KEY, name text,
    "createdAt" timestamptz NOT NULL DEFAULT now(), "updatedAt" timestamptz NOT NULL DEFAULT now(),
    "ownerId" integer);
-- the rows of the main dataset (bench/setup.sql), ids kept, so that the
-- workloads' keys exist in both; loaded before the declarations, which
-- adopt the "ownerId" columns, check the foreign keys in one pass, build
-- the indexes and count each owner's pugs (a million rows inserted after
-- them took 20-24 s each, a foreign-key check per row)
INSERT INTO counted.owners (id, name, "createdAt", "updatedAt")
    SELECT id, name, "createdAt", "updatedAt" FROM public.owners;
INSERT INTO counted.pugs (id, name, "ownerId", "createdAt", "updatedAt")
    SELECT id, name, "ownerId", "createdAt", "updatedAt" FROM public.pugs;
INSERT INTO uncounted.owners (id, name, "createdAt", "updatedAt") SELECT id, name, "createdAt", "updatedAt" FROM public.owners;
INSERT INTO uncounted.pugs (id, name, "ownerId", "createdAt", "updatedAt")
    SELECT id, name, "ownerId", "createdAt", "updatedAt" FROM public.pugs;
SELECT alias FROM assoc.has_many('counted.owners', 'counted.pugs', counter_cache => 'true');
SELECT alias FROM assoc.belongs_to('counted.pugs', 'counted.owners');
SELECT alias FROM assoc.has_many('uncounted.owners', 'uncounted.pugs');
SELECT alias FROM assoc.belongs_to('uncounted.pugs', 'uncounted.owners');
SELECT setval('counted.pugs_id_seq', max(id)) FROM counted.pugs;
SELECT setval('uncounted.pugs_id_seq', max(id)) FROM uncounted.pugs;
VACUUM ANALYZE counted.owners, counted.pugs, uncounted.owners, uncounted.pugs;
