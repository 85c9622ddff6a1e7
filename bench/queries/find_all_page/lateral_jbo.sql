SELECT json_build_object('id', o.id, 'name', o.name, 'createdAt', o."createdAt", 'updatedAt', o."updatedAt",
                         'pugs', COALESCE(p.pugs, '[]'))
  FROM (SELECT * FROM owners WHERE name LIKE 'a%' ORDER BY id LIMIT 20) o
  CROSS JOIN LATERAL (
    SELECT json_agg(json_build_object('id', p.id, 'name', p.name, 'createdAt', p."createdAt",
                                      'updatedAt', p."updatedAt", 'ownerId', p."ownerId",
                                      'toys', COALESCE(t.toys, '[]')) ORDER BY p.id) AS pugs
      FROM pugs p
      CROSS JOIN LATERAL (SELECT json_agg(json_build_object('id', t.id, 'name', t.name, 'createdAt', t."createdAt",
                                                            'updatedAt', t."updatedAt", 'pugId', t."pugId")
                                          ORDER BY t.id) AS toys
                            FROM toys t WHERE t."pugId" = p.id) t
     WHERE p."ownerId" = o.id) p
 ORDER BY o.id
