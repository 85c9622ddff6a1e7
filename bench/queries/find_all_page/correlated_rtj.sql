SELECT row_to_json(x) FROM (
  SELECT o.*,
         COALESCE((SELECT json_agg(p ORDER BY p.id)
                     FROM (SELECT p.*, COALESCE((SELECT json_agg(t ORDER BY t.id) FROM toys t
                                                  WHERE t."pugId" = p.id), '[]') AS toys
                             FROM pugs p WHERE p."ownerId" = o.id) p), '[]') AS pugs
    FROM owners o WHERE o.name LIKE 'a%'
   ORDER BY o.id LIMIT 20) x
