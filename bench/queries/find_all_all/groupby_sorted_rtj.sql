SELECT row_to_json(x) FROM (
  SELECT o.*, COALESCE(g.pugs, '[]') AS pugs
    FROM owners o
    LEFT JOIN (SELECT p."ownerId", json_agg(p) AS pugs
                 FROM (SELECT p.*, COALESCE(t.toys, '[]') AS toys
                         FROM pugs p
                         LEFT JOIN (SELECT t."pugId", json_agg(t) AS toys
                                      FROM (SELECT * FROM toys ORDER BY "pugId", id) t GROUP BY t."pugId") t
                           ON t."pugId" = p.id
                        ORDER BY p."ownerId", p.id) p
                GROUP BY p."ownerId") g
      ON g."ownerId" = o.id
   ORDER BY o.id) x
