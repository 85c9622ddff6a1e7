\set o random(1, :owners)
\set p1 random(1, :pugs)
\set p2 random(1, :pugs)
\set p3 random(1, :pugs)
SELECT owner_set_pugs(:o, ARRAY[:p1, :p2, :p3]);
