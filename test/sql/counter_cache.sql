-- Counter caches (counter_cache on has_many and belongs_to) and touch on
-- belongs_to: what is counted, by which statements, the declaration's
-- options in the catalog, renames, drops, recount and the errors.
\set VERBOSITY default
CREATE SCHEMA cc;
SET search_path = cc, public;
\pset null '(null)'

CREATE TABLE owners (id serial PRIMARY KEY, name text,
    "updatedAt" timestamptz NOT NULL DEFAULT '2020-01-01Z');
CREATE TABLE pugs (id serial PRIMARY KEY, name text);
INSERT INTO owners (name) VALUES ('Tom'), ('Ann'), ('Eve');

-- the pair, as the seed declares it; has_many counts into owners."pugsCount"
-- (the default name), and pugs that exist before the declaration are counted
SELECT kind, alias FROM assoc.belongs_to('pugs', 'owners');
INSERT INTO pugs (name, "ownerId") VALUES ('Cody', 1), ('Rex', 1), ('Lulu', 2), ('Stray', NULL);
SELECT kind, alias, options->>'counter_cache' AS counter
  FROM assoc.has_many('owners', 'pugs', counter_cache => 'true');

CREATE VIEW counts AS
    SELECT o.id, o."pugsCount", (SELECT count(*) FROM pugs p WHERE p."ownerId" = o.id) AS actual
      FROM owners o ORDER BY o.id;
SELECT * FROM counts;
\d owners
-- its triggers, named assoc_<id>_<event>, given the id
CREATE VIEW triggers AS
    SELECT t.tgrelid::regclass AS tab, regexp_replace(t.tgname, '[0-9]+', '<id>') AS tgname,
           t.tgtype, t.tgfoid::regproc AS function, a.alias
      FROM pg_trigger t LEFT JOIN assoc.associations a
        ON t.tgname LIKE 'assoc\_' || a.id || '\_%' AND encode(t.tgargs, 'escape') = a.id || '\000'
     WHERE NOT t.tgisinternal AND t.tgrelid IN (SELECT oid FROM pg_class WHERE relnamespace = 'cc'::regnamespace)
       AND t.tgname LIKE 'assoc%'
     ORDER BY 1, 2;
SELECT * FROM triggers;

-- INSERT, several rows and owners in one statement
INSERT INTO pugs (name, "ownerId") VALUES ('A', 3), ('B', 3), ('C', 1), ('D', NULL);
SELECT * FROM counts;
-- UPDATE of the foreign key: moves, set to NULL, from NULL
UPDATE pugs SET "ownerId" = 2 WHERE name IN ('Cody', 'A');
UPDATE pugs SET "ownerId" = NULL WHERE name = 'B';
UPDATE pugs SET "ownerId" = 3 WHERE name = 'Stray';
-- an UPDATE of another column, and one swapping owners, move nothing
UPDATE pugs SET name = name || '!';
UPDATE pugs SET "ownerId" = CASE "ownerId" WHEN 1 THEN 2 WHEN 2 THEN 1 END
 WHERE "ownerId" IN (1, 2);
SELECT * FROM counts;
-- DELETE
DELETE FROM pugs WHERE name LIKE 'C%';
SELECT * FROM counts;
-- COPY
COPY pugs (name, "ownerId") FROM stdin;
E	1
F	1
G	\N
\.
SELECT * FROM counts;
-- MERGE
MERGE INTO pugs p USING (VALUES ('E!', 2), ('H', 3)) AS v(name, owner) ON p.name = v.name
 WHEN MATCHED THEN UPDATE SET "ownerId" = v.owner
 WHEN NOT MATCHED THEN INSERT (name, "ownerId") VALUES (v.name, v.owner);
SELECT * FROM counts;
-- the accessors
SELECT name FROM owner_add_pug(3, (SELECT id FROM pugs WHERE name = 'G'));
SELECT name FROM owner_create_pug(1, '{"name": "Mo"}');
SELECT count(*) FROM owner_remove_pugs(3, ARRAY(SELECT id FROM pugs WHERE "ownerId" = 3 AND name <> 'G'));
SELECT name FROM pug_set_owner((SELECT id FROM pugs WHERE name = 'Mo'), 2);
SELECT * FROM counts;
SELECT count(*) FROM owner_set_pugs(1, ARRAY[]::integer[]);
SELECT * FROM counts;
-- the accessors that move pugs lock the pugs' previous owners with their
-- own, in key order (isolation spec counter_moves): a missing owner is
-- still the error it is without a counter, pugs of several owners move at
-- once and every counter follows
SELECT owner_add_pug(99, (SELECT id FROM pugs WHERE name = 'G'));
SELECT owner_set_pugs(99, ARRAY(SELECT id FROM pugs WHERE "ownerId" IS NOT NULL));
BEGIN;
SELECT count(*) FROM owner_add_pugs(1, ARRAY(SELECT id FROM pugs WHERE "ownerId" IN (2, 3)));
SELECT * FROM counts;
SELECT count(*) FROM owner_set_pugs(2, ARRAY(SELECT id FROM pugs WHERE "ownerId" = 1 ORDER BY id LIMIT 1));
SELECT * FROM counts;
ROLLBACK;
-- deleting an owner: its pugs' keys are SET NULL; the owner row is gone
DELETE FROM owners WHERE id = 3;
SELECT * FROM counts;
INSERT INTO owners (id, name) VALUES (3, 'Eve');
-- a rolled-back statement changes no counter
BEGIN;
INSERT INTO pugs (name, "ownerId") VALUES ('X', 3);
SELECT * FROM counts;
ROLLBACK;
SELECT * FROM counts;
-- TRUNCATE
TRUNCATE pugs;
SELECT * FROM counts;

-- the catalog keeps the option; describe and the JSON of the owner show
-- the column as any other
SELECT options->'counter_cache' AS counter, options->'attnums'->'counter_cache' AS attnum
  FROM assoc.associations WHERE source = 'owners'::regclass AND alias = 'pugs';
INSERT INTO pugs (name, "ownerId") VALUES ('Cody', 1);
SELECT assoc.find_all('owners', '{"where": {"id": 1}, "include": ["pugs"]}');

-- declared again the same: a no-op; with another counter: an error
SELECT alias FROM assoc.has_many('owners', 'pugs', counter_cache => 'pugsCount');
SELECT alias FROM assoc.has_many('owners', 'pugs');
SELECT alias FROM assoc.has_many('owners', 'pugs', counter_cache => 'other');

-- recount: counters that went wrong (written by hand, or with triggers off)
UPDATE owners SET "pugsCount" = 42 WHERE id = 2;
SELECT assoc.recount('owners') AS fixed;
SELECT * FROM counts;
SELECT assoc.recount('pugs') AS fixed;

-- renames: of the tables, the key column, the counter column
ALTER TABLE owners RENAME TO "Owner list";
ALTER TABLE pugs RENAME COLUMN "ownerId" TO "keeper id";
ALTER TABLE "Owner list" RENAME COLUMN "pugsCount" TO "number of pugs";
SELECT options->'counter_cache' AS counter FROM assoc.associations
 WHERE source = '"Owner list"'::regclass AND alias = 'pugs';
INSERT INTO pugs (name, "keeper id") VALUES ('Rex', 1), ('Lulu', 2);
SELECT id, "number of pugs" FROM "Owner list" ORDER BY id;
ALTER TABLE "Owner list" RENAME COLUMN "number of pugs" TO "pugsCount";
ALTER TABLE pugs RENAME COLUMN "keeper id" TO "ownerId";
ALTER TABLE "Owner list" RENAME TO owners;
DELETE FROM pugs WHERE name = 'Rex';
SELECT * FROM counts;

-- touch: belongs_to bumps the owner's updatedAt, once per owner per statement
SELECT assoc.drop_association('pugs', 'owner');
SELECT alias, options->'touch' AS touch FROM assoc.belongs_to('pugs', 'owners', touch => true);
CREATE TABLE bumps (owner int, at timestamptz);
CREATE FUNCTION log_bump() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW."updatedAt" IS DISTINCT FROM OLD."updatedAt" THEN
        INSERT INTO cc.bumps VALUES (NEW.id, NEW."updatedAt");
    END IF;
    RETURN NEW;
END $$;
CREATE TRIGGER log_bump AFTER UPDATE ON owners FOR EACH ROW EXECUTE FUNCTION log_bump();
UPDATE owners SET "updatedAt" = '2020-01-01Z';
TRUNCATE bumps;
INSERT INTO pugs (name, "ownerId") VALUES ('P1', 1), ('P2', 1), ('P3', 2), ('P4', NULL);
SELECT owner, count(*), bool_and(at > '2020-01-01Z') AS bumped FROM bumps GROUP BY owner ORDER BY owner;
TRUNCATE bumps;
UPDATE pugs SET name = name || '?' WHERE name = 'P3';
UPDATE pugs SET "ownerId" = 3 WHERE name = 'P1';
SELECT owner, count(*) FROM bumps GROUP BY owner ORDER BY owner;
TRUNCATE bumps;
DELETE FROM pugs WHERE name = 'P4';
SELECT count(*) AS no_owner_no_bump FROM bumps;
DELETE FROM pugs WHERE "ownerId" IS NOT NULL;
SELECT owner, count(*) FROM bumps GROUP BY owner ORDER BY owner;
SELECT * FROM counts;
-- belongs_to with both: one UPDATE per owner does both
SELECT assoc.drop_association('pugs', 'owner');
SELECT alias, options->'counter_cache' AS counter, options->'touch' AS touch
  FROM assoc.belongs_to('pugs', 'owners', counter_cache => 'pugs_total', touch => true);
TRUNCATE bumps;
INSERT INTO pugs (name, "ownerId") VALUES ('Q1', 1), ('Q2', 1), ('Q3', 2);
SELECT id, "pugsCount", pugs_total FROM owners ORDER BY id;
SELECT owner, count(*) FROM bumps GROUP BY owner ORDER BY owner;
TRUNCATE bumps;
TRUNCATE pugs;
SELECT id, "pugsCount", pugs_total FROM owners ORDER BY id;
SELECT owner, count(*) FROM bumps GROUP BY owner ORDER BY owner;

-- the counter runs as the owners' owner: a writer of pugs needs no
-- privilege on owners
CREATE ROLE regress_cc_writer;
GRANT USAGE ON SCHEMA cc TO regress_cc_writer;
GRANT INSERT, SELECT, UPDATE, DELETE ON pugs TO regress_cc_writer;
GRANT USAGE ON SEQUENCE pugs_id_seq TO regress_cc_writer;
GRANT SELECT (id) ON owners TO regress_cc_writer;
SET ROLE regress_cc_writer;
INSERT INTO pugs (name, "ownerId") VALUES ('W', 2);
SELECT assoc.recount('owners');
RESET ROLE;
SELECT id, "pugsCount", pugs_total FROM owners ORDER BY id;

-- dry run: what would be created, nothing changed
SELECT alias, options->'counter_cache' AS counter
  FROM assoc.has_many('owners', 'pugs', alias => 'dogs', foreign_key => 'ownerId',
                      counter_cache => 'true', dry_run => true);
SELECT count(*) AS dogs_count_columns FROM pg_attribute
 WHERE attrelid = 'owners'::regclass AND attname = 'dogsCount';

-- drop_association removes its triggers (those left are belongs_to
-- "owner"'s) and keeps the counter column
SELECT assoc.drop_association('owners', 'pugs');
SELECT * FROM triggers;
SELECT count(*) AS kept FROM pg_attribute WHERE attrelid = 'owners'::regclass AND attname = 'pugsCount';

-- an existing integer column is adopted (bigint too); underscored names it
-- pugs_count
CREATE TABLE kennels (id serial PRIMARY KEY, pugs_count bigint);
INSERT INTO kennels VALUES (1, 99), (2, NULL);
CREATE TABLE residents (id serial PRIMARY KEY, kennel_id int REFERENCES kennels);
INSERT INTO residents (kennel_id) VALUES (1), (1), (NULL);
SELECT alias, foreign_key, options->'counter_cache' AS counter
  FROM assoc.has_many('kennels', 'residents', alias => 'pugs', foreign_key => 'kennel_id',
                      underscored => true, counter_cache => 'true');
SELECT * FROM kennels ORDER BY id;

-- a self-association: the counter's own UPDATE does not count again
CREATE TABLE people (id serial PRIMARY KEY, "parentId" int, "updatedAt" timestamptz);
SELECT alias FROM assoc.has_many('people', 'people', alias => 'children',
                                 foreign_key => 'parentId', counter_cache => 'true');
SELECT alias FROM assoc.belongs_to('people', 'people', alias => 'parent', touch => true);
INSERT INTO people VALUES (1, NULL), (2, 1), (3, 1), (4, 2);
SELECT id, "childrenCount", "updatedAt" IS NOT NULL AS touched FROM people ORDER BY id;

-- DROP COLUMN of the counter: the association counts no more, its
-- triggers go (touch kept them where it is declared)
ALTER TABLE kennels DROP COLUMN pugs_count;
SELECT options ? 'counter_cache' AS counts FROM assoc.associations
 WHERE source = 'kennels'::regclass;
SELECT count(*) AS triggers FROM pg_trigger WHERE tgrelid = 'residents'::regclass AND NOT tgisinternal;
INSERT INTO residents (kennel_id) VALUES (2);
-- DROP COLUMN of the foreign key ends the association and its triggers
ALTER TABLE people DROP COLUMN "parentId";
SELECT count(*) AS triggers FROM pg_trigger WHERE tgrelid = 'people'::regclass AND NOT tgisinternal;

-- errors
CREATE TABLE litters (id serial PRIMARY KEY, "pugsCount" text, label text);
CREATE TABLE puppies (id serial PRIMARY KEY);
-- the counter column exists with another type
SELECT assoc.has_many('litters', 'puppies', alias => 'pugs', counter_cache => 'true');
-- the key column
SELECT assoc.has_many('litters', 'puppies', counter_cache => 'id');
-- empty, too long
SELECT assoc.has_many('litters', 'puppies', counter_cache => '');
SELECT assoc.has_many('litters', 'puppies', counter_cache => repeat('x', 64));
-- touch without an updated-at column
SELECT assoc.belongs_to('puppies', 'litters', touch => true);
-- a column that is already a counter
SELECT assoc.has_many('owners', 'pugs', alias => 'dogs', foreign_key => 'ownerId',
                      counter_cache => 'pugs_total');
-- recount of a table without counters, of NULL
SELECT assoc.recount('litters');
SELECT assoc.recount(NULL);
-- a table the caller does not own
CREATE ROLE regress_cc_other;
GRANT USAGE ON SCHEMA cc TO regress_cc_other;
GRANT CREATE ON SCHEMA cc TO regress_cc_other;
SET ROLE regress_cc_other;
CREATE TABLE cc.toys (id serial PRIMARY KEY);
SELECT assoc.has_many('owners', 'toys', counter_cache => 'true');
SELECT assoc.belongs_to('toys', 'owners', counter_cache => 'true', touch => true);
SELECT assoc.recount('owners');
RESET ROLE;
-- nothing of the errors was left behind
SELECT count(*) AS new_columns FROM pg_attribute
 WHERE attrelid IN ('litters'::regclass, 'owners'::regclass)
   AND attname IN ('puppiesCount', 'toysCount') AND NOT attisdropped;
-- a trigger whose association is gone
CREATE TRIGGER stale AFTER INSERT ON puppies FOR EACH STATEMENT EXECUTE FUNCTION assoc.counter_touch_trigger('99999');
INSERT INTO puppies DEFAULT VALUES;
DROP TRIGGER stale ON puppies;
-- not as a statement trigger
CREATE TRIGGER wrong AFTER INSERT ON puppies FOR EACH ROW EXECUTE FUNCTION assoc.counter_touch_trigger('1');
INSERT INTO puppies DEFAULT VALUES;
DROP TRIGGER wrong ON puppies;

-- DROP TABLE of the owner takes the triggers on the counted table along
\set VERBOSITY terse
DROP TABLE owners CASCADE;
\set VERBOSITY default
SELECT count(*) AS triggers FROM pg_trigger WHERE tgrelid = 'pugs'::regclass AND NOT tgisinternal;
INSERT INTO pugs (name, "ownerId") VALUES ('after', 1);

SET client_min_messages = warning;
DROP SCHEMA cc CASCADE;
DROP ROLE regress_cc_writer;
DROP ROLE regress_cc_other;
