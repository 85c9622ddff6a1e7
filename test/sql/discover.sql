-- assoc.discover: the associations that a schema's foreign keys imply.
\set VERBOSITY default
CREATE SCHEMA discover_test;
SET search_path = discover_test, public;

-- a schema without foreign keys: an empty result and a NOTICE, not an error
CREATE TABLE lonely (id serial PRIMARY KEY, name text);
SELECT * FROM assoc.discover('discover_test');

-- the seed as Sequelize's sync makes it, students/courses through a junction
-- whose primary key is its two foreign keys (with timestamps beside them)
CREATE TABLE owners (id serial PRIMARY KEY, name text,
    "createdAt" timestamptz NOT NULL DEFAULT now(), "updatedAt" timestamptz NOT NULL DEFAULT now());
CREATE TABLE pugs (id serial PRIMARY KEY, name text,
    "createdAt" timestamptz NOT NULL DEFAULT now(), "updatedAt" timestamptz NOT NULL DEFAULT now(),
    "ownerId" integer REFERENCES owners (id) ON DELETE SET NULL ON UPDATE CASCADE);
CREATE TABLE students (id serial PRIMARY KEY, name text);
CREATE TABLE courses (id serial PRIMARY KEY, title text);
CREATE TABLE enrollments ("createdAt" timestamptz NOT NULL, "updatedAt" timestamptz NOT NULL,
    "studentId" integer REFERENCES students ON DELETE CASCADE ON UPDATE CASCADE,
    "courseId" integer REFERENCES courses ON DELETE CASCADE ON UPDATE CASCADE,
    grade text, PRIMARY KEY ("studentId", "courseId"));

-- dry run: what would be declared, nothing changed
SELECT kind, source, target, alias, foreign_key, through, other_key, status, reason
  FROM assoc.discover('discover_test', dry_run => true);
SELECT count(*) FROM assoc.associations;
SELECT declaration FROM assoc.discover('discover_test', dry_run => true);

SELECT kind, source, target, alias, foreign_key, through, other_key, status, reason
  FROM assoc.discover('discover_test');
SELECT kind, source, target, alias, foreign_key, source_key, target_key, through, other_key,
       on_delete, on_update, options->>'underscored' AS underscored
  FROM assoc.associations ORDER BY id;
-- they work
INSERT INTO owners (name) VALUES ('Tom');
SELECT name FROM owner_create_pug(1, '{"name": "Cody"}');
SELECT name FROM pug_get_owner(1);
INSERT INTO students (name) VALUES ('Amy');
INSERT INTO courses (title) VALUES ('Math');
SELECT name FROM student_add_course(1, 1, '{"grade": "A"}');
SELECT title FROM student_get_courses(1);
SELECT name FROM course_get_students(1);

-- again: everything is declared already, nothing to do
SELECT kind, source, alias, status, reason FROM assoc.discover('discover_test');

-- a schema as Rails or Django makes it: snake_case keys (underscored),
-- aliases from the key's name, a unique key (has_one), a self-reference,
-- a self-junction, a junction without timestamps, a join model with an id
-- of its own (two belongs_to, not a junction), a key to a unique column
-- that is not the primary key, a composite foreign key (skipped), two keys
-- to one table (the second has_many alias taken: skipped)
CREATE SCHEMA rails;
CREATE TABLE rails.users (id bigserial PRIMARY KEY, email text UNIQUE, name text,
    manager_id bigint REFERENCES rails.users, created_at timestamptz, updated_at timestamptz);
CREATE TABLE rails.profiles (id bigserial PRIMARY KEY, user_id bigint UNIQUE REFERENCES rails.users);
CREATE TABLE rails.posts (id bigserial PRIMARY KEY, title text,
    user_id bigint NOT NULL REFERENCES rails.users,
    editor_id bigint REFERENCES rails.users);
CREATE TABLE rails.tags (id bigserial PRIMARY KEY, name text);
CREATE TABLE rails.posts_tags (post_id bigint REFERENCES rails.posts, tag_id bigint REFERENCES rails.tags,
    PRIMARY KEY (post_id, tag_id));
CREATE TABLE rails.follows (follower_id bigint REFERENCES rails.users,
    followee_id bigint REFERENCES rails.users, PRIMARY KEY (follower_id, followee_id));
CREATE TABLE rails.memberships (id bigserial PRIMARY KEY, user_id bigint REFERENCES rails.users,
    group_name text);
CREATE TABLE rails.logins (id bigserial PRIMARY KEY,
    user_email text REFERENCES rails.users (email));
CREATE TABLE rails.regions (country text, code text, PRIMARY KEY (country, code));
CREATE TABLE rails.offices (id bigserial PRIMARY KEY, country text, code text,
    FOREIGN KEY (country, code) REFERENCES rails.regions);
-- a table without a primary key (skipped: assoc identifies rows by theirs),
-- one whose primary key is its foreign key (has_one)
CREATE TABLE rails.audit_log (at timestamptz, user_id bigint REFERENCES rails.users);
CREATE TABLE rails.settings (user_id bigint PRIMARY KEY REFERENCES rails.users, theme text);
-- a key of another type than the key it references (integer to bigint, as
-- in apps older than Rails 5.1): skipped
CREATE TABLE rails.comments (id bigserial PRIMARY KEY, post_id integer REFERENCES rails.posts);
SELECT kind, source, target, alias, foreign_key, through, other_key, status, reason
  FROM assoc.discover('rails');
SELECT kind, source, target, alias, foreign_key, source_key, target_key, through, other_key,
       on_delete, options->>'underscored' AS underscored
  FROM assoc.associations WHERE source::text LIKE 'rails.%' ORDER BY id;
-- indexes the declarations added (Rails makes none on foreign keys)
SELECT indexrelid::regclass FROM pg_index WHERE indrelid = 'rails.posts'::regclass ORDER BY 1;
SELECT title FROM rails.user_get_posts(1);
SELECT count(*) FROM rails.user_get_followers(1);
SELECT count(*) FROM rails.user_get_followees(1);
INSERT INTO rails.users (name) VALUES ('Ann');
SELECT (rails.user_create_setting(1, '{"theme": "dark"}')).theme;
SELECT name FROM rails.setting_get_user(1);

-- underscored => false forces camelCase options on snake_case keys
SELECT assoc.drop_association('rails.profiles', 'user');
SELECT kind, source, alias, status, declaration FROM assoc.discover('rails', dry_run => true, underscored => false)
 WHERE status <> 'exists';

-- names that collide are skipped, with the reason and how to declare by hand
CREATE SCHEMA clash;
CREATE TABLE clash.owners (id serial PRIMARY KEY, pugs text);
CREATE TABLE clash.pugs (id serial PRIMARY KEY, owner integer REFERENCES clash.owners);
CREATE TABLE clash.kennels (id serial PRIMARY KEY, owner_id integer REFERENCES clash.owners);
CREATE FUNCTION clash.kennel_get_owner(integer) RETURNS integer LANGUAGE sql AS 'SELECT 1';
SELECT kind, source, alias, status, reason, declaration FROM assoc.discover('clash');
SELECT count(*) FROM assoc.associations WHERE source::text LIKE 'clash.%';
-- declared by hand with another alias: discover leaves it alone
SELECT (assoc.belongs_to('clash.pugs', 'clash.owners', alias => 'master', foreign_key => 'owner')).alias;
SELECT kind, source, alias, status, reason FROM assoc.discover('clash');

-- the caller must own the tables, as for declarations: nothing is declared
CREATE SCHEMA theirs;
CREATE TABLE theirs.a (id serial PRIMARY KEY);
CREATE TABLE theirs.b (id serial PRIMARY KEY, a_id integer REFERENCES theirs.a);
CREATE ROLE regress_discover;
GRANT USAGE, CREATE ON SCHEMA theirs TO regress_discover;
ALTER TABLE theirs.b OWNER TO regress_discover;
SET ROLE regress_discover;
SELECT * FROM assoc.discover('theirs');
SELECT * FROM assoc.discover('theirs', dry_run => true);
RESET ROLE;
SELECT count(*) FROM assoc.associations WHERE source::text LIKE 'theirs.%';

-- no schema
SELECT * FROM assoc.discover(NULL);
-- the default is the schema public
SELECT count(*) FROM assoc.discover();

-- names that need quoting
CREATE SCHEMA "My Schema";
CREATE TABLE "My Schema"."Users" (id serial PRIMARY KEY);
CREATE TABLE "My Schema"."order" (id serial PRIMARY KEY, "UserId" integer REFERENCES "My Schema"."Users");
SELECT kind, source, target, alias, foreign_key, status, declaration FROM assoc.discover('"My Schema"');

SET client_min_messages = warning;
DROP SCHEMA "My Schema", theirs, clash, rails CASCADE;
DROP ROLE regress_discover;
DROP SCHEMA discover_test CASCADE;
