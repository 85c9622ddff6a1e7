\set o random(1, :owners)
\set p random(1, :pugs)
UPDATE pugs SET "ownerId" = :o, "updatedAt" = now() WHERE id = :p;
