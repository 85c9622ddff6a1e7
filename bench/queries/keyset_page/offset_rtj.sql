SELECT row_to_json(x) FROM (
  SELECT o.*, COALESCE(p.pugs, '[]') AS pugs
    FROM (SELECT * FROM owners ORDER BY id OFFSET 90000 LIMIT 20) o
    CROSS JOIN LATERAL (SELECT json_agg(p ORDER BY p.id) AS pugs FROM pugs p WHERE p."ownerId" = o.id) p
   ORDER BY o.id) x
