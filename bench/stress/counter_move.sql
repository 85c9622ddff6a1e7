-- writer: plain UPDATE moving a range of dogs to another kennel (or none)
\set d random(1, :dogs)
\set k random(0, :kennels)
UPDATE dogs SET "kennelId" = NULLIF(CAST(:k AS int), 0) WHERE id BETWEEN CAST(:d AS int) AND CAST(:d AS int) + 2;
