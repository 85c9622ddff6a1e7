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

-- ---------------------------------------------------------------- inside $or, $not, $and
-- Sequelize's WHERE on its LEFT JOIN: an owner is kept when the where holds
-- for it with some joined pug, or with the null row of an owner without
-- pugs; its array holds the pugs for which it held.
-- { [Op.or]: [{ name: 'Bob' }, { '$pugs.name$': 'Cody' }] }: Tom with Cody, Bob (no pugs) with []
SELECT * FROM assoc.find_all('owners', '{"where": {"$or": [{"name": "Bob"}, {"$pugs.name$": "Cody"}]}, "include": ["pugs"]}');
-- the parent-only branch holds for every pug of Tom: all of them
SELECT * FROM assoc.find_all('owners', '{"where": {"$or": [{"name": "Tom"}, {"$pugs.name$": "Ella"}]}, "include": ["pugs"]}');
-- $not: the pugs not named Cody (a null row, or a null name, is not kept)
SELECT * FROM assoc.find_all('owners', '{"where": {"$not": {"$pugs.name$": "Cody"}}, "include": ["pugs"]}');
-- two levels: a pug is kept with the toys for which the where held
SELECT * FROM assoc.find_all('owners', '{"where": {"$or": [{"$pugs.name$": "Dot"}, {"$pugs.toys.label$": "bone"}]},
    "include": [{"association": "pugs", "include": ["toys"]}]}');
-- two includes: the where holds for a pug and the profile together
SELECT * FROM assoc.find_all('owners', '{"where": {"$or": [{"$profile.bio$": {"$like": "Tom%"}}, {"$pugs.name$": "Ella"}]},
    "include": ["pugs", "profile"]}');
-- with the include's own where (required: the inner join has no null row)
SELECT * FROM assoc.find_all('owners', '{"where": {"$or": [{"name": "Bob"}, {"$pugs.id$": 1}]},
    "include": [{"association": "pugs", "where": {"name": {"$ne": "Gus"}}}]}');
SELECT * FROM assoc.find_all('owners', '{"where": {"$or": [{"name": "Bob"}, {"$pugs.id$": 1}]},
    "include": [{"association": "pugs", "where": {"name": {"$ne": "Gus"}}, "required": false}]}');
-- beside a $nested$ key of the top level's $and, and with the model's name first
SELECT * FROM assoc.find_all('owners', '{"where": {"$pugs.name$": {"$ne": "Gus"}, "$or": [{"$owner.name$": "Ann"}, {"$pugs.id$": 2}]},
    "include": ["pugs"]}');

-- ---------------------------------------------------------------- in an include's where
-- "$owner.name$" in the pugs' where is the owner of each pug (Sequelize's ON)
SELECT * FROM assoc.find_all('owners', '{"include": [{"association": "pugs", "where": {"$or": [{"name": "Ella"}, {"$owner.name$": "Tom"}]}}]}');
-- "$pugs.name$" in the toys' where: the pug of each toy
SELECT * FROM assoc.find_all('owners', '{"include": [{"association": "pugs", "include": [{"association": "toys", "where": {"$pugs.name$": "Cody"}}]}]}');
-- a level below: the pugs that have a ball, with that toy (Sequelize runs it
-- with the toys required below optional pugs, its parenthesized join)
SELECT * FROM assoc.find_all('owners', '{"include": [{"association": "pugs", "required": false, "where": {"$pugs.toys.label$": "ball"},
    "include": [{"association": "toys", "required": true}]}]}');

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
-- $or: every page is the slice of the result, and the count its size
SELECT n, (SELECT array_agg(j::text) FROM assoc.find_all('owners',
              jsonb_build_object('where', '{"$or": [{"name": "Bob"}, {"$pugs.name$": {"$like": "%o%"}}]}'::jsonb,
                                 'include', '[{"association": "pugs", "attributes": ["name"]}]'::jsonb,
                                 'attributes', '["id"]'::jsonb, 'limit', 1, 'offset', n)) j) AS page,
       (SELECT array_agg(s.j) FROM (SELECT json_build_object('id', o.id, 'pugs',
                 (SELECT coalesce(json_agg(json_build_object('name', p.name) ORDER BY p.id), '[]') FROM pugs p
                   WHERE p."ownerId" = o.id AND (o.name = 'Bob' OR p.name LIKE '%o%')))::text AS j
          FROM owners o
          WHERE EXISTS (SELECT FROM (SELECT) d LEFT JOIN pugs p ON p."ownerId" = o.id WHERE o.name = 'Bob' OR p.name LIKE '%o%')
          ORDER BY o.id LIMIT 1 OFFSET n) s) AS plain_sql
  FROM generate_series(0, 2) n;
SELECT assoc.count('owners', '{"where": {"$or": [{"name": "Bob"}, {"$pugs.name$": {"$like": "%o%"}}]}, "include": ["pugs"]}'),
       (SELECT count(*) FROM owners o
         WHERE EXISTS (SELECT FROM (SELECT) d LEFT JOIN pugs p ON p."ownerId" = o.id WHERE o.name = 'Bob' OR p.name LIKE '%o%')) AS plain_sql;
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
-- inside $or and $not, and in an include's where: the same errors
SELECT * FROM assoc.find_all('owners', '{"where": {"$or": [{"name": "Ann"}, {"$dogs.name$": "Cody"}]}, "include": ["pugs"]}');
SELECT * FROM assoc.find_all('owners', '{"where": {"$not": {"$or": [{"$pugs.nope$": "Cody"}]}}, "include": ["pugs"]}');
SELECT * FROM assoc.find_all('owners', '{"where": {"$or": [{"name": "Ann"}, {"$pugs.toys.label$": "x"}]}, "include": ["pugs"]}');
SELECT * FROM assoc.find_all('owners', '{"where": {"$or": [{"name": "Ann"}, {"$pugs.id$": "abc"}]}, "include": ["pugs"]}');
SELECT * FROM assoc.find_all('owners', '{"include": [{"association": "pugs", "where": {"$pugs.toys.nope$": "ball"}, "include": ["toys"]}]}');
SELECT * FROM assoc.find_all('owners', '{"include": [{"association": "pugs", "where": {"$or": [{"id": 1}, {"$pugs.dogs.label$": "ball"}]}, "include": ["toys"]}]}');
-- paths are from the top level, as in Sequelize: "$toys.label$" in the pugs' where is not the pugs' toys
SELECT * FROM assoc.find_all('owners', '{"include": [{"association": "pugs", "where": {"$toys.label$": "ball"}, "include": ["toys"]}]}');
SELECT * FROM assoc.find_all('owners', '{"include": [{"association": "pugs", "where": {"$name$": "Cody"}}]}');
-- an include's where names its own level, one above or one below it, not a sibling
SELECT * FROM assoc.find_all('owners', '{"include": [{"association": "pugs", "where": {"$or": [{"id": 1}, {"$profile.bio$": "x"}]}}, "profile"]}');
-- nor a separate include; and an aggregate of such an include is not supported
SELECT * FROM assoc.find_all('owners', '{"where": {"$or": [{"id": 1}, {"$pugs.name$": "Cody"}]}, "include": [{"association": "pugs", "separate": true}]}');
SELECT * FROM assoc.find_all('owners', '{"attributes": ["id", [{"fn": "COUNT", "col": "pugs.id"}, "n"]], "include": [{"association": "pugs", "where": {"$or": [{"id": 1}, {"$owner.name$": "Ann"}]}}]}');
-- a separate include cannot filter the parents
SELECT * FROM assoc.find_all('owners', '{"where": {"$pugs.name$": "Cody"}, "include": [{"association": "pugs", "limit": 2}]}');

SET client_min_messages = warning;
DROP SCHEMA fan CASCADE;
RESET client_min_messages;
