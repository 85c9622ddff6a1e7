SELECT json_build_object('id', p.id, 'name', p.name, 'createdAt', p."createdAt", 'updatedAt', p."updatedAt",
                         'ownerId', p."ownerId",
                         'owner', (SELECT json_build_object('id', o.id, 'name', o.name, 'createdAt', o."createdAt",
                                                            'updatedAt', o."updatedAt")
                                     FROM owners o WHERE o.id = p."ownerId"))
  FROM pugs p
 ORDER BY p.id
