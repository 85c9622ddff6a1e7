-- writer: owner.setPugs([...]): up to 3 of the owner's pugs (it keeps
-- those, loses the others) and 0 to 3 random ones (duplicates allowed),
-- passed as untyped text ('{1,2,3}') as a driver would.  Afterwards the
-- owner has at least those pugs (a concurrent pug_set_owner may add others:
-- it locks the pug, not the owner).
\set o random(1, :owners)
\set n random(0, 3)
\set p1 random(1, :pugs)
\set p2 random(1, :pugs)
\set p3 random(1, :pugs)
BEGIN;
SELECT (ARRAY(SELECT id FROM pugs WHERE "ownerId" = :o ORDER BY random() LIMIT 3)
        || (ARRAY[:p1, :p2, :p3]::int[])[1:(:n)])::text AS arr \gset
SELECT id FROM owner_set_pugs(:o, :arr);
SELECT stress_assert(ARRAY(SELECT id FROM owner_get_pugs(:o)) @> CAST(:arr AS int[]),
                     'owner_set_pugs(' || :o || ', ' || :arr || ') then owner_get_pugs');
END;
