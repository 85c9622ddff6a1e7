\set p random(1, :pugs)
SELECT * FROM owners WHERE id = (SELECT "ownerId" FROM pugs WHERE id = :p);
