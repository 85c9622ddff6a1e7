-- Declaring one-to-many and one-to-one associations: the column, the
-- constraint, the index, the catalog row, and the names Sequelize derives.
\set VERBOSITY default
-- every test works in a schema of its own, dropped at the end
CREATE SCHEMA declare_test;
SET search_path = declare_test, public;

-- The seed: Owner and Pug, as Sequelize's sync creates them.
CREATE TABLE owners (id serial PRIMARY KEY, name text,
    "createdAt" timestamptz NOT NULL, "updatedAt" timestamptz NOT NULL);
CREATE TABLE pugs (id serial PRIMARY KEY, name text,
    "createdAt" timestamptz NOT NULL, "updatedAt" timestamptz NOT NULL);

SELECT kind, source, target, alias, foreign_key, source_key, target_key,
       through, other_key, on_delete, on_update, options
  FROM assoc.has_many('owners', 'pugs');
SELECT kind, source, target, alias, foreign_key, source_key, target_key,
       on_delete, on_update
  FROM assoc.belongs_to('pugs', 'owners');

-- pugs."ownerId" integer REFERENCES owners(id) ON DELETE SET NULL ON UPDATE CASCADE, indexed
\d pugs
SELECT kind, source, alias, cardinality(functions) AS functions
  FROM assoc.associations ORDER BY id;
SELECT * FROM assoc.describe('owners');
SELECT * FROM assoc.describe('pugs');

-- the same declaration again: a no-op that says so
SELECT alias, id = (SELECT min(id) FROM assoc.associations) AS same_row FROM assoc.has_many('owners', 'pugs');
SELECT count(*) FROM assoc.associations;

-- Capitalised tables, as Sequelize's define('Owner') names them: "OwnerId".
-- (In a schema of their own: their functions are named owner_get_pugs too.)
CREATE SCHEMA caps;
CREATE TABLE caps."Owners" (id serial PRIMARY KEY, name text);
CREATE TABLE caps."Pugs" (id serial PRIMARY KEY, name text);
SELECT alias, foreign_key FROM assoc.has_many('caps."Owners"', 'caps."Pugs"');
SELECT alias, foreign_key FROM assoc.belongs_to('caps."Pugs"', 'caps."Owners"');
\d caps."Pugs"

-- underscored, as an argument and as the GUC's default
CREATE TABLE teams (id serial PRIMARY KEY, name text);
CREATE TABLE players (id serial PRIMARY KEY, name text);
SELECT alias, foreign_key FROM assoc.has_many('teams', 'players', underscored => true);
SELECT alias, foreign_key FROM assoc.belongs_to('players', 'teams', underscored => true);
CREATE TABLE user_profiles (id bigserial PRIMARY KEY, bio text);
CREATE TABLE avatars (id serial PRIMARY KEY, url text);
SET assoc.underscored = on;
SELECT alias, foreign_key FROM assoc.has_one('user_profiles', 'avatars');
RESET assoc.underscored;
-- bigint key: the foreign key column is bigint too
SELECT format_type(atttypid, atttypmod) FROM pg_attribute
 WHERE attrelid = 'avatars'::regclass AND attname = 'user_profile_id';

-- has_one: Sequelize's quirk builds the key from the alias when one is given
CREATE TABLE people (id serial PRIMARY KEY, name text);
CREATE TABLE passports (id serial PRIMARY KEY, number text);
SELECT alias, foreign_key, on_delete FROM assoc.has_one('people', 'passports');
CREATE TABLE licences (id serial PRIMARY KEY, number text);
SELECT alias, foreign_key FROM assoc.has_one('people', 'licences', alias => 'drivingLicence');

-- custom alias and foreign key; keys of other types
CREATE TABLE authors (code varchar(20) PRIMARY KEY, name text);
CREATE TABLE books (id uuid PRIMARY KEY, title text);
SELECT alias, foreign_key, on_delete, on_update
  FROM assoc.belongs_to('books', 'authors', alias => 'writer', foreign_key => 'writer_code',
                        on_delete => 'cascade', on_update => 'no_action');
SELECT alias, foreign_key FROM assoc.has_many('authors', 'books', alias => 'favoriteBooks',
                                              foreign_key => 'writer_code');
\d books
SELECT * FROM assoc.describe('authors');

-- existing column, constraint and index are adopted
CREATE TABLE shelves (id serial PRIMARY KEY);
CREATE TABLE boxes (id serial PRIMARY KEY,
    "shelfId" integer NOT NULL REFERENCES shelves ON DELETE RESTRICT);
CREATE INDEX boxes_by_shelf ON boxes ("shelfId", id);
SELECT foreign_key, on_delete, on_update FROM assoc.has_many('shelves', 'boxes');
\d boxes

-- a NOT NULL column without a constraint gets Sequelize's defaults:
-- CASCADE for has_many, NO ACTION for belongs_to
CREATE TABLE carts (id serial PRIMARY KEY);
CREATE TABLE cart_items (id serial PRIMARY KEY, "cartId" integer NOT NULL);
SELECT on_delete, on_update FROM assoc.has_many('carts', 'cart_items');
CREATE TABLE orders (id serial PRIMARY KEY);
CREATE TABLE order_lines (id serial PRIMARY KEY, "orderId" integer NOT NULL);
SELECT on_delete, on_update FROM assoc.belongs_to('order_lines', 'orders');

-- constraints => false, create_index => false
CREATE TABLE tags (id serial PRIMARY KEY);
CREATE TABLE notes (id serial PRIMARY KEY);
SELECT foreign_key, on_delete, on_update
  FROM assoc.belongs_to('notes', 'tags', constraints => false, create_index => false);
\d notes

-- dry_run shows the DDL and changes nothing
CREATE TABLE kennels (id serial PRIMARY KEY);
CREATE TABLE dogs (id serial PRIMARY KEY);
SELECT id IS NULL AS no_id, kind, alias, foreign_key, functions FROM assoc.has_many('kennels', 'dogs', dry_run => true);
\d dogs
SELECT count(*) FROM assoc.associations WHERE source = 'kennels'::regclass;
SELECT count(*) FROM pg_proc WHERE proname LIKE 'kennel\_%';

-- a self-association
CREATE TABLE employees (id serial PRIMARY KEY, name text);
SELECT alias, foreign_key FROM assoc.belongs_to('employees', 'employees', alias => 'manager');
SELECT alias, foreign_key FROM assoc.has_many('employees', 'employees', alias => 'reports',
                                              foreign_key => 'managerId');

-- names that need quoting everywhere: reserved words, spaces, quotes
CREATE SCHEMA "Sales Dept";
CREATE TABLE "Sales Dept"."order" (id serial PRIMARY KEY, "select" text);
CREATE TABLE "Sales Dept"."my line items" (id serial PRIMARY KEY);
SELECT alias, foreign_key FROM assoc.has_many('"Sales Dept"."order"', '"Sales Dept"."my line items"');
SELECT alias, foreign_key FROM assoc.belongs_to('"Sales Dept"."my line items"', '"Sales Dept"."order"');
\d "Sales Dept"."my line items"
SELECT p.proname FROM pg_proc p
 WHERE p.pronamespace = '"Sales Dept"'::regnamespace
 GROUP BY p.proname ORDER BY p.proname;

-- drop_association: the functions go, the column stays unless asked.
-- (kennels' association was a dry run; tags has no association "notes")
SELECT assoc.drop_association('kennels', 'dogs');
SELECT assoc.drop_association('tags'::regclass, 'notes');
SELECT assoc.drop_association('notes', 'tag', drop_column => true);
\d notes
SELECT count(*) FROM pg_proc WHERE proname LIKE 'note\_%';
-- a column two associations share is kept
SELECT assoc.drop_association('pugs', 'owner', drop_column => true);
SELECT attname FROM pg_attribute WHERE attrelid = 'pugs'::regclass AND attname = 'ownerId';
SELECT count(*) FROM pg_proc WHERE proname LIKE 'pug\_%';

SET client_min_messages = warning;
DROP SCHEMA declare_test, caps, "Sales Dept" CASCADE;
RESET client_min_messages;
SELECT count(*) AS associations_left FROM assoc.associations;
