-- Model options (assoc.model): the model name Sequelize's define gives a
-- table (define('User', ..., {tableName: 'app_users'})), custom and absent
-- timestamps, and paranoid models, whose soft-deleted rows readers,
-- loaders, find_all and writers leave out.  Timestamps are compared, not
-- printed.
\set VERBOSITY default
CREATE SCHEMA mo;
SET search_path = mo, public;
\pset null '(null)'

-- ---- the model name: define('User', ..., {tableName: 'app_users'})
CREATE TABLE app_users (id serial PRIMARY KEY, name text,
    "createdAt" timestamptz NOT NULL, "updatedAt" timestamptz NOT NULL,
    "deletedAt" timestamptz);
-- define('Post', ..., {createdAt: 'created_on', updatedAt: false, paranoid: true, deletedAt: 'removed_on'})
CREATE TABLE posts (id serial PRIMARY KEY, title text,
    created_on timestamptz NOT NULL, removed_on timestamptz);
SELECT * FROM assoc.model('app_users', name => 'User', paranoid => true);
SELECT * FROM assoc.model('posts', name => 'Post', created_at => 'created_on',
                          updated_at => '', paranoid => true, deleted_at => 'removed_on');
SET client_min_messages = warning;
-- User.hasMany(Post), Post.belongsTo(User): alias Posts / User, foreign key UserId
SELECT kind, alias, foreign_key FROM assoc.has_many('app_users', 'posts');
SELECT kind, alias, foreign_key FROM assoc.belongs_to('posts', 'app_users');
RESET client_min_messages;
SELECT association, functions FROM assoc.describe('app_users');
SELECT association, functions FROM assoc.describe('posts');

INSERT INTO app_users (name, "createdAt", "updatedAt") VALUES
    ('Tom', '2020-01-01', '2020-01-01'), ('Ann', '2020-01-02', '2020-01-02'),
    ('Gone', '2020-01-03', '2020-01-03');
UPDATE app_users SET "deletedAt" = '2021-01-01' WHERE name = 'Gone';

-- create fills created_on only: updatedAt is false
SELECT id, title, created_on = now() AS created_now, "UserId"
  FROM user_create_post(1, '{"title": "one"}');
SELECT id, title, "UserId" FROM user_create_post(1, '{"title": "two"}');
SELECT id, title, "UserId" FROM user_create_post(1, '{"title": "three"}');
SELECT id, title, "UserId" FROM user_create_post(2, '{"title": "four"}');
-- a soft-deleted post (Sequelize's destroy of a paranoid instance)
UPDATE posts SET removed_on = now() WHERE title = 'two';

-- ---- readers leave soft-deleted rows out
SELECT id, title FROM user_get_posts(1);
SELECT user_count_posts(1);
SELECT user_has_post(1, 1) AS live, user_has_post(1, 2) AS soft_deleted;
SELECT user_has_posts(1, ARRAY[1, 3]) AS live, user_has_posts(1, ARRAY[1, 2]) AS with_deleted;
-- a post of the soft-deleted user: its getUser is null
INSERT INTO posts (title, created_on, "UserId") VALUES ('orphaned', now(), 3);
SELECT name FROM post_get_user(5);
SELECT name FROM post_get_user(1);
-- loaders: the JSON keys are the aliases Sequelize derives
SELECT p - 'created_on' - 'removed_on' FROM (SELECT post_with_user(p)::jsonb AS p FROM posts p WHERE id = 5) x;
SELECT j::jsonb -> 'Posts' @> '[{"id": 2}]' AS has_deleted, json_array_length(j -> 'Posts') AS posts
  FROM user_with_posts(1) j;
SELECT j::jsonb ->> 'name' AS name FROM user_with_posts() j;
SELECT user_with_posts(3) IS NULL AS soft_deleted_user_not_found;
SELECT json_array_length(user_with_posts(u) -> 'Posts') FROM app_users u WHERE id = 1;

-- ---- find_all: top level, include, "paranoid": false on either
SELECT j::jsonb ->> 'name' AS name FROM assoc.find_all('app_users') j;
SELECT j::jsonb ->> 'name' AS name FROM assoc.find_all('app_users', '{"paranoid": false}') j;
SELECT j::jsonb ->> 'name' AS name, jsonb_path_query_array(j::jsonb, '$.Posts[*].title') AS posts
  FROM assoc.find_all('app_users', '{"include": ["Posts"]}') j;
SELECT j::jsonb ->> 'name' AS name, jsonb_path_query_array(j::jsonb, '$.Posts[*].title') AS posts
  FROM assoc.find_all('app_users', '{"include": [{"association": "Posts", "paranoid": false}]}') j;
-- a page (correlated includes) and a where: the same filter
SELECT j::jsonb ->> 'name' AS name, jsonb_path_query_array(j::jsonb, '$.Posts[*].title') AS posts
  FROM assoc.find_all('app_users', '{"include": ["Posts"], "limit": 5}') j;
SELECT j::jsonb ->> 'title' AS title, j::jsonb -> 'User' ->> 'name' AS "user"
  FROM assoc.find_all('posts', '{"include": [{"model": "User"}], "paranoid": false}') j;
SELECT j::jsonb ->> 'title' AS title
  FROM assoc.find_all('posts', '{"where": {"UserId": 1}}') j;
-- an include of the model by its model name, in any case
SELECT count(*) FROM assoc.find_all('posts', '{"include": [{"model": "user"}]}');
SELECT * FROM assoc.find_all('app_users', '{"paranoid": "no"}');

-- ---- writers: a soft-deleted instance is not found
SELECT user_add_post(3, 1);
SELECT post_set_user(1, 3);
-- a soft-deleted target is not found either (Sequelize's addPosts and
-- setUser skip it silently: its UPDATE has WHERE "deletedAt" IS NULL)
SELECT user_add_post(1, 2);
SELECT user_remove_post(1, 2);
-- set leaves a soft-deleted post linked, as Sequelize's setPosts, which
-- reads the current ones with get
SELECT name FROM user_set_posts(1, ARRAY[3]);
SELECT id, title, "UserId", removed_on IS NOT NULL AS deleted FROM posts ORDER BY id;
SELECT name FROM user_set_posts(1, ARRAY[]::int[]);
SELECT id, title, "UserId", removed_on IS NOT NULL AS deleted FROM posts ORDER BY id;
SELECT name FROM user_add_posts(1, ARRAY[1, 3]);
SELECT name, "updatedAt" = now() AS bumped FROM user_remove_post(1, 3);

-- ---- the filter is in the statement: a partial index serves it
CREATE INDEX posts_live_user ON posts ("UserId") WHERE removed_on IS NULL;
ANALYZE posts;
SET enable_seqscan = off;
EXPLAIN (COSTS OFF) SELECT * FROM user_get_posts(1);
SELECT 'EXPLAIN (COSTS OFF) ' || assoc.find_all_sql('app_users', '{"include": ["Posts"], "where": {"id": 1}}') \gexec
RESET enable_seqscan;
SELECT assoc.find_all_sql('app_users', '{"include": ["Posts"], "limit": 1}');

-- ---- belongs_to_many through a paranoid through table
CREATE TABLE students (id serial PRIMARY KEY, name text);
CREATE TABLE courses (id serial PRIMARY KEY, title text, "deletedAt" timestamptz);
CREATE TABLE enrollments ("studentId" int, "courseId" int, grade text,
    "createdAt" timestamptz NOT NULL, "updatedAt" timestamptz NOT NULL, "deletedAt" timestamptz,
    PRIMARY KEY ("studentId", "courseId"));
SELECT tab, name, timestamps FROM assoc.model('students', timestamps => false);
SELECT tab, name, paranoid FROM assoc.model('courses', updated_at => '', created_at => '', paranoid => true);
SELECT tab, name, paranoid FROM assoc.model('enrollments', name => 'Enrollment', paranoid => true);
SET client_min_messages = warning;
SELECT alias, foreign_key, other_key FROM assoc.belongs_to_many('students', 'courses', through => 'enrollments');
RESET client_min_messages;
INSERT INTO students (name) VALUES ('Amy');
INSERT INTO courses (title) VALUES ('Math'), ('Art'), ('Old');
SELECT name FROM student_add_courses(1, ARRAY[1, 2, 3]);
UPDATE courses SET "deletedAt" = now() WHERE title = 'Old';
SELECT id, title FROM student_get_courses(1);
-- the through row under the through model's name, "Enrollment"
SELECT jsonb_path_query_array(student_with_courses(1)::jsonb, '$.courses[*].Enrollment.courseId');
-- remove soft-deletes the link, as Sequelize's destroy of a paranoid through row
SELECT name FROM student_remove_course(1, 2);
SELECT "courseId", "deletedAt" IS NOT NULL AS deleted FROM enrollments ORDER BY 1;
SELECT id, title FROM student_get_courses(1);
SELECT student_count_courses(1), student_has_course(1, 2);
SELECT jsonb_path_query_array(j::jsonb, '$.courses[*].title')
  FROM assoc.find_all('students', '{"include": ["courses"]}') j;
SELECT jsonb_path_query_array(j::jsonb, '$.courses[*].title')
  FROM assoc.find_all('students', '{"include": [{"association": "courses", "through": {"paranoid": false}}]}') j;
SELECT jsonb_path_query_array(j::jsonb, '$.courses[*].title')
  FROM assoc.find_all('students', '{"include": [{"association": "courses", "paranoid": false, "through": {"paranoid": false}}]}') j;
-- added again: the soft-deleted link is linked again
SELECT name FROM student_add_course(1, 2);
SELECT "courseId", "deletedAt" IS NOT NULL AS deleted FROM enrollments ORDER BY 1;
-- set: the links not given are soft-deleted, that of the soft-deleted course too (as Sequelize's)
SELECT name FROM student_set_courses(1, ARRAY[1]);
SELECT "courseId", "deletedAt" IS NOT NULL AS deleted FROM enrollments ORDER BY 1;

-- ---- declared after the associations: their functions follow
CREATE TABLE owners (id serial PRIMARY KEY, name text,
    "createdAt" timestamptz NOT NULL DEFAULT now(), "updatedAt" timestamptz NOT NULL DEFAULT now(),
    "deletedAt" timestamptz);
CREATE TABLE pugs (id serial PRIMARY KEY, name text, "deletedAt" timestamptz);
SET client_min_messages = warning;
SELECT alias, foreign_key FROM assoc.has_many('owners', 'pugs');
SELECT alias, foreign_key FROM assoc.belongs_to('pugs', 'owners');
RESET client_min_messages;
INSERT INTO owners (name) VALUES ('Tom');
INSERT INTO pugs (name, "ownerId", "deletedAt") VALUES ('Cody', 1, NULL), ('Rex', 1, now());
SELECT owner_count_pugs(1);
SELECT tab, name, paranoid FROM assoc.model('pugs', paranoid => true);
SELECT owner_count_pugs(1);
-- the model name changes, the names derived before stay (alias, foreign key, functions)
SELECT tab, name FROM assoc.model('owners', name => 'Keeper');
SELECT association, foreign_key, functions FROM assoc.describe('owners');
SELECT j::jsonb -> 'pugs' FROM assoc.find_all('owners', '{"include": [{"model": "pug"}]}') j;
SELECT count(*) FROM assoc.find_all('pugs', '{"include": [{"model": "Keeper"}]}');
-- back to the defaults
SELECT tab, name, paranoid FROM assoc.model('pugs');
SELECT owner_count_pugs(1);
-- RENAME COLUMN of the deleted-at column is followed, DROP COLUMN ends paranoid
SELECT tab, paranoid, deleted_at FROM assoc.model('pugs', paranoid => true);
ALTER TABLE pugs RENAME COLUMN "deletedAt" TO gone_at;
SELECT tab, paranoid, deleted_at, attnums FROM assoc.models WHERE tab = 'pugs'::regclass;
SELECT owner_count_pugs(1);
ALTER TABLE pugs DROP COLUMN gone_at;
SELECT tab, paranoid, deleted_at, attnums FROM assoc.models WHERE tab = 'pugs'::regclass;
SELECT owner_count_pugs(1);

-- ---- has_one with a paranoid target, declared after owners became Keeper:
-- its names derive from the model name (KeeperId, keeper_get_profile)
CREATE TABLE profiles (id serial PRIMARY KEY, bio text, "deletedAt" timestamptz);
SELECT tab FROM assoc.model('profiles', paranoid => true);
SET client_min_messages = warning;
SELECT alias, foreign_key FROM assoc.has_one('owners', 'profiles');
RESET client_min_messages;
INSERT INTO profiles (bio, "KeeperId", "deletedAt") VALUES ('old', 1, now()), ('new', NULL, NULL);
SELECT bio FROM keeper_get_profile(1);
-- set leaves the soft-deleted profile linked, as Sequelize's setProfile (its get does not see it)
SELECT bio FROM keeper_set_profile(1, 2);
SELECT id, bio, "KeeperId", "deletedAt" IS NOT NULL AS deleted FROM profiles ORDER BY id;
SELECT bio FROM keeper_get_profile(1);
SELECT j::jsonb -> 'profile' ->> 'bio' FROM keeper_with_profile() j;

-- ---- custom timestamps: create fills them, writers bump the updated-at one
CREATE TABLE gadgets (id serial PRIMARY KEY, name text,
    made_on timestamptz NOT NULL, changed_on timestamptz NOT NULL, "updatedAt" timestamptz);
SELECT tab, created_at, updated_at, attnums FROM assoc.model('gadgets', created_at => 'made_on', updated_at => 'changed_on');
SET client_min_messages = warning;
SELECT alias, foreign_key FROM assoc.has_many('owners', 'gadgets');
RESET client_min_messages;
SELECT id, made_on = now() AS made_now, changed_on = now() AS changed_now, "updatedAt"
  FROM keeper_create_gadget(1, '{"name": "fan"}');
UPDATE gadgets SET made_on = '2020-01-01', changed_on = '2020-01-01', "KeeperId" = NULL;
SELECT name FROM keeper_add_gadget(1, 1);
SELECT id, made_on = '2020-01-01' AS made_kept, changed_on > made_on AS changed_bumped, "updatedAt" FROM gadgets;

-- ---- underscored: the default names of the timestamps and of the foreign
-- keys of the declarations whose key the table holds
CREATE TABLE snake_keepers (id serial PRIMARY KEY, created_at timestamptz, updated_at timestamptz,
    deleted_at timestamptz, "createdAt" timestamptz);
CREATE TABLE snake_pets (id serial PRIMARY KEY, created_at timestamptz, updated_at timestamptz);
SELECT tab, underscored, attnums FROM assoc.model('snake_keepers', underscored => true, paranoid => true);
SELECT tab, underscored, attnums FROM assoc.model('snake_pets', underscored => true);
SET client_min_messages = warning;
SELECT alias, foreign_key FROM assoc.has_many('snake_keepers', 'snake_pets');
SELECT alias, foreign_key FROM assoc.belongs_to('snake_pets', 'snake_keepers');
-- given, underscored => false wins
SELECT alias, foreign_key FROM assoc.belongs_to('snake_pets', 'snake_keepers', alias => 'carer', underscored => false);
RESET client_min_messages;

-- ---- errors: each changes nothing
CREATE TABLE things (id serial PRIMARY KEY, label text, "createdAt" timestamptz);
CREATE TABLE "Users" (id serial PRIMARY KEY);
SELECT * FROM assoc.model('things', colour => 'red');
SELECT * FROM assoc.model('things', created_at => 'made_on');
SELECT * FROM assoc.model('things', updated_at => 'label');
SELECT * FROM assoc.model('things', paranoid => true);
SELECT * FROM assoc.model('things', paranoid => true, deleted_at => '');
SELECT * FROM assoc.model('things', paranoid => true, deleted_at => 'label');
SELECT * FROM assoc.model('things', paranoid => true, timestamps => false);
SELECT * FROM assoc.model('things', deleted_at => 'nothing');
SELECT * FROM assoc.model('things', name => '');
-- the model name of another table: declared (app_users) or derived ("Users")
SELECT * FROM assoc.model('things', name => 'User');
SELECT * FROM assoc.model('things', name => 'Users');
SELECT * FROM assoc.model(NULL);
CREATE VIEW things_view AS SELECT * FROM things;
SELECT * FROM assoc.model('things_view', name => 'Thing');
SELECT count(*) FROM assoc.models WHERE tab = 'things'::regclass;
-- nobody writes the table but assoc.model
CREATE ROLE mo_intruder;
GRANT USAGE ON SCHEMA mo TO mo_intruder;
SET ROLE mo_intruder;
INSERT INTO assoc.models (tab) VALUES ('mo.things');
SELECT * FROM assoc.model('things', name => 'Thing');
SELECT count(*) > 0 FROM assoc.models;
RESET ROLE;
REVOKE USAGE ON SCHEMA mo FROM mo_intruder;
DROP ROLE mo_intruder;
-- DROP TABLE drops its row
SET client_min_messages = warning;
DROP TABLE students, enrollments CASCADE;
RESET client_min_messages;
SELECT tab FROM assoc.models ORDER BY tab::text;

RESET search_path;
SET client_min_messages = warning;
DROP SCHEMA mo CASCADE;
RESET client_min_messages;
SELECT count(*) FROM assoc.models;
