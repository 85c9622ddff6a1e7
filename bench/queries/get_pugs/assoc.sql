\set o random(1, :owners)
SELECT * FROM owner_get_pugs(:o);
