-- The seed's walkthrough: an owner has many pugs, a pug belongs to an owner.
-- `make demo` runs this file with psql, printing each statement and its result.
\pset pager off
CREATE EXTENSION assoc;

-- Owner and Pug, as Sequelize's sync creates them ("Owner - no changes!").
CREATE TABLE owners (
    id serial PRIMARY KEY,
    name text,
    "createdAt" timestamptz NOT NULL DEFAULT now(),
    "updatedAt" timestamptz NOT NULL DEFAULT now());
CREATE TABLE pugs (
    id serial PRIMARY KEY,
    name text,
    "createdAt" timestamptz NOT NULL DEFAULT now(),
    "updatedAt" timestamptz NOT NULL DEFAULT now());

-- Owner.hasMany(Pug) and Pug.belongsTo(Owner)
SELECT kind, source, target, alias, foreign_key, on_delete, on_update
  FROM assoc.has_many('owners', 'pugs');
SELECT kind, source, target, alias, foreign_key, on_delete, on_update
  FROM assoc.belongs_to('pugs', 'owners');

-- 1. "Pugs - includes an ownerId!"
\d pugs

INSERT INTO owners (name) VALUES ('Tom'), ('Ann');
INSERT INTO pugs (name) VALUES ('Cody'), ('Rex'), ('Lulu');

-- 2. Instance methods.  pug.setOwner(owner) returns the updated pug:
SELECT id, name, "ownerId" FROM pug_set_owner(1, 1);
-- pug.getOwner():
SELECT id, name FROM pug_get_owner(1);
-- owner.addPugs([rex, lulu]) returns the owner, not the pugs:
SELECT id, name FROM owner_add_pugs(1, ARRAY[2, 3]);
-- owner.getPugs():
SELECT id, name, "ownerId" FROM owner_get_pugs(1);
SELECT owner_count_pugs(1) AS count, owner_has_pug(1, 2) AS has_rex,
       owner_has_pugs(1, ARRAY[1, 2]) AS has_cody_and_rex;
-- owner.setPugs([lulu]): Lulu stays, Cody and Rex lose their owner
SELECT id, name FROM owner_set_pugs(1, ARRAY[3]);
SELECT id, name, "ownerId" FROM pugs ORDER BY id;
-- owner.createPug({name: 'Bo'}) and owner.removePug(lulu)
SELECT id, name, "ownerId" FROM owner_create_pug(2, '{"name": "Bo"}');
SELECT id, name FROM owner_remove_pug(1, 3);
SELECT id, name FROM owner_add_pug(1, 1);
-- rows work as well as keys, and compose with plain SQL
SELECT p.name AS pug, (pug_get_owner(p)).name AS owner FROM pugs p ORDER BY p.id;

-- 3. Eager loading, one SQL statement each.
-- Pug.findAll({include: [{model: Owner}]})
SELECT pug_with_owner(p) FROM pugs p ORDER BY p.id;
-- Owner.findAll({include: [{model: Pug}]})
SELECT * FROM owner_with_pugs();
-- the row form composes with WHERE, ORDER BY and LIMIT
SELECT owner_with_pugs(o) FROM owners o WHERE o.name LIKE 'T%' ORDER BY o.id LIMIT 20;

-- Mistakes get clear errors, and change nothing.
\set ON_ERROR_STOP off
SELECT owner_add_pug(1, 999);
SELECT pug_set_owner(1, 42);
\set ON_ERROR_STOP on

SELECT * FROM assoc.describe('owners');
