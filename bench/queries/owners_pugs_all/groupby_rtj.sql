SELECT row_to_json(x) FROM (
  SELECT o.*, COALESCE(g.pugs, '[]') AS pugs
    FROM owners o
    LEFT JOIN (SELECT p."ownerId", json_agg(p ORDER BY p.id) AS pugs FROM pugs p GROUP BY p."ownerId") g
      ON g."ownerId" = o.id
   ORDER BY o.id) x
