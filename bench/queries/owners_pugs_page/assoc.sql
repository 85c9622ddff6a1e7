SELECT owner_with_pugs(o) FROM owners o WHERE o.name LIKE 'a%' ORDER BY o.id LIMIT 20
