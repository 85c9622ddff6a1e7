SELECT row_to_json(x) FROM (
  SELECT o.*, COALESCE((SELECT json_agg(p ORDER BY p.id) FROM pugs p WHERE p."ownerId" = o.id), '[]') AS pugs
    FROM owners o WHERE o.id > 90000
   ORDER BY o.id LIMIT 20) x
