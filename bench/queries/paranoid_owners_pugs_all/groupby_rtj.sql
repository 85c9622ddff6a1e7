SELECT row_to_json(x) FROM (
  SELECT o.*, COALESCE(g.pugs, '[]') AS pugs
    FROM paranoid.owners o
    LEFT JOIN (SELECT p."ownerId", json_agg(p ORDER BY p.id) AS pugs FROM paranoid.pugs p
                WHERE p."deletedAt" IS NULL GROUP BY p."ownerId") g
      ON g."ownerId" = o.id
   WHERE o."deletedAt" IS NULL
   ORDER BY o.id) x
