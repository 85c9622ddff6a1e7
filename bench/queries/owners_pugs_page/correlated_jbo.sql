SELECT json_build_object('id', o.id, 'name', o.name, 'createdAt', o."createdAt", 'updatedAt', o."updatedAt",
                         'pugs', COALESCE((SELECT json_agg(json_build_object('id', p.id, 'name', p.name,
                                                   'createdAt', p."createdAt", 'updatedAt', p."updatedAt",
                                                   'ownerId', p."ownerId") ORDER BY p.id)
                                             FROM pugs p WHERE p."ownerId" = o.id), '[]'))
  FROM owners o WHERE o.name LIKE 'a%'
 ORDER BY o.id LIMIT 20
