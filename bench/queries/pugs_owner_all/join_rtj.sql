SELECT row_to_json(x) FROM (
  SELECT p.*, row_to_json(o) AS owner
    FROM pugs p LEFT JOIN owners o ON o.id = p."ownerId"
   ORDER BY p.id) x
