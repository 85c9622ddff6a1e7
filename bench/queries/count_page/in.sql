SELECT count(*) FROM owners o WHERE o.name LIKE 'a%' AND o.id IN (SELECT p."ownerId" FROM pugs p)
