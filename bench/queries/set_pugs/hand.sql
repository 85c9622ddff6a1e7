\set o random(1, :owners)
\set p1 random(1, :pugs)
\set p2 random(1, :pugs)
\set p3 random(1, :pugs)
SELECT * FROM owners WHERE id = :o FOR NO KEY UPDATE \; SELECT id FROM pugs WHERE "ownerId" = :o OR id = ANY (ARRAY[:p1, :p2, :p3]) ORDER BY id FOR NO KEY UPDATE \; UPDATE pugs SET "ownerId" = NULL, "updatedAt" = now() WHERE "ownerId" = :o AND id <> ALL (ARRAY[:p1, :p2, :p3]) \; UPDATE pugs SET "ownerId" = :o, "updatedAt" = now() WHERE id = ANY (ARRAY[:p1, :p2, :p3]) AND "ownerId" IS DISTINCT FROM :o;
