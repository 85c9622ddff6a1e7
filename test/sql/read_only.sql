-- In a read-only transaction (as on a hot standby, where every transaction
-- is read-only: test/extra/hot_standby.sh), the readers, loaders and
-- find_all work, and everything that writes fails with PostgreSQL's
-- read-only error, SQLSTATE 25006: the accessors that link, unlink or
-- create, and the declarations, drop_association, regenerate and recount,
-- even when they would find nothing to do.  regenerate records dependencies in
-- pg_depend without the executor, whose read-only checks would not see it;
-- on a standby a declaration would otherwise fail on its table locks with
-- another error.  Nothing changes.
\set VERBOSITY default
CREATE SCHEMA ro;
SET search_path = ro, public;
SET timezone = 'UTC';
\pset null '(null)'

CREATE TABLE owners (id serial PRIMARY KEY, name text,
    "createdAt" timestamptz NOT NULL DEFAULT '2020-01-01Z', "updatedAt" timestamptz NOT NULL DEFAULT '2020-01-01Z');
CREATE TABLE pugs (id serial PRIMARY KEY, name text,
    "createdAt" timestamptz NOT NULL DEFAULT '2020-02-01Z', "updatedAt" timestamptz NOT NULL DEFAULT '2020-02-01Z');
CREATE TABLE profiles (id serial PRIMARY KEY, bio text);
CREATE TABLE students (id serial PRIMARY KEY, name text);
CREATE TABLE courses (id serial PRIMARY KEY, title text);
SET client_min_messages = warning;
SELECT kind, alias FROM assoc.has_many('owners', 'pugs');
SELECT kind, alias FROM assoc.belongs_to('pugs', 'owners');
SELECT kind, alias FROM assoc.has_one('owners', 'profiles');
SELECT kind, alias FROM assoc.belongs_to_many('students', 'courses', through => 'enrollments', timestamps => false);
RESET client_min_messages;
INSERT INTO owners (name) VALUES ('Tom'), ('Ann');
INSERT INTO pugs (name, "ownerId") VALUES ('Cody', 1), ('Dot', 1), ('Ella', 2), ('Fig', NULL);
INSERT INTO profiles (bio, "ownerId") VALUES ('likes pugs', 1);
INSERT INTO students (name) VALUES ('Ada');
INSERT INTO courses (title) VALUES ('Math'), ('Art');
INSERT INTO enrollments ("studentId", "courseId") VALUES (1, 1);

-- everything a writer could change, and the catalog rows' versions
CREATE VIEW state AS
    SELECT (SELECT string_agg(format('%s:%s:%s', id, coalesce("ownerId"::text, '-'), "updatedAt"), ' ' ORDER BY id) FROM pugs) AS pugs,
           (SELECT count(*) FROM owners) AS owners,
           (SELECT string_agg(format('%s:%s', id, coalesce("ownerId"::text, '-')), ' ' ORDER BY id) FROM profiles) AS profiles,
           (SELECT string_agg(format('%s:%s', "studentId", "courseId"), ' ') FROM enrollments) AS enrollments,
           (SELECT string_agg(xmin::text, ' ' ORDER BY id) FROM assoc.associations) AS catalog,
           (SELECT count(*) FROM pg_depend WHERE classid = 'pg_proc'::regclass
               AND objid IN (SELECT f FROM assoc.associations a, unnest(a.functions) f)) AS depends;
CREATE TEMP TABLE before AS TABLE state;

SET default_transaction_read_only = on;

-- ---------------------------------------------------------------- readers work
SELECT id, name FROM owner_get_pugs(1);
SELECT owner_count_pugs(1), owner_has_pug(1, 2), owner_has_pugs('1', '{1,2}'), (pug_get_owner(3)).name,
       (owner_get_profile(1)).bio, student_count_courses(1);
SELECT owner_with_pugs(o) FROM owners o ORDER BY o.id LIMIT 1;
SELECT * FROM pug_with_owner() LIMIT 1;
SELECT * FROM assoc.find_all('pugs', '{"include": [{"model": "owner", "include": ["profile"]}], "limit": 1}');
SELECT assoc.find_all('students', '{"include": ["courses"]}');

-- ---------------------------------------------------------------- writers fail
SELECT owner_add_pug(1, 4);
\echo :LAST_ERROR_SQLSTATE
SELECT owner_set_pugs(1, ARRAY[1]);
\echo :LAST_ERROR_SQLSTATE
SELECT owner_remove_pugs(1, ARRAY[1]);
\echo :LAST_ERROR_SQLSTATE
SELECT owner_create_pug(1, '{"name": "Bo"}');
\echo :LAST_ERROR_SQLSTATE
SELECT pug_set_owner(4, 2);
\echo :LAST_ERROR_SQLSTATE
SELECT owner_create_profile(2, '{"bio": "new"}');
\echo :LAST_ERROR_SQLSTATE
SELECT student_add_course(1, 2);
\echo :LAST_ERROR_SQLSTATE
SELECT student_set_courses(1, '{}');
\echo :LAST_ERROR_SQLSTATE

-- ---------------------------------------------------------------- declarations, drop, regenerate fail
-- a new association, the same one again (a no-op otherwise), a dry run
SELECT kind FROM assoc.has_many('owners', 'profiles', alias => 'notes');
\echo :LAST_ERROR_SQLSTATE
SELECT kind FROM assoc.has_many('owners', 'pugs');
\echo :LAST_ERROR_SQLSTATE
SELECT kind FROM assoc.belongs_to('profiles', 'owners', dry_run => true);
\echo :LAST_ERROR_SQLSTATE
SELECT kind FROM assoc.has_one('students', 'profiles');
\echo :LAST_ERROR_SQLSTATE
SELECT kind FROM assoc.belongs_to_many('courses', 'students', through => 'enrollments', timestamps => false);
\echo :LAST_ERROR_SQLSTATE
SELECT assoc.drop_association('owners', 'profile');
\echo :LAST_ERROR_SQLSTATE
-- nothing to rewrite: refused all the same
SELECT assoc.regenerate('owners');
\echo :LAST_ERROR_SQLSTATE
SELECT assoc.regenerate();
\echo :LAST_ERROR_SQLSTATE
SELECT assoc.recount('owners');
\echo :LAST_ERROR_SQLSTATE
SELECT assoc.model('owners', name => 'Owner');
\echo :LAST_ERROR_SQLSTATE
-- in an explicit READ ONLY transaction too
RESET default_transaction_read_only;
BEGIN READ ONLY;
SELECT assoc.regenerate('pugs');
ROLLBACK;

-- ---------------------------------------------------------------- nothing changed
SELECT count(*) AS changed FROM (TABLE state EXCEPT TABLE before) c;
-- and writable again
SELECT id, name, "ownerId" FROM owner_create_pug(2, '{"name": "Bo"}');
SELECT assoc.regenerate('owners');

SET client_min_messages = warning;
DROP SCHEMA ro CASCADE;
RESET client_min_messages;
