--
-- find_all: every kind of bad input gets an error that names it, where it
-- was found, and what to write instead.
--
\set VERBOSITY default
CREATE SCHEMA fae;
SET search_path = fae, public;
CREATE TABLE owners (id serial PRIMARY KEY, name text, meta json, active boolean);
CREATE TABLE pugs (id serial PRIMARY KEY, name text);
CREATE TABLE toys (id serial PRIMARY KEY, label text);
CREATE TABLE vets (id serial PRIMARY KEY, name text);
CREATE TABLE courses (id serial PRIMARY KEY, title text);
SET client_min_messages = warning;
SELECT alias FROM assoc.has_many('owners', 'pugs');
SELECT alias FROM assoc.has_many('owners', 'pugs', alias => 'favoritePugs', foreign_key => 'fanId');
SELECT alias FROM assoc.belongs_to('pugs', 'owners');
SELECT alias FROM assoc.has_many('pugs', 'toys');
SELECT alias FROM assoc.belongs_to_many('owners', 'courses', through => 'owner_courses');
RESET client_min_messages;

-- ---------------------------------------------------------------- options
-- unknown option, at the top and in an include, and in nested objects
SELECT * FROM assoc.find_all('owners', '{"limt": 10}');
SELECT * FROM assoc.find_all('owners', '{"group": ["name"]}');
SELECT * FROM assoc.find_all('owners', '{"include": [{"association": "pugs", "wher": {"name": "x"}}]}');
SELECT * FROM assoc.find_all('owners', '{"include": [{"association": "pugs", "include": [{"association": "toys", "right": true}]}]}');
SELECT * FROM assoc.find_all('owners', '{"attributes": {"include": ["name"]}}');
SELECT * FROM assoc.find_all('owners', '{"include": [{"association": "pugs", "through": {"attributes": [], "where": {}, "as": "x"}}]}');
SELECT * FROM assoc.find_all('owners', '{"include": [{"all": true, "model": "pugs"}]}');
SELECT * FROM assoc.find_all('owners', '{"include": [{"all": true, "include": ["toys"]}]}');
SELECT * FROM assoc.find_all('owners', '{"order": [[{"association": "pugs", "alias": "x"}, "name"]], "include": ["pugs"]}');

-- wrong JSON types
SELECT * FROM assoc.find_all('owners', '[]');
SELECT * FROM assoc.find_all('owners', '"pugs"');
SELECT * FROM assoc.find_all('owners', '{"limit": "ten"}');
SELECT * FROM assoc.find_all('owners', '{"limit": "10"}');
SELECT * FROM assoc.find_all('owners', '{"limit": 1.5}');
SELECT * FROM assoc.find_all('owners', '{"limit": -1}');
SELECT * FROM assoc.find_all('owners', '{"limit": 99999999999999999999}');
SELECT * FROM assoc.find_all('owners', '{"offset": true}');
SELECT * FROM assoc.find_all('owners', '{"where": "name = ''x''"}');
SELECT * FROM assoc.find_all('owners', '{"attributes": "name"}');
SELECT * FROM assoc.find_all('owners', '{"attributes": ["name", 1]}');
SELECT * FROM assoc.find_all('owners', '{"attributes": [["name", "n"]]}');
SELECT * FROM assoc.find_all('owners', '{"attributes": {"exclude": "name"}}');
SELECT * FROM assoc.find_all('owners', '{"order": "name"}');
SELECT * FROM assoc.find_all('owners', '{"order": [5]}');
SELECT * FROM assoc.find_all('owners', '{"order": [[]]}');
SELECT * FROM assoc.find_all('owners', '{"order": [["name", 1]]}');
SELECT * FROM assoc.find_all('owners', '{"include": 5}');
SELECT * FROM assoc.find_all('owners', '{"include": [null]}');
SELECT * FROM assoc.find_all('owners', '{"include": [{"association": 5}]}');
SELECT * FROM assoc.find_all('owners', '{"include": [{"model": ["pugs"]}]}');
SELECT * FROM assoc.find_all('owners', '{"include": [{"association": "pugs", "required": "yes"}]}');
SELECT * FROM assoc.find_all('owners', '{"include": [{"association": "pugs", "separate": 1}]}');
SELECT * FROM assoc.find_all('owners', '{"include": [{"association": "pugs", "limit": "1"}]}');
SELECT * FROM assoc.find_all('owners', '{"include": [{"association": "pugs", "through": []}]}');
SELECT * FROM assoc.find_all('owners', '{"include": [{"all": false}]}');
SELECT * FROM assoc.find_all('owners', '{"include": [{"all": "Everything"}]}');
SELECT * FROM assoc.find_all('owners', '{"include": [{"all": true, "nested": "yes"}]}');
SELECT * FROM assoc.find_all(NULL, '{}');

-- ---------------------------------------------------------------- columns
SELECT * FROM assoc.find_all('owners', '{"where": {"nmae": "Tom"}}');
SELECT * FROM assoc.find_all('owners', '{"include": [{"association": "pugs", "where": {"nmae": "Cody"}}]}');
SELECT * FROM assoc.find_all('owners', '{"where": {"$or": [{"id": 1}, {"nmae": "Tom"}]}}');
SELECT * FROM assoc.find_all('owners', '{"attributes": ["id", "nmae"]}');
SELECT * FROM assoc.find_all('owners', '{"attributes": {"exclude": ["nmae"]}}');
SELECT * FROM assoc.find_all('owners', '{"include": [{"association": "pugs", "attributes": ["ownerId", "nmae"]}]}');
SELECT * FROM assoc.find_all('owners', '{"order": [["nmae", "DESC"]]}');
SELECT * FROM assoc.find_all('owners', '{"include": ["pugs"], "order": [["pugs", "nmae"]]}');
-- system columns are not attributes
SELECT * FROM assoc.find_all('owners', '{"attributes": ["ctid"]}');
-- [column, direction] written flat, and a direction that is not one
SELECT * FROM assoc.find_all('owners', '{"order": ["name", "DESC"]}');
SELECT * FROM assoc.find_all('owners', '{"order": [["name", "sideways"]]}');

-- ---------------------------------------------------------------- operators and values
SELECT * FROM assoc.find_all('owners', '{"where": {"name": {"$regexp": "^T"}}}');
SELECT * FROM assoc.find_all('owners', '{"where": {"name": {"$startsWith": "T"}}}');
SELECT * FROM assoc.find_all('owners', '{"where": {"meta": {"a": 1}}}');
SELECT * FROM assoc.find_all('owners', '{"where": {"$gt": {"id": 1}}}');
SELECT * FROM assoc.find_all('owners', '{"where": {"$pugs.name$": "Cody"}}');
SELECT * FROM assoc.find_all('owners', '{"where": {"name": {}}}');
SELECT * FROM assoc.find_all('owners', '{"where": {"$or": "x"}}');
SELECT * FROM assoc.find_all('owners', '{"where": {"$or": [1]}}');
SELECT * FROM assoc.find_all('owners', '{"where": {"name": {"$or": 5}}}');
SELECT * FROM assoc.find_all('owners', '{"where": {"id": {"$in": 5}}}');
SELECT * FROM assoc.find_all('owners', '{"where": {"id": {"$in": [1, [2]]}}}');
SELECT * FROM assoc.find_all('owners', '{"where": {"id": {"$between": [1, 2, 3]}}}');
SELECT * FROM assoc.find_all('owners', '{"where": {"id": {"$eq": [1, 2]}}}');
SELECT * FROM assoc.find_all('owners', '{"where": {"id": {"$gt": {"$lt": 3}}}}');
SELECT * FROM assoc.find_all('owners', '{"where": {"id": {"$is": 5}}}');
SELECT * FROM assoc.find_all('owners', '{"where": {"id": {"$is": true}}}');
SELECT * FROM assoc.find_all('owners', '{"where": {"id": {"$not": {"$eq": 1}}}}');
-- a value the column's type does not accept
SELECT * FROM assoc.find_all('owners', '{"where": {"id": "abc"}}');
SELECT * FROM assoc.find_all('owners', '{"include": [{"association": "pugs", "where": {"id": {"$in": [1, "two"]}}}]}');
SELECT * FROM assoc.find_all('owners', '{"where": {"active": "maybe"}}');
-- an operator the column's type does not have
SELECT * FROM assoc.find_all('owners', '{"where": {"id": {"$like": "1%"}}}');
SELECT * FROM assoc.find_all('owners', '{"where": {"meta": "{}"}}');
SELECT * FROM assoc.find_all('owners', '{"where": {"meta": {"$gt": "{}"}}}');
-- these work
SELECT count(*) FROM assoc.find_all('owners', '{"where": {"active": {"$is": true}, "id": {"$not": [1, 2]}}}');

-- ---------------------------------------------------------------- associations
-- unknown
SELECT * FROM assoc.find_all('owners', '{"include": ["puggs"]}');
SELECT * FROM assoc.find_all('vets', '{"include": ["pugs"]}');
-- an association of another model: where it is, how to reach it
SELECT * FROM assoc.find_all('owners', '{"include": ["toys"]}');
SELECT * FROM assoc.find_all('owners', '{"include": [{"association": "pugs", "include": ["favoritePugs"]}]}');
-- by model: none, several
SELECT * FROM assoc.find_all('owners', '{"include": [{"model": "toy"}]}');
SELECT * FROM assoc.find_all('owners', '{"include": [{"model": "pug"}]}');
SELECT * FROM assoc.find_all('owners', '{"include": [{"model": "pug", "as": "favoritePugs"}]}') LIMIT 0;
SELECT * FROM assoc.find_all('owners', '{"include": [{"model": "toy", "as": "pugs"}]}');
SELECT * FROM assoc.find_all('owners', '{"include": [{"association": "pugs", "as": "favoritePugs"}]}');
SELECT * FROM assoc.find_all('owners', '{"include": [{"required": true}]}');
-- twice
SELECT * FROM assoc.find_all('owners', '{"include": ["pugs", {"association": "pugs"}]}');
-- separate, limit and through where they do not apply
SELECT * FROM assoc.find_all('pugs', '{"include": [{"association": "owner", "separate": true}]}');
SELECT * FROM assoc.find_all('pugs', '{"include": [{"association": "owner", "limit": 1}]}');
SELECT * FROM assoc.find_all('owners', '{"include": [{"association": "pugs", "through": {"attributes": []}}]}');
-- belongs_to_many: bad "through" options
SELECT * FROM assoc.find_all('owners', '{"include": [{"association": "courses", "through": {"attributes": [], "model": "x"}}]}');
SELECT * FROM assoc.find_all('owners', '{"include": [{"association": "courses", "through": {"as": "enrollment"}}]}');
SELECT * FROM assoc.find_all('owners', '{"include": [{"association": "courses", "through": ["grade"]}]}');
SELECT * FROM assoc.find_all('owners', '{"include": [{"association": "courses", "through": {"attributes": ["grade"]}}]}');
SELECT * FROM assoc.find_all('owners', '{"include": [{"association": "courses", "through": {"attributes": {"exclude": ["grade"]}}}]}');
SELECT * FROM assoc.find_all('owners', '{"include": [{"association": "courses", "through": {"attributes": "ownerId"}}]}');
SELECT * FROM assoc.find_all('owners', '{"include": [{"association": "courses", "through": {"where": {"grade": "A"}}}]}');
SELECT * FROM assoc.find_all('owners', '{"include": [{"association": "courses", "through": {"where": {"ownerId": "one"}}}]}');
SELECT * FROM assoc.find_all('owners', '{"include": [{"association": "courses", "through": {"where": "ownerId"}}]}');
-- the through table's columns are not the target's
SELECT * FROM assoc.find_all('owners', '{"include": [{"association": "courses", "where": {"ownerId": 1}}]}');
SELECT * FROM assoc.find_all('owners', '{"include": [{"association": "courses", "through": {"where": {"title": "x"}}}]}');
-- limit and separate: has_many only
SELECT * FROM assoc.find_all('owners', '{"include": [{"association": "courses", "limit": 1}]}');
SELECT * FROM assoc.find_all('owners', '{"include": [{"association": "courses", "separate": true}]}');
-- the through row's key (its model name, "member") taken by a column of the target
-- (added after the declaration, which refuses it)
CREATE TABLE clubs (id serial PRIMARY KEY);
SET client_min_messages = warning;
SELECT alias FROM assoc.belongs_to_many('vets', 'clubs', through => 'members');
RESET client_min_messages;
ALTER TABLE clubs ADD COLUMN member text;
SELECT * FROM assoc.find_all('vets', '{"include": ["clubs"]}');
SELECT count(*) FROM assoc.find_all('vets', '{"include": [{"association": "clubs", "through": {"attributes": []}}]}');
SELECT count(*) FROM assoc.find_all('vets', '{"include": [{"association": "clubs", "attributes": {"exclude": ["member"]}}]}');
-- all: belongs_to_many included
SELECT count(*) FROM assoc.find_all('owners', '{"include": [{"all": true}]}');
SELECT count(*) FROM assoc.find_all('owners', '{"include": [{"all": "HasMany"}]}');

-- ---------------------------------------------------------------- order
-- on a column of an association that is not included
SELECT * FROM assoc.find_all('owners', '{"order": [["pugs", "name"]]}');
SELECT * FROM assoc.find_all('owners', '{"include": ["pugs"], "order": [["pugs", "toys", "label"]]}');
SELECT * FROM assoc.find_all('owners', '{"include": ["pugs"], "order": [[{"model": "toy"}, "label"]]}');
SELECT * FROM assoc.find_all('owners', '{"include": ["pugs"], "order": [["vets", "name"]]}');
SELECT * FROM assoc.find_all('owners', '{"include": ["pugs"], "order": [[{}, "name"]]}');
SELECT * FROM assoc.find_all('owners', '{"include": [{"association": "pugs", "order": [["owner", "name"]]}]}');
-- an association object of an order item names it with a string
SELECT * FROM assoc.find_all('owners', '{"include": ["pugs"], "order": [[{"association": 1}, "name"]]}');
SELECT * FROM assoc.find_all('owners', '{"include": ["pugs"], "order": [[{"as": ["pugs"]}, "name"]]}');
SELECT * FROM assoc.find_all('owners', '{"include": ["pugs"], "order": [[{"model": null}, "name"]]}');

-- ---------------------------------------------------------------- a column added with an association's name
ALTER TABLE owners ADD COLUMN pugs integer;
SELECT * FROM assoc.find_all('owners', '{"include": ["pugs"]}');
SELECT count(*) FROM assoc.find_all('owners', '{"attributes": {"exclude": ["pugs"]}, "include": ["pugs"]}');

-- find_all_sql checks the same
SELECT assoc.find_all_sql('owners', '{"limit": "ten"}');

-- includes going round a cycle may nest 16 levels, not more
SELECT count(*) FROM assoc.find_all('owners', ('{"include":'
    || repeat('[{"association": "favoritePugs", "include": [{"association": "owner", "include": ', 8)
    || '[]' || repeat('}]}]', 8) || '}')::jsonb);
SELECT count(*) FROM assoc.find_all('owners', ('{"include":'
    || repeat('[{"association": "favoritePugs", "include": [{"association": "owner", "include": ', 9)
    || '[]' || repeat('}]}]', 9) || '}')::jsonb);

SET client_min_messages = warning;
DROP SCHEMA fae CASCADE;
RESET client_min_messages;
