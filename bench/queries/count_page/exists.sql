SELECT count(*) FROM owners o WHERE o.name LIKE 'a%' AND EXISTS (SELECT FROM pugs p WHERE p."ownerId" = o.id)
