--
-- find_all: $nested.column$ references in the top level's where, as
-- Sequelize 6.37.8 applies them without limit (WHERE "pugs"."name" = ...
-- on its join: a parent without a matching row is left out, and each array
-- keeps only its matching rows); test/sequelize/cases.js compares those
-- with real Sequelize.  With limit and offset, find_all gives that result's
-- slice, shown here next to the plain SQL that proves it; Sequelize's
-- subquery form gets it wrong (the comments say what it does).
--
\set VERBOSITY default
CREATE SCHEMA fan;
SET search_path = fan, public;
\pset format unaligned

\i test/fixtures/find_all_pets.sql

-- ---------------------------------------------------------------- without limit
-- Owner.findAll({ where: { '$pugs.name$': 'Cody' }, include: [Pug] }):
-- Tom, with Cody only
SELECT * FROM assoc.find_all('owners', '{"where": {"$pugs.name$": "Cody"}, "include": ["pugs"]}');
-- two levels: pugs with a toy "b%", and only those toys
SELECT * FROM assoc.find_all('owners', '{"where": {"$pugs.toys.label$": {"$like": "b%"}},
    "include": [{"association": "pugs", "include": ["toys"]}]}');
-- beside a column of the model, in $and, with the include's own where
SELECT * FROM assoc.find_all('owners', '{"where": {"name": {"$ne": "Ann"}, "$and": [{"$pugs.id$": {"$gt": 1}}]},
    "include": [{"association": "pugs", "where": {"name": {"$ne": "Gus"}}, "attributes": ["name"]}]}');
-- "required": false does not keep the parents: the condition is on the rows
SELECT * FROM assoc.find_all('owners', '{"where": {"$pugs.name$": "Ella"}, "attributes": ["name"],
    "include": [{"association": "pugs", "required": false, "attributes": ["name"]}]}');
-- an include with attributes [] still filters
SELECT * FROM assoc.find_all('owners', '{"where": {"$pugs.name$": "Ella"}, "attributes": ["name"],
    "include": [{"association": "pugs", "attributes": []}]}');
-- an empty condition ("$notIn": []) is none: the include stays optional
SELECT * FROM assoc.find_all('owners', '{"where": {"$pugs.name$": {"$notIn": []}}, "attributes": ["name"],
    "include": [{"association": "pugs", "attributes": ["name"]}]}');
-- "$name$" is the model's own column, also inside $or
SELECT * FROM assoc.find_all('owners', '{"where": {"$or": [{"$name$": "Tom"}, {"id": 3}]}, "attributes": ["name"]}');

-- ---------------------------------------------------------------- with limit and offset
-- Owner.findAll({ where: { '$pugs.toys.label$': { [Op.like]: 'b%' } },
--   include: [{ model: Pug, include: [Toy] }], limit: 1, offset: 1 }):
-- Sequelize moves the owners into a subquery with the limit, and its WHERE
-- "pugs->toys"."label" there names a table the subquery does not have
-- (missing FROM-clause entry).  assoc: the second owner of the result
SELECT * FROM assoc.find_all('owners', '{"where": {"$pugs.toys.label$": {"$like": "b%"}}, "attributes": ["name"],
    "include": [{"association": "pugs", "attributes": ["name"], "include": [{"association": "toys", "attributes": ["label"]}]}],
    "limit": 1, "offset": 1}');
SELECT o.name AS plain_sql FROM owners o
 WHERE EXISTS (SELECT FROM pugs p JOIN toys t ON t."pugId" = p.id WHERE p."ownerId" = o.id AND t.label LIKE 'b%')
 ORDER BY o.id LIMIT 1 OFFSET 1;
-- every page of a result is its slice
SELECT n, (SELECT array_agg(j->>'name') FROM assoc.find_all('owners',
              jsonb_build_object('where', '{"$pugs.name$": {"$ne": "Gus"}}'::jsonb, 'include', '["pugs"]'::jsonb,
                                 'order', '[["name", "DESC"]]'::jsonb, 'limit', 1, 'offset', n)) j) AS page,
       (SELECT array_agg(name) FROM (SELECT o.name FROM owners o
          WHERE EXISTS (SELECT FROM pugs p WHERE p."ownerId" = o.id AND p.name <> 'Gus')
          ORDER BY o.name DESC, o.id LIMIT 1 OFFSET n) s) AS plain_sql
  FROM generate_series(0, 2) n;
-- and its count.  Owner.findAll({ where: { '$pugs.name$': { [Op.ne]:
-- 'Gus' } }, include: [Pug], limit: 1 }) is the missing FROM-clause error
-- again; with subQuery: false Sequelize puts the LIMIT on the joined rows
-- and gives Tom with [Cody] only.  assoc: Tom with Cody and Dot
SELECT assoc.find_and_count_all('owners', '{"where": {"$pugs.name$": {"$ne": "Gus"}}, "attributes": ["name"],
    "include": [{"association": "pugs", "attributes": ["name"]}], "limit": 1}');
SELECT count(*) AS plain_sql FROM owners o WHERE EXISTS (SELECT FROM pugs p WHERE p."ownerId" = o.id AND p.name <> 'Gus');

-- ---------------------------------------------------------------- errors
-- an association that does not exist, one not included, a missing column
SELECT * FROM assoc.find_all('owners', '{"where": {"$dogs.name$": "x"}, "include": ["pugs"]}');
SELECT * FROM assoc.find_all('owners', '{"where": {"$profile.bio$": "x"}, "include": ["pugs"]}');
SELECT * FROM assoc.find_all('owners', '{"where": {"$pugs.toys.label$": "x"}, "include": ["pugs"]}');
SELECT * FROM assoc.find_all('owners', '{"where": {"$pugs.nope$": "x"}, "include": ["pugs"]}');
SELECT * FROM assoc.find_all('owners', '{"where": {"$nope$": "x"}}');
SELECT * FROM assoc.find_all('owners', '{"where": {"$pugs.$": "x"}, "include": ["pugs"]}');
-- a value of the wrong type, an unknown operator
SELECT * FROM assoc.find_all('owners', '{"where": {"$pugs.id$": "abc"}, "include": ["pugs"]}');
SELECT * FROM assoc.find_all('owners', '{"where": {"$pugs.id$": {"$near": 1}}, "include": ["pugs"]}');
-- not supported: inside $or and $not, in an include's where
SELECT * FROM assoc.find_all('owners', '{"where": {"$or": [{"name": "Ann"}, {"$pugs.name$": "Cody"}]}, "include": ["pugs"]}');
SELECT * FROM assoc.find_all('owners', '{"where": {"$not": {"$pugs.name$": "Cody"}}, "include": ["pugs"]}');
SELECT * FROM assoc.find_all('owners', '{"include": [{"association": "pugs", "where": {"$toys.label$": "ball"}, "include": ["toys"]}]}');
-- a separate include cannot filter the parents
SELECT * FROM assoc.find_all('owners', '{"where": {"$pugs.name$": "Cody"}, "include": [{"association": "pugs", "limit": 2}]}');

SET client_min_messages = warning;
DROP SCHEMA fan CASCADE;
RESET client_min_messages;
