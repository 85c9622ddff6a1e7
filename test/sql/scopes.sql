-- Association scopes (Sequelize's scope and through.scope): readers,
-- loaders and find_all includes see only the rows of the scope; add, set
-- and create give the rows its values; set unlinks only rows of the scope;
-- two scoped associations of one pair coexist; bad scopes are errors that
-- change nothing.
\set VERBOSITY default
CREATE SCHEMA sc;
SET search_path = sc, public;
\pset null '(null)'

CREATE TABLE owners (id serial PRIMARY KEY, name text);
CREATE TABLE pugs (id serial PRIMARY KEY, name text, size text, weight integer,
    "updatedAt" timestamptz NOT NULL DEFAULT '2000-01-01');
SET client_min_messages = warning;
SELECT alias, foreign_key, options->'scope' AS scope
  FROM assoc.has_many('owners', 'pugs', alias => 'bigPugs', scope => '{"size": "big"}');
SELECT alias, foreign_key, options->'scope' AS scope
  FROM assoc.has_many('owners', 'pugs', alias => 'smallPugs', scope => '{"size": "small"}');
SELECT alias, options->'scope' AS scope
  FROM assoc.has_one('owners', 'pugs', alias => 'heavyPug', foreign_key => 'ownerId', scope => '{"weight": 30}');
RESET client_min_messages;

INSERT INTO owners (name) VALUES ('Tom'), ('Ann');
INSERT INTO pugs (name, size, weight, "ownerId") VALUES
    ('Cody', 'big', 30, 1), ('Rex', 'small', 10, 1), ('Lulu', 'big', 20, 1),
    ('Fig', NULL, NULL, 1), ('Bo', 'small', 30, 2), ('Gus', 'big', 10, NULL);
CREATE VIEW pug_state AS
    SELECT id, name, size, weight, "ownerId", "updatedAt" <> '2000-01-01' AS bumped
      FROM pugs ORDER BY id;

-- readers see the scope only
SELECT id, name FROM owner_get_big_pugs(1);
SELECT id, name FROM owner_get_small_pugs(1);
SELECT owner_count_big_pugs(1), owner_count_small_pugs(1), owner_count_big_pugs('1');
SELECT owner_has_big_pug(1, 1), owner_has_big_pug(1, 2), owner_has_small_pug(1, 2),
       owner_has_big_pugs(1, ARRAY[1, 3]), owner_has_big_pugs(1, ARRAY[1, 2]);
SELECT id, name FROM owner_get_heavy_pug(1);
SELECT id, name FROM owner_get_heavy_pug(2);
-- loaders and find_all
SELECT owner_with_big_pugs(o) FROM owners o ORDER BY id;
SELECT * FROM owner_with_small_pugs();
SELECT owner_with_heavy_pug(1);
SELECT * FROM assoc.find_all('owners', '{"include": ["bigPugs", "heavyPug"], "attributes": ["id"]}');
SELECT * FROM assoc.find_all('owners', '{"include": [{"association": "smallPugs", "attributes": ["id", "name"]}], "attributes": ["id"], "limit": 1}');
SELECT * FROM assoc.find_all('owners', '{"include": [{"association": "bigPugs", "required": true, "where": {"weight": {"$gt": 25}}, "attributes": ["id"]}], "attributes": ["id"]}');
SELECT * FROM assoc.find_all('owners', '{"include": [{"association": "bigPugs", "attributes": ["id"]}], "attributes": ["id"], "order": [["bigPugs", "id", "DESC"]]}');

-- add gives the scope's values: Gus (big, no owner) and Rex (small, owner 1)
SELECT name FROM owner_add_big_pugs(1, ARRAY[6, 2]);
SELECT * FROM pug_state;
-- remove: only pugs of the scope (Bo is small: left alone); Rex is big now
SELECT name FROM owner_remove_big_pugs(1, ARRAY[2, 5]);
SELECT * FROM pug_state;
-- set unlinks only the scope's pugs: Cody and Lulu lose the link, Rex
-- (unlinked) and Bo (small, of Ann) get it and become big; Fig (no size)
-- keeps its link
UPDATE pugs SET "updatedAt" = '2000-01-01';
SELECT name FROM owner_set_big_pugs(1, ARRAY[2, 5]);
SELECT * FROM pug_state;
SELECT id, name FROM owner_get_big_pugs(1);
-- create: the scope wins over the values given
SELECT name, size, "ownerId" FROM owner_create_small_pug(2, '{"name": "Nu", "size": "big"}');
-- has_one set and create: the previous one of the scope loses the link
SELECT id, name, weight, "ownerId" FROM owner_set_heavy_pug(2, 2);
SELECT id, name, weight, "ownerId" FROM owner_get_heavy_pug(2);
SELECT name, weight, "ownerId" FROM owner_create_heavy_pug(2, '{"name": "Max"}');
SELECT * FROM pug_state;

-- a null in a scope is IS NULL, and writes NULL
CREATE TABLE toys (id serial PRIMARY KEY, name text, color text);
SET client_min_messages = warning;
SELECT alias FROM assoc.has_many('owners', 'toys', alias => 'plainToys', scope => '{"color": null}');
RESET client_min_messages;
INSERT INTO toys (name, color, "ownerId") VALUES ('ball', 'red', 1), ('rope', NULL, 1), ('bone', 'red', NULL);
SELECT id, name FROM owner_get_plain_toys(1);
SELECT name FROM owner_add_plain_toy(1, 3);
SELECT * FROM toys ORDER BY id;

-- belongs_to_many: a scope of the targets, a through_scope of the links
CREATE TABLE students (id serial PRIMARY KEY, name text);
CREATE TABLE courses (id serial PRIMARY KEY, title text, level text);
CREATE TABLE enrollments ("studentId" integer NOT NULL REFERENCES students ON DELETE CASCADE,
    "courseId" integer NOT NULL REFERENCES courses ON DELETE CASCADE, role text, grade text,
    PRIMARY KEY ("studentId", "courseId"));
SET client_min_messages = warning;
SELECT alias, options->'scope' AS scope, options->'through_scope' AS through_scope
  FROM assoc.belongs_to_many('students', 'courses', through => 'enrollments', alias => 'taughtCourses',
                             through_scope => '{"role": "teacher"}');
SELECT alias, options->'scope' AS scope, options->'through_scope' AS through_scope
  FROM assoc.belongs_to_many('students', 'courses', through => 'enrollments', alias => 'advancedCourses',
                             scope => '{"level": "advanced"}', through_scope => '{"role": "student"}');
RESET client_min_messages;
INSERT INTO students (name) VALUES ('Amy'), ('Ben');
INSERT INTO courses (title, level) VALUES ('Math', 'advanced'), ('Art', 'basic'), ('Law', 'advanced');
INSERT INTO enrollments VALUES (1, 1, 'teacher', NULL), (1, 2, 'student', 'A'), (1, 3, 'student', 'B');
SELECT id, title FROM student_get_taught_courses(1);
SELECT id, title FROM student_get_advanced_courses(1);
SELECT student_count_advanced_courses(1), student_has_advanced_course(1, 2), student_has_advanced_course(1, 3);
SELECT student_with_advanced_courses(1);
SELECT * FROM assoc.find_all('students', '{"include": [{"association": "taughtCourses", "attributes": ["id"]}, {"association": "advancedCourses", "attributes": ["id"]}], "attributes": ["id"], "where": {"id": 1}}');
SELECT * FROM assoc.find_all('students', '{"include": [{"association": "advancedCourses", "attributes": ["id"], "through": {"attributes": ["role"]}}], "attributes": ["id"]}');
-- add writes the through scope; a link outside it is brought into it
SELECT name FROM student_add_taught_course(2, 2);
SELECT name FROM student_add_taught_course(1, 3, '{"grade": "C"}');
SELECT * FROM enrollments ORDER BY 1, 2;
-- set removes only the links of its scopes: Art (basic) and Math (teacher) stay
SELECT name FROM student_set_advanced_courses(1, ARRAY[1]);
SELECT * FROM enrollments ORDER BY 1, 2;
-- create gives the target its scope, the link its through scope
SELECT title, level FROM student_create_advanced_course(2, '{"title": "Zoo", "level": "basic"}');
SELECT * FROM enrollments ORDER BY 1, 2;

-- declaring again: the same scope is a no-op, another one an error
SELECT alias FROM assoc.has_many('owners', 'pugs', alias => 'bigPugs', scope => '{"size": "big"}');
SELECT alias FROM assoc.has_many('owners', 'pugs', alias => 'bigPugs', scope => '{"size": "huge"}');
SELECT alias FROM assoc.has_many('owners', 'pugs', alias => 'bigPugs');

-- bad scopes: errors, and nothing changed
CREATE TABLE cats (id serial PRIMARY KEY, name text, age integer, born date);
SELECT assoc.has_many('owners', 'cats', scope => '{"colour": "black"}');
SELECT assoc.has_many('owners', 'cats', scope => '{"age": "old"}');
SELECT assoc.has_many('owners', 'cats', scope => '{"born": "2020-13-45"}');
SELECT assoc.has_many('owners', 'cats', scope => '{"age": {"$gt": 5}}');
SELECT assoc.has_many('owners', 'cats', scope => '[1]');
SELECT assoc.has_many('owners', 'cats', scope => '"big"');
SELECT assoc.has_many('owners', 'cats', scope => '{"ownerId": 1}');
SELECT assoc.has_many('owners', 'pugs', alias => 'keyedPugs', scope => '{"ownerId": 1}');
SELECT assoc.has_one('owners', 'cats', scope => '{"age": 1.5}');
SELECT assoc.belongs_to_many('students', 'courses', through => 'enrollments', alias => 'x',
                             through_scope => '{"nope": 1}');
SELECT assoc.belongs_to_many('students', 'courses', through => 'enrollments', alias => 'x',
                             through_scope => '{"courseId": 1}');
SELECT assoc.belongs_to_many('students', 'courses', through => 'enrollments', alias => 'x',
                             scope => '{"role": "teacher"}');
SELECT column_name FROM information_schema.columns WHERE table_schema = 'sc' AND table_name = 'cats' ORDER BY ordinal_position;
SELECT count(*) FROM assoc.associations WHERE source IN ('owners'::regclass, 'students'::regclass);

-- the scope's column renamed: followed; regenerate keeps the scope
ALTER TABLE pugs RENAME COLUMN size TO "pug size";
SELECT options->'scope' FROM assoc.associations WHERE alias = 'bigPugs';
SELECT id, name FROM owner_get_big_pugs(1);
SELECT assoc.regenerate('owners');
SELECT id, name FROM owner_get_small_pugs(2);

SET client_min_messages = warning;
DROP SCHEMA sc CASCADE;
RESET client_min_messages;
