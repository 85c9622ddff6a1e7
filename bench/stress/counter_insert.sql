-- writer: plain INSERT of three dogs of up to three kennels, one statement
\set a random(1, :kennels)
\set b random(1, :kennels)
\set c random(1, :kennels)
INSERT INTO dogs (name, "kennelId") VALUES ('a', CAST(:a AS int)), ('b', CAST(:b AS int)), ('c', NULLIF(CAST(:c AS int), CAST(:a AS int)));
