\set p random(1, :pugs)
SELECT * FROM pug_get_owner(:p);
