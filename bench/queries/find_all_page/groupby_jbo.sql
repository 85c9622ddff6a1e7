WITH page AS (SELECT * FROM owners WHERE name LIKE 'a%' ORDER BY id LIMIT 20),
     page_pugs AS (SELECT p.* FROM pugs p WHERE p."ownerId" IN (SELECT id FROM page))
SELECT json_build_object('id', o.id, 'name', o.name, 'createdAt', o."createdAt", 'updatedAt', o."updatedAt",
                         'pugs', COALESCE(g.pugs, '[]'))
  FROM page o
  LEFT JOIN (SELECT p."ownerId",
                    json_agg(json_build_object('id', p.id, 'name', p.name, 'createdAt', p."createdAt",
                                               'updatedAt', p."updatedAt", 'ownerId', p."ownerId",
                                               'toys', COALESCE(t.toys, '[]'))
                             ORDER BY p.id) AS pugs
               FROM page_pugs p
               LEFT JOIN (SELECT t."pugId",
                                 json_agg(json_build_object('id', t.id, 'name', t.name, 'createdAt', t."createdAt",
                                                            'updatedAt', t."updatedAt", 'pugId', t."pugId")
                                          ORDER BY t.id) AS toys
                            FROM toys t WHERE t."pugId" IN (SELECT id FROM page_pugs) GROUP BY t."pugId") t
                 ON t."pugId" = p.id
              GROUP BY p."ownerId") g
    ON g."ownerId" = o.id
 ORDER BY o.id
