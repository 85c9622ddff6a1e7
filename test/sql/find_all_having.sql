--
-- find_all: DISTINCT inside aggregates (Sequelize's fn('COUNT',
-- fn('DISTINCT', col('pugs.name')))) and Sequelize's "having": conditions
-- on aggregates over associations.  Each answer is shown next to the plain
-- SQL that proves it.
--
\set VERBOSITY default
CREATE SCHEMA fah;
SET search_path = fah, public;
\pset format unaligned

\i test/fixtures/find_all_pets.sql
-- Tom gets a second Cody, and a json column no DISTINCT can take
INSERT INTO pugs VALUES (6, 'Cody', 1);
ALTER TABLE pugs ADD COLUMN tags json;

-- ---------------------------------------------------------------- distinct
-- the three spellings of COUNT(DISTINCT pugs.name), beside COUNT(pugs.name)
SELECT j FROM assoc.find_all('owners', '{"attributes": ["name",
  [{"fn": "COUNT", "col": {"fn": "DISTINCT", "col": "pugs.name"}}, "names"],
  [{"fn": "COUNT", "distinct": true, "col": "pugs.name"}, "names2"],
  [{"fn": "COUNT", "distinct": false, "col": "pugs.name"}, "pugs"]],
  "include": [{"association": "pugs", "attributes": []}], "group": ["owner.id"], "order": ["id"]}') j;
SELECT o.name, count(DISTINCT p.name) AS names, count(p.name) AS pugs
  FROM owners o LEFT JOIN pugs p ON p."ownerId" = o.id GROUP BY o.id ORDER BY o.id;
-- in where and order: "$count(DISTINCT pugs.name)$" (any case)
SELECT j FROM assoc.find_all('owners', '{"attributes": ["name"],
  "where": {"$count(DISTINCT pugs.name)$": {"$gte": 1}},
  "order": [["$count(distinct pugs.name)$", "DESC"], ["name", "ASC"]]}') j;
-- sum of distinct values, of a nested association
SELECT j FROM assoc.find_all('owners', '{"attributes": ["name",
  [{"fn": "SUM", "distinct": true, "col": "pugs.ownerId"}, "s"],
  [{"fn": "COUNT", "col": {"fn": "distinct", "col": "pugs.toys.label"}}, "labels"]], "order": ["id"]}') j;

-- ---------------------------------------------------------------- having
-- Owner.findAll({ attributes: ['name'], include: [{ model: Pug, attributes:
-- [] }], group: ['owner.id'], having: where(fn('COUNT', col('pugs.id')),
-- Op.gt, 1) }): owners with more than one pug
SELECT j FROM assoc.find_all('owners', '{"attributes": ["name"], "include": [{"association": "pugs", "attributes": []}],
  "group": ["owner.id"], "having": {"$count(pugs.id)$": {"$gt": 1}}, "order": ["id"]}') j;
SELECT o.name FROM owners o LEFT JOIN pugs p ON p."ownerId" = o.id
 GROUP BY o.id HAVING count(p.id) > 1 ORDER BY o.id;
-- the key of an aggregate attribute, and of an include's count
SELECT j FROM assoc.find_all('owners', '{"attributes": ["name", [{"fn": "COUNT", "col": {"fn": "DISTINCT", "col": "pugs.name"}}, "names"]],
  "having": {"names": {"$lt": 3}}, "order": ["id"]}') j;
SELECT j FROM assoc.find_all('owners', '{"attributes": ["name"], "include": [{"association": "pugs", "count": "pugCount"}],
  "having": {"pugCount": 0}}') j;
-- $or, $not, several functions, with where
SELECT j FROM assoc.find_all('owners', '{"attributes": ["name"],
  "having": {"$or": [{"$count(pugs)$": 0}, {"$max(pugs.name)$": "Ella"}]}, "order": ["id"]}') j;
SELECT j FROM assoc.find_all('owners', '{"attributes": ["name"], "where": {"id": {"$lt": 3}},
  "having": {"$not": {"$count(DISTINCT pugs.name)$": 3}}}') j;
-- an included association's aggregate in having is of the rows the
-- include gives (Sequelize's HAVING is of its joined rows); in where, of
-- all of them: owners without a pug named Dot, then owners without pugs
SELECT j FROM assoc.find_all('owners', '{"attributes": ["name"],
  "include": [{"association": "pugs", "attributes": ["name"], "required": false, "where": {"name": "Dot"}}],
  "having": {"$count(pugs)$": 0}, "order": ["id"]}') j;
SELECT j FROM assoc.find_all('owners', '{"attributes": ["name"],
  "include": [{"association": "pugs", "attributes": ["name"], "required": false, "where": {"name": "Dot"}}],
  "where": {"$count(pugs)$": 0}, "order": ["id"]}') j;
SELECT o.name FROM owners o LEFT JOIN pugs p ON p."ownerId" = o.id AND p.name = 'Dot'
 GROUP BY o.id HAVING count(p.id) = 0 ORDER BY o.id;
-- a page, and the count of find_and_count_all, of the owners having them
SELECT assoc.find_and_count_all('owners', '{"attributes": ["name"], "having": {"$count(pugs)$": {"$gte": 1}},
  "order": ["id"], "limit": 1}');
SELECT assoc.count('owners', '{"having": {"$count(pugs)$": {"$gte": 1}}}');
-- an empty having is none
SELECT count(*) FROM assoc.find_all('owners', '{"having": {}}');

-- ---------------------------------------------------------------- errors
SELECT * FROM assoc.find_all('owners', '{"having": {"name": "Tom"}}');
SELECT * FROM assoc.find_all('owners', '{"having": {"$name$": "Tom"}}');
SELECT * FROM assoc.find_all('owners', '{"having": 3}');
SELECT * FROM assoc.find_all('owners', '{"include": [{"association": "pugs", "having": {"$count(toys)$": 1}}]}');
SELECT * FROM assoc.find_all('owners', '{"having": {"$count(dogs)$": 1}}');
SELECT * FROM assoc.find_all('owners', '{"having": {"$count(pugs)$": "many"}}');
SELECT * FROM assoc.find_all('owners', '{"having": {"$sum(DISTINCT pugs.name)$": 1}}');
SELECT * FROM assoc.find_all('owners', '{"having": {"$count(DISTINCT pugs)$": 3}}');
SELECT * FROM assoc.find_all('owners', '{"attributes": [[{"fn": "COUNT", "distinct": true, "col": "pugs.tags"}, "t"]]}');
SELECT * FROM assoc.find_all('owners', '{"attributes": [[{"fn": "COUNT", "col": {"fn": "MAX", "col": "pugs.id"}}, "x"]]}');
SELECT * FROM assoc.find_all('owners', '{"attributes": [[{"fn": "COUNT", "col": {"fn": "DISTINCT", "col": {"fn": "DISTINCT", "col": "pugs.id"}}}, "x"]]}');
SELECT * FROM assoc.find_all('owners', '{"attributes": [[{"fn": "COUNT", "distinct": true, "col": {"fn": "DISTINCT", "col": "pugs.id"}}, "x"]]}');
SELECT * FROM assoc.find_all('owners', '{"attributes": [[{"fn": "COUNT", "distinct": 1, "col": "pugs.id"}, "x"]]}');
SELECT * FROM assoc.find_all('owners', '{"attributes": [[{"fn": "DISTINCT", "col": "pugs.id"}, "x"]]}');

SET client_min_messages = warning;
DROP SCHEMA fah CASCADE;
RESET client_min_messages;
