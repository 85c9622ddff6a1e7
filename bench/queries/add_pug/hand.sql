\set o random(1, :owners)
\set p random(1, :pugs)
SELECT * FROM owners WHERE id = :o FOR NO KEY UPDATE \; UPDATE pugs SET "ownerId" = :o, "updatedAt" = now() WHERE id = :p;
