-- reader: Owner.findAll({include: Pug}) for one owner
\set o random(1, :owners)
SELECT owner_with_pugs(:o);
