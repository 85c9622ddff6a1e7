SELECT json_build_object('id', o.id, 'name', o.name, 'createdAt', o."createdAt", 'updatedAt', o."updatedAt",
                         'pugs', COALESCE(p.pugs, '[]'))
  FROM (SELECT * FROM owners WHERE name LIKE 'a%' ORDER BY id LIMIT 20) o
  CROSS JOIN LATERAL (SELECT json_agg(json_build_object('id', p.id, 'name', p.name, 'createdAt', p."createdAt",
                                                        'updatedAt', p."updatedAt", 'ownerId', p."ownerId")
                                      ORDER BY p.id) AS pugs
                        FROM pugs p WHERE p."ownerId" = o.id) p
 ORDER BY o.id
