SELECT json_build_object('id', p.id, 'name', p.name, 'createdAt', p."createdAt", 'updatedAt', p."updatedAt",
                         'ownerId', p."ownerId", 'owner', o.owner)
  FROM pugs p
  LEFT JOIN LATERAL (SELECT json_build_object('id', o.id, 'name', o.name, 'createdAt', o."createdAt",
                                              'updatedAt', o."updatedAt") AS owner
                       FROM owners o WHERE o.id = p."ownerId") o ON true
 ORDER BY p.id
