\set o random(1, :owners)
\set p random(1, :pugs)
SELECT counted.owner_add_pug(:o, :p);
