SELECT json_build_object(
         'count', (SELECT count(*) FROM owners o
                    WHERE o.name LIKE 'a%' AND o.id IN (SELECT p."ownerId" FROM pugs p)),
         'rows', COALESCE((SELECT json_agg(row_to_json(x) ORDER BY x.id) FROM (
             SELECT o.*, (SELECT json_agg(p ORDER BY p.id) FROM pugs p WHERE p."ownerId" = o.id) AS pugs
               FROM owners o
              WHERE o.name LIKE 'a%' AND EXISTS (SELECT FROM pugs p WHERE p."ownerId" = o.id)
              ORDER BY o.id LIMIT 20) x),
           '[]'))
