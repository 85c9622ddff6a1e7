--
-- find_all: Sequelize's findAll options in JSON, one SQL statement, the JSON
-- of findAll(...).map(r => r.toJSON()).  Each call below was run through
-- Sequelize 6.37.8 on the same data (the call is in the comment above it):
-- the JSON is the same but for PostgreSQL's timestamps (+00:00 where
-- Sequelize prints .000Z) and json_agg's line breaks between array elements.
-- Sequelize leaves the order of rows undefined where no "order" says; the
-- Sequelize calls therefore order by id, and find_all orders by primary key.
--
\set VERBOSITY default
CREATE SCHEMA fa;
SET search_path = fa, public;
SET timezone = 'UTC';
\pset format unaligned

CREATE TABLE owners (id serial PRIMARY KEY, name varchar(255),
    "createdAt" timestamptz NOT NULL, "updatedAt" timestamptz NOT NULL);
CREATE TABLE pugs (id serial PRIMARY KEY, name varchar(255),
    "createdAt" timestamptz NOT NULL, "updatedAt" timestamptz NOT NULL);
CREATE TABLE toys (id serial PRIMARY KEY, label varchar(255),
    "createdAt" timestamptz NOT NULL, "updatedAt" timestamptz NOT NULL);
CREATE TABLE profiles (id serial PRIMARY KEY, bio varchar(255),
    "createdAt" timestamptz NOT NULL, "updatedAt" timestamptz NOT NULL);
SET client_min_messages = warning;
-- Owner.hasMany(Pug); Pug.belongsTo(Owner); Pug.hasMany(Toy);
-- Toy.belongsTo(Pug); Owner.hasOne(Profile)
SELECT kind, alias, foreign_key FROM assoc.has_many('owners', 'pugs');
SELECT kind, alias, foreign_key FROM assoc.belongs_to('pugs', 'owners');
SELECT kind, alias, foreign_key FROM assoc.has_many('pugs', 'toys');
SELECT kind, alias, foreign_key FROM assoc.belongs_to('toys', 'pugs');
SELECT kind, alias, foreign_key FROM assoc.has_one('owners', 'profiles');
RESET client_min_messages;

-- Tom(1) has Cody(1), Dot(2), Gus(5); Ann(2) has Ella(3); Bob(3) has none;
-- Fig(4) has no owner.  Cody has ball and rope, Ella has bone.  Tom has a
-- profile.
INSERT INTO owners (name, "createdAt", "updatedAt") VALUES
    ('Tom', '2020-01-01T00:00:00Z', '2020-01-01T00:00:00Z'),
    ('Ann', '2020-01-02T00:00:00Z', '2020-01-02T00:00:00Z'),
    ('Bob', '2020-01-03T00:00:00Z', '2020-01-03T00:00:00Z');
INSERT INTO pugs (name, "createdAt", "updatedAt", "ownerId") VALUES
    ('Cody', '2020-02-01T00:00:00Z', '2020-02-01T00:00:00Z', 1),
    ('Dot', '2020-02-02T00:00:00Z', '2020-02-02T00:00:00Z', 1),
    ('Ella', '2020-02-03T00:00:00Z', '2020-02-03T00:00:00Z', 2),
    ('Fig', '2020-02-04T00:00:00Z', '2020-02-04T00:00:00Z', NULL),
    ('Gus', '2020-02-05T00:00:00Z', '2020-02-05T00:00:00Z', 1);
INSERT INTO toys (label, "createdAt", "updatedAt", "pugId") VALUES
    ('ball', '2020-03-01T00:00:00Z', '2020-03-01T00:00:00Z', 1),
    ('rope', '2020-03-02T00:00:00Z', '2020-03-02T00:00:00Z', 1),
    ('bone', '2020-03-03T00:00:00Z', '2020-03-03T00:00:00Z', 3);
INSERT INTO profiles (bio, "createdAt", "updatedAt", "ownerId") VALUES
    ('Tom bio', '2020-04-01T00:00:00Z', '2020-04-01T00:00:00Z', 1);

-- ---------------------------------------------------------------- the seed
-- Pug.findAll({ include: [{ model: Owner }] })
SELECT * FROM assoc.find_all('pugs', '{"include": [{"model": "owner"}]}');
-- Owner.findAll({ include: [{ model: Pug }] })  ("Pug" as the seed spells it)
SELECT * FROM assoc.find_all('owners', '{"include": [{"model": "Pug"}]}');
-- the same by alias, by "as", by table name, as one string
SELECT count(DISTINCT j::text) AS same_json FROM (
    SELECT array_agg(j::text) AS j FROM assoc.find_all('owners', '{"include": [{"model": "Pug"}]}') j
    UNION ALL SELECT array_agg(j::text) FROM assoc.find_all('owners', '{"include": ["pugs"]}') j
    UNION ALL SELECT array_agg(j::text) FROM assoc.find_all('owners', '{"include": [{"association": "pugs"}]}') j
    UNION ALL SELECT array_agg(j::text) FROM assoc.find_all('owners', '{"include": [{"as": "pugs"}]}') j
    UNION ALL SELECT array_agg(j::text) FROM assoc.find_all('owners', '{"include": [{"model": "pugs"}]}') j
    UNION ALL SELECT array_agg(j::text) FROM assoc.find_all('owners', '{"include": [{"model": "fa.pugs"}]}') j
    UNION ALL SELECT array_agg(j::text) FROM assoc.find_all('owners', '{"include": "pugs"}') j) s;
-- no options: every owner, by primary key
SELECT * FROM assoc.find_all('owners');
SELECT * FROM assoc.find_all('owners', NULL);

-- ---------------------------------------------------------------- attributes
-- Owner.findAll({ attributes: ['name', 'id'] }): keys in the list's order
SELECT * FROM assoc.find_all('owners', '{"attributes": ["name", "id", "name"]}');
-- Owner.findAll({ attributes: { exclude: ['createdAt', 'updatedAt'] },
--   include: { model: Pug, attributes: { exclude: ['createdAt', 'updatedAt'] } } })
SELECT * FROM assoc.find_all('owners', '{"attributes": {"exclude": ["createdAt", "updatedAt"]},
    "include": {"association": "pugs", "attributes": {"exclude": ["createdAt", "updatedAt"]}}}');
-- Owner.findAll({ attributes: ['name'], include: { model: Pug, attributes: ['name', 'id'] } })
SELECT * FROM assoc.find_all('owners', '{"attributes": ["name"], "include": {"model": "pug", "attributes": ["name", "id"]}}');
-- Pug.findAll({ attributes: ['name'], include: { model: Owner, attributes: ['name'] } })
-- (the join needs ownerId, the JSON does not show it)
SELECT * FROM assoc.find_all('pugs', '{"attributes": ["name"], "include": {"model": "owner", "attributes": ["name"]}}');
-- Owner.findAll({ attributes: ['name'], include: { model: Pug, attributes: [], where: { name: 'Ella' } } }):
-- no "pugs" key, but the include still filters
SELECT * FROM assoc.find_all('owners', '{"attributes": ["name"], "include": {"model": "pug", "attributes": [], "where": {"name": "Ella"}}}');
-- Owner.findAll({ attributes: [], include: { model: Pug, attributes: ['name'] } })
SELECT * FROM assoc.find_all('owners', '{"attributes": [], "include": {"model": "pug", "attributes": ["name"]}}');

-- ---------------------------------------------------------------- where
-- Pug.findAll({ attributes: ['name'], where: ... }) for each operator
SELECT w.label, w.options,
       (SELECT coalesce(string_agg(j->>'name', ', '), '(none)')
          FROM assoc.find_all('pugs', jsonb_build_object('attributes', '["name"]'::jsonb, 'where', w.options)) j) AS pugs
  FROM (VALUES
    ('equality', '{"name": "Cody"}'::jsonb),
    ('null', '{"ownerId": null}'),
    ('array', '{"id": [1, 3]}'),
    ('several columns', '{"ownerId": 1, "name": "Dot"}'),
    ('$eq', '{"ownerId": {"$eq": 1}}'),
    ('$eq null', '{"ownerId": {"$eq": null}}'),
    ('$ne', '{"ownerId": {"$ne": 1}}'),
    ('$ne null', '{"ownerId": {"$ne": null}}'),
    ('$gt', '{"id": {"$gt": 3}}'),
    ('$gte', '{"id": {"$gte": 3}}'),
    ('$lt', '{"id": {"$lt": 3}}'),
    ('$lte', '{"id": {"$lte": 3}}'),
    ('$gt text', '{"name": {"$gt": "Dot"}}'),
    ('$gt timestamp', '{"createdAt": {"$gt": "2020-02-03T00:00:00Z"}}'),
    ('$in', '{"name": {"$in": ["Dot", "Gus", "Zed"]}}'),
    ('$in with null', '{"ownerId": {"$in": [2, null]}}'),
    ('$in []', '{"name": {"$in": []}}'),
    ('$notIn', '{"id": {"$notIn": [1, 2]}}'),
    ('$notIn []', '{"id": {"$notIn": []}}'),
    ('$like', '{"name": {"$like": "%o%"}}'),
    ('$iLike', '{"name": {"$iLike": "d%"}}'),
    ('$notLike', '{"name": {"$notLike": "%o%"}}'),
    ('$notILike', '{"name": {"$notILike": "D%"}}'),
    ('$between', '{"id": {"$between": [2, 4]}}'),
    ('$notBetween', '{"id": {"$notBetween": [2, 4]}}'),
    ('$between timestamps', '{"createdAt": {"$between": ["2020-02-02T00:00:00Z", "2020-02-04T00:00:00Z"]}}'),
    ('$is null', '{"ownerId": {"$is": null}}'),
    ('$not null', '{"ownerId": {"$not": null}}'),
    ('$not value', '{"ownerId": {"$not": 1}}'),
    ('$not array', '{"id": {"$not": [1, 2]}}'),
    ('$not []', '{"id": {"$not": []}}'),
    ('two operators', '{"id": {"$gt": 1, "$lt": 5}}'),
    ('column $or', '{"name": {"$or": ["Cody", {"$like": "E%"}]}}'),
    ('column $and', '{"id": {"$and": {"$gt": 1, "$ne": 3}}}'),
    ('$or', '{"$or": [{"name": "Cody"}, {"ownerId": 2}]}'),
    ('$or object', '{"$or": {"name": "Cody", "ownerId": 2}}'),
    ('$or []', '{"$or": []}'),
    ('$and', '{"$and": [{"ownerId": 1}, {"name": {"$ne": "Dot"}}]}'),
    ('$and []', '{"$and": []}'),
    ('$not group', '{"$not": {"name": "Cody", "ownerId": 1}}'),
    ('nested groups', '{"$or": [{"$and": [{"ownerId": 1}, {"id": {"$gt": 1}}]}, {"ownerId": null}]}'),
    ('string for integer', '{"id": "2"}'),
    ('empty where', '{}')
  ) AS w(label, options);

-- ---------------------------------------------------------------- order
-- Owner.findAll({ attributes: ['name'], order: [['name', 'DESC']] }); order: ['name']
SELECT * FROM assoc.find_all('owners', '{"attributes": ["name"], "order": [["name", "DESC"]]}');
SELECT * FROM assoc.find_all('owners', '{"attributes": ["name"], "order": ["name"]}');
-- Pug.findAll({ attributes: ['name', 'ownerId'], order: [['ownerId', 'DESC NULLS LAST'], ['id', 'ASC']] })
SELECT * FROM assoc.find_all('pugs', '{"attributes": ["name", "ownerId"], "order": [["ownerId", "desc nulls last"], ["id", "ASC"]]}');
-- Owner.findAll({ attributes: ['name'], include: { model: Pug, attributes: ['name'] },
--   order: [['pugs', 'name', 'DESC']] })
-- Sequelize sorts the joined rows: each array by the pugs' names, each owner
-- by its first row (Bob, with no pug, has NULL, first in DESC).
SELECT * FROM assoc.find_all('owners', '{"attributes": ["name"], "include": {"association": "pugs", "attributes": ["name"]},
    "order": [["pugs", "name", "DESC"]]}');
-- order: [[{ model: Pug, as: 'pugs' }, 'name', 'desc'], ['id']]
SELECT * FROM assoc.find_all('owners', '{"attributes": ["name"], "include": {"association": "pugs", "attributes": ["name"]},
    "order": [[{"model": "pug", "as": "pugs"}, "name", "desc"], ["id"]]}');
-- Pug.findAll({ attributes: ['name'], include: { model: Owner, attributes: ['name'] },
--   order: [['owner', 'name', 'ASC'], ['id', 'DESC']] })
SELECT * FROM assoc.find_all('pugs', '{"attributes": ["name"], "include": {"model": "owner", "attributes": ["name"]},
    "order": [["owner", "name", "ASC"], ["id", "DESC"]]}');
-- two levels down: order: [['pugs', 'toys', 'label', 'DESC'], ['id'], ['pugs', 'id']]
SELECT * FROM assoc.find_all('owners', '{"attributes": ["name"],
    "include": {"association": "pugs", "attributes": ["name"], "include": {"association": "toys", "attributes": ["label"]}},
    "order": [["pugs", "toys", "label", "DESC"], ["id"], ["pugs", "id"]]}');
-- order: [['profile', 'bio', 'ASC NULLS FIRST'], ['id']]
SELECT * FROM assoc.find_all('owners', '{"attributes": ["name"], "include": {"model": "profile", "attributes": ["bio"]},
    "order": [["profile", "bio", "ASC NULLS FIRST"], ["id"]]}');
-- an include's own order orders its arrays (Sequelize: only with separate)
SELECT * FROM assoc.find_all('owners', '{"attributes": ["name"],
    "include": {"association": "pugs", "attributes": ["name"], "order": [["name", "DESC"]]}}');

-- ---------------------------------------------------------------- limit, offset
-- Owner.findAll({ limit: 2, include: Pug }): two owners with all their pugs,
-- not two joined rows
SELECT * FROM assoc.find_all('owners', '{"limit": 2, "include": ["pugs"]}');
-- Owner.findAll({ limit: 2, offset: 1, include: Pug })
SELECT * FROM assoc.find_all('owners', '{"limit": 2, "offset": 1, "include": ["pugs"]}');
-- Owner.findAll({ limit: 2, include: Pug, order: [['id', 'DESC']] })
SELECT * FROM assoc.find_all('owners', '{"limit": 2, "attributes": ["name"], "include": {"model": "pug", "attributes": ["name"]}, "order": [["id", "DESC"]]}');
-- Owner.findAll({ attributes: ['name'], offset: 1 }); limit: 0
SELECT * FROM assoc.find_all('owners', '{"attributes": ["name"], "offset": 1}');
SELECT * FROM assoc.find_all('owners', '{"attributes": ["name"], "limit": 0}');
-- a required include filters before the limit (Sequelize's subquery filter)
SELECT * FROM assoc.find_all('owners', '{"limit": 2, "attributes": ["name"],
    "include": {"model": "pug", "attributes": ["name"], "where": {"name": {"$ne": "Cody"}}}}');
-- Pug.findAll({ limit: 3, include: Owner })
SELECT * FROM assoc.find_all('pugs', '{"limit": 3, "include": "owner"}');
-- a page ordered by an include: the first owners of the whole ordering
SELECT * FROM assoc.find_all('owners', '{"limit": 2, "attributes": ["name"], "include": {"association": "pugs", "attributes": ["name"]},
    "order": [["pugs", "name", "DESC"]]}');

-- ---------------------------------------------------------------- nested
-- Owner.findAll({ include: { model: Pug, include: Toy } })
SELECT * FROM assoc.find_all('owners', '{"include": {"model": "pug", "include": "toys"}}');
-- the same page
SELECT * FROM assoc.find_all('owners', '{"limit": 2, "include": {"model": "pug", "include": "toys"}}');
-- Toy.findAll({ include: { model: Pug, include: Owner } })
SELECT * FROM assoc.find_all('toys', '{"attributes": ["label"], "include": {"model": "pug", "attributes": ["name"], "include": {"model": "owner", "attributes": ["name"]}}}');

-- ---------------------------------------------------------------- where, required
-- include: { model: Pug, where: { name: 'Cody' } }: required, Ann and Bob left out
SELECT * FROM assoc.find_all('owners', '{"attributes": ["name"], "include": {"model": "pug", "attributes": ["name"], "where": {"name": "Cody"}}}');
-- ... required: false: every owner, only the pugs that match
SELECT * FROM assoc.find_all('owners', '{"attributes": ["name"], "include": {"model": "pug", "attributes": ["name"], "where": {"name": "Cody"}, "required": false}}');
-- include: { model: Pug, required: true }
SELECT * FROM assoc.find_all('owners', '{"attributes": ["name"], "include": {"model": "pug", "attributes": ["name"], "required": true}}');
-- where: {} is required too (Sequelize: required = !!where)
SELECT * FROM assoc.find_all('owners', '{"attributes": ["name"], "include": {"model": "pug", "attributes": ["name"], "where": {}}}');
-- Pug.findAll({ include: { model: Owner, required: true } }): Fig left out
SELECT * FROM assoc.find_all('pugs', '{"attributes": ["name"], "include": {"model": "owner", "attributes": ["name"], "required": true}}');
-- belongs_to with where, not required: "owner": null where it does not match
SELECT * FROM assoc.find_all('pugs', '{"attributes": ["name"], "include": {"model": "owner", "attributes": ["name"], "where": {"name": "Ann"}, "required": false}}');
-- a required include under one that is not (Sequelize: LEFT JOIN (pugs
-- INNER JOIN toys)): pugs without toys leave, owners stay
SELECT * FROM assoc.find_all('owners', '{"attributes": ["name"],
    "include": {"model": "pug", "attributes": ["name"], "include": {"model": "toy", "required": true, "attributes": ["label"]}}}');
-- required at both levels
SELECT * FROM assoc.find_all('owners', '{"attributes": ["name"],
    "include": {"model": "pug", "required": true, "attributes": ["name"], "include": {"model": "toy", "where": {"label": "bone"}, "attributes": ["label"]}}}');
-- a where on the model and on the include
SELECT * FROM assoc.find_all('owners', '{"attributes": ["name"], "where": {"name": {"$ne": "Ann"}},
    "include": {"model": "pug", "attributes": ["name"], "where": {"name": {"$like": "%o%"}}, "required": false}}');
-- has_one with where
SELECT * FROM assoc.find_all('owners', '{"attributes": ["name"], "include": {"model": "profile", "attributes": ["bio"], "where": {"bio": {"$like": "Tom%"}}}}');

-- ---------------------------------------------------------------- all, nested
-- Owner.findAll({ include: { all: true } }): declaration order
SELECT * FROM assoc.find_all('owners', '{"attributes": ["name"], "include": {"all": true}}');
-- Owner.findAll({ include: { all: true, nested: true } })
SELECT * FROM assoc.find_all('owners', '{"include": {"all": true, "nested": true}}');
-- Pug.findAll({ include: { all: true, nested: true } }): owner with its
-- profile, but not owner.pugs (a model on the path is not entered again)
SELECT * FROM assoc.find_all('pugs', '{"include": {"all": true, "nested": true}}');
-- the other options of "all" apply to every include it adds
SELECT * FROM assoc.find_all('pugs', '{"attributes": ["name"], "include": {"all": true, "nested": true, "attributes": ["id"]}}');
-- include: [{ all: true }, { model: Profile, attributes: ['bio'] }]: the
-- explicit include first, "all" adds the rest
SELECT * FROM assoc.find_all('owners', '{"attributes": ["name"], "include": [{"all": true}, {"model": "profile", "attributes": ["bio"]}]}');
-- include: { all: 'HasMany', attributes: ['name'] }
SELECT * FROM assoc.find_all('owners', '{"attributes": ["name"], "include": {"all": "HasMany", "attributes": ["name"]}}');

-- ---------------------------------------------------------------- separate, limit
-- include: { model: Pug, attributes: ['name'], separate: true }: Sequelize
-- adds the owner's id to the attributes, and it shows
SELECT * FROM assoc.find_all('owners', '{"attributes": ["name"], "include": {"model": "pug", "attributes": ["name"], "separate": true}}');
-- include: { model: Pug, attributes: ['name'], limit: 1, order: [['name', 'DESC']] }:
-- one pug per owner (limit implies separate)
SELECT * FROM assoc.find_all('owners', '{"attributes": ["name"], "include": {"model": "pug", "attributes": ["name"], "limit": 1, "order": [["name", "DESC"]]}}');
-- a separate include is a query of its own in Sequelize: its where filters
-- the pugs, never the owners
SELECT * FROM assoc.find_all('owners', '{"attributes": ["id", "name"], "include": {"model": "pug", "attributes": ["name"], "where": {"name": "Cody"}, "separate": true}}');

-- ---------------------------------------------------------------- has_one with two rows
-- Sequelize repeats Tom once per profile; find_all gives Tom once, with the
-- first profile by primary key (or by the include's order)
INSERT INTO profiles (bio, "createdAt", "updatedAt", "ownerId") VALUES
    ('second', '2020-04-02T00:00:00Z', '2020-04-02T00:00:00Z', 1);
SELECT * FROM assoc.find_all('owners', '{"attributes": ["name"], "include": {"model": "profile", "attributes": ["bio"]}}');
SELECT * FROM assoc.find_all('owners', '{"attributes": ["name"], "include": {"model": "profile", "attributes": ["bio"], "order": [["bio", "DESC"]]}}');
SELECT * FROM assoc.find_all('owners', '{"attributes": ["name"], "limit": 1, "include": {"model": "profile", "attributes": ["bio"], "order": [["bio", "DESC"]]}}');
DELETE FROM profiles WHERE bio = 'second';

-- ---------------------------------------------------------------- shapes
-- A full scan joins grouped includes, a page or a where on the model takes
-- a subquery per owner: the same JSON either way.
SELECT position('GROUP BY' IN assoc.find_all_sql('owners', '{"include": {"model": "pug", "include": "toys"}}')) > 0 AS full_scan_groups,
       position('GROUP BY' IN assoc.find_all_sql('owners', '{"limit": 5, "include": {"model": "pug", "include": "toys"}}')) = 0 AS page_does_not,
       position('GROUP BY' IN assoc.find_all_sql('owners', '{"where": {"id": {"$gt": 0}}, "include": {"model": "pug", "include": "toys"}}')) = 0 AS where_does_not;
SELECT (SELECT array_agg(j::text) FROM assoc.find_all('owners', o) j) =
       (SELECT array_agg(j::text) FROM assoc.find_all('owners', o || '{"limit": 100}') j) AND
       (SELECT array_agg(j::text) FROM assoc.find_all('owners', o) j) =
       (SELECT array_agg(j::text) FROM assoc.find_all('owners', o || '{"where": {"id": {"$gt": 0}}}') j) AS same_json
  FROM (VALUES ('{"include": {"all": true, "nested": true}}'::jsonb),
               ('{"include": {"model": "pug", "required": true, "include": {"model": "toy", "required": false}}, "order": [["pugs", "toys", "label"]]}'),
               ('{"include": [{"model": "profile", "required": true}, {"model": "pug", "where": {"id": {"$gt": 1}}}]}'),
               ('{"include": {"model": "pug", "limit": 2, "order": [["name", "DESC"]]}}')) AS t(o);

-- The grouped shape sorts an include's rows once, in a subquery, and
-- json_agg takes them in that order: nested include orders come out as in
-- a page (the correlated shape, json_agg(... ORDER BY ...))
SELECT (SELECT array_agg(j::text) FROM assoc.find_all('owners', o) j) =
       (SELECT array_agg(j::text) FROM assoc.find_all('owners', o || '{"limit": 100}') j) AS same_json
  FROM (VALUES ('{"include": {"model": "pug", "order": [["name", "DESC"]], "include": {"model": "toy", "order": [["label", "DESC"]]}}}'::jsonb)) AS t(o);

-- find_all composes with SQL, and its statement is there to read
SELECT j->>'name' AS owner, json_array_length(j->'pugs') AS pugs
  FROM assoc.find_all('owners', '{"include": ["pugs"]}') j;
SELECT assoc.find_all_sql('owners', '{"include": {"model": "pug", "include": "toys"}}');
SELECT assoc.find_all_sql('owners', '{"limit": 20, "include": {"model": "pug", "include": "toys"}}');

-- ---------------------------------------------------------------- streaming
-- In the select list find_all streams its rows from a cursor, a batch of 64
-- at a time; in FROM it fills the function scan's tuplestore.  The same
-- rows either way, in the same order.
SELECT (SELECT array_agg(j::text) FROM (SELECT assoc.find_all('owners', '{"include": {"all": true, "nested": true}}') j) s) =
       (SELECT array_agg(j::text) FROM assoc.find_all('owners', '{"include": {"all": true, "nested": true}}') j) AS same_rows;
CREATE TABLE many (id serial PRIMARY KEY, n int);
INSERT INTO many (n) SELECT i * 10 FROM generate_series(1, 150) i;
-- 150 rows: three batches
SELECT count(*), sum((j->>'n')::int), min((j->>'id')::int), max((j->>'id')::int)
  FROM (SELECT assoc.find_all('many', '{}') j) s;
-- a caller that stops reading (the cursor is closed when the query ends);
-- two streams side by side
SELECT assoc.find_all('many', '{"order": [["id", "DESC"]]}') LIMIT 2;
SELECT assoc.find_all('owners', '{"attributes": ["name"]}') AS o,
       assoc.find_all('many', '{"attributes": ["n"], "limit": 3}') AS m;
-- an error while rows stream, then the same stream again
BEGIN;
SAVEPOINT s;
SELECT CASE WHEN (j->>'id')::int = 100 THEN 1 / 0 ELSE 1 END AS one
  FROM (SELECT assoc.find_all('many', '{}') j) s WHERE (j->>'id')::int > 98;
ROLLBACK TO SAVEPOINT s;
SELECT count(*) FROM (SELECT assoc.find_all('many', '{}') j) s;
COMMIT;
-- in a cursor of the caller's, fetched a row at a time
BEGIN;
DECLARE c CURSOR FOR SELECT assoc.find_all('many', '{"where": {"id": {"$lte": 70}}}');
FETCH 1 FROM c;
MOVE 67 IN c;
FETCH 5 FROM c;
CLOSE c;
COMMIT;
-- in a cursor WITH HOLD, read on after the transaction that opened it
BEGIN;
DECLARE h CURSOR WITH HOLD FOR SELECT assoc.find_all('many', '{"attributes": ["id"]}');
FETCH 2 FROM h;
COMMIT;
FETCH 2 FROM h;
MOVE 140 IN h;
FETCH 10 FROM h;
CLOSE h;
-- nothing is left open: the one portal of the session is this query's
SELECT count(*) FROM pg_backend_memory_contexts WHERE name = 'PortalContext';
DROP TABLE many;

-- ---------------------------------------------------------------- changes
-- find_all keeps what it learnt of tables and associations, and the plans
-- of its statements, from one call to the next: every change is seen at
-- once, in the same session and transaction, and forgotten on rollback
SELECT * FROM assoc.find_all('owners', '{"attributes": ["name"], "where": {"id": 3}, "include": ["profile"]}');
SET client_min_messages = warning;
SELECT assoc.drop_association('owners', 'profile');
RESET client_min_messages;
SELECT * FROM assoc.find_all('owners', '{"attributes": ["name"], "where": {"id": 3}, "include": ["profile"]}');
BEGIN;
SET LOCAL client_min_messages = warning;
SELECT alias FROM assoc.has_one('owners', 'profiles', alias => 'bio');
SELECT * FROM assoc.find_all('owners', '{"attributes": ["name"], "where": {"id": 1}, "include": ["bio"]}');
ROLLBACK;
SELECT * FROM assoc.find_all('owners', '{"attributes": ["name"], "where": {"id": 1}, "include": ["bio"]}');
SET client_min_messages = warning;
SELECT alias FROM assoc.has_one('owners', 'profiles');
RESET client_min_messages;
SELECT * FROM assoc.find_all('owners', '{"where": {"id": 3}, "include": ["profile"]}');
ALTER TABLE owners ADD COLUMN nickname text DEFAULT 'Bobby';
SELECT * FROM assoc.find_all('owners', '{"where": {"id": 3}, "include": ["profile"]}');
BEGIN;
ALTER TABLE owners RENAME COLUMN nickname TO nick;
SELECT * FROM assoc.find_all('owners', '{"where": {"id": 3}, "include": ["profile"]}');
ROLLBACK;
SELECT * FROM assoc.find_all('owners', '{"where": {"id": 3}, "include": ["profile"]}');
ALTER SCHEMA fa RENAME TO fa2;
SELECT assoc.find_all_sql('fa2.owners', '{"where": {"id": 3}, "include": ["profile"]}');
SELECT * FROM assoc.find_all('fa2.owners', '{"where": {"id": 3}, "include": ["profile"]}');
ALTER SCHEMA fa2 RENAME TO fa;

-- ---------------------------------------------------------------- privileges
-- find_all runs as the caller: grants, column grants and row-level security
-- apply (a page selects only the columns it needs)
CREATE ROLE regress_fa_reader;
GRANT USAGE ON SCHEMA fa TO regress_fa_reader;
GRANT SELECT (id, name) ON owners TO regress_fa_reader;
GRANT SELECT ON pugs TO regress_fa_reader;
ALTER TABLE pugs ENABLE ROW LEVEL SECURITY;
CREATE POLICY not_cody ON pugs USING (name <> 'Cody');
SET ROLE regress_fa_reader;
SELECT * FROM assoc.find_all('owners', '{"attributes": ["name"], "include": {"model": "pug", "attributes": ["name"]}}');
SELECT * FROM assoc.find_all('owners', '{"attributes": ["name"], "include": {"model": "pug", "attributes": ["name"]}, "limit": 1}');
SELECT * FROM assoc.find_all('owners', '{"attributes": ["name"], "where": {"name": "Tom"}, "include": {"model": "pug", "attributes": ["name"]}}');
SELECT * FROM assoc.find_all('owners');
SELECT * FROM assoc.find_all('owners', '{"attributes": ["name"], "include": ["profile"]}');
RESET ROLE;
DROP POLICY not_cody ON pugs;
ALTER TABLE pugs DISABLE ROW LEVEL SECURITY;
DROP OWNED BY regress_fa_reader;
DROP ROLE regress_fa_reader;

SET client_min_messages = warning;
DROP SCHEMA fa CASCADE;
RESET client_min_messages;
