-- reader: owner.countPugs(), owner.hasPugs()
\set o random(1, :owners)
\set p random(1, :pugs)
SELECT owner_count_pugs(:o), owner_has_pug(:o, :p);
