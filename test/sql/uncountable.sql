-- Uncountable names (news, sheep, series, species: singular and plural
-- alike).  Sequelize 6 accepts them: Hub.hasMany(News) has the alias
-- "news", the foreign key "hubId" and the accessors getNews, countNews,
-- hasNews, setNews, addNews, removeNews, createNews, where addNews,
-- removeNews and hasNews take one news or an array.  assoc names them
-- hub_get_news, ..., hub_add_news: the accessors for several, which take
-- one target too, told apart by its type (news / news[], integer /
-- integer[]); text, which untyped parameters are, is a key ('5') or an
-- array literal ('{5,6}').
\set VERBOSITY default
CREATE SCHEMA unc;
SET search_path = unc, public;
\pset null '(null)'

CREATE TABLE hubs (id serial PRIMARY KEY, name text);
CREATE TABLE news (id integer PRIMARY KEY, title text);
SELECT kind, alias, foreign_key, options->>'singular' AS singular, options->>'plural' AS plural
  FROM assoc.has_many('hubs', 'news');
SELECT kind, alias, foreign_key, options->>'singular' AS singular, options->>'plural' AS plural
  FROM assoc.belongs_to('news', 'hubs');
-- the functions: one name, the polymorphic one and the text one
\df hub_add_news
\df hub_has_news
\df hub_remove_news
\df hub_set_news
\df hub_get_news

INSERT INTO hubs (name) VALUES ('North'), ('South');
INSERT INTO news VALUES (5, 'five'), (6, 'six'), (7, 'seven'), (8, 'eight');
CREATE VIEW state AS SELECT id, "hubId" FROM news ORDER BY id;

-- ---------------------------------------------------------------- typed calls
-- one key, an array of keys
SELECT id, name FROM hub_add_news(1, 5);
SELECT id, name FROM hub_add_news(1, ARRAY[6, 7]);
SELECT id, title FROM hub_get_news(1);
SELECT hub_count_news(1), hub_has_news(1, 5) AS one, hub_has_news(1, ARRAY[5, 6]) AS several,
       hub_has_news(1, 8) AS not_one, hub_has_news(1, ARRAY[5, 8]) AS not_all;
SELECT id, name FROM hub_remove_news(1, 5);
SELECT id, name FROM hub_remove_news(1, ARRAY[6]);
SELECT * FROM state;
-- rows and arrays of rows
SELECT h.name FROM hubs h, news n, hub_add_news(h, n) r WHERE h.id = 2 AND n.id = 5;
SELECT r.name FROM hubs h, hub_add_news(h, ARRAY(SELECT n FROM news n WHERE n.id IN (6, 8))) r
 WHERE h.id = 2;
SELECT hub_has_news(h, n) AS one, hub_has_news(h, ARRAY(SELECT n FROM news n WHERE n.id > 5)) AS several
  FROM hubs h, news n WHERE h.id = 2 AND n.id = 5;
SELECT r.name FROM hubs h, news n, hub_remove_news(h, n) r WHERE h.id = 2 AND n.id = 6;
SELECT r.name FROM hubs h, hub_remove_news(h, ARRAY(SELECT n FROM news n WHERE n.id = 8)) r
 WHERE h.id = 2;
SELECT * FROM state;
SELECT id, name FROM hub_set_news(1, ARRAY[7, 8]);
SELECT r.name FROM hubs h, hub_set_news(h, ARRAY(SELECT n FROM news n WHERE n.id = 6)) r
 WHERE h.id = 2;
SELECT * FROM state;
SELECT id, title, "hubId" FROM hub_create_news(1, '{"id": 9, "title": "nine"}');
-- ---------------------------------------------------------------- text
-- a literal or a text value: a key, or an array literal
SELECT id, name FROM hub_add_news('2', '5');
SELECT id, name FROM hub_add_news('2', '{7,8}');
SELECT * FROM state;
SELECT hub_has_news(2, '5') AS one, hub_has_news(2, '{5,7}') AS several,
       hub_has_news(2, '9') AS not_one, hub_has_news(2, '{5,9}') AS not_all,
       hub_has_news(2, '{}') AS none;
SELECT id, name FROM hub_remove_news(2, '7'::text);
SELECT id, name FROM hub_remove_news(2, ' {5, 8}'::text);
SELECT * FROM state;
-- set takes several; one key is a list of one
SELECT id, name FROM hub_set_news(2, '6');
SELECT id, name FROM hub_set_news(2, '{6,7}');
SELECT * FROM state;
-- explicit bounds are an array literal too
SELECT hub_has_news(2, '[1:2]={6,7}');
-- ---------------------------------------------------------------- untyped parameters
-- PREPARE with parameters of type unknown, as node-pg and psycopg send them
PREPARE add_news(unknown, unknown) AS SELECT id, name FROM hub_add_news($1, $2);
PREPARE has_news(unknown, unknown) AS SELECT hub_has_news($1, $2);
PREPARE remove_news(unknown, unknown) AS SELECT id, name FROM hub_remove_news($1, $2);
PREPARE set_news(unknown, unknown) AS SELECT id, name FROM hub_set_news($1, $2);
PREPARE get_news AS SELECT id, title FROM hub_get_news($1);
PREPARE count_news AS SELECT hub_count_news($1);
PREPARE create_news AS SELECT id, title, "hubId" FROM hub_create_news($1, $2);
EXECUTE add_news('1', '5');
EXECUTE add_news('1', '{6,8}');
EXECUTE get_news('1');
EXECUTE count_news('1');
EXECUTE has_news('1', '5');
EXECUTE has_news('1', '{5,6,8}');
EXECUTE has_news('1', '7');
EXECUTE has_news('1', '{5,7}');
EXECUTE remove_news('1', '5');
EXECUTE remove_news('1', '{6,8}');
EXECUTE get_news('1');
EXECUTE set_news('1', '{5,6}');
EXECUTE set_news('2', '8');
EXECUTE create_news('2', '{"id": 10, "title": "ten"}');
SELECT * FROM state;
-- what the parameters resolved to: the text overloads
SELECT name, parameter_types FROM pg_prepared_statements ORDER BY name;
-- an untyped NULL: as a NULL array is for the other overloads, no targets
-- (set: none stays linked)
SELECT hub_has_news(1, NULL) AS has, (hub_add_news(1, NULL)).name AS add,
       (hub_remove_news(1, NULL)).name AS remove;
SELECT * FROM state;
SELECT (hub_set_news(2, NULL)).name AS set;
SELECT * FROM state;
EXECUTE set_news('2', '{8,10}');
-- errors name the association and the value, for a key and for an array
EXECUTE add_news('1', 'five');
EXECUTE add_news('1', '{5,five}');
EXECUTE add_news('1', '{5');
EXECUTE add_news('1', '99');
EXECUTE add_news('1', '{5,99}');
EXECUTE add_news('1', '{5,NULL}');
SELECT hub_add_news(1, 99);
SELECT hub_add_news(1, ARRAY[99]);
SELECT hub_add_news(3, '5');

-- ---------------------------------------------------------------- loaders and find_all
SELECT hub_with_news(h) FROM hubs h ORDER BY h.id;
SELECT * FROM hub_with_news();
SELECT hub_with_news('2');
SELECT * FROM news_with_hub() LIMIT 2;
SELECT * FROM assoc.find_all('hubs', '{"include": ["news"]}');
SELECT * FROM assoc.find_all('hubs', '{"include": [{"model": "news", "where": {"id": {"$gt": 5}}}], "order": [["news", "id", "DESC"]]}');
SELECT * FROM assoc.find_all('news', '{"where": {"id": [5, 8]}, "include": [{"association": "hub", "include": ["news"]}]}');

-- the functions are written again after ALTER TABLE, all overloads alike
ALTER TABLE news ADD COLUMN body text DEFAULT 'b';
SELECT id, body FROM hub_get_news(2);
EXECUTE add_news('2', '{5}');
SELECT hub_has_news(2, ARRAY[5, 8]);

-- ---------------------------------------------------------------- has_one, belongs_to
-- no plural accessors: nothing to tell apart
CREATE TABLE series (id serial PRIMARY KEY, title text);
CREATE TABLE episodes (id serial PRIMARY KEY, title text);
SELECT kind, alias, foreign_key FROM assoc.has_one('hubs', 'series');
SELECT kind, alias, foreign_key FROM assoc.belongs_to('episodes', 'series');
SELECT kind, alias, foreign_key FROM assoc.has_many('series', 'episodes');
INSERT INTO series (title) VALUES ('Alpha'), ('Beta');
INSERT INTO episodes (title) VALUES ('one'), ('two');
SELECT id, title, "hubId" FROM hub_set_series(1, 1);
SELECT id, title, "hubId" FROM hub_set_series('2', '2');
SELECT title FROM hub_get_series(1);
SELECT id, title, "hubId" FROM hub_create_series(1, '{"title": "Gamma"}');
SELECT id, title, "seriesId" FROM episode_set_series(1, 2);
SELECT id, title, "seriesId" FROM episode_set_series('2', '2');
SELECT title FROM episode_get_series(1);
SELECT title FROM episode_create_series(2, '{"title": "Delta"}');
SELECT id, title FROM series_get_episodes(2);
SELECT hub_with_series(1);
SELECT * FROM episode_with_series();
SELECT * FROM assoc.find_all('hubs', '{"include": ["series", "news"], "where": {"id": 1}}');

-- ---------------------------------------------------------------- belongs_to_many
CREATE TABLE sheep (id integer PRIMARY KEY, name text);
SELECT kind, alias, foreign_key, other_key, options->>'singular' AS singular, options->>'plural' AS plural
  FROM assoc.belongs_to_many('hubs', 'sheep', through => 'flocks', timestamps => false);
SELECT kind, alias, foreign_key, other_key FROM assoc.belongs_to_many('sheep', 'hubs', through => 'flocks');
\d flocks
\df hub_add_sheep
INSERT INTO sheep VALUES (1, 'Dolly'), (2, 'Shaun'), (3, 'Timmy');
SELECT id, name FROM hub_add_sheep(1, 1);
SELECT id, name FROM hub_add_sheep(1, ARRAY[2]);
SELECT id, name FROM hub_add_sheep('2', '3');
SELECT id, name FROM hub_add_sheep('2', '{1,2}');
SELECT id, name FROM hub_add_sheep(2, '{3}', '{}');
SELECT r.name FROM hubs h, sheep s, hub_add_sheep(h, s) r WHERE h.id = 1 AND s.id = 3;
SELECT "hubId", "sheepId" FROM flocks ORDER BY 1, 2;
SELECT hub_count_sheep(1), hub_has_sheep(1, 1) AS one, hub_has_sheep(1, '{1,2,3}') AS several,
       hub_has_sheep(1, '2') AS literal, hub_has_sheep(2, ARRAY[1, 9]) AS not_all;
PREPARE add_sheep(unknown, unknown) AS SELECT id, name FROM hub_add_sheep($1, $2);
PREPARE remove_sheep(unknown, unknown) AS SELECT id, name FROM hub_remove_sheep($1, $2);
PREPARE has_sheep(unknown, unknown) AS SELECT hub_has_sheep($1, $2);
EXECUTE remove_sheep('1', '1');
EXECUTE remove_sheep('1', '{2,3}');
EXECUTE add_sheep('1', '2');
EXECUTE add_sheep('1', '{1,3}');
EXECUTE has_sheep('1', '2');
EXECUTE has_sheep('1', '{1,2,3}');
EXECUTE remove_sheep('2', '{1,2,3}');
SELECT id, name FROM hub_set_sheep(2, '2');
SELECT id, name FROM hub_remove_sheep(1, ARRAY[3]);
SELECT id, name FROM hub_remove_sheep(1, 2);
SELECT "hubId", "sheepId" FROM flocks ORDER BY 1, 2;
SELECT id, name FROM hub_create_sheep(1, '{"id": 4, "name": "Lamb"}');
SELECT id, name FROM hub_get_sheep(1);
SELECT id, name FROM sheep_get_hubs(2);
EXECUTE add_sheep('1', 'Dolly');
SELECT hub_with_sheep(1);
SELECT * FROM assoc.find_all('hubs', '{"include": [{"association": "sheep", "through": {"attributes": []}}]}');
SELECT * FROM assoc.find_all('sheep', '{"include": ["hubs"], "where": {"id": 2}}');

-- ---------------------------------------------------------------- a text key
-- the key overload is the text one; it takes a key or an array literal
-- (a key that itself begins with { or [ is given as an array: ARRAY['{x}'])
CREATE TABLE zoos (id serial PRIMARY KEY, name text);
CREATE TABLE species (code text PRIMARY KEY, name text);
SELECT kind, alias, foreign_key FROM assoc.has_many('zoos', 'species');
\df zoo_add_species
INSERT INTO zoos (name) VALUES ('Artis');
INSERT INTO species VALUES ('lion', 'Lion'), ('seal', 'Seal'), ('{odd}', 'Odd');
SELECT id, name FROM zoo_add_species(1, 'lion');
SELECT id, name FROM zoo_add_species(1, '{seal}'::text);
SELECT zoo_has_species(1, 'seal'), zoo_has_species(1, '{lion,seal}'), zoo_has_species(1, '{odd}');
SELECT id, name FROM zoo_add_species(1, ARRAY['{odd}']);
SELECT code, "zooId" FROM species ORDER BY code;

-- ---------------------------------------------------------------- the catalog, and dropping
SELECT alias, options->>'singular' AS singular, options->>'plural' AS plural,
       cardinality(functions) AS functions
  FROM assoc.associations WHERE source = 'hubs'::regclass ORDER BY id;
SELECT assoc.drop_association('hubs', 'news');
SELECT count(*) FROM pg_proc WHERE proname LIKE 'hub\_%news' AND pronamespace = 'unc'::regnamespace;

SET client_min_messages = warning;
DROP SCHEMA unc CASCADE;
