-- reader: a kennel's counter, which must equal the count it sees
\set k random(1, :kennels)
SELECT stress_assert(k."dogsCount" = (SELECT count(*) FROM dogs d WHERE d."kennelId" = k.id),
                     'kennel ' || k.id || ': counter ' || k."dogsCount" || ' in a snapshot')
  FROM kennels k WHERE k.id = :k;
