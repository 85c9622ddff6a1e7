-- bench/stress/check.sql: the state after the run must be consistent.  One
-- row per check: its name, the number of problems, and one example.
-- psql variable :pugs is the number of pugs setup.sql inserted.
SET search_path = assoc_stress;
WITH checks (name, problems, example) AS (
    -- the foreign key: every "ownerId" names an existing owner
    SELECT 'ownerId references an owner', count(*), min(format('pug %s -> owner %s', p.id, p."ownerId"))
      FROM pugs p WHERE p."ownerId" IS NOT NULL
       AND NOT EXISTS (SELECT FROM owners o WHERE o.id = p."ownerId")
    UNION ALL
    -- the accessors agree with the table, owner by owner
    SELECT 'owner_count_pugs = COUNT(*) GROUP BY', count(*), min(format('owner %s: %s vs %s', o.id, owner_count_pugs(o.id), coalesce(g.n, 0)))
      FROM owners o LEFT JOIN (SELECT "ownerId", count(*) AS n FROM pugs GROUP BY 1) g ON g."ownerId" = o.id
     WHERE owner_count_pugs(o.id) <> coalesce(g.n, 0)
    UNION ALL
    SELECT 'owner_get_pugs = the pugs with that ownerId', count(*), min(format('owner %s', o.id))
      FROM owners o
     WHERE ARRAY(SELECT g.id FROM owner_get_pugs(o) g)
           IS DISTINCT FROM ARRAY(SELECT p.id FROM pugs p WHERE p."ownerId" = o.id ORDER BY p.id)
    UNION ALL
    SELECT 'owner_with_pugs lists the same pugs', count(*), min(format('owner %s', o.id))
      FROM owners o
     WHERE ARRAY(SELECT (e->>'id')::int FROM json_array_elements(owner_with_pugs(o)->'pugs') e)
           IS DISTINCT FROM ARRAY(SELECT p.id FROM pugs p WHERE p."ownerId" = o.id ORDER BY p.id)
    UNION ALL
    SELECT 'pug_get_owner = ownerId', count(*), min(format('pug %s', p.id))
      FROM pugs p
     WHERE (SELECT g.id FROM pug_get_owner(p) g) IS DISTINCT FROM p."ownerId"
    UNION ALL
    -- the ledger of created pugs: each exists, once, and no other pug appeared
    SELECT 'every created pug exists', count(*), min(format('pug %s', c.pug))
      FROM created c WHERE NOT EXISTS (SELECT FROM pugs p WHERE p.id = c.pug)
    UNION ALL
    SELECT 'no pug outside the ledger', count(*), min(format('pug %s', p.id))
      FROM pugs p WHERE p.id > :pugs AND NOT EXISTS (SELECT FROM created c WHERE c.pug = p.id)
    UNION ALL
    SELECT 'no pug lost', abs((SELECT count(*) FROM pugs) - (:pugs + (SELECT count(*) FROM created))),
           format('%s pugs, %s + %s expected', (SELECT count(*) FROM pugs), :pugs, (SELECT count(*) FROM created))
    UNION ALL
    -- no lost update: versions 0..n, each once, and the last is the current state
    SELECT 'each pug''s history is complete', count(*), min(format('pug %s: version %s, %s history rows', p.id, p.version, h.n))
      FROM pugs p LEFT JOIN (SELECT pug, count(*) AS n, max(version) AS v FROM history GROUP BY pug) h ON h.pug = p.id
     WHERE coalesce(h.n, 0) <> p.version + 1 OR h.v IS DISTINCT FROM p.version
    UNION ALL
    SELECT 'each pug''s last version is its state', count(*), min(format('pug %s', p.id))
      FROM pugs p JOIN history h ON h.pug = p.id AND h.version = p.version
     WHERE h.owner IS DISTINCT FROM p."ownerId"
    UNION ALL
    SELECT 'the catalog is intact', CASE WHEN count(*) = 2 AND min(cardinality(functions)) > 0 THEN 0 ELSE 1 END,
           string_agg(format('%s %s', kind, alias), ', ')
      FROM assoc.associations WHERE source IN ('owners'::regclass, 'pugs'::regclass)
)
SELECT name AS "check", problems, CASE WHEN problems > 0 THEN example END AS example FROM checks;
