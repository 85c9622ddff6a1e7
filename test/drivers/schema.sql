-- test/drivers/schema.sql: the database of the driver battery
-- (test/extra/drivers.sh): every kind of association, a few rows, and two
-- helpers each case calls inside its transaction (which is rolled back):
-- drivers_reset() puts every sequence at 1000, so that what create_*
-- inserts has the same key whoever runs it, and drivers_state() is every
-- link in the database as one line of text, to compare what writers did.
-- No timestamps: the rows a writer returns are the same every time.
SET client_min_messages = warning;
CREATE EXTENSION assoc;
CREATE TABLE owners (id serial PRIMARY KEY, name text);
CREATE TABLE pugs (id serial PRIMARY KEY, name text);
CREATE TABLE profiles (id serial PRIMARY KEY, bio text);
CREATE TABLE students (id serial PRIMARY KEY, name text);
CREATE TABLE courses (id serial PRIMARY KEY, title text);
-- a bigint key: an int4 or int8 parameter must both work
CREATE TABLE teams (id bigserial PRIMARY KEY, name text);
CREATE TABLE members (id bigserial PRIMARY KEY, name text);
SELECT 1 FROM assoc.has_many('owners', 'pugs');
SELECT 1 FROM assoc.belongs_to('pugs', 'owners');
SELECT 1 FROM assoc.has_one('owners', 'profiles');
SELECT 1 FROM assoc.belongs_to_many('students', 'courses', through => 'enrollments', timestamps => false);
SELECT 1 FROM assoc.belongs_to_many('courses', 'students', through => 'enrollments', timestamps => false);
ALTER TABLE enrollments ADD COLUMN grade text;
SELECT 1 FROM assoc.has_many('teams', 'members');
SELECT 1 FROM assoc.belongs_to('members', 'teams');

INSERT INTO owners (name) VALUES ('Tom'), ('Ann'), ('Liz');
INSERT INTO pugs (name, "ownerId") VALUES ('Cody', 1), ('Rex', 1), ('Lulu', 2), ('Bo', NULL), ('Max', NULL);
INSERT INTO profiles (bio, "ownerId") VALUES ('likes pugs', 1), ('has none', NULL);
INSERT INTO students (name) VALUES ('Amy'), ('Ben');
INSERT INTO courses (title) VALUES ('Math'), ('Art'), ('Music');
INSERT INTO enrollments ("studentId", "courseId", grade) VALUES (1, 1, 'A'), (1, 2, NULL), (2, 2, 'B');
INSERT INTO teams (name) VALUES ('Reds'), ('Blues');
INSERT INTO members (name, "teamId") VALUES ('Kim', 1), ('Lee', 1), ('Pat', 2), ('Sam', NULL);

CREATE FUNCTION drivers_reset() RETURNS void LANGUAGE sql AS $$
	SELECT setval(s, 1000, false) FROM unnest(ARRAY['owners_id_seq', 'pugs_id_seq', 'profiles_id_seq',
		'students_id_seq', 'courses_id_seq', 'teams_id_seq', 'members_id_seq']) s
$$;

CREATE FUNCTION drivers_state() RETURNS text LANGUAGE sql AS $$
	SELECT concat_ws(' / ',
		(SELECT 'owners ' || string_agg(concat_ws(':', id, name), ',' ORDER BY id) FROM owners),
		(SELECT 'pugs ' || string_agg(concat_ws(':', id, name, coalesce("ownerId"::text, '-')), ',' ORDER BY id) FROM pugs),
		(SELECT 'profiles ' || string_agg(concat_ws(':', id, coalesce("ownerId"::text, '-')), ',' ORDER BY id) FROM profiles),
		(SELECT 'courses ' || string_agg(concat_ws(':', id, title), ',' ORDER BY id) FROM courses),
		(SELECT 'enrollments ' || string_agg(concat_ws(':', "studentId", "courseId", coalesce(grade, '-')), ','
			ORDER BY "studentId", "courseId") FROM enrollments),
		(SELECT 'members ' || string_agg(concat_ws(':', id, coalesce("teamId"::text, '-')), ',' ORDER BY id) FROM members))
$$;
