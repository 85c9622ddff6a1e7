\set o random(1, :owners)
SELECT * FROM pugs WHERE "ownerId" = :o ORDER BY id;
