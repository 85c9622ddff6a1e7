SELECT row_to_json(x) FROM (
  SELECT p.*, o.owner
    FROM pugs p
    LEFT JOIN LATERAL (SELECT row_to_json(o) AS owner FROM owners o WHERE o.id = p."ownerId") o ON true
   ORDER BY p.id) x
