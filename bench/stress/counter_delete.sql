-- writer: plain DELETE of a range of dogs, one statement
\set d random(1, :dogs)
DELETE FROM dogs WHERE id BETWEEN CAST(:d AS int) AND CAST(:d AS int) + 1;
