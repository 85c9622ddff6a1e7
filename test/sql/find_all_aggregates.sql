--
-- Aggregates over associations in find_all (issue 15, item 3): count, sum,
-- min, max, avg of an association's rows per instance, in one statement,
-- as attributes (Sequelize's [fn(col), key] with group, and the short form
-- {"association": ..., "count": key}), in where ("$count(pugs)$") and in
-- order.  Each answer is shown next to the plain SQL that proves it.
--
\set VERBOSITY default
CREATE SCHEMA faa;
SET search_path = faa, public;
SET timezone = 'UTC';
\pset format unaligned

\i test/fixtures/find_all_pets.sql
ALTER TABLE pugs ADD COLUMN weight int;
UPDATE pugs SET weight = id * 2;   -- Cody 2, Dot 4, Ella 6, Fig 8, Gus 10

-- ---------------------------------------------------------------- attributes
-- Owner.findAll({ attributes: { include: [[fn('COUNT', col('pugs.id')),
-- 'pugCount']] }, include: [{ model: Pug, attributes: [] }], group:
-- ['owner.id'], order: ['id'] })
SELECT j FROM assoc.find_all('owners', '{"attributes": {"include": [[{"fn": "COUNT", "col": "pugs.id"}, "pugCount"]]},
  "include": [{"association": "pugs", "attributes": []}], "group": ["owner.id"], "order": ["id"]}') j;
-- the attributes array form, and every function
SELECT j FROM assoc.find_all('owners', '{"attributes": ["name",
  [{"fn": "count", "col": "pugs.id"}, "n"], [{"fn": "SUM", "col": "pugs.weight"}, "total"],
  [{"fn": "MIN", "col": "pugs.name"}, "first"], [{"fn": "max", "col": "pugs.weight"}, "heaviest"],
  [{"fn": "AVG", "col": "pugs.weight"}, "mean"]], "group": "id"}') j;
SELECT o.name, count(p.id) AS n, sum(p.weight) AS total, min(p.name) AS first,
       max(p.weight) AS heaviest, avg(p.weight) AS mean
  FROM owners o LEFT JOIN pugs p ON p."ownerId" = o.id GROUP BY o.id ORDER BY o.id;
-- count of a nested association: toys of each owner's pugs
SELECT j FROM assoc.find_all('owners', '{"attributes": ["id", [{"fn": "COUNT", "col": "pugs.toys.id"}, "toyCount"]]}') j;
SELECT o.id, count(t.id) AS toys FROM owners o LEFT JOIN pugs p ON p."ownerId" = o.id
  LEFT JOIN toys t ON t."pugId" = p.id GROUP BY o.id ORDER BY o.id;
-- the include's where filters what is counted (Sequelize counts its joined
-- rows), and the include, required by its where, filters the owners: only
-- Tom has pugs lighter than 5 (Cody and Dot)
SELECT j FROM assoc.find_all('owners', '{"attributes": ["name", [{"fn": "COUNT", "col": "pugs.id"}, "light"]],
  "include": [{"association": "pugs", "attributes": [], "where": {"weight": {"$lt": 5}}}]}') j;
-- an aggregate of a belongs_to: the owner's name, or null
SELECT j FROM assoc.find_all('pugs', '{"attributes": ["name", [{"fn": "MAX", "col": "owner.name"}, "ownerName"]], "order": ["id"]}') j;

-- ---------------------------------------------------------------- short form
-- {"association": "pugs", "count": "pugCount"}: the count as a key, the rows
-- not loaded; with where, the count of those rows (the include stays
-- optional: every owner is there)
SELECT j FROM assoc.find_all('owners', '{"include": [{"association": "pugs", "count": "pugCount"}]}') j;
SELECT j FROM assoc.find_all('owners', '{"attributes": ["name"], "include": [
  {"association": "pugs", "count": "heavy", "where": {"weight": {"$gt": 3}}}, "profile"]}') j;
-- required: true makes it filter the owners too
SELECT j FROM assoc.find_all('owners', '{"attributes": ["name"], "include": [
  {"association": "pugs", "count": "heavy", "required": true, "where": {"weight": {"$gt": 3}}}]}') j;
-- inside an include: each pug with its number of toys, a page of owners
SELECT j FROM assoc.find_all('owners', '{"attributes": ["name"], "limit": 2,
  "include": [{"association": "pugs", "attributes": ["name"], "include": [{"association": "toys", "count": "toyCount"}]}]}') j;

-- ---------------------------------------------------------------- where
-- owners with at least one pug, with none, with more than 2, weight above 5
SELECT assoc.find_all('owners', '{"attributes": ["name"], "where": {"$count(pugs)$": {"$gt": 0}}}');
SELECT assoc.find_all('owners', '{"attributes": ["name"], "where": {"$count(pugs)$": 0}}');
SELECT assoc.find_all('owners', '{"attributes": ["name"], "where": {"$count(pugs)$": {"$gt": 2}}}');
SELECT assoc.find_all('owners', '{"attributes": ["name"], "where": {"$sum(pugs.weight)$": {"$gt": 5}}}');
SELECT o.name FROM owners o WHERE (SELECT sum(weight) FROM pugs p WHERE p."ownerId" = o.id) > 5 ORDER BY o.id;
-- inside $or and $not, with other conditions; of nested associations
SELECT assoc.find_all('owners', '{"attributes": ["name"], "where": {"$or": [{"name": "Bob"}, {"$count(pugs.toys)$": {"$gte": 2}}]}}');
SELECT assoc.find_all('owners', '{"attributes": ["name"], "where": {"$not": {"$count(pugs)$": {"$between": [1, 2]}}}}');
-- no condition ($notIn []): every owner
SELECT assoc.find_all('owners', '{"attributes": ["name"], "where": {"$COUNT(pugs)$": {"$notIn": []}}}');
-- in an include's where: the pugs that have a toy
SELECT assoc.find_all('owners', '{"attributes": ["name"], "include": [{"association": "pugs", "attributes": ["name"],
  "required": false, "where": {"$count(toys)$": {"$gt": 0}}}]}');
-- count ignores the includes, find_and_count_all counts the filtered owners
SELECT assoc.count('owners', '{"where": {"$count(pugs)$": {"$gte": 1}}}') AS with_pugs,
       assoc.find_and_count_all('owners', '{"attributes": ["name"], "where": {"$count(pugs)$": {"$gte": 1}}, "limit": 1}') AS page;

-- ---------------------------------------------------------------- order
-- owners by their number of pugs, most first, a page (Sequelize's form and
-- the short one), and by the heaviest pug, nulls last
SELECT assoc.find_all('owners', '{"attributes": ["name"], "order": [[{"fn": "COUNT", "col": "pugs.id"}, "DESC"]], "limit": 2}');
SELECT assoc.find_all('owners', '{"attributes": ["name"], "order": [["$count(pugs)$", "DESC"], ["name", "DESC"]]}');
SELECT assoc.find_all('owners', '{"attributes": ["name", [{"fn": "MAX", "col": "pugs.weight"}, "max"]],
  "order": [["$max(pugs.weight)$", "DESC NULLS LAST"]]}');
SELECT o.name FROM owners o ORDER BY (SELECT count(*) FROM pugs p WHERE p."ownerId" = o.id) DESC, o.name DESC;
-- the statement: one scalar subquery per aggregate, identifiers quoted
SELECT assoc.find_all_sql('owners', '{"attributes": ["name"], "where": {"$count(pugs)$": {"$gt": 0}},
  "order": [["$count(pugs)$", "DESC"]], "limit": 20}');

-- ---------------------------------------------------------------- errors
-- unknown function
SELECT assoc.find_all('owners', '{"attributes": ["id", [{"fn": "STDDEV", "col": "pugs.weight"}, "x"]]}');
SELECT assoc.find_all('owners', '{"where": {"$median(pugs.weight)$": 1}}');
-- sum of a text column, avg of a name
SELECT assoc.find_all('owners', '{"where": {"$sum(pugs.name)$": {"$gt": 1}}}');
SELECT assoc.find_all('owners', '{"order": [[{"fn": "AVG", "col": "pugs.name"}, "DESC"]]}');
-- sum without a column
SELECT assoc.find_all('owners', '{"where": {"$sum(pugs)$": 1}}');
-- missing association, missing column, a column of the model itself
SELECT assoc.find_all('owners', '{"where": {"$count(cats)$": 1}}');
SELECT assoc.find_all('owners', '{"attributes": ["id", [{"fn": "MAX", "col": "pugs.height"}, "x"]]}');
SELECT assoc.find_all('owners', '{"order": ["$max(name)$"]}');
-- a value the aggregate's type does not take
SELECT assoc.find_all('owners', '{"where": {"$count(pugs)$": "many"}}');
-- malformed: not [aggregate, key], not {"fn", "col"}
SELECT assoc.find_all('owners', '{"attributes": ["id", [{"fn": "COUNT", "col": "pugs.id"}]]}');
-- (not malformed since DISTINCT is taken: find_all_having.sql)
SELECT assoc.find_all('owners', '{"attributes": ["id", [{"fn": "COUNT", "col": "pugs.id", "distinct": true}, "n"]]}');
SELECT assoc.find_all('owners', '{"attributes": ["id", ["name", "ownerName"]]}');
-- a key that collides
SELECT assoc.find_all('owners', '{"attributes": ["id", "name", [{"fn": "COUNT", "col": "pugs.id"}, "name"]]}');
SELECT assoc.find_all('owners', '{"include": [{"association": "pugs", "count": "id"}]}');
-- group that does not cover the selected columns, or not of the model
SELECT assoc.find_all('owners', '{"attributes": ["id", "name", [{"fn": "COUNT", "col": "pugs.id"}, "n"]], "group": ["name"]}');
SELECT assoc.find_all('owners', '{"group": ["pugs.id"]}');
SELECT assoc.find_all('owners', '{"group": [1]}');
-- count with include; after with an aggregate order
SELECT assoc.find_all('owners', '{"include": [{"association": "pugs", "count": "n", "include": ["toys"]}]}');
SELECT assoc.find_all('owners', '{"order": [["$count(pugs)$", "DESC"]], "after": [3, 1]}');
-- the options are checked before anything runs: nothing changed
SELECT count(*) AS pugs FROM pugs;

SET client_min_messages = warning;
DROP SCHEMA faa CASCADE;
