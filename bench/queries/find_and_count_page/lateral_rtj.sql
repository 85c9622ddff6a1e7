SELECT json_build_object(
         'count', (SELECT count(*) FROM owners o
                    WHERE o.name LIKE 'a%' AND EXISTS (SELECT FROM pugs p WHERE p."ownerId" = o.id)),
         'rows', COALESCE((SELECT json_agg(row_to_json(x) ORDER BY x.id) FROM (
             SELECT o.*, p.pugs
               FROM (SELECT * FROM owners o
                      WHERE o.name LIKE 'a%' AND EXISTS (SELECT FROM pugs p WHERE p."ownerId" = o.id)
                      ORDER BY o.id LIMIT 20) o
               CROSS JOIN LATERAL (SELECT json_agg(p ORDER BY p.id) AS pugs FROM pugs p WHERE p."ownerId" = o.id) p) x),
           '[]'))
