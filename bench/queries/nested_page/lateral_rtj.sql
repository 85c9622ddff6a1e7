SELECT row_to_json(x) FROM (
  SELECT o.*, p.pugs
    FROM owners o
    CROSS JOIN LATERAL (SELECT json_agg(p ORDER BY p.id) AS pugs FROM pugs p
                         WHERE p."ownerId" = o.id AND p.name LIKE 'pug a%') p
   WHERE p.pugs IS NOT NULL
   ORDER BY o.id LIMIT 20) x
