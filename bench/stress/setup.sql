-- bench/stress/setup.sql: the schema scripts/stress.sh loads before pgbench.
-- psql variables: :owners, :pugs (sizes).  Runs in schema assoc_stress.
\set ON_ERROR_STOP on
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS assoc;
DROP SCHEMA IF EXISTS assoc_stress CASCADE;
CREATE SCHEMA assoc_stress;
SET search_path = assoc_stress;
SELECT setseed(0.17);

-- The seed's tables, with Sequelize's NOT NULL timestamps.  "version"
-- counts the updates of each pug (trigger below).
CREATE TABLE owners (id serial PRIMARY KEY, name text,
    "createdAt" timestamptz NOT NULL DEFAULT now(), "updatedAt" timestamptz NOT NULL DEFAULT now());
CREATE TABLE pugs (id serial PRIMARY KEY, name text,
    "createdAt" timestamptz NOT NULL DEFAULT now(), "updatedAt" timestamptz NOT NULL DEFAULT now(),
    version int NOT NULL DEFAULT 0);
SELECT 1 FROM assoc.has_many('owners', 'pugs');
SELECT 1 FROM assoc.belongs_to('pugs', 'owners');

-- The ledgers.
-- created: every pug owner_create_pug made, written in the same transaction.
-- history: every committed version of every pug's "ownerId".  Updates of a
-- row are serialized by its lock, so a pug's versions are 0, 1, 2, ... with
-- no gap and no repeat, and the last one is the pug's current state -- unless
-- an update was lost or applied twice.
CREATE TABLE created (pug int PRIMARY KEY, owner int NOT NULL);
CREATE TABLE history (pug int NOT NULL, version int NOT NULL, owner int,
    PRIMARY KEY (pug, version));

CREATE FUNCTION pugs_version() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'UPDATE' THEN
        NEW.version := OLD.version + 1;
    ELSE
        NEW.version := 0;
    END IF;
    INSERT INTO assoc_stress.history VALUES (NEW.id, NEW.version, NEW."ownerId");
    RETURN NEW;
END
$$;
CREATE TRIGGER pugs_version BEFORE INSERT OR UPDATE ON pugs
    FOR EACH ROW EXECUTE FUNCTION pugs_version();

-- Raise an error (which fails the pgbench transaction) when a writer's
-- effect is not visible to itself right after the call.
CREATE FUNCTION stress_assert(ok boolean, what text) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    IF ok IS NOT TRUE THEN
        RAISE EXCEPTION 'stress assertion failed: %', what;
    END IF;
END
$$;

INSERT INTO owners (name) SELECT 'owner ' || i FROM generate_series(1, :owners) i;
-- 90% owned, at random
INSERT INTO pugs (name, "ownerId")
SELECT 'pug ' || i, CASE WHEN random() < 0.9 THEN 1 + (random() * (:owners - 1))::int END
  FROM generate_series(1, :pugs) i;
ANALYZE owners, pugs;
