-- bench/stress/setup_btm.sql: the belongs_to_many part of the stress test
-- (loaded by scripts/stress.sh when assoc.belongs_to_many exists).
-- psql variables: :students, :courses.  Schema assoc_stress exists.
\set ON_ERROR_STOP on
SET client_min_messages = warning;
SET search_path = assoc_stress;
SELECT setseed(0.29);
CREATE TABLE students (id serial PRIMARY KEY, name text);
CREATE TABLE courses (id serial PRIMARY KEY, title text);
SELECT 1 FROM assoc.belongs_to_many('students', 'courses', through => 'enrollments');
SELECT 1 FROM assoc.belongs_to_many('courses', 'students', through => 'enrollments');
ALTER TABLE enrollments ADD COLUMN grade text;
INSERT INTO students (name) SELECT 'student ' || i FROM generate_series(1, :students) i;
INSERT INTO courses (title) SELECT 'course ' || i FROM generate_series(1, :courses) i;
INSERT INTO enrollments ("studentId", "courseId", "createdAt", "updatedAt")
SELECT s, c, now(), now() FROM generate_series(1, :students) s, generate_series(1, :courses) c
 WHERE random() < 0.1;
ANALYZE students, courses, enrollments;
