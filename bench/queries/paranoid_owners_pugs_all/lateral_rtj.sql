SELECT row_to_json(x) FROM (
  SELECT o.*, COALESCE(p.pugs, '[]') AS pugs
    FROM paranoid.owners o
    CROSS JOIN LATERAL (SELECT json_agg(p ORDER BY p.id) AS pugs FROM paranoid.pugs p
                         WHERE p."ownerId" = o.id AND p."deletedAt" IS NULL) p
   WHERE o."deletedAt" IS NULL
   ORDER BY o.id) x
