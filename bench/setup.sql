-- bench/setup.sql: the benchmark dataset, scaled by :scale (1 = 100k owners,
-- ~1M pugs with 0-20 per owner and 1% unowned, ~2M toys with 0-4 per pug).
-- :extension is the extension that declares the associations (default
-- assoc; bench/run.sh passes assoc_v010 for the database of release 0.1.0).
-- Pugs and toys are inserted in random order, so that an owner's pugs are
-- spread over the table as they are in a table that lives for a while.
\set ON_ERROR_STOP on
SET client_min_messages = warning;
SET synchronous_commit = off;
SELECT setseed(0.42);

\if :{?extension}
\else
\set extension assoc
\endif
CREATE EXTENSION IF NOT EXISTS :"extension";

-- As Sequelize's sync creates them; the foreign keys exist already (typed
-- as the keys they reference), and the declarations below adopt them.
CREATE TABLE owners (
    id serial PRIMARY KEY,
    name varchar(255),
    "createdAt" timestamptz NOT NULL,
    "updatedAt" timestamptz NOT NULL);
CREATE TABLE pugs (
    id serial PRIMARY KEY,
    name varchar(255),
    "createdAt" timestamptz NOT NULL,
    "updatedAt" timestamptz NOT NULL,
    "ownerId" integer);
CREATE TABLE toys (
    id serial PRIMARY KEY,
    name varchar(255),
    "createdAt" timestamptz NOT NULL,
    "updatedAt" timestamptz NOT NULL,
    "pugId" integer);

-- names: a lower-case letter, then some more, so that LIKE 'a%' keeps 1/26
INSERT INTO owners (name, "createdAt", "updatedAt")
SELECT chr(97 + (random() * 25.999)::int % 26) || substr(md5(i::text), 1, 7),
       t, t
  FROM generate_series(1, (100000 * :scale)::int) i,
       LATERAL (SELECT timestamptz '2024-01-01 00:00:00+00' + i * interval '1 second' AS t) ts;

INSERT INTO pugs (name, "createdAt", "updatedAt", "ownerId")
SELECT name, t, t, owner
  FROM (SELECT 'pug ' || substr(md5(random()::text), 1, 6) AS name,
               -- whole milliseconds, as a JavaScript Date (Sequelize) writes them
               date_trunc('milliseconds',
                          timestamptz '2024-02-01 00:00:00+00' + random() * interval '30 days') AS t,
               owner
          FROM (SELECT o.id AS owner FROM owners o,
                       LATERAL generate_series(1, (random() * 20.999)::int % 21 + o.id * 0) k
                UNION ALL
                -- 1% unowned
                SELECT NULL FROM generate_series(1, (100000 * :scale * 10 / 99)::int)) a) b
 ORDER BY random();

INSERT INTO toys (name, "createdAt", "updatedAt", "pugId")
SELECT 'toy ' || substr(md5(random()::text), 1, 6), t, t, pug
  FROM (SELECT p.id AS pug, p."createdAt" + interval '1 hour' AS t
          FROM pugs p, LATERAL generate_series(1, (random() * 4.999)::int % 5 + p.id * 0) k) a
 ORDER BY random();

-- Owner.hasMany(Pug), Pug.belongsTo(Owner), Pug.hasMany(Toy), Toy.belongsTo(Pug)
SELECT alias FROM assoc.has_many('owners', 'pugs');
SELECT alias FROM assoc.belongs_to('pugs', 'owners');
SELECT alias FROM assoc.has_many('pugs', 'toys');
SELECT alias FROM assoc.belongs_to('toys', 'pugs');

VACUUM ANALYZE owners, pugs, toys;
CHECKPOINT;

-- The database of release 0.1.0 (bench/run.sh, ASSOC_BENCH_VERSIONS=1)
-- stops here: what follows needs features added since.
SELECT :'extension' <> 'assoc' AS other_extension \gset
\if :other_extension
\quit
\endif

-- The paranoid variant (README, "Model options"): the same owners and pugs
-- as models with paranoid: true, in a schema of their own, 2% of the owners
-- and 10% of the pugs soft-deleted, and the partial index a paranoid app
-- has on the foreign key.
CREATE SCHEMA paranoid;
CREATE TABLE paranoid.owners AS
SELECT o.*, CASE WHEN random() < 0.02 THEN o."updatedAt" END AS "deletedAt" FROM owners o ORDER BY o.id;
ALTER TABLE paranoid.owners ADD PRIMARY KEY (id);
CREATE TABLE paranoid.pugs AS
SELECT p.id, p.name, p."createdAt", p."updatedAt",
       CASE WHEN random() < 0.10 THEN p."updatedAt" END AS "deletedAt", p."ownerId"
  FROM pugs p;
ALTER TABLE paranoid.pugs ADD PRIMARY KEY (id);
SELECT tab FROM assoc.model('paranoid.owners', paranoid => true);
SELECT tab FROM assoc.model('paranoid.pugs', paranoid => true);
SELECT alias FROM assoc.has_many('paranoid.owners', 'paranoid.pugs', create_index => false);
SELECT alias FROM assoc.belongs_to('paranoid.pugs', 'paranoid.owners', create_index => false);
CREATE INDEX ON paranoid.pugs ("ownerId") WHERE "deletedAt" IS NULL;
VACUUM ANALYZE paranoid.owners;
VACUUM ANALYZE paranoid.pugs;
