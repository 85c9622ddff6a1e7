-- Polymorphic associations: Sequelize's pattern (a scoped has_many from
-- each target, constraints => false, a belongs_to per target on the same
-- id column), and assoc.polymorphic, which makes the id/type pair a
-- constraint the database enforces, whether rows come through the
-- accessors or plain SQL.
\set VERBOSITY default
\set SHOW_CONTEXT never
CREATE SCHEMA poly;
SET search_path = poly, public;
\pset null '(null)'

-- the tables Sequelize's sync makes for Image, Video and Comment
CREATE TABLE images (id serial PRIMARY KEY, title text,
    "createdAt" timestamptz NOT NULL, "updatedAt" timestamptz NOT NULL);
CREATE TABLE videos (id serial PRIMARY KEY, text text,
    "createdAt" timestamptz NOT NULL, "updatedAt" timestamptz NOT NULL);
CREATE TABLE comments (id serial PRIMARY KEY, title text,
    "commentableId" integer, "commentableType" varchar(255),
    "createdAt" timestamptz NOT NULL, "updatedAt" timestamptz NOT NULL);

-- Image.hasMany(Comment, {foreignKey: 'commentableId', constraints: false,
--                         scope: {commentableType: 'image'}})
-- Comment.belongsTo(Image, {foreignKey: 'commentableId', constraints: false})
SET client_min_messages = warning;
SELECT kind, alias, foreign_key, options->'scope' AS scope
  FROM assoc.has_many('images', 'comments', foreign_key => 'commentableId', constraints => false,
                      scope => '{"commentableType": "image"}');
SELECT kind, alias, foreign_key, options->'scope' AS scope
  FROM assoc.has_many('videos', 'comments', foreign_key => 'commentableId', constraints => false,
                      scope => '{"commentableType": "video"}');
SELECT kind, alias, foreign_key
  FROM assoc.belongs_to('comments', 'images', foreign_key => 'commentableId', constraints => false);
SELECT kind, alias, foreign_key
  FROM assoc.belongs_to('comments', 'videos', foreign_key => 'commentableId', constraints => false);
RESET client_min_messages;
SELECT conname FROM pg_constraint WHERE conrelid = 'comments'::regclass ORDER BY 1;

INSERT INTO images (title, "createdAt", "updatedAt") VALUES ('sunset', '2020-01-01', '2020-01-01'),
    ('dawn', '2020-01-01', '2020-01-01');
INSERT INTO videos (text, "createdAt", "updatedAt") VALUES ('cats', '2020-01-01', '2020-01-01');

-- image.createComment, video.createComment: the scope gives the type
SELECT id, title, "commentableId", "commentableType" FROM image_create_comment(1, '{"title": "nice", "createdAt": "2020-02-01"}');
SELECT id, title, "commentableId", "commentableType" FROM video_create_comment(1, '{"title": "meh", "createdAt": "2020-02-02"}');
SELECT id, title, "commentableId", "commentableType" FROM image_create_comment(2, '{"title": "wow", "createdAt": "2020-02-03"}');
-- image 1 and video 1 share the id: each sees its own comments
SELECT id, title FROM image_get_comments(1);
SELECT id, title FROM video_get_comments(1);
SELECT image_count_comments(1), video_count_comments(1), image_has_comment(1, 2), video_has_comment(1, 2);
SELECT * FROM assoc.find_all('images', '{"include": [{"association": "comments", "attributes": ["id", "title", "commentableType"]}], "attributes": ["id", "title"]}');
SELECT * FROM assoc.find_all('videos', '{"include": [{"association": "comments", "attributes": ["id", "title"]}], "attributes": ["id"]}');
-- image.addComment(comment of the video): it becomes the image's
SELECT id FROM image_add_comment(2, 2);
SELECT id, title, "commentableId", "commentableType" FROM comments ORDER BY id;
-- Sequelize's belongsTo readers look at the id only (its getCommentable is
-- the app's own code, choosing by type)
SELECT id, title FROM comment_get_image(2);
SELECT id, text FROM comment_get_video(2);

-- the constraint: assoc.polymorphic
SELECT * FROM assoc.polymorphic('comments', 'commentable', ARRAY['images', 'videos']::regclass[]);
SELECT * FROM assoc.polymorphic('comments', 'commentable', ARRAY['images']::regclass[]);
SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint WHERE conrelid = 'comments'::regclass ORDER BY 1;
SELECT tgrelid::regclass, tgname FROM pg_trigger WHERE NOT tgisinternal
   AND tgrelid IN ('comments'::regclass, 'images'::regclass, 'videos'::regclass) ORDER BY 1, 2;

-- the reader of the commentable: the row of the right table, as JSON
SELECT id FROM video_add_comment(1, 2);
UPDATE comments SET "updatedAt" = '2020-01-01';
SELECT c.id, c."commentableType", comment_get_commentable(c) FROM comments c ORDER BY c.id;
SELECT comment_get_commentable(1), comment_get_commentable('1');
-- the loaders: an include of the commentable, the right table per row
SELECT comment_with_commentable(c) FROM comments c ORDER BY id;
SELECT * FROM comment_with_commentable();
INSERT INTO comments (title, "createdAt", "updatedAt") VALUES ('nothing', '2020-01-01', '2020-01-01');
SELECT comment_get_commentable(4);

-- a row's id must exist in the table its type names: plain SQL
INSERT INTO comments (title, "commentableId", "commentableType", "createdAt", "updatedAt")
    VALUES ('bad', 2, 'video', now(), now());
INSERT INTO comments (title, "commentableId", "commentableType", "createdAt", "updatedAt")
    VALUES ('bad', 1, 'audio', now(), now());
UPDATE comments SET "commentableType" = 'video' WHERE id = 3;
UPDATE comments SET "commentableId" = 7 WHERE id = 1;
-- and through the accessors
SELECT id FROM video_add_comment(1, 3);
SELECT id, "commentableType" FROM video_create_comment(1, '{"title": "ok", "createdAt": "2020-03-01"}');
SELECT id, title, "commentableId", "commentableType" FROM comments ORDER BY id;

-- deleting a target cascades to the rows that name it (only those of its type)
DELETE FROM images WHERE id = 1;
SELECT id, title, "commentableId", "commentableType" FROM comments ORDER BY id;
-- a changed key is followed
UPDATE videos SET id = 10 WHERE id = 1;
SELECT id, title, "commentableId", "commentableType" FROM comments ORDER BY id;
-- TRUNCATE of a target named by rows is refused
TRUNCATE videos;
SELECT count(*) FROM videos;

-- a column of the declaration renamed: writes are refused, not let through
-- unchecked (the triggers name their columns)
BEGIN;
ALTER TABLE comments RENAME COLUMN "commentableId" TO "itemId";
INSERT INTO comments (title, "itemId", "commentableType", "createdAt", "updatedAt")
    VALUES ('orphan', 99, 'video', now(), now());
ROLLBACK;
BEGIN;
ALTER TABLE videos RENAME COLUMN id TO video_id;
DELETE FROM videos;
ROLLBACK;

-- on_delete => 'SET NULL': the rows lose their id and type
CREATE TABLE photos (id serial PRIMARY KEY, url text);
CREATE TABLE notes (id serial PRIMARY KEY, body text, "notableId" integer, "notableType" text);
SELECT * FROM assoc.polymorphic('notes', 'notable', ARRAY['photos', 'images']::regclass[],
                                type_values => ARRAY['Photo', 'Image'], on_delete => 'set null');
INSERT INTO photos (url) VALUES ('a.png');
INSERT INTO notes (body, "notableId", "notableType") VALUES ('x', 1, 'Photo'), ('y', 1, 'Image');
DELETE FROM photos;
SELECT * FROM notes ORDER BY id;

-- declaration errors: nothing changed
CREATE TABLE posts (id serial PRIMARY KEY, "attachableId" integer, "attachableType" text);
CREATE TABLE files (code text PRIMARY KEY);
CREATE TABLE links (id bigint PRIMARY KEY);
CREATE TABLE blobs (a int, b int, PRIMARY KEY (a, b));
INSERT INTO posts ("attachableId", "attachableType") VALUES (5, 'image'), (1, 'audio');
SELECT assoc.polymorphic('posts', 'attachable', ARRAY['images']::regclass[]);
DELETE FROM posts WHERE "attachableId" = 5;
SELECT assoc.polymorphic('posts', 'attachable', ARRAY['images']::regclass[]);
DELETE FROM posts;
SELECT assoc.polymorphic('posts', 'attachable', ARRAY['files']::regclass[]);
SELECT assoc.polymorphic('posts', 'attachable', ARRAY['links']::regclass[]);
SELECT assoc.polymorphic('posts', 'attachable', ARRAY['blobs']::regclass[]);
SELECT assoc.polymorphic('posts', 'attachment', ARRAY['images']::regclass[]);
SELECT assoc.polymorphic('posts', 'attachable', ARRAY['images', 'videos']::regclass[], type_values => ARRAY['x']);
SELECT assoc.polymorphic('posts', 'attachable', ARRAY['images', 'videos']::regclass[], type_values => ARRAY['x', 'x']);
SELECT assoc.polymorphic('posts', 'attachable', ARRAY['images']::regclass[], on_delete => 'restrict');
SELECT assoc.polymorphic('posts', 'attachable', ARRAY[]::regclass[]);
SELECT tgname FROM pg_trigger WHERE tgrelid = 'posts'::regclass;
SELECT conname FROM pg_constraint WHERE conrelid = 'posts'::regclass ORDER BY 1;

SET client_min_messages = warning;
DROP SCHEMA poly CASCADE;
RESET client_min_messages;
