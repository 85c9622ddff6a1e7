-- writer: dog.setKennel(kennel) through the belongs_to accessor
\set d random(1, :dogs)
\set k random(1, :kennels)
SELECT count(*) FROM dog_set_kennel((SELECT id FROM dogs WHERE id >= :d ORDER BY id LIMIT 1), :k);
