-- assoc: the start of the install script of the current version,
-- sql/assoc--$(EXTVERSION).sql, which the Makefile writes as this file, then
-- the released sql/assoc--0.1.0.sql, then each update script in turn
-- (sql/assoc--0.1.0--0.2.0.sql, ...).  Not installed on its own.
\echo Use "CREATE EXTENSION assoc" to load this file. \quit

-- The schema of every object below, created here so that it belongs to the
-- extension and DROP EXTENSION drops it too (assoc.control names
-- pg_catalog, not assoc: PostgreSQL would create a schema named there
-- outside the extension).  One that exists already is not taken over: it
-- may be what DROP EXTENSION left behind when the control file named
-- assoc, or another role's.
DO $$
BEGIN
    IF pg_catalog.to_regnamespace('assoc') IS NOT NULL THEN
        RAISE EXCEPTION 'schema "assoc" already exists'
            USING ERRCODE = 'duplicate_schema',
                  DETAIL = 'CREATE EXTENSION assoc creates the schema assoc for its objects.',
                  HINT = 'When it is empty (left behind by DROP EXTENSION assoc of an earlier installation), drop it with DROP SCHEMA assoc; otherwise rename it.';
    END IF;
END
$$;
CREATE SCHEMA assoc;

