-- writer: owner.addPug(pug), taking it from whichever owner had it; the
-- link is visible at once (this transaction holds the pug's row lock)
\set o random(1, :owners)
\set p random(1, :pugs)
BEGIN;
SELECT id FROM owner_add_pug(:o, :p);
SELECT stress_assert(owner_has_pug(:o, :p), 'owner_add_pug(' || :o || ', ' || :p || ') then owner_has_pug');
END;
