SELECT json_build_object('id', p.id, 'name', p.name, 'createdAt', p."createdAt", 'updatedAt', p."updatedAt",
                         'ownerId', p."ownerId",
                         'owner', CASE WHEN o.id IS NOT NULL THEN
                                  json_build_object('id', o.id, 'name', o.name, 'createdAt', o."createdAt",
                                                    'updatedAt', o."updatedAt") END)
  FROM pugs p LEFT JOIN owners o ON o.id = p."ownerId"
 ORDER BY p.id
