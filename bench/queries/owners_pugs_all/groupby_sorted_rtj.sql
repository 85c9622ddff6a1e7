SELECT row_to_json(x) FROM (
  SELECT o.*, COALESCE(g.pugs, '[]') AS pugs
    FROM owners o
    LEFT JOIN (SELECT p."ownerId", json_agg(p) AS pugs
                 FROM (SELECT * FROM pugs ORDER BY "ownerId", id) p GROUP BY p."ownerId") g
      ON g."ownerId" = o.id
   ORDER BY o.id) x
