SELECT row_to_json(x) FROM (
  SELECT o.*, COALESCE(p.pugs, '[]') AS pugs
    FROM owners o
    CROSS JOIN LATERAL (
      SELECT json_agg(p ORDER BY p.id) AS pugs
        FROM (SELECT p.*, COALESCE(t.toys, '[]') AS toys
                FROM pugs p
                CROSS JOIN LATERAL (SELECT json_agg(t ORDER BY t.id) AS toys FROM toys t WHERE t."pugId" = p.id) t
               WHERE p."ownerId" = o.id) p) p
   ORDER BY o.id) x
