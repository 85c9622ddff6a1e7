-- The text of every generated function, pinned: one line per overload with
-- the md5 of its pg_get_functiondef (signature, return type, volatility and
-- body).  assoc_codegen_sync compares bodies to decide what to rewrite
-- after ALTER TABLE, so a change to the generator that changes any text
-- shows here; when the change is deliberate, compare the function
-- definitions before and after (pg_get_functiondef) and update this file.
-- Covers the four kinds, self-associations, uncountable aliases, custom
-- and text keys, quoted names, a NOT NULL foreign key, timestamps on the
-- holder or not, and belongs_to_many through values with defaults and
-- timestamps on and off.
SET client_min_messages = warning;
CREATE SCHEMA cg;
SET search_path = cg, public;

-- has_many / belongs_to, the holder with updatedAt
CREATE TABLE owners (id serial PRIMARY KEY, name text);
CREATE TABLE pugs (id serial PRIMARY KEY, name text,
    "createdAt" timestamptz NOT NULL DEFAULT now(), "updatedAt" timestamptz NOT NULL DEFAULT now());
SELECT alias FROM assoc.has_many('owners', 'pugs');
SELECT alias FROM assoc.belongs_to('pugs', 'owners');
-- has_one with a NOT NULL foreign key, no timestamps
CREATE TABLE profiles (id serial PRIMARY KEY, bio text, "ownerId" integer NOT NULL);
SELECT alias FROM assoc.has_one('owners', 'profiles');
-- has_many with a NOT NULL foreign key
CREATE TABLE leashes (id serial PRIMARY KEY, "ownerId" integer NOT NULL);
SELECT alias FROM assoc.has_many('owners', 'leashes');
-- quoted names, a text target key, custom alias and keys
CREATE TABLE "Users" (login text PRIMARY KEY, "my name" text, "updatedAt" timestamptz);
CREATE TABLE "my table" (id bigint PRIMARY KEY, "order" text);
SELECT alias FROM assoc.belongs_to('"my table"', '"Users"', alias => 'author',
                                   foreign_key => 'author login');
SELECT alias FROM assoc.has_many('"Users"', '"my table"', alias => 'writings',
                                 foreign_key => 'author login');
SELECT alias FROM assoc.has_one('"Users"', '"my table"', alias => 'latest',
                                foreign_key => 'author login');
-- belongs_to on a non-primary target key
CREATE TABLE kennels (id serial PRIMARY KEY, code varchar(8) UNIQUE NOT NULL);
CREATE TABLE dogs (id serial PRIMARY KEY);
SELECT alias FROM assoc.belongs_to('dogs', 'kennels', alias => 'home', target_key => 'code');
SELECT alias FROM assoc.has_many('kennels', 'dogs', alias => 'residents', source_key => 'code',
                                 foreign_key => 'homeCode');
-- self-associations
CREATE TABLE people (id serial PRIMARY KEY, name text);
SELECT alias FROM assoc.has_many('people', 'people', alias => 'children', foreign_key => 'parentId');
SELECT alias FROM assoc.belongs_to('people', 'people', alias => 'parent', foreign_key => 'parentId');
SELECT alias FROM assoc.has_one('people', 'people', alias => 'heir', foreign_key => 'heirOfId');
-- uncountable aliases, a uuid key
CREATE TABLE hubs (id uuid PRIMARY KEY);
CREATE TABLE news (id integer PRIMARY KEY, title text);
SELECT alias FROM assoc.has_many('hubs', 'news');
SELECT alias FROM assoc.belongs_to('news', 'hubs');
CREATE TABLE sheep (tag text PRIMARY KEY);
SELECT alias FROM assoc.belongs_to_many('hubs', 'sheep', through => 'hub_sheep');
SELECT alias FROM assoc.belongs_to_many('sheep', 'hubs', through => 'hub_sheep');
-- belongs_to_many: timestamps, through values with and without defaults
CREATE TABLE students (id serial PRIMARY KEY, name text);
CREATE TABLE courses (id serial PRIMARY KEY, title text);
CREATE TABLE enrollments ("studentId" integer, "courseId" integer,
    grade text DEFAULT 'none', note text, seq integer GENERATED ALWAYS AS IDENTITY,
    "createdAt" timestamptz NOT NULL DEFAULT now(), "updatedAt" timestamptz NOT NULL DEFAULT now());
SELECT alias FROM assoc.belongs_to_many('students', 'courses', through => 'enrollments');
SELECT alias FROM assoc.belongs_to_many('courses', 'students', through => 'enrollments',
                                        timestamps => false);
-- belongs_to_many without through columns, created by the declaration
CREATE TABLE clubs (id serial PRIMARY KEY);
SELECT alias FROM assoc.belongs_to_many('students', 'clubs', through => 'memberships',
                                        timestamps => false);
-- self belongs_to_many
CREATE TABLE users (id bigserial PRIMARY KEY);
SELECT alias FROM assoc.belongs_to_many('users', 'users', through => 'follows', alias => 'followers',
                                        foreign_key => 'followeeId', other_key => 'followerId');
SELECT alias FROM assoc.belongs_to_many('users', 'users', through => 'follows', alias => 'followees',
                                        foreign_key => 'followerId', other_key => 'followeeId');

CREATE VIEW texts AS
SELECT a.source, a.alias, p.oid::pg_catalog.regprocedure AS function,
       pg_catalog.md5(pg_catalog.pg_get_functiondef(p.oid)) AS text
  FROM assoc.associations a, pg_catalog.unnest(a.functions) f, pg_catalog.pg_proc p
 WHERE p.oid = f;
SELECT alias, function, text FROM texts ORDER BY source::text, alias, function::text;

-- after ALTER TABLE, the rewritten texts
ALTER TABLE pugs DROP COLUMN "updatedAt";
ALTER TABLE enrollments ADD COLUMN rank integer DEFAULT 1;
SELECT alias, function, text FROM texts
 WHERE alias IN ('pugs', 'owner', 'courses', 'students')
 ORDER BY source::text, alias, function::text;

DROP SCHEMA cg CASCADE;
