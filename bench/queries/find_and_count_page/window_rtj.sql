SELECT json_build_object('count', max(o.n), 'rows', COALESCE(json_agg(row_to_json(r) ORDER BY o.id), '[]'))
  FROM (SELECT o.*, count(*) OVER () AS n FROM owners o
         WHERE o.name LIKE 'a%' AND EXISTS (SELECT FROM pugs p WHERE p."ownerId" = o.id)
         ORDER BY o.id LIMIT 20) o
  CROSS JOIN LATERAL (SELECT o.id, o.name, o."createdAt", o."updatedAt",
                             (SELECT json_agg(p ORDER BY p.id) FROM pugs p WHERE p."ownerId" = o.id) AS pugs) r
