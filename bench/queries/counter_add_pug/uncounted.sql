\set o random(1, :owners)
\set p random(1, :pugs)
SELECT uncounted.owner_add_pug(:o, :p);
