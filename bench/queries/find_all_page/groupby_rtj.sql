WITH page AS (SELECT * FROM owners WHERE name LIKE 'a%' ORDER BY id LIMIT 20),
     page_pugs AS (SELECT p.* FROM pugs p WHERE p."ownerId" IN (SELECT id FROM page))
SELECT row_to_json(x) FROM (
  SELECT o.*, COALESCE(g.pugs, '[]') AS pugs
    FROM page o
    LEFT JOIN (SELECT p."ownerId", json_agg(p ORDER BY p.id) AS pugs
                 FROM (SELECT p.*, COALESCE(t.toys, '[]') AS toys
                         FROM page_pugs p
                         LEFT JOIN (SELECT t."pugId", json_agg(t ORDER BY t.id) AS toys
                                      FROM toys t WHERE t."pugId" IN (SELECT id FROM page_pugs)
                                     GROUP BY t."pugId") t
                           ON t."pugId" = p.id) p
                GROUP BY p."ownerId") g
      ON g."ownerId" = o.id
   ORDER BY o.id) x
