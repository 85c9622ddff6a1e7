SELECT row_to_json(x) FROM (
  SELECT p.*, (SELECT row_to_json(o) FROM owners o WHERE o.id = p."ownerId") AS owner
    FROM pugs p
   ORDER BY p.id) x
