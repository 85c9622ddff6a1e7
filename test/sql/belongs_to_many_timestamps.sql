-- belongs_to_many with timestamps => false adopting a through table that
-- has createdAt/updatedAt: the accessors leave those columns to their
-- defaults (as Sequelize's through model without timestamps never names
-- them); with timestamps => true (the default) they fill and bump them.
-- Each side of a pair has its own setting, kept in the catalog and across
-- ALTER TABLE.
\set VERBOSITY default
CREATE SCHEMA btm_ts;
SET search_path = btm_ts, public;
\pset null '(null)'

CREATE TABLE students (id serial PRIMARY KEY, name text);
CREATE TABLE courses (id serial PRIMARY KEY, title text);
INSERT INTO students (name) VALUES ('Amy'), ('Ben'), ('Cal');
INSERT INTO courses (title) VALUES ('Math'), ('Art'), ('Bio');
-- an existing through table whose timestamps have defaults of their own
CREATE TABLE enrollments (
    "studentId" integer NOT NULL, "courseId" integer NOT NULL, grade text,
    "createdAt" timestamptz NOT NULL DEFAULT '2000-01-01 00:00Z',
    "updatedAt" timestamptz NOT NULL DEFAULT '2000-01-01 00:00Z');
-- how each link's timestamps were filled
CREATE VIEW links AS
SELECT "studentId", "courseId", grade,
       CASE "createdAt" WHEN '2000-01-01 00:00Z' THEN 'default' WHEN now() THEN 'now()'
            ELSE "createdAt"::text END AS created,
       CASE "updatedAt" WHEN '2000-01-01 00:00Z' THEN 'default' WHEN now() THEN 'now()'
            ELSE "updatedAt"::text END AS updated
  FROM enrollments ORDER BY 1, 2;

SET client_min_messages = warning;
SELECT alias, options->'timestamps' AS timestamps
  FROM assoc.belongs_to_many('students', 'courses', through => 'enrollments', timestamps => false);
RESET client_min_messages;

-- add, add with through values, set, create: the defaults, never now()
BEGIN;
SELECT id FROM student_add_course(1, 1);
SELECT id FROM student_add_courses(1, ARRAY[2, 3], '{"grade": "B"}');
SELECT * FROM links;
-- an existing link updated with other through values: updatedAt stays
SELECT id FROM student_add_course(1, 2, '{"grade": "A"}');
SELECT id FROM student_set_courses(1, ARRAY[2, 3], '{"grade": "C"}');
SELECT * FROM links;
SELECT title FROM student_create_course(2, '{"title": "Chem"}', '{"grade": "A"}');
SELECT * FROM links WHERE "studentId" = 2;
-- through values may still give them: they are columns like the others
SELECT id FROM student_add_course(3, 1, '{"createdAt": "2010-05-05 00:00Z", "grade": "D"}');
SELECT "courseId", "createdAt" = '2010-05-05 00:00Z' AS given, "updatedAt" = '2000-01-01 00:00Z' AS updated_default
  FROM enrollments WHERE "studentId" = 3;
COMMIT;

-- the mirror side declared with the default, timestamps => true: its
-- accessors fill them with now() and bump updatedAt
SET client_min_messages = warning;
SELECT alias, options->'timestamps' AS timestamps
  FROM assoc.belongs_to_many('courses', 'students', through => 'enrollments');
RESET client_min_messages;
BEGIN;
SELECT id FROM course_add_student(2, 2);
SELECT id FROM course_add_student(3, 1, '{"grade": "A+"}');
-- (1, 3) was there: updated, its updatedAt bumped; (2, 2) is new
SELECT * FROM links WHERE ("studentId", "courseId") IN ((2, 2), (1, 3));
ROLLBACK;

-- ALTER TABLE writes the functions again: still the defaults
ALTER TABLE enrollments ADD COLUMN note text;
BEGIN;
SELECT id FROM student_add_course(3, 2, '{"note": "late"}');
SELECT "studentId", "courseId", note, created, updated FROM links JOIN enrollments USING ("studentId", "courseId")
 WHERE "studentId" = 3 AND "courseId" = 2;
ROLLBACK;

-- the same declaration again is a no-op; with the other timestamps, an error
SELECT alias FROM assoc.belongs_to_many('students', 'courses', through => 'enrollments', timestamps => false);
SELECT alias FROM assoc.belongs_to_many('students', 'courses', through => 'enrollments');
SELECT alias FROM assoc.belongs_to_many('courses', 'students', through => 'enrollments', timestamps => false);

-- timestamps => false and a NOT NULL timestamp without default: the link
-- cannot be inserted, as with Sequelize's INSERT that does not name it
CREATE TABLE clubs (id serial PRIMARY KEY, name text);
INSERT INTO clubs (name) VALUES ('Chess');
CREATE TABLE memberships ("studentId" integer NOT NULL, "clubId" integer NOT NULL,
    "createdAt" timestamptz NOT NULL, "updatedAt" timestamptz);
SET client_min_messages = warning;
SELECT alias FROM assoc.belongs_to_many('students', 'clubs', through => 'memberships', timestamps => false);
RESET client_min_messages;
SELECT id FROM student_add_club(1, 1);
SELECT id FROM student_add_club(1, 1, '{"createdAt": "2020-01-01 00:00Z"}');
SELECT "createdAt" = '2020-01-01 00:00Z' AS given, "updatedAt" FROM memberships;

SET client_min_messages = warning;
DROP SCHEMA btm_ts CASCADE;
RESET client_min_messages;
