-- bench/report.sql: the table of bench/run.sh, from its result files,
-- which run.sh loads with \copy where the @load@ line is.
\set ON_ERROR_STOP on
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
-- returns what assoc returns; for the node and peer rows, assoc; and for
-- the peer rows, the fastest peer (the one the target is about)
CREATE TEMP VIEW refs AS
SELECT workload, min(ms) FILTER (WHERE kind NOT IN ('node', 'peer') AND variant <> 'assoc' AND status = 'ok') AS best_hand,
       min(ms) FILTER (WHERE kind IN ('node', 'peer') AND variant = 'assoc' AND status = 'ok') AS node_assoc,
       min(ms) FILTER (WHERE kind = 'peer' AND variant <> 'assoc' AND status = 'ok') AS best_peer
  FROM medians GROUP BY workload;

CREATE TEMP VIEW report AS
SELECT m.ord, m.workload, m.title, m.kind, m.target, m.variant, m.status, m.runs, m.ms,
       CASE WHEN m.ms IS NULL THEN NULL
            WHEN m.kind = 'tps' THEN r.best_hand / m.ms      -- TPS ratio
            WHEN m.kind IN ('node', 'peer') THEN m.ms / r.node_assoc    -- times slower than assoc
            ELSE m.ms / r.best_hand END AS ratio,
       -- the row the target is about
       coalesce(CASE m.kind WHEN 'node' THEN m.variant = 'sequelize'
                            WHEN 'peer' THEN m.variant <> 'assoc' AND m.status = 'ok' AND m.ms = r.best_peer
                            ELSE m.variant = 'assoc' END, false) AS judged
  FROM medians m JOIN refs r USING (workload);

\pset footer off
\pset null 'n/a'
\echo
\echo 'ratio: time / time of the best hand-written SQL (lower is better);'
\echo '       for TPS rows, TPS / TPS of the bare SELECT; for the node rows, time / time of assoc through node-pg'
\echo '       (the target of a Drizzle / TypeORM row is on the fastest of them).'
\echo 'median: of the rounds (whole-table loads: ms per query, in psql; pgbench rows: ms per statement'
\echo '        (TPS = clients x 1000 / ms), all variants alternating in one script).'
\echo
SELECT CASE WHEN row_number() OVER w = 1 THEN title ELSE '' END AS workload,
       variant,
       CASE WHEN ms IS NULL THEN status
            WHEN kind = 'tps' THEN to_char(2000 / ms, 'FM999990') || ' TPS'
            WHEN ms >= 100 THEN to_char(ms, 'FM9999990') || ' ms'
            ELSE to_char(ms, 'FM990.000') || ' ms' END
         || CASE WHEN status NOT IN ('ok') AND ms IS NOT NULL THEN ' (' || status || ')' ELSE '' END AS median,
       runs,
       to_char(ratio, 'FM990.00') AS ratio,
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
WINDOW w AS (PARTITION BY ord ORDER BY variant <> 'assoc', variant <> 'sequelize', ms NULLS LAST, variant)
 ORDER BY ord, variant <> 'assoc', variant <> 'sequelize', ms NULLS LAST, variant;
