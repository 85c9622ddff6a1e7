-- writer: pug.setOwner(owner), or setOwner(null) one time in ten
\set o random(1, :owners)
\set p random(1, :pugs)
\set unset random(1, 10)
BEGIN;
SELECT id FROM pug_set_owner(:p, CASE WHEN :unset = 1 THEN NULL ELSE :o END);
SELECT stress_assert((SELECT "ownerId" FROM pugs WHERE id = :p) IS NOT DISTINCT FROM
                     CASE WHEN :unset = 1 THEN NULL ELSE CAST(:o AS int) END,
                     'pug_set_owner(' || :p || ') then its ownerId');
END;
