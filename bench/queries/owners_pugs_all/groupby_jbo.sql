SELECT json_build_object('id', o.id, 'name', o.name, 'createdAt', o."createdAt", 'updatedAt', o."updatedAt",
                         'pugs', COALESCE(g.pugs, '[]'))
  FROM owners o
  LEFT JOIN (SELECT p."ownerId",
                    json_agg(json_build_object('id', p.id, 'name', p.name, 'createdAt', p."createdAt",
                                               'updatedAt', p."updatedAt", 'ownerId', p."ownerId")
                             ORDER BY p.id) AS pugs
               FROM pugs p GROUP BY p."ownerId") g
    ON g."ownerId" = o.id
 ORDER BY o.id
