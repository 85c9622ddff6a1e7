-- writer: a bulk INSERT ... SELECT of ten dogs over ten kennels, one
-- statement (COPY fires the same statement trigger)
\set k random(1, :kennels)
INSERT INTO dogs (name, "kennelId")
    SELECT 'bulk', 1 + (CAST(:k AS int) + i * 7) % CAST(:kennels AS int) FROM generate_series(1, 10) i;
