\set o random(1, :owners)
\set p1 random(1, :pugs)
\set p2 random(1, :pugs)
\set p3 random(1, :pugs)
WITH unlinked AS (UPDATE pugs SET "ownerId" = NULL, "updatedAt" = now() WHERE "ownerId" = :o AND id <> ALL (ARRAY[:p1, :p2, :p3]) RETURNING id), linked AS (UPDATE pugs SET "ownerId" = :o, "updatedAt" = now() WHERE id = ANY (ARRAY[:p1, :p2, :p3]) AND "ownerId" IS DISTINCT FROM :o RETURNING id) SELECT (SELECT count(*) FROM unlinked) AS unlinked, (SELECT count(*) FROM linked) AS linked;
