SELECT row_to_json(x) FROM (
  SELECT o.*, count(p.id) AS "pugCount"
    FROM owners o LEFT JOIN pugs p ON p."ownerId" = o.id
   GROUP BY o.id
   ORDER BY "pugCount" DESC, o.id LIMIT 20) x
