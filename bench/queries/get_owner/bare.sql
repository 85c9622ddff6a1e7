\set p random(1, :pugs)
SELECT o.* FROM owners o JOIN pugs p ON o.id = p."ownerId" WHERE p.id = :p;
