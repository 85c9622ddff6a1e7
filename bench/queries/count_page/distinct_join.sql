SELECT count(DISTINCT o.id) FROM owners o JOIN pugs p ON p."ownerId" = o.id WHERE o.name LIKE 'a%'
