WITH page AS (SELECT * FROM paranoid.owners WHERE name LIKE 'a%' AND "deletedAt" IS NULL ORDER BY id LIMIT 20)
SELECT row_to_json(x) FROM (
  SELECT o.*, COALESCE(g.pugs, '[]') AS pugs
    FROM page o
    LEFT JOIN (SELECT p."ownerId", json_agg(p ORDER BY p.id) AS pugs
                 FROM paranoid.pugs p WHERE p."ownerId" IN (SELECT id FROM page) AND p."deletedAt" IS NULL
                GROUP BY p."ownerId") g
      ON g."ownerId" = o.id
   ORDER BY o.id) x
