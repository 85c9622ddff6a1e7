-- drop_association of a belongs_to_many with drop_column => true: the
-- through table goes when no other association uses it; while the mirror
-- (or any other association) uses it, it is kept, with both its keys and
-- its primary key, and the mirror keeps working.
\set VERBOSITY default
CREATE SCHEMA btm_drop;
SET search_path = btm_drop, public;

CREATE VIEW catalog AS
SELECT a.alias, a.source, a.through FROM assoc.associations a
 WHERE a.source::oid IN (SELECT oid FROM pg_class
                          WHERE relnamespace = 'btm_drop'::regnamespace)
 ORDER BY a.id;

CREATE TABLE students (id serial PRIMARY KEY, name text);
CREATE TABLE courses (id serial PRIMARY KEY, title text);
INSERT INTO students (name) VALUES ('Amy'), ('Ben');
INSERT INTO courses (title) VALUES ('Math'), ('Art');
SET client_min_messages = warning;
SELECT alias FROM assoc.belongs_to_many('students', 'courses', through => 'enrollments');
SELECT alias FROM assoc.belongs_to_many('courses', 'students', through => 'enrollments');
RESET client_min_messages;
ALTER TABLE enrollments ADD COLUMN grade text;
SELECT id FROM student_add_courses(1, ARRAY[1, 2], '{"grade": "A"}');
SELECT id FROM course_add_student(2, 2);

-- one side, drop_column: the mirror still uses the table, which is kept
-- whole (both keys, the primary key, the links)
SELECT assoc.drop_association('students', 'courses', drop_column => true);
SELECT * FROM catalog;
SELECT count(*) FROM pg_proc WHERE proname LIKE 'student\_%course%';
SELECT attname FROM pg_attribute
 WHERE attrelid = 'enrollments'::regclass AND attnum > 0 AND NOT attisdropped ORDER BY attnum;
SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint
 WHERE conrelid = 'enrollments'::regclass ORDER BY conname;
-- the mirror works, readers and writers
SELECT id, name FROM course_get_students(2);
SELECT course_count_students(1), course_has_students(2, ARRAY[1, 2]);
SELECT id FROM course_add_student(1, 2, '{"grade": "B"}');
SELECT id FROM course_remove_student(2, 1);
SELECT "studentId", "courseId", grade FROM enrollments ORDER BY 1, 2;
SELECT s->>'name' AS name, s->'enrollment'->>'grade' AS grade
  FROM jsonb_array_elements(course_with_students(1)::jsonb->'students') s;

-- the mirror too, drop_column: no association uses the table any more,
-- it goes, links and through values with it
SELECT assoc.drop_association('courses', 'students', drop_column => true);
SELECT * FROM catalog;
SELECT to_regclass('enrollments') AS through_table;
SELECT count(*) FROM pg_proc WHERE proname LIKE 'course\_%student%' OR proname LIKE 'student\_%course%';
-- the tables of the models stay, and can be associated again
SELECT count(*) FROM students;
SET client_min_messages = warning;
SELECT alias, through FROM assoc.belongs_to_many('students', 'courses', through => 'enrollments');
RESET client_min_messages;
SELECT id FROM student_add_course(1, 1);
SELECT id, title FROM student_get_courses(1);

SELECT assoc.drop_association('students', 'courses', drop_column => true);

-- another association on the through table keeps it too (an adopted
-- through table with a key of its own)
CREATE TABLE clubs (id serial PRIMARY KEY, name text);
CREATE TABLE graders (id serial PRIMARY KEY, name text);
CREATE TABLE memberships (id serial PRIMARY KEY, "studentId" integer, "clubId" integer);
SET client_min_messages = warning;
SELECT alias FROM assoc.belongs_to_many('students', 'clubs', through => 'memberships');
SELECT alias FROM assoc.belongs_to('memberships', 'graders');
RESET client_min_messages;
SELECT assoc.drop_association('students', 'clubs', drop_column => true);
SELECT to_regclass('memberships') IS NOT NULL AS kept;
SELECT assoc.drop_association('memberships', 'grader');

-- a table that other objects depend on is not dropped: the error says
-- which, and nothing changes
SET client_min_messages = warning;
SELECT alias FROM assoc.belongs_to_many('students', 'courses', through => 'enrollments');
RESET client_min_messages;
CREATE VIEW links AS SELECT "studentId", "courseId" FROM enrollments;
SELECT assoc.drop_association('students', 'courses', drop_column => true);
SELECT * FROM catalog;
SELECT count(*) > 0 AS functions_kept FROM pg_proc WHERE proname LIKE 'student\_%course%';
DROP VIEW links;
SELECT assoc.drop_association('students', 'courses', drop_column => true);
SELECT to_regclass('enrollments') AS through_table;

-- a self-association: one association, one table
CREATE TABLE users (id serial PRIMARY KEY, name text);
SET client_min_messages = warning;
SELECT alias FROM assoc.belongs_to_many('users', 'users', through => 'follows', alias => 'followers',
                                        foreign_key => 'followeeId', other_key => 'followerId');
RESET client_min_messages;
SELECT assoc.drop_association('users', 'followers', drop_column => true);
SELECT to_regclass('follows') AS through_table;

-- without drop_column the through table always stays
SET client_min_messages = warning;
SELECT alias FROM assoc.belongs_to_many('students', 'courses', through => 'enrollments');
RESET client_min_messages;
SELECT assoc.drop_association('students', 'courses');
SELECT to_regclass('enrollments') IS NOT NULL AS kept;

-- drop_column needs the through table's owner
SET client_min_messages = warning;
SELECT alias FROM assoc.belongs_to_many('students', 'courses', through => 'enrollments');
RESET client_min_messages;
CREATE ROLE regress_btm_drop_owner;
ALTER TABLE students OWNER TO regress_btm_drop_owner;
ALTER TABLE courses OWNER TO regress_btm_drop_owner;
GRANT USAGE ON SCHEMA btm_drop TO regress_btm_drop_owner;
SET ROLE regress_btm_drop_owner;
SELECT assoc.drop_association('students', 'courses', drop_column => true);
RESET ROLE;
SELECT to_regclass('enrollments') IS NOT NULL AS kept;

SET client_min_messages = warning;
DROP SCHEMA btm_drop CASCADE;
DROP ROLE regress_btm_drop_owner;
RESET client_min_messages;
