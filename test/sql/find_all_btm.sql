--
-- find_all with belongs_to_many includes: the targets through the through
-- table, each with its through row under the through table's model name
-- ("enrollment") as its last key, as Sequelize 6 gives it (compared with
-- Sequelize by test/extra/sequelize_compare.sh).  Both shapes (grouped for
-- full scans, correlated for pages and filtered models) must give the same
-- JSON: the compare_shapes() checks below run every call both ways.
--
\set VERBOSITY default
CREATE SCHEMA fab_test;
SET search_path = fab_test, public;
SET timezone = 'UTC';
\pset format unaligned

CREATE TABLE teachers (id serial PRIMARY KEY, name text);
CREATE TABLE students (id serial PRIMARY KEY, name text);
CREATE TABLE courses (id serial PRIMARY KEY, title text, "teacherId" integer);
SET client_min_messages = warning;
SELECT kind, alias FROM assoc.belongs_to('courses', 'teachers');
SELECT kind, alias FROM assoc.has_many('teachers', 'courses');
SELECT kind, alias, foreign_key, other_key
  FROM assoc.belongs_to_many('students', 'courses', through => 'enrollments');
SELECT kind, alias, foreign_key, other_key
  FROM assoc.belongs_to_many('courses', 'students', through => 'enrollments');
-- a self-association: h and t are the same table
CREATE TABLE users (id serial PRIMARY KEY, name text);
SELECT kind, alias FROM assoc.belongs_to_many('users', 'users', through => 'follows',
    alias => 'followers', foreign_key => 'followeeId', other_key => 'followerId',
    timestamps => false);
RESET client_min_messages;
ALTER TABLE enrollments ADD COLUMN grade text;

INSERT INTO teachers VALUES (2, 'Mrs Lee'), (1, 'Mr Roe');
INSERT INTO students VALUES (2, 'Ben'), (1, 'Amy'), (3, 'Cal'), (4, 'Dee');
INSERT INTO courses VALUES (3, 'Bio', 1), (1, 'Math', 2), (2, 'Art', NULL), (4, 'Chem', 1);
INSERT INTO enrollments ("studentId", "courseId", grade, "createdAt", "updatedAt") VALUES
    (1, 3, 'A', '2024-01-02 03:04:05.123+00', '2024-01-03 03:04:05.123+00'),
    (2, 2, 'B', '2024-01-02 03:05:06+00', '2024-01-02 03:05:06+00'),
    (1, 1, 'C', '2024-01-02 03:06:07+00', '2024-01-02 03:06:07+00'),
    (1, 2, NULL, '2024-01-02 03:07:08+00', '2024-01-02 03:07:08+00'),
    (4, 1, 'A', '2024-01-02 03:08:09+00', '2024-01-02 03:08:09+00');
INSERT INTO users VALUES (1, 'u1'), (2, 'u2'), (3, 'u3');
INSERT INTO follows VALUES (1, 2), (1, 3), (2, 1);

-- The same options in both shapes: as given, and again with a large limit
-- (a page: correlated) or without it (grouped); "same" when they agree.
CREATE FUNCTION compare_shapes(model regclass, options jsonb) RETURNS text
LANGUAGE sql AS $$
    WITH a AS (SELECT array_agg(j::text) AS r FROM assoc.find_all(model, options - 'limit' - 'offset') j),
         b AS (SELECT array_agg(j::text) AS r FROM assoc.find_all(model, options || '{"limit": 1000}') j),
         c AS (SELECT array_agg(j::text) AS r FROM assoc.find_all(model, options || '{"where": {"id": {"$gt": 0}}}') j)
    SELECT CASE WHEN a.r IS NOT DISTINCT FROM b.r AND a.r IS NOT DISTINCT FROM c.r
                THEN 'same' ELSE 'DIFFERENT' END
      FROM a, b, c
$$;

-- Student.findAll({include: Course}): every column of the link, keys
-- included, in table order, under "enrollment", after the course's columns
SELECT * FROM assoc.find_all('students', '{"include": ["courses"]}');
SELECT compare_shapes('students', '{"include": ["courses"]}');
-- the other side
SELECT * FROM assoc.find_all('courses', '{"include": ["students"]}');
SELECT compare_shapes('courses', '{"include": ["students"]}');
-- the statement, both shapes
SELECT assoc.find_all_sql('students', '{"include": ["courses"]}');
SELECT assoc.find_all_sql('students', '{"include": ["courses"], "limit": 2}');
-- the loader agrees
SELECT (SELECT array_agg(j::text) FROM assoc.find_all('students', '{"include": ["courses"]}') j) =
       (SELECT array_agg(j::text) FROM student_with_courses() j) AS loader_agrees;

-- through: {attributes: []}: no key at all
SELECT * FROM assoc.find_all('students', '{"include": [{"association": "courses", "through": {"attributes": []}}]}');
-- through: {attributes: [...]}: those keys, in the order given
SELECT * FROM assoc.find_all('students', '{"where": {"id": 1}, "include": [{"association": "courses", "through": {"attributes": ["grade", "createdAt"]}}]}');
SELECT * FROM assoc.find_all('students', '{"where": {"id": 1}, "include": [{"association": "courses", "through": {"attributes": {"exclude": ["createdAt", "updatedAt"]}}}]}');
SELECT compare_shapes('students', '{"include": [{"association": "courses", "through": {"attributes": ["grade"]}}]}');
-- include attributes: the course's own keys; the through row stays last
SELECT * FROM assoc.find_all('students', '{"include": [{"association": "courses", "attributes": ["title"], "through": {"attributes": ["grade"]}}]}');
-- attributes [] on the include: no key, but required still filters
SELECT * FROM assoc.find_all('students', '{"include": [{"association": "courses", "attributes": [], "required": true}]}');

-- through: {where}: filters the links, not the students (Sequelize puts it
-- in the ON of the through/target join and leaves the include optional)
SELECT * FROM assoc.find_all('students', '{"include": [{"association": "courses", "through": {"where": {"grade": "A"}, "attributes": ["grade"]}}]}');
SELECT compare_shapes('students', '{"include": [{"association": "courses", "through": {"where": {"grade": "A"}, "attributes": ["grade"]}}]}');
-- a $nested.column$ key in a "through" where is not supported
SELECT * FROM assoc.find_all('students', '{"include": [{"association": "courses", "through": {"where": {"$or": [{"grade": "A"}, {"$courses.title$": "Art"}]}}}]}');
SELECT * FROM assoc.find_all('students', '{"include": [{"association": "courses", "through": {"where": {"grade": null}, "attributes": ["grade"]}}]}');
-- ... and with required: true, students without such a link are left out
SELECT * FROM assoc.find_all('students', '{"include": [{"association": "courses", "required": true, "through": {"where": {"grade": {"$in": ["A", "B"]}}, "attributes": ["grade"]}}]}');
SELECT compare_shapes('students', '{"include": [{"association": "courses", "required": true, "through": {"where": {"grade": {"$in": ["A", "B"]}}, "attributes": ["grade"]}}]}');
SELECT assoc.find_all_sql('students', '{"include": [{"association": "courses", "required": true, "through": {"where": {"grade": "A"}, "attributes": ["grade"]}}], "limit": 2}');
-- include where: required; the link and the target must both match
SELECT * FROM assoc.find_all('students', '{"include": [{"association": "courses", "where": {"title": {"$like": "%a%"}}, "through": {"where": {"grade": {"$ne": "C"}}, "attributes": ["grade"]}}]}');
SELECT compare_shapes('students', '{"include": [{"association": "courses", "where": {"title": {"$like": "%a%"}}, "through": {"where": {"grade": {"$ne": "C"}}, "attributes": ["grade"]}}]}');
SELECT * FROM assoc.find_all('students', '{"include": [{"association": "courses", "where": {"title": "Art"}, "required": false, "through": {"attributes": []}}]}');
SELECT compare_shapes('students', '{"include": [{"association": "courses", "where": {"title": "Art"}, "required": false, "through": {"attributes": []}}]}');

-- nested includes under a target: the through row comes after the
-- target's attributes and before its includes, as in Sequelize
SELECT * FROM assoc.find_all('students', '{"where": {"id": {"$lte": 2}}, "include": [{"association": "courses", "include": ["teacher"], "through": {"attributes": ["grade"]}}]}');
SELECT compare_shapes('students', '{"include": [{"association": "courses", "include": ["teacher"], "through": {"attributes": ["grade"]}}]}');
SELECT * FROM assoc.find_all('students', '{"where": {"id": 1}, "include": [{"association": "courses", "attributes": ["title"], "through": {"attributes": []}, "include": [{"association": "students", "attributes": ["name"], "through": {"attributes": ["grade"]}}]}]}');
SELECT compare_shapes('students', '{"include": [{"association": "courses", "attributes": ["title"], "through": {"attributes": []}, "include": [{"association": "students", "attributes": ["name"], "through": {"attributes": ["grade"]}}]}]}');
-- required nested below: courses with a teacher only
SELECT * FROM assoc.find_all('students', '{"include": [{"association": "courses", "attributes": ["title"], "through": {"attributes": []}, "include": [{"association": "teacher", "required": true, "attributes": ["name"]}]}]}');
SELECT compare_shapes('students', '{"include": [{"association": "courses", "attributes": ["title"], "through": {"attributes": []}, "include": [{"association": "teacher", "required": true, "attributes": ["name"]}]}]}');
-- a belongs_to_many below a has_many
SELECT * FROM assoc.find_all('teachers', '{"include": [{"association": "courses", "attributes": ["title"], "include": [{"association": "students", "attributes": ["name"], "through": {"attributes": ["grade"]}}]}]}');
SELECT compare_shapes('teachers', '{"include": [{"association": "courses", "attributes": ["title"], "include": [{"association": "students", "attributes": ["name"], "through": {"attributes": ["grade"]}}]}]}');
SELECT assoc.find_all_sql('teachers', '{"include": [{"association": "courses", "attributes": ["title"], "include": [{"association": "students", "attributes": ["name"], "required": true, "through": {"attributes": ["grade"]}}]}]}');

-- order: by the targets' primary key unless said; an include column orders
-- the arrays and the parents by their first course
SELECT * FROM assoc.find_all('students', '{"order": [["courses", "title", "DESC"], ["id", "ASC"]], "include": [{"association": "courses", "attributes": ["title"], "through": {"attributes": []}}]}');
SELECT compare_shapes('students', '{"order": [["courses", "title", "DESC"], ["id", "ASC"]], "include": [{"association": "courses", "attributes": ["title"], "through": {"attributes": []}}]}');
SELECT * FROM assoc.find_all('students', '{"include": [{"association": "courses", "attributes": ["title"], "order": [["title", "ASC"]], "through": {"attributes": []}}]}');
SELECT compare_shapes('students', '{"include": [{"association": "courses", "attributes": ["title"], "order": [["title", "ASC"]], "through": {"attributes": []}}]}');
-- ... through a has_many, then a belongs_to_many (joined in the key's subquery)
SELECT * FROM assoc.find_all('teachers', '{"order": [["courses", "students", "name", "DESC"]], "include": [{"association": "courses", "attributes": ["title"], "include": [{"association": "students", "attributes": ["name"], "through": {"where": {"grade": "A"}, "attributes": []}}]}]}');
SELECT compare_shapes('teachers', '{"order": [["courses", "students", "name", "DESC"]], "include": [{"association": "courses", "attributes": ["title"], "include": [{"association": "students", "attributes": ["name"], "through": {"where": {"grade": "A"}, "attributes": []}}]}]}');
SELECT assoc.find_all_sql('teachers', '{"order": [["courses", "students", "name", "DESC"]], "include": [{"association": "courses", "attributes": ["title"], "include": [{"association": "students", "attributes": ["name"], "through": {"where": {"grade": "A"}, "attributes": []}}]}], "limit": 1}');
-- a page
SELECT * FROM assoc.find_all('students', '{"limit": 2, "offset": 1, "include": [{"association": "courses", "attributes": ["id"], "through": {"attributes": ["grade"]}}]}');
SELECT * FROM assoc.find_all('students', '{"limit": 1, "order": [["courses", "title", "ASC"]], "include": [{"association": "courses", "required": true, "attributes": ["title"], "through": {"attributes": []}}]}');

-- order by a column of the through table: [association, through model,
-- column, direction], the through model where Sequelize takes the model
-- ([Course, Enrollment, 'grade', 'DESC'], "courses->enrollment"."grade"):
-- the arrays by the links' grades, the parents by their first link's
-- (NULL first in DESC: Amy's Art has none, Cal has no course)
SELECT * FROM assoc.find_all('students', '{"order": [["courses", "enrollment", "grade", "DESC"], ["id"]], "include": [{"association": "courses", "attributes": ["title"], "through": {"attributes": ["grade"]}}]}');
SELECT compare_shapes('students', '{"order": [["courses", "enrollment", "grade", "DESC"], ["id"]], "include": [{"association": "courses", "attributes": ["title"], "through": {"attributes": ["grade"]}}]}');
SELECT assoc.find_all_sql('students', '{"order": [["courses", "enrollment", "grade", "DESC"], ["id"]], "include": [{"association": "courses", "attributes": ["title"], "through": {"attributes": ["grade"]}}]}');
-- the through model as {"model": ...} or by its table name; the through
-- row left out of the JSON still orders
SELECT * FROM assoc.find_all('students', '{"order": [["courses", {"model": "enrollments"}, "grade", "ASC NULLS FIRST"], ["id"]], "include": [{"association": "courses", "attributes": ["title"], "through": {"attributes": []}}]}');
SELECT compare_shapes('students', '{"order": [["courses", {"model": "enrollments"}, "grade", "ASC NULLS FIRST"], ["id"]], "include": [{"association": "courses", "attributes": ["title"], "through": {"attributes": []}}]}');
-- an include's own order by its through column (first element: the
-- include's through model)
SELECT * FROM assoc.find_all('students', '{"include": [{"association": "courses", "attributes": ["title"], "order": [["enrollment", "grade", "DESC NULLS LAST"]], "through": {"attributes": ["grade"]}}]}');
SELECT compare_shapes('students', '{"include": [{"association": "courses", "attributes": ["title"], "order": [["enrollment", "grade", "DESC NULLS LAST"]], "through": {"attributes": ["grade"]}}]}');
-- a page: the slice of that ordering
SELECT * FROM assoc.find_all('students', '{"limit": 2, "offset": 1, "order": [["courses", "enrollment", "grade", "DESC"], ["id"]], "include": [{"association": "courses", "attributes": ["title"], "through": {"attributes": ["grade"]}}]}');
-- two levels down: a belongs_to_many below a has_many
SELECT * FROM assoc.find_all('teachers', '{"order": [["courses", "students", "enrollment", "grade", "ASC"]], "include": [{"association": "courses", "attributes": ["title"], "include": [{"association": "students", "attributes": ["name"], "through": {"attributes": ["grade"]}}]}]}');
SELECT compare_shapes('teachers', '{"order": [["courses", "students", "enrollment", "grade", "ASC"]], "include": [{"association": "courses", "attributes": ["title"], "include": [{"association": "students", "attributes": ["name"], "through": {"attributes": ["grade"]}}]}]}');
SELECT assoc.find_all_sql('teachers', '{"order": [["courses", "students", "enrollment", "grade", "ASC"]], "include": [{"association": "courses", "attributes": ["title"], "include": [{"association": "students", "attributes": ["name"], "through": {"attributes": ["grade"]}}]}], "limit": 1}');
-- errors: a column the through table does not have, anything after the
-- column but a direction, no column, a through model where there is none
SELECT * FROM assoc.find_all('students', '{"order": [["courses", "enrollment", "nope", "DESC"]], "include": ["courses"]}');
SELECT * FROM assoc.find_all('students', '{"order": [["courses", "enrollment", "grade", "sideways"]], "include": ["courses"]}');
SELECT * FROM assoc.find_all('students', '{"order": [["courses", "enrollment", "student", "grade"]], "include": ["courses"]}');
SELECT * FROM assoc.find_all('students', '{"order": [["courses", "enrollment"]], "include": ["courses"]}');
SELECT * FROM assoc.find_all('students', '{"order": [["courses", {"association": "enrollment"}, "grade"]], "include": ["courses"]}');
SELECT * FROM assoc.find_all('students', '{"order": [["enrollment", "grade"]], "include": ["courses"]}');
SELECT * FROM assoc.find_all('students', '{"order": [["courses", "enrollment", "grade"]]}');
SELECT * FROM assoc.find_all('teachers', '{"order": [["courses", "enrollment", "grade"]], "include": ["courses"]}');

-- by model name, and {"all": true}
SELECT * FROM assoc.find_all('students', '{"where": {"id": 2}, "include": [{"model": "course", "through": {"attributes": ["grade"]}}]}');
SELECT * FROM assoc.find_all('courses', '{"where": {"id": 2}, "include": [{"all": true}]}');

-- a self-association
SELECT * FROM assoc.find_all('users', '{"include": ["followers"]}');
SELECT compare_shapes('users', '{"include": ["followers"]}');
SELECT * FROM assoc.find_all('users', '{"include": [{"association": "followers", "required": true, "through": {"where": {"followerId": {"$gt": 1}}, "attributes": []}}]}');
SELECT compare_shapes('users', '{"include": [{"association": "followers", "required": true, "through": {"where": {"followerId": {"$gt": 1}}, "attributes": []}}]}');

SET client_min_messages = warning;
DROP SCHEMA fab_test CASCADE;
RESET client_min_messages;
