-- find_all's include of a polymorphic association (assoc.polymorphic):
-- {"include": ["commentable"]} gives each comment the row of the table its
-- commentableType names, shaped as find_all shapes that table's rows
-- elsewhere (its columns in table order, its soft delete), or null.
\set VERBOSITY default
\set SHOW_CONTEXT never
CREATE SCHEMA polyinc;
SET search_path = polyinc, public;

CREATE TABLE images (id serial PRIMARY KEY, title text, url text,
    "createdAt" timestamptz NOT NULL, "updatedAt" timestamptz NOT NULL);
CREATE TABLE videos (id serial PRIMARY KEY, text text,
    "createdAt" timestamptz NOT NULL, "updatedAt" timestamptz NOT NULL,
    "deletedAt" timestamptz);
CREATE TABLE comments (id serial PRIMARY KEY, title text,
    "commentableId" integer, "commentableType" varchar(255),
    "createdAt" timestamptz NOT NULL, "updatedAt" timestamptz NOT NULL);
CREATE TABLE authors (id serial PRIMARY KEY, name text);
ALTER TABLE comments ADD COLUMN "authorId" integer REFERENCES authors;
SET client_min_messages = warning;
SELECT tab, paranoid FROM assoc.model('videos', paranoid => true);
SELECT kind, alias FROM assoc.has_many('images', 'comments', foreign_key => 'commentableId', constraints => false,
                      scope => '{"commentableType": "image"}');
SELECT kind, alias FROM assoc.has_many('videos', 'comments', foreign_key => 'commentableId', constraints => false,
                      scope => '{"commentableType": "video"}');
SELECT kind, alias FROM assoc.belongs_to('comments', 'images', foreign_key => 'commentableId', constraints => false);
SELECT kind, alias FROM assoc.belongs_to('comments', 'videos', foreign_key => 'commentableId', constraints => false);
SELECT kind, alias FROM assoc.belongs_to('comments', 'authors');
SELECT kind, alias FROM assoc.has_many('authors', 'comments');
SELECT * FROM assoc.polymorphic('comments', 'commentable', ARRAY['images', 'videos']::regclass[]);
RESET client_min_messages;

INSERT INTO authors (name) VALUES ('Ann'), ('Bob');
INSERT INTO images (title, url, "createdAt", "updatedAt") VALUES
    ('sunset', 'a.png', '2020-01-01', '2020-01-02'), ('dawn', 'b.png', '2020-01-03', '2020-01-04');
INSERT INTO videos (text, "createdAt", "updatedAt") VALUES
    ('cats', '2020-02-01', '2020-02-02'), ('dogs', '2020-02-03', '2020-02-04'), ('owls', '2020-02-05', '2020-02-06');
INSERT INTO comments (title, "commentableId", "commentableType", "authorId", "createdAt", "updatedAt") VALUES
    ('nice', 1, 'image', 1, '2020-03-01', '2020-03-01'),
    ('meh', 1, 'video', 2, '2020-03-02', '2020-03-02'),
    ('wow', 2, 'image', NULL, '2020-03-03', '2020-03-03'),
    ('lol', 3, 'video', 1, '2020-03-04', '2020-03-04'),
    ('none', NULL, NULL, NULL, '2020-03-05', '2020-03-05'),
    ('no id', NULL, 'image', NULL, '2020-03-06', '2020-03-06');
-- video 3 is soft-deleted: the comment on it has no commentable, as in any
-- include of a paranoid model
UPDATE videos SET "deletedAt" = '2020-04-01' WHERE id = 3;

-- the full scan: every comment with the row of the right table
SELECT * FROM assoc.find_all('comments', '{"include": ["commentable"]}');
-- the same as the generated loader comment_with_commentable gives, but for
-- the soft-deleted video (the loader reads the table as it is)
SELECT c.id, (j->'commentable')::jsonb = (comment_with_commentable(c)::jsonb)->'commentable' AS same
  FROM assoc.find_all('comments', '{"include": ["commentable"]}') j
  JOIN comments c ON c.id = (j->>'id')::int ORDER BY c.id;
-- and as the two belongs_to includes, each picked by the type
SELECT (j->>'id')::int AS id,
       (j->'commentable')::jsonb =
       coalesce(CASE j->>'commentableType' WHEN 'image' THEN j->'image' WHEN 'video' THEN j->'video' END, 'null')::jsonb AS same
  FROM assoc.find_all('comments', '{"include": ["commentable", "image", "video"]}') j;
-- a page, with attributes of the comment and other includes around it: the
-- keys in include order
SELECT * FROM assoc.find_all('comments', '{"attributes": ["id", "title"], "include": ["author", "commentable"],
  "order": [["id", "DESC"]], "limit": 3, "offset": 1}');
SELECT * FROM assoc.find_all('comments', '{"attributes": ["title"], "include": ["commentable", "author"],
  "where": {"id": {"$lte": 2}}}');
-- the object form, "as", required, paranoid: false
SELECT * FROM assoc.find_all('comments', '{"attributes": ["id"], "include": [{"association": "commentable", "required": true}]}');
SELECT * FROM assoc.find_all('comments', '{"attributes": ["id"], "include": [{"as": "commentable", "paranoid": false, "duplicating": false}],
  "where": {"commentableType": "video"}}');
SELECT assoc.count('comments', '{"include": [{"association": "commentable", "required": true}]}');
SELECT assoc.count('comments', '{"include": ["commentable"]}');
SELECT assoc.find_and_count_all('comments', '{"attributes": ["id"], "include": [{"association": "commentable", "required": true}], "limit": 1}');
-- from the other side, and back: images with their comments, each with
-- its commentable (the image itself) and author
SELECT * FROM assoc.find_all('images', '{"attributes": ["id"], "include": [{"association": "comments",
  "attributes": ["id"], "include": ["commentable", "author"]}]}');
SELECT * FROM assoc.find_all('authors', '{"include": [{"association": "comments", "attributes": ["title"],
  "include": [{"association": "commentable", "required": true}]}], "limit": 5}');

-- the statement: one CASE, each target read through its primary key; in a
-- page a subquery per row, in a full scan a join per target (of its rows
-- by key, as a belongs_to include's) where the type names it
SELECT assoc.find_all_sql('comments', '{"attributes": ["id"], "include": ["commentable"], "limit": 2}');
SELECT assoc.find_all_sql('comments', '{"attributes": ["id"], "include": ["commentable"]}');
-- (tables this small are read whole unless sequential scans are off)
SET enable_seqscan = off;
SELECT 'EXPLAIN (COSTS OFF) ' || assoc.find_all_sql('comments', '{"attributes": ["id"], "include": ["commentable"], "limit": 2}') \gexec
RESET enable_seqscan;

-- options an include of a polymorphic association does not take
SELECT assoc.find_all('comments', '{"include": [{"association": "commentable", "attributes": ["id"]}]}');
SELECT assoc.find_all('comments', '{"include": [{"association": "commentable", "where": {"id": 1}}]}');
SELECT assoc.find_all('comments', '{"include": [{"association": "commentable", "include": ["comments"]}]}');
SELECT assoc.find_all('comments', '{"include": [{"association": "commentable", "model": "image"}]}');
SELECT assoc.find_all('comments', '{"include": [{"association": "commentable", "limit": 1}]}');
SELECT assoc.find_all('comments', '{"include": [{"association": "commentable", "required": 1}]}');
-- nor anything but include
SELECT assoc.find_all('comments', '{"include": ["commentable"], "order": [["commentable", "id"]]}');
SELECT assoc.find_all('comments', '{"include": ["commentable"], "where": {"$commentable.id$": 1}}');
SELECT assoc.find_all('comments', '{"where": {"$count(commentable)$": 1}}');
SELECT assoc.find_all('comments', '{"include": ["commentable", "commentable"]}');
-- the key is taken
SELECT assoc.find_all('comments', '{"include": ["commentable"], "attributes": {"include": [[{"fn": "COUNT", "col": "image.id"}, "commentable"]]}}');
ALTER TABLE comments ADD COLUMN commentable text;
SELECT assoc.find_all('comments', '{"include": ["commentable"]}');
SELECT * FROM assoc.find_all('comments', '{"attributes": {"exclude": ["commentable"]}, "include": ["commentable"], "limit": 1}');
ALTER TABLE comments DROP COLUMN commentable;
-- {"all": true} adds the associations of the catalog, not this one
SELECT * FROM assoc.find_all('comments', '{"attributes": ["id"], "include": [{"all": true}], "limit": 1}');
-- an association of the catalog named like it cannot be declared (its
-- functions would be the polymorphic association's)
CREATE TABLE commentables (id serial PRIMARY KEY);
SELECT alias FROM assoc.belongs_to('comments', 'commentables', foreign_key => 'commentableId', constraints => false);
-- a renamed target: the declaration does not follow it
ALTER TABLE videos RENAME TO clips;
SELECT assoc.find_all('comments', '{"include": ["commentable"]}');
ALTER TABLE clips RENAME TO videos;
SELECT count(*) FROM assoc.find_all('comments', '{"include": ["commentable"]}');

-- names that need quoting: tables, columns, the association, type values
CREATE TABLE "my table" (id bigserial PRIMARY KEY, "select" text);
CREATE TABLE "order" (id bigserial PRIMARY KEY, "from" text);
CREATE TABLE "Notes" (id serial PRIMARY KEY, "the thing Id" bigint, "the thing Type" text);
SET client_min_messages = warning;
SELECT * FROM assoc.polymorphic('"Notes"', 'the thing', ARRAY['"my table"', '"order"']::regclass[],
    type_values => ARRAY['My Table', 'it''s'], id_column => 'the thing Id', type_column => 'the thing Type');
RESET client_min_messages;
INSERT INTO "my table" ("select") VALUES ('a');
INSERT INTO "order" ("from") VALUES ('b'), ('c');
INSERT INTO "Notes" ("the thing Id", "the thing Type") VALUES (1, 'My Table'), (2, 'it''s'), (NULL, NULL);
SELECT * FROM assoc.find_all('"Notes"', '{"include": ["the thing"]}');
SELECT * FROM assoc.find_all('"Notes"', '{"include": [{"association": "the thing", "required": true}], "limit": 1, "offset": 1}');

SET client_min_messages = warning;
DROP SCHEMA polyinc CASCADE;
RESET client_min_messages;
