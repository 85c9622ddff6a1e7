-- writer: owner.removePug(pug), mostly of a pug the owner has (or a random
-- one, which changes nothing when it belongs to another owner)
\set o random(1, :owners)
\set p random(1, :pugs)
SELECT id FROM owner_remove_pug(:o,
    COALESCE((SELECT id FROM pugs WHERE "ownerId" = :o ORDER BY random() LIMIT 1), :p));
