SELECT row_to_json(x) FROM (
  SELECT o.*, (SELECT count(*) FROM pugs p WHERE p."ownerId" = o.id) AS "pugCount"
    FROM owners o
   ORDER BY "pugCount" DESC, o.id LIMIT 20) x
