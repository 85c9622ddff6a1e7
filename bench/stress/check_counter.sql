-- bench/stress/check_counter.sql: every counter exact after the run, and
-- the kennels of the dogs written during the run touched.  psql variable:
-- :dogs (the dogs at the start).
SET search_path = assoc_stress;
WITH checks (name, problems, example) AS (
    SELECT 'kennels."dogsCount" = count(*) of their dogs', count(*),
           min(format('kennel %s: %s counted, %s dogs', k.id, k."dogsCount", n.n))
      FROM kennels k, LATERAL (SELECT count(*) AS n FROM dogs d WHERE d."kennelId" = k.id) n
     WHERE k."dogsCount" <> n.n
    UNION ALL
    SELECT 'touch: kennels of dogs inserted during the run were bumped', count(*), min(format('kennel %s', k.id))
      FROM kennels k
     WHERE k."updatedAt" = '2000-01-01Z'
       AND EXISTS (SELECT FROM dogs d WHERE d."kennelId" = k.id AND d.id > :dogs)
)
SELECT name AS "check", problems, CASE WHEN problems > 0 THEN example END AS example FROM checks;
