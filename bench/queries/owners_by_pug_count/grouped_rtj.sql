SELECT row_to_json(x) FROM (
  SELECT o.*, COALESCE(c.n, 0) AS "pugCount"
    FROM owners o LEFT JOIN (SELECT "ownerId", count(*) AS n FROM pugs GROUP BY "ownerId") c ON c."ownerId" = o.id
   ORDER BY COALESCE(c.n, 0) DESC, o.id LIMIT 20) x
