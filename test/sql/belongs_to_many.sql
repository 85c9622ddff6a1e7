-- belongs_to_many: the through table (created or adopted), both sides of a
-- pair, the ten accessors with through values, the loaders, and a
-- self-association.
\set VERBOSITY default
-- every test works in a schema of its own, dropped at the end
CREATE SCHEMA belongs_to_many_test;
SET search_path = belongs_to_many_test, public;

-- this test's catalog rows
CREATE VIEW catalog AS
SELECT a.* FROM assoc.associations a
 WHERE a.source::oid IN (SELECT oid FROM pg_class
                          WHERE relnamespace = 'belongs_to_many_test'::regnamespace);

-- Student and Course, as Sequelize's sync creates them
CREATE TABLE students (id serial PRIMARY KEY, name text,
    "createdAt" timestamptz NOT NULL, "updatedAt" timestamptz NOT NULL);
CREATE TABLE courses (id serial PRIMARY KEY, title text,
    "createdAt" timestamptz NOT NULL, "updatedAt" timestamptz NOT NULL);

-- dry run: the DDL that would run, nothing done
SELECT kind, alias, foreign_key, other_key, through
  FROM assoc.belongs_to_many('students', 'courses', through => 'enrollments', dry_run => true);
SELECT to_regclass('enrollments') AS through_table, count(*) FROM catalog;

-- the through table is created as Sequelize's sync creates it, plus an
-- index on the second key
SELECT kind, source, target, alias, foreign_key, source_key, target_key,
       through, other_key, on_delete, on_update, options
  FROM assoc.belongs_to_many('students', 'courses', through => 'enrollments');
\d enrollments
-- the mirror side adopts it
SELECT kind, source, target, alias, foreign_key, source_key, target_key,
       through, other_key, on_delete, on_update
  FROM assoc.belongs_to_many('courses', 'students', through => 'enrollments');
\d enrollments
SELECT * FROM assoc.describe('students');
-- the same declaration again: a no-op that says so
SELECT alias FROM assoc.belongs_to_many('students', 'courses', through => 'enrollments');
SELECT alias, kind, cardinality(functions) AS functions FROM catalog ORDER BY id;

INSERT INTO students (name, "createdAt", "updatedAt") VALUES
    ('Amy', '2024-01-01 10:00+00', '2024-01-01 10:00+00'),
    ('Ben', '2024-01-01 10:00+00', '2024-01-01 10:00+00'),
    ('Cat', '2024-01-01 10:00+00', '2024-01-01 10:00+00');
INSERT INTO courses (title, "createdAt", "updatedAt") VALUES
    ('Math', '2024-01-02 10:00+00', '2024-01-02 10:00+00'),
    ('Art', '2024-01-02 10:00+00', '2024-01-02 10:00+00'),
    ('Bio', '2024-01-02 10:00+00', '2024-01-02 10:00+00'),
    ('Geo', '2024-01-02 10:00+00', '2024-01-02 10:00+00');
-- the through rows' timestamps, fixed so that changes show
CREATE FUNCTION fix_times() RETURNS void LANGUAGE sql AS
$$ UPDATE enrollments SET "createdAt" = '2024-02-01 10:00+00', "updatedAt" = '2024-02-01 10:00+00' $$;
CREATE VIEW links AS
SELECT "studentId", "courseId", "createdAt" <> '2024-02-01 10:00+00' AS created_now,
       "updatedAt" <> '2024-02-01 10:00+00' AS updated_now
  FROM enrollments ORDER BY 1, 2;

-- add: one target (row, key, text), several; timestamps filled
SELECT (student_add_course(s, c)).name FROM students s, courses c
 WHERE s.id = 1 AND c.id = 1;
SELECT name FROM student_add_course(1, 2);
SELECT name FROM student_add_course('2', '2');
SELECT name FROM student_add_courses(3, ARRAY[1, 2, 3]);
SELECT count(*) FROM enrollments WHERE "createdAt" = "updatedAt" AND "createdAt" > '2024-06-01';
SELECT fix_times();
-- add is idempotent: an existing link is left alone, updatedAt too
SELECT name FROM student_add_course(1, 1);
SELECT name FROM student_add_courses(1, '{2,2,4}');
SELECT * FROM links;

-- get (by the targets' key), count, has
SELECT id, title FROM student_get_courses(1);
SELECT id, name FROM course_get_students(2);
SELECT student_count_courses(1), student_count_courses('3'), course_count_students(4);
SELECT student_has_course(1, 4), student_has_course(2, 4),
       student_has_courses(1, '{1,2,4}'), student_has_courses(1, '{1,3}'),
       student_has_courses(1, '{}'), student_has_courses(1, '{1,1}'),
       student_has_courses(1, NULL::int[]);
-- untyped arguments, as a driver sends them
PREPARE get_courses AS SELECT id FROM student_get_courses($1);
EXECUTE get_courses(3);
PREPARE has_course AS SELECT student_has_course($1, $2);
EXECUTE has_course(3, 3);
-- get is inlined into the calling query
CREATE FUNCTION inlined(query text) RETURNS boolean LANGUAGE plpgsql AS $$
DECLARE
    line text;
BEGIN
    FOR line IN EXECUTE 'EXPLAIN (COSTS OFF) ' || query LOOP
        IF line LIKE '%Function Scan%' THEN
            RETURN false;
        END IF;
    END LOOP;
    RETURN true;
END
$$;
SELECT inlined('SELECT * FROM student_get_courses(1)'),
       inlined('SELECT * FROM course_get_students(''1'')');

-- remove: links deleted; a target that is not linked changes nothing
SELECT name FROM student_remove_course(1, 4);
SELECT name FROM student_remove_courses(3, '{1,3,4}');
SELECT * FROM links;

-- set: the others lose their link, kept links are untouched, new ones added
SELECT fix_times();
SELECT name FROM student_set_courses(1, '{2,3}');
SELECT * FROM links;
SELECT fix_times();
SELECT name FROM student_set_courses(1, ARRAY[3, 2, 3]);
SELECT * FROM links;
-- set to nothing: [] or NULL
SELECT name FROM student_set_courses(2, '{}');
SELECT name FROM student_set_courses(3, NULL::int[]);
SELECT * FROM links;
-- the mirror side writes the same links
SELECT title FROM course_add_students(4, '{1,2}');
SELECT title FROM course_set_students(3, ARRAY(SELECT s FROM students s WHERE s.id = 2));
SELECT * FROM links;

-- create: the target and its link
SELECT id, title FROM student_create_course(3, '{"title": "Chem"}');
SELECT id, name FROM course_create_student(5, jsonb_build_object('name', 'Dan'));
SELECT "studentId", "courseId" FROM enrollments WHERE "courseId" = 5 ORDER BY 1;

-- through values: extra columns of the through table; the functions are
-- written again when it changes
ALTER TABLE enrollments ADD COLUMN grade text, ADD COLUMN credits integer NOT NULL DEFAULT 6;
DELETE FROM enrollments;
SELECT name FROM student_add_course(1, 1, '{"grade": "B"}');
SELECT name FROM student_add_courses(1, '{2,3}');
SELECT fix_times();
SELECT "studentId", "courseId", grade, credits FROM enrollments ORDER BY 1, 2;
-- add again without through values: nothing changes
SELECT name FROM student_add_course(1, 1);
-- with the same values: nothing changes either (Sequelize compares)
SELECT name FROM student_add_course(1, 1, '{"grade": "B"}');
SELECT * FROM links;
-- with other values: they are set, updatedAt is bumped, createdAt kept
SELECT name FROM student_add_course(1, 1, '{"grade": "A"}');
SELECT "studentId", "courseId", grade, credits, created_now, updated_now
  FROM links JOIN enrollments USING ("studentId", "courseId");
-- several: new links take them, existing ones with other values are updated
SELECT fix_times();
SELECT name FROM student_add_courses(1, '{1,3,4}', '{"grade": "C", "credits": 3}');
SELECT "studentId", "courseId", grade, credits, created_now, updated_now
  FROM links JOIN enrollments USING ("studentId", "courseId");
-- set with through values updates the kept links (Sequelize does not
-- compare there) and inserts the new ones with them
SELECT fix_times();
SELECT name FROM student_set_courses(1, '{1,2}', '{"grade": "C"}');
SELECT "studentId", "courseId", grade, credits, created_now, updated_now
  FROM links JOIN enrollments USING ("studentId", "courseId");
-- set with no through values ({} too) leaves kept links alone
SELECT fix_times();
SELECT name FROM student_set_courses(1, '{1,2,3}', '{}');
SELECT "studentId", "courseId", grade, credits, created_now, updated_now
  FROM links JOIN enrollments USING ("studentId", "courseId");
-- a null value is a value; timestamps may be given
SELECT name FROM student_add_course(1, 1, '{"grade": null}');
SELECT name FROM student_add_course(1, 3, '{"createdAt": "2023-05-05T00:00:00Z"}');
SELECT "studentId", "courseId", grade, "createdAt" FROM enrollments
 WHERE "courseId" IN (1, 3) ORDER BY 2;
SELECT id, title FROM student_create_course(2, '{"title": "Music"}', '{"grade": "A+"}');
SELECT "studentId", "courseId", grade, credits FROM enrollments WHERE "courseId" = 6;
-- (created rows have timestamps of now: fixed too, for the JSON below)
UPDATE courses SET "createdAt" = '2024-01-03 10:00+00', "updatedAt" = '2024-01-03 10:00+00'
 WHERE id > 4;
UPDATE students SET "createdAt" = '2024-01-03 10:00+00', "updatedAt" = '2024-01-03 10:00+00'
 WHERE id > 3;

-- loaders: each target carries its through row under the through model's
-- name, "enrollment"
SELECT fix_times();
SELECT student_with_courses(1);
SELECT student_with_courses(s) FROM students s WHERE s.id = 2;
SELECT course_with_students('2');
SELECT student_with_courses();
SELECT course_with_students() LIMIT 2;

-- deleting a course deletes its links (ON DELETE CASCADE)
DELETE FROM courses WHERE id = 6;
SELECT count(*) FROM enrollments WHERE "courseId" = 6;
-- adding none changes nothing
SELECT name FROM student_add_courses(3, '{}');
SELECT name FROM student_add_courses(3, NULL::int[]);
SELECT count(*) FROM enrollments WHERE "studentId" = 3;

-- renamed key column and through table: the same functions, written again
-- (the through row's key follows the table's name); the catalog follows
ALTER TABLE enrollments RENAME COLUMN "courseId" TO course_ref;
ALTER TABLE enrollments RENAME TO registrations;
SELECT id FROM student_get_courses(1);
SELECT name FROM student_add_course(3, 4, '{"grade": "D"}');
SELECT id FROM course_get_students(4);
SELECT json_extract_path(student_with_courses(3), 'courses', '0', 'registration')::jsonb
       - 'createdAt' - 'updatedAt' AS registration;
SELECT alias, foreign_key, other_key, through FROM catalog ORDER BY id;
-- dropping a key column of the through table ends both associations
SET client_min_messages = warning;
ALTER TABLE registrations DROP COLUMN course_ref CASCADE;
RESET client_min_messages;
SELECT count(*) FROM catalog;
SELECT count(*) FROM pg_proc
 WHERE (proname LIKE 'student\_%' OR proname LIKE 'course\_%')
   AND proname NOT LIKE '%\_with\_%';

-- An existing through table is adopted: here as Sequelize creates one for
-- a through model with an id of its own (no foreign keys, no unique key yet)
CREATE TABLE teachers (id serial PRIMARY KEY, name text);
CREATE TABLE rooms (code text PRIMARY KEY);
CREATE TABLE lessons (id serial PRIMARY KEY, "teacherId" integer, "roomCode" text,
    note text DEFAULT 'n/a', "createdAt" timestamptz NOT NULL, "updatedAt" timestamptz NOT NULL);
SELECT alias, foreign_key, other_key, on_delete, on_update
  FROM assoc.belongs_to_many('teachers', 'rooms', through => 'lessons', dry_run => true);
SELECT alias, foreign_key, other_key, on_delete, on_update
  FROM assoc.belongs_to_many('teachers', 'rooms', through => 'lessons',
                             on_delete => 'restrict');
\d lessons
INSERT INTO teachers (name) VALUES ('Tom');
INSERT INTO rooms VALUES ('A1'), ('B2');
-- defaults of columns not given apply
SELECT name FROM teacher_add_room(1, 'A1');
SELECT name FROM teacher_add_room(1, 'B2', '{"note": "projector"}');
SELECT id, "teacherId", "roomCode", note FROM lessons ORDER BY id;
SELECT code FROM teacher_get_rooms(1);
UPDATE lessons SET "createdAt" = '2024-04-01 10:00+00', "updatedAt" = '2024-04-01 10:00+00';
SELECT teacher_with_rooms(1);

-- timestamps => false, underscored, a capitalised through table: its name
-- is used as it is, and is the key of the through row
CREATE TABLE authors (id bigserial PRIMARY KEY, name text);
CREATE TABLE books (isbn text PRIMARY KEY, title text);
SELECT alias, foreign_key, other_key, through
  FROM assoc.belongs_to_many('authors', 'books', through => 'Authorship',
                             timestamps => false, underscored => true);
\d "Authorship"
SELECT alias, foreign_key, other_key, through
  FROM assoc.belongs_to_many('books', 'authors', through => 'Authorship',
                             alias => 'writers');
INSERT INTO authors (name) VALUES ('Ann');
INSERT INTO books VALUES ('978-0', 'Ode'), ('978-1', 'Elegy');
SELECT name FROM author_add_books(1, '{978-1,978-0}');
SELECT author_with_books(1);
SELECT book_with_writers('978-0');
SELECT * FROM assoc.describe('books');

-- a through table in another schema, named with its schema
CREATE SCHEMA belongs_to_many_links;
CREATE TABLE tags (id serial PRIMARY KEY, label text);
SELECT alias, foreign_key, other_key, through
  FROM assoc.belongs_to_many('books', 'tags', through => 'belongs_to_many_links.book_tags',
                             create_index => false);
\d belongs_to_many_links.book_tags
-- the mirror finds it through its pair
SELECT alias, foreign_key, other_key, through
  FROM assoc.belongs_to_many('tags', 'books', through => 'book_tags');
INSERT INTO tags (label) VALUES ('verse');
SELECT label FROM tag_add_book(1, '978-0');
SELECT label FROM book_get_tags('978-0');
SELECT isbn FROM tag_get_books(1);

-- Self-association: users following users.  The other key is named after
-- the alias; the mirror (another alias through the same table) takes the
-- pair's keys the other way round.
CREATE TABLE users (id serial PRIMARY KEY, name text);
SELECT alias, foreign_key, other_key, through
  FROM assoc.belongs_to_many('users', 'users', through => 'follows', alias => 'followers');
SELECT alias, foreign_key, other_key, through
  FROM assoc.belongs_to_many('users', 'users', through => 'follows', alias => 'followees');
\d follows
INSERT INTO users (name) VALUES ('ann'), ('bob'), ('cid');
SELECT name FROM user_add_followers(1, '{2,3}');
SELECT name FROM user_add_follower(2, 3);
SELECT id, name FROM user_get_followers(1);
SELECT id, name FROM user_get_followees(3);
SELECT user_has_followee(2, 1), user_has_followee(1, 2);
UPDATE follows SET "createdAt" = '2024-03-01 10:00+00', "updatedAt" = '2024-03-01 10:00+00';
SELECT user_with_followers(1);
SELECT user_with_followees(3);
-- explicit keys
CREATE TABLE people (id serial PRIMARY KEY, name text);
SELECT alias, foreign_key, other_key
  FROM assoc.belongs_to_many('people', 'people', through => 'friendships', alias => 'friends',
                             foreign_key => 'personId', other_key => 'buddyId');
INSERT INTO people (name) VALUES ('x'), ('y');
SELECT name FROM person_add_friend(1, 2);
SELECT * FROM person_get_friends(1);
SELECT count(*) FROM person_get_friends(2);

-- dropping the association drops its functions, not the through table
SELECT assoc.drop_association('users', 'followees');
SELECT count(*) FROM pg_proc WHERE proname LIKE 'user\_%followee%';
SELECT to_regclass('follows') IS NOT NULL AS kept;

SET client_min_messages = warning;
DROP SCHEMA belongs_to_many_test CASCADE;
DROP SCHEMA belongs_to_many_links CASCADE;
RESET client_min_messages;
