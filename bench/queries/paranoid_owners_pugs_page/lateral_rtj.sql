SELECT row_to_json(x) FROM (
  SELECT o.*, COALESCE(p.pugs, '[]') AS pugs
    FROM (SELECT * FROM paranoid.owners WHERE name LIKE 'a%' AND "deletedAt" IS NULL ORDER BY id LIMIT 20) o
    CROSS JOIN LATERAL (SELECT json_agg(p ORDER BY p.id) AS pugs FROM paranoid.pugs p
                         WHERE p."ownerId" = o.id AND p."deletedAt" IS NULL) p
   ORDER BY o.id) x
