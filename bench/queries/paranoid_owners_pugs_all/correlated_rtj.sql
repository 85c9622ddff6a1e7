SELECT row_to_json(x) FROM (
  SELECT o.*, COALESCE((SELECT json_agg(p ORDER BY p.id) FROM paranoid.pugs p
                         WHERE p."ownerId" = o.id AND p."deletedAt" IS NULL), '[]') AS pugs
    FROM paranoid.owners o WHERE o."deletedAt" IS NULL
   ORDER BY o.id) x
