SELECT row_to_json(x) FROM (
  SELECT o.*, COALESCE(g.pugs, '[]') AS pugs
    FROM paranoid.owners o
    LEFT JOIN (SELECT p."ownerId", json_agg(p) AS pugs
                 FROM (SELECT * FROM paranoid.pugs WHERE "deletedAt" IS NULL ORDER BY "ownerId", id) p
                GROUP BY p."ownerId") g
      ON g."ownerId" = o.id
   WHERE o."deletedAt" IS NULL
   ORDER BY o.id) x
