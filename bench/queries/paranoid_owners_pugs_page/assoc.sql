SELECT paranoid.owner_with_pugs(o) FROM paranoid.owners o WHERE o.name LIKE 'a%' AND o."deletedAt" IS NULL ORDER BY o.id LIMIT 20
