-- belongs_to_many: bad declarations and bad calls of its accessors.  Each
-- is a clear error, and nothing is changed.
\set VERBOSITY default
-- every test works in a schema of its own, dropped at the end
CREATE SCHEMA belongs_to_many_errors_test;
SET search_path = belongs_to_many_errors_test, public;

-- this test's catalog rows
CREATE VIEW catalog AS
SELECT a.* FROM assoc.associations a
 WHERE a.source::oid IN (SELECT oid FROM pg_class
                          WHERE relnamespace = 'belongs_to_many_errors_test'::regnamespace);

CREATE TABLE students (id serial PRIMARY KEY, name text, hobbies text);
CREATE TABLE courses (id serial PRIMARY KEY, title text);

-- no through table, unknown tables and schemas
SELECT assoc.belongs_to_many('students', 'courses', NULL);
SELECT assoc.belongs_to_many('students', 'courses', '');
SELECT assoc.belongs_to_many('students', 'nope', 'links');
SELECT assoc.belongs_to_many('students', 'courses', 'nowhere.links');

-- an existing through table with a missing column, or one of another type
CREATE TABLE enrollments ("studentId" integer, course integer);
SELECT assoc.belongs_to_many('students', 'courses', through => 'enrollments');
SELECT assoc.belongs_to_many('students', 'courses', through => 'enrollments',
                             other_key => 'courseRef');
ALTER TABLE enrollments RENAME COLUMN course TO "courseId";
ALTER TABLE enrollments ALTER COLUMN "courseId" TYPE bigint;
SELECT assoc.belongs_to_many('students', 'courses', through => 'enrollments');
ALTER TABLE enrollments ALTER COLUMN "studentId" TYPE text;
SELECT assoc.belongs_to_many('courses', 'students', through => 'enrollments',
                             other_key => 'studentId', foreign_key => 'studentId');
-- nothing was added to it
\d enrollments

-- a through table that is a view, or the source table itself
CREATE VIEW enrollment_view AS SELECT 1 AS "studentId", 1 AS "courseId";
SELECT assoc.belongs_to_many('students', 'courses', through => 'enrollment_view');
SELECT assoc.belongs_to_many('students', 'courses', through => 'students');
-- a through table of another role
CREATE ROLE regress_btm_owner;
CREATE ROLE regress_btm_other;
GRANT CREATE, USAGE ON SCHEMA belongs_to_many_errors_test TO regress_btm_owner;
SET ROLE regress_btm_owner;
CREATE TABLE clubs (id serial PRIMARY KEY);
CREATE TABLE members (id serial PRIMARY KEY);
RESET ROLE;
CREATE TABLE memberships ("clubId" integer, "memberId" integer);
ALTER TABLE memberships OWNER TO regress_btm_other;
SET ROLE regress_btm_owner;
SELECT assoc.belongs_to_many('clubs', 'members', through => 'memberships');
RESET ROLE;

-- actions: SET NULL on a key of a through table, an existing constraint
-- with other actions than those asked for, an invalid action
SELECT assoc.belongs_to_many('students', 'courses', through => 'links', on_delete => 'set null');
CREATE TABLE marks ("studentId" integer REFERENCES students ON DELETE RESTRICT,
    "courseId" integer, PRIMARY KEY ("studentId", "courseId"));
SELECT assoc.belongs_to_many('students', 'courses', through => 'marks', on_delete => 'cascade');
SELECT assoc.belongs_to_many('students', 'courses', through => 'marks', on_update => 'sideways');
-- rows of an existing through table that would violate a new foreign key
INSERT INTO courses (title) VALUES ('Math');
CREATE TABLE grades ("studentId" integer, "courseId" integer, PRIMARY KEY ("studentId", "courseId"));
INSERT INTO grades VALUES (7, 1);
SELECT assoc.belongs_to_many('students', 'courses', through => 'grades');
\d grades

-- Self-association: an alias is needed (Sequelize: "'as' must be
-- defined"), and the two keys must differ
CREATE TABLE users (id serial PRIMARY KEY);
SELECT assoc.belongs_to_many('users', 'users', through => 'follows');
SELECT assoc.belongs_to_many('users', 'users', through => 'follows', alias => 'users');
SELECT assoc.belongs_to_many('users', 'users', through => 'follows', alias => 'fans',
                             foreign_key => 'fanId');
SELECT assoc.belongs_to_many('students', 'courses', through => 'links',
                             foreign_key => 'k', other_key => 'k');

-- aliases: taken by another association, a column of the source; the
-- through model name a column of the target.  (An alias the same in
-- singular and plural is no error: one name serves one target and several,
-- as Sequelize's addSheep; see uncountable.sql.)
SELECT alias FROM assoc.belongs_to_many('students', 'courses', through => 'enrolments');
CREATE TABLE teams (id serial PRIMARY KEY);
SELECT assoc.belongs_to_many('students', 'teams', through => 'squads', alias => 'courses');
SELECT assoc.belongs_to_many('students', 'teams', through => 'squads', alias => 'hobbies');
SELECT kind, alias, foreign_key, other_key
  FROM assoc.belongs_to_many('students', 'teams', through => 'squads', alias => 'sheep', dry_run => true);
CREATE TABLE badges (id serial PRIMARY KEY, award text);
SELECT assoc.belongs_to_many('students', 'badges', through => 'awards');
-- none of these left anything behind
SELECT to_regclass('links') AS links, to_regclass('follows') AS follows,
       to_regclass('squads') AS squads, to_regclass('awards') AS awards;
SELECT alias, through FROM catalog;
SELECT count(*) FROM pg_proc
 WHERE pronamespace = 'belongs_to_many_errors_test'::regnamespace;

-- Accessors
INSERT INTO students (name) VALUES ('Amy'), ('Ben');
INSERT INTO courses (title) VALUES ('Art'), ('Bio');
SELECT name FROM student_add_courses(1, '{1,2}');
ALTER TABLE enrolments ADD COLUMN grade text, ADD COLUMN credits integer;
UPDATE enrolments SET grade = 'B';
-- a target key that does not exist: nothing is linked or unlinked
SELECT student_add_course(1, 99);
SELECT student_add_courses(1, '{3,98,99}');
SELECT student_set_courses(1, '{3,99}');
SELECT student_remove_course(1, 99);
SELECT student_remove_courses(1, '{1,99}');
-- a NULL target, a NULL or missing source
SELECT student_add_course(1, NULL::integer);
SELECT student_add_courses(1, ARRAY[3, NULL]);
SELECT student_add_course(NULL::integer, 1);
SELECT student_set_courses(9, '{1}');
SELECT student_create_course(9, '{"title": "Geo"}');
-- keys given as text that are no keys
SELECT student_add_course('one', '1');
SELECT student_set_courses('1', '{1,x}');
-- through values: unknown columns, the keys, not an object, a bad value
SELECT student_add_course(1, 3, '{"grde": "A"}');
SELECT student_add_courses(1, '{3}', '{"grade": "A", "mark": 1, "studentId": 2}');
SELECT student_set_courses(1, '{3}', '{"courseId": 3}');
SELECT student_create_course(1, '{"title": "Geo"}', '{"nope": 1}');
SELECT student_add_course(1, 3, '"A"');
SELECT student_add_course(1, 3, '[{"grade": "A"}]');
SELECT student_add_course(1, 3, '{"credits": "many"}');
-- the values of a new target name an unknown column
SELECT student_create_course(1, '{"titel": "Geo"}');
-- a through table with no column but its keys takes no through values
SELECT alias FROM assoc.belongs_to_many('students', 'teams', through => 'squads',
                                        timestamps => false);
INSERT INTO teams DEFAULT VALUES;
SELECT student_add_team(1, 1, '{"since": 2020}');
-- nothing was changed
SELECT "studentId", "courseId", grade, credits FROM enrolments ORDER BY 1, 2;
SELECT count(*) AS squads FROM squads;
SELECT count(*) AS courses FROM courses;

SET client_min_messages = warning;
DROP SCHEMA belongs_to_many_errors_test CASCADE;
RESET client_min_messages;
DROP ROLE regress_btm_owner;
DROP ROLE regress_btm_other;
