--
-- assoc.count and assoc.find_and_count_all: Sequelize's count and
-- findAndCountAll, counting instances of the model (never joined rows),
-- ignoring limit, offset and order; and the options of Sequelize that
-- change nothing in one statement, accepted.  Where Sequelize 6.37.8 counts
-- right (no include, a belongs_to include, distinct: true) the comparison
-- with real Sequelize is test/sequelize/cases.js; where it counts wrong,
-- the number it gives on this data is in the comment, and plain SQL next to
-- assoc's answer proves the right one.
--
\set VERBOSITY default
CREATE SCHEMA fac;
SET search_path = fac, public;
SET timezone = 'UTC';
\pset format unaligned

\i test/fixtures/find_all_pets.sql

-- ---------------------------------------------------------------- count
SELECT assoc.count('owners') AS owners, assoc.count('pugs') AS pugs,
       assoc.count('owners', NULL) AS null_options;
-- where; limit, offset and order are ignored, as in Sequelize
SELECT assoc.count('pugs', '{"where": {"ownerId": 1}}') AS toms,
       assoc.count('pugs', '{"where": {"ownerId": 1}, "limit": 1, "offset": 2, "order": [["name", "DESC"]]}') AS toms_paged;
-- col: the rows where it is not null (COUNT(col)); with distinct, its values
SELECT assoc.count('pugs', '{"col": "ownerId"}') AS owned,
       assoc.count('pugs', '{"col": "ownerId", "distinct": true}') AS owners_with_pugs,
       assoc.count('pugs', '{"distinct": true}') AS distinct_rows;

-- has_many include: Owner.count({ include: [Pug] }) is 5 in Sequelize
-- (COUNT over owners LEFT JOIN pugs: Tom three times); owners are 3
SELECT assoc.count('owners', '{"include": ["pugs"]}') AS assoc,
       (SELECT count(*) FROM owners) AS plain_sql;
-- required has_many: Owner.count({ include: [{ model: Pug, where: { name:
-- { [Op.ne]: 'Gus' } } }] }) is 3 in Sequelize (Tom twice); owners with a
-- pug that is not Gus are Tom and Ann
SELECT assoc.count('owners', '{"include": [{"association": "pugs", "where": {"name": {"$ne": "Gus"}}}]}') AS assoc,
       (SELECT count(*) FROM owners o
         WHERE EXISTS (SELECT FROM pugs p WHERE p."ownerId" = o.id AND p.name <> 'Gus')) AS plain_sql;
-- nested required includes: Owner.count({ include: [{ model: Pug, required:
-- true, include: [{ model: Toy, required: true }] }] }) is 3 in Sequelize
-- (Tom once per toy of Cody); owners with a pug with a toy are Tom and Ann
SELECT assoc.count('owners', '{"include": [{"association": "pugs", "required": true,
                                             "include": [{"association": "toys", "required": true}]}]}') AS assoc,
       (SELECT count(*) FROM owners o
         WHERE EXISTS (SELECT FROM pugs p WHERE p."ownerId" = o.id
                          AND EXISTS (SELECT FROM toys t WHERE t."pugId" = p.id))) AS plain_sql;
-- a required include below an optional one filters only that include's
-- rows: every owner counts
SELECT assoc.count('owners', '{"include": [{"association": "pugs", "include": [{"association": "toys", "required": true}]}]}') AS assoc,
       (SELECT count(*) FROM owners) AS plain_sql;
-- a separate include never filters the parents
SELECT assoc.count('owners', '{"include": [{"association": "pugs", "separate": true, "where": {"name": "Cody"}}]}') AS separate;
-- belongs_to and has_one: required ones filter, optional ones do not
SELECT assoc.count('pugs', '{"include": [{"association": "owner", "required": true}]}') AS owned_pugs,
       assoc.count('owners', '{"include": [{"association": "profile", "required": true}]}') AS with_profile,
       assoc.count('owners', '{"include": ["profile"]}') AS all_owners;

-- ---------------------------------------------------------------- find_and_count_all
-- Owner.findAndCountAll({ include: [Pug], limit: 2 }): Sequelize says
-- count 5, assoc 3, the number of owners find_all gives without the limit
SELECT assoc.find_and_count_all('owners', '{"include": [{"association": "pugs", "attributes": ["name"]}], "attributes": ["name"], "limit": 2}');
SELECT (SELECT count(*) FROM owners) AS plain_sql_count,
       (SELECT count(*) FROM assoc.find_all('owners', '{"include": ["pugs"]}')) AS find_all_rows;
-- Owner.findAndCountAll({ include: [{ model: Pug, where: { name: { [Op.ne]:
-- 'Gus' } } }], limit: 1, offset: 1 }): Sequelize says count 3, assoc 2
SELECT assoc.find_and_count_all('owners', '{"include": [{"association": "pugs", "where": {"name": {"$ne": "Gus"}}, "attributes": ["name"]}],
    "attributes": ["name"], "limit": 1, "offset": 1}');
-- every key of the rows as find_all gives them, in its order
SELECT assoc.find_and_count_all('pugs', '{"where": {"ownerId": 1}, "order": [["name", "DESC"]], "include": ["owner"]}')::jsonb
       = jsonb_build_object('count', 3, 'rows',
           (SELECT jsonb_agg(j::jsonb ORDER BY n) FROM assoc.find_all('pugs',
               '{"where": {"ownerId": 1}, "order": [["name", "DESC"]], "include": ["owner"]}') WITH ORDINALITY f(j, n))) AS same_as_find_all;
-- a page past the end, limit 0, nothing matching
SELECT assoc.find_and_count_all('pugs', '{"attributes": ["id"], "offset": 10}') AS past_the_end,
       assoc.find_and_count_all('pugs', '{"attributes": ["id"], "limit": 0}') AS limit_0,
       assoc.find_and_count_all('pugs', '{"where": {"name": "Zed"}}') AS none;
-- col and distinct count as in count(); the rows are all the pugs
SELECT assoc.find_and_count_all('pugs', '{"attributes": ["id"], "col": "ownerId", "distinct": true}');
-- in a query, per row of a list of models
SELECT m, assoc.find_and_count_all(m, '{"attributes": ["id"], "limit": 1}')
  FROM unnest(ARRAY['owners', 'toys']::regclass[]) m;

-- ---------------------------------------------------------------- ignored options
-- subQuery, duplicating, distinct, logging, benchmark, raw: false and nest
-- change nothing: the same rows as without them
SELECT (SELECT array_agg(j::text) FROM assoc.find_all('owners', '{"subQuery": false, "distinct": true,
            "logging": false, "benchmark": true, "raw": false, "nest": true, "limit": 2,
            "include": [{"association": "pugs", "duplicating": false, "required": true}]}') j)
     = (SELECT array_agg(j::text) FROM assoc.find_all('owners', '{"limit": 2,
            "include": [{"association": "pugs", "required": true}]}') j) AS same_rows;
-- raw: true without includes: Sequelize's raw rows are the instances' JSON
SELECT * FROM assoc.find_all('owners', '{"raw": true, "nest": true, "attributes": ["id", "name"]}');
-- duplicating in {"all": ...}
SELECT count(*) FROM assoc.find_all('owners', '{"include": [{"all": true, "duplicating": false}]}');

-- ---------------------------------------------------------------- errors
SELECT assoc.count(NULL);
SELECT assoc.find_and_count_all(NULL, '{}');
SELECT assoc.count('owners', '[]');
SELECT assoc.count('owners', '{"col": "nope"}');
SELECT assoc.count('owners', '{"col": 1}');
SELECT assoc.count('owners', '{"distinct": "yes"}');
SELECT assoc.count('owners', '{"group": ["name"]}');
SELECT assoc.count('owners', '{"include": [{"association": "pugs", "where": {"nope": 1}}]}');
SELECT assoc.find_and_count_all('owners', '{"limit": -1}');
SELECT * FROM assoc.find_all('owners', '{"raw": true, "include": ["pugs"]}');
SELECT * FROM assoc.find_all('owners', '{"raw": "yes"}');
SELECT * FROM assoc.find_all('owners', '{"logging": "console.log"}');
SELECT * FROM assoc.find_all('owners', '{"subQuery": 0}');
SELECT * FROM assoc.find_all('owners', '{"include": [{"association": "pugs", "duplicating": "no"}]}');
SELECT * FROM assoc.find_all('owners', '{"include": [{"association": "pugs", "subQuery": false}]}');

SET client_min_messages = warning;
DROP SCHEMA fac CASCADE;
RESET client_min_messages;
