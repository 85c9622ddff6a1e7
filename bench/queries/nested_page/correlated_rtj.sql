SELECT row_to_json(x) FROM (
  SELECT o.*, (SELECT json_agg(p ORDER BY p.id) FROM pugs p WHERE p."ownerId" = o.id AND p.name LIKE 'pug a%') AS pugs
    FROM owners o
   WHERE EXISTS (SELECT FROM pugs p WHERE p."ownerId" = o.id AND p.name LIKE 'pug a%')
   ORDER BY o.id LIMIT 20) x
