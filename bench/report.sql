-- bench/report.sql: the table of bench/run.sh, from its result files,
-- which run.sh loads with \copy where the @load@ line is.  :versions is 1
-- when the run also timed release 0.1.0 (ASSOC_BENCH_VERSIONS=1): its
-- variants are named <variant>@0.1.0.
\set ON_ERROR_STOP on
\if :{?versions}
\else
\set versions 0
\endif
SET client_min_messages = warning;
CREATE TEMP TABLE defs (ord numeric, workload text, kind text, title text, target text);
CREATE TEMP TABLE results (workload text, variant text, round int, ms float8);
CREATE TEMP TABLE status (id serial, workload text, variant text, status text);
-- @load@

CREATE TEMP VIEW medians AS
SELECT d.ord, d.workload, d.kind, d.title, d.target, v.variant,
       coalesce(s.status, 'ok') AS status,
       (SELECT count(*) FROM results r WHERE r.workload = d.workload AND r.variant = v.variant) AS runs,
       (SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY r.ms) FROM results r
         WHERE r.workload = d.workload AND r.variant = v.variant) AS ms
  FROM defs d
  JOIN (SELECT workload, variant FROM results UNION SELECT workload, variant FROM status) v
    ON v.workload = d.workload
  LEFT JOIN (SELECT DISTINCT ON (workload, variant) workload, variant, status
               FROM status ORDER BY workload, variant, id DESC) s
    ON s.workload = d.workload AND s.variant = v.variant;

-- the reference of each workload: the fastest hand-written variant that
-- returns what assoc returns, in the same database (this build's, or
-- 0.1.0's: old); for the node and peer rows, assoc; and for the peer rows,
-- the fastest peer (the one the target is about)
CREATE TEMP VIEW refs AS
SELECT workload, variant LIKE '%@0.1.0' AS old,
       min(ms) FILTER (WHERE kind NOT IN ('node', 'peer') AND variant NOT IN ('assoc', 'assoc@0.1.0') AND status = 'ok') AS best_hand,
       min(ms) FILTER (WHERE kind IN ('node', 'peer') AND variant = 'assoc' AND status = 'ok') AS node_assoc,
       min(ms) FILTER (WHERE kind = 'peer' AND variant <> 'assoc' AND status = 'ok') AS best_peer
  FROM medians GROUP BY workload, old;

-- time_old: a variant's time / the time of the same file in 0.1.0's
-- database (for assoc, this build / 0.1.0; for a hand-written variant, the
-- same statement on the same rows: what the two databases differ by
-- anyway).  ratio_old: the same for the times relative to the best
-- hand-written SQL of each database, which cancels what differs between
-- the two pgbench runs of a round (the machine's load, for one).
CREATE TEMP VIEW report AS
SELECT m.ord, m.workload, m.title, m.kind, m.target, m.variant, m.status, m.runs, m.ms,
       CASE WHEN m.ms IS NULL THEN NULL
            WHEN m.kind = 'tps' THEN r.best_hand / m.ms      -- TPS ratio
            WHEN m.kind IN ('node', 'peer') THEN m.ms / r.node_assoc    -- times slower than assoc
            ELSE m.ms / r.best_hand END AS ratio,
       -- the row the target is about
       coalesce(CASE m.kind WHEN 'node' THEN m.variant = 'sequelize'
                            WHEN 'peer' THEN m.variant <> 'assoc' AND m.status = 'ok' AND m.ms = r.best_peer
                            ELSE m.variant = 'assoc' END, false) AS judged,
       m.ms / o.ms AS time_old,
       (m.ms / r.best_hand) / (o.ms / ro.best_hand) AS ratio_old
  FROM medians m JOIN refs r ON r.workload = m.workload AND r.old = (m.variant LIKE '%@0.1.0')
  LEFT JOIN medians o ON o.workload = m.workload AND o.variant = m.variant || '@0.1.0' AND o.status = 'ok'
  LEFT JOIN refs ro ON ro.workload = m.workload AND ro.old
 -- of 0.1.0's variants, the table shows assoc's
 WHERE m.variant NOT LIKE '%@0.1.0' OR m.variant = 'assoc@0.1.0';

\pset footer off
\pset null 'n/a'
\echo
\echo 'ratio: time / time of the best hand-written SQL (lower is better);'
\echo '       for TPS rows, TPS / TPS of the bare SELECT; for the node rows, time / time of assoc through node-pg'
\echo '       (the target of a Drizzle / TypeORM row is on the fastest of them);'
\echo '       for the [floor] rows, time / time of sending the same JSON text from a table (SELECT j FROM it).'
\if :versions
\echo '       assoc@0.1.0: release 0.1.0, in a database of its own (same rows), its ratio to the hand-written SQL there.'
\echo 'time/0.1.0: time / time of the same statement in the database of 0.1.0, every kind (lower is better): on'
\echo '       the assoc row, this build / 0.1.0; on the hand-written rows, the same SQL on the same rows (the noise).'
\echo 'ratio/0.1.0: assoc''s time / best hand-written SQL''s, over the same for 0.1.0 in its database (every kind,'
\echo '       lower is better): this build / 0.1.0 without what differs between the two databases'' pgbench runs.'
\endif
\echo 'median: of the rounds (whole-table loads: ms per query, in psql; pgbench rows: ms per statement'
\echo '        (TPS = clients x 1000 / ms), all variants alternating in one script).'
\echo
CREATE TEMP VIEW lines AS
SELECT row_number() OVER (ORDER BY ord, variant <> 'assoc', variant <> 'assoc@0.1.0', variant <> 'sequelize',
                                   ms NULLS LAST, variant) AS n,
       CASE WHEN row_number() OVER w = 1 THEN title ELSE '' END AS workload,
       variant,
       CASE WHEN ms IS NULL THEN status
            WHEN kind = 'tps' THEN to_char(2000 / ms, 'FM999990') || ' TPS'
            WHEN ms >= 100 THEN to_char(ms, 'FM9999990') || ' ms'
            ELSE to_char(ms, 'FM990.000') || ' ms' END
         || CASE WHEN status NOT IN ('ok') AND ms IS NOT NULL THEN ' (' || status || ')' ELSE '' END AS median,
       runs,
       to_char(ratio, 'FM990.00') AS ratio,
       coalesce(to_char(time_old, 'FM990.00'), '') AS "time/0.1.0",
       CASE WHEN variant = 'assoc' THEN coalesce(to_char(ratio_old, 'FM990.00'), '') ELSE '' END AS "ratio/0.1.0",
       CASE WHEN target = '-' OR NOT judged
            THEN ''
            ELSE replace(replace(replace(target, 'time<=', '<= '), 'tps>=', '>= '), 'x>=', '>= ') END AS target,
       CASE WHEN target = '-' OR ratio IS NULL OR NOT judged
            THEN ''
            WHEN target LIKE 'time<=%' THEN CASE WHEN ratio <= substr(target, 7)::numeric THEN 'met' ELSE 'MISSED' END
            WHEN target LIKE 'tps>=%' THEN CASE WHEN ratio >= substr(target, 6)::numeric THEN 'met' ELSE 'MISSED' END
            WHEN target LIKE 'x>=%' THEN CASE WHEN ratio >= substr(target, 4)::numeric THEN 'met' ELSE 'MISSED' END
       END AS result
  FROM report
WINDOW w AS (PARTITION BY ord ORDER BY variant <> 'assoc', variant <> 'assoc@0.1.0', variant <> 'sequelize',
                                       ms NULLS LAST, variant);

\if :versions
SELECT workload, variant, median, runs, ratio, "time/0.1.0", "ratio/0.1.0", target, result FROM lines ORDER BY n;
\else
SELECT workload, variant, median, runs, ratio, target, result FROM lines ORDER BY n;
\endif
