-- assoc 0.1.0 -> 0.2.0.  Also part of the install script of 0.2.0, which
-- the Makefile writes from sql/install-head.sql, assoc--0.1.0.sql and this.
\echo Use "ALTER EXTENSION assoc UPDATE" to load this file. \quit

-- The schema assoc becomes the extension's own, so that DROP EXTENSION
-- drops it.  0.1.0's control file named it, and PostgreSQL created it
-- outside the extension and recorded the extension in it; a schema cannot
-- be added to the extension recorded in it, so the extension is recorded in
-- pg_catalog first, as an install of 0.2.0 is (assoc.control), and its
-- dependency on the schema goes.  (A fresh install created the schema in
-- its script, as a member: nothing to do.)
DO $$
DECLARE
    ext oid := (SELECT e.oid FROM pg_catalog.pg_extension e WHERE e.extname = 'assoc');
BEGIN
    IF NOT EXISTS (SELECT FROM pg_catalog.pg_depend d
                    WHERE d.classid = 'pg_catalog.pg_namespace'::pg_catalog.regclass
                      AND d.objid = 'assoc'::pg_catalog.regnamespace
                      AND d.refclassid = 'pg_catalog.pg_extension'::pg_catalog.regclass
                      AND d.refobjid = ext AND d.deptype = 'e') THEN
        UPDATE pg_catalog.pg_extension SET extnamespace = 'pg_catalog'::pg_catalog.regnamespace
         WHERE oid = ext;
        DELETE FROM pg_catalog.pg_depend d
         WHERE d.classid = 'pg_catalog.pg_extension'::pg_catalog.regclass AND d.objid = ext
           AND d.refclassid = 'pg_catalog.pg_namespace'::pg_catalog.regclass
           AND d.refobjid = 'assoc'::pg_catalog.regnamespace;
        ALTER EXTENSION assoc ADD SCHEMA assoc;
    END IF;
END
$$;

-- check_key_or_keys(value, NULL::keytype[], ...): an array literal ('{5,6}')
-- as a keytype[], anything else ('5') as an array of one key; the text
-- overload of the accessors of an uncountable alias (hub_add_news).
CREATE FUNCTION assoc.check_key_or_keys(value text, keytype anyarray, source regclass,
    alias text, role text) RETURNS anyarray
    AS 'MODULE_PATHNAME', 'assoc_check_key_or_keys' LANGUAGE C IMMUTABLE PARALLEL SAFE;

-- Generated functions have string bodies and depend on their tables and on
-- the extension, not on columns (src/depend.c): a catalog row inserted by
-- pg_restore gives its functions those dependencies back.
CREATE FUNCTION assoc.catalog_row_inserted() RETURNS trigger
    AS 'MODULE_PATHNAME', 'assoc_catalog_row_inserted' LANGUAGE C;
REVOKE ALL ON FUNCTION assoc.catalog_row_inserted() FROM PUBLIC;
CREATE TRIGGER catalog_row_inserted AFTER INSERT ON assoc.associations
    FOR EACH ROW EXECUTE FUNCTION assoc.catalog_row_inserted();

-- DROP TABLE, DROP COLUMN, DROP FUNCTION: the catalog follows.  Since the
-- functions no longer depend on key columns, a dropped key column (the
-- foreign key, a source or target key, a through table's keys) ends its
-- associations here, with a NOTICE, and their functions go with them.
CREATE OR REPLACE FUNCTION assoc.on_sql_drop() RETURNS event_trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp
    AS $$
DECLARE
    gone record;
    fn regprocedure;
    n integer;
    ended integer[] := '{}';
    trg record;
BEGIN
    FOR gone IN
        WITH cols AS (
            SELECT d.objid AS tab, d.address_names[3] AS col
              FROM pg_event_trigger_dropped_objects() d
             WHERE d.classid = 'pg_class'::regclass AND d.objsubid <> 0
               AND d.object_type = 'table column'),
        tabs AS (
            SELECT d.objid AS tab
              FROM pg_event_trigger_dropped_objects() d
             WHERE d.classid = 'pg_class'::regclass AND d.objsubid = 0),
        ended AS (
            SELECT a.id,
                   (a.source IN (SELECT tab FROM tabs) OR a.target IN (SELECT tab FROM tabs)
                    OR a.through IN (SELECT tab FROM tabs)) AS table_gone,
                   (SELECT format('%I of table %s', c.col, c.tab::regclass)
                      FROM cols c
                     WHERE (c.tab = CASE a.kind WHEN 'belongs_to' THEN a.source
                                                WHEN 'belongs_to_many' THEN a.through
                                                ELSE a.target END
                            AND c.col = a.foreign_key)
                        OR (a.kind = 'belongs_to_many' AND c.tab = a.through
                            AND c.col = a.other_key)
                        OR (c.tab = a.source AND c.col = a.source_key)
                        OR (c.tab = a.target AND c.col = a.target_key)
                     LIMIT 1) AS col
              FROM assoc.associations a),
        gone AS (
            DELETE FROM assoc.associations a
             USING ended e
             WHERE a.id = e.id AND (e.table_gone OR e.col IS NOT NULL)
            RETURNING a.id, a.alias, a.source, a.functions, e.col)
        SELECT * FROM gone ORDER BY id
    LOOP
        -- its functions that the drop did not take along
        n := 0;
        FOREACH fn IN ARRAY gone.functions LOOP
            IF EXISTS (SELECT FROM pg_proc p WHERE p.oid = fn) THEN
                EXECUTE format('DROP FUNCTION %s', fn);
                n := n + 1;
            END IF;
        END LOOP;
        ended := ended || gone.id;
        IF gone.col IS NOT NULL THEN
            RAISE NOTICE 'association "%" of table % is dropped with column %',
                gone.alias, gone.source, gone.col
                USING DETAIL = format('%s generated functions were dropped with it.', n);
        END IF;
    END LOOP;
    -- a counter column dropped: the association counts no more (and with
    -- no touch either, needs its triggers no more)
    FOR gone IN
        WITH cols AS (
            SELECT d.objid AS tab, d.address_names[3] AS col
              FROM pg_event_trigger_dropped_objects() d
             WHERE d.classid = 'pg_class'::regclass AND d.objsubid <> 0
               AND d.object_type = 'table column')
        UPDATE assoc.associations a
           SET options = (a.options - 'counter_cache') #- '{attnums,counter_cache}'
          FROM cols c
         WHERE c.tab = CASE a.kind WHEN 'belongs_to' THEN a.target ELSE a.source END
           AND c.col = a.options->>'counter_cache'
        RETURNING a.id, a.alias, a.source, c.tab, c.col,
                  coalesce(a.options->>'touch', 'false') = 'true' AS touch
    LOOP
        IF NOT gone.touch THEN
            ended := ended || gone.id;
        END IF;
        RAISE NOTICE 'association "%" of table % counts no more: its counter column % of table % is dropped',
            gone.alias, gone.source, quote_ident(gone.col), gone.tab::regclass;
    END LOOP;
    -- the counter-cache and touch triggers of those, on tables still there
    -- (src/counter.c names them assoc_<id>_<event>)
    FOR trg IN
        SELECT t.tgname, t.tgrelid::regclass AS tab
          FROM pg_trigger t, unnest(ended) AS e(id)
         WHERE t.tgfoid = to_regprocedure('assoc.counter_touch_trigger()')
           AND t.tgname LIKE format('assoc\_%s\_%%', e.id)
         ORDER BY 1
    LOOP
        EXECUTE format('DROP TRIGGER %I ON %s', trg.tgname, trg.tab);
    END LOOP;
    -- functions dropped by hand
    UPDATE assoc.associations a
       SET functions = ARRAY(SELECT u.fn FROM unnest(a.functions) AS u(fn)
                              WHERE u.fn NOT IN (SELECT d.objid FROM pg_event_trigger_dropped_objects() d
                                               WHERE d.classid = 'pg_proc'::regclass))
     WHERE a.functions && ARRAY(SELECT d.objid::regprocedure FROM pg_event_trigger_dropped_objects() d
                                 WHERE d.classid = 'pg_proc'::regclass);
END
$$;

-- Rewrite the generated functions of one table's associations, or of all
-- the caller's tables: after an upgrade of assoc that changes what it
-- generates, or after a data-only restore that skipped the catalog trigger.
-- Only what changed is written; returns how many functions were created,
-- replaced or dropped.
CREATE FUNCTION assoc.regenerate(tab regclass DEFAULT NULL) RETURNS integer
    AS 'MODULE_PATHNAME', 'assoc_regenerate' LANGUAGE C VOLATILE;

-- The version of assoc whose code wrote an association's functions (or
-- found them to be what it writes): assoc.regenerate() below sets it for
-- the rows of 0.1.0, NULL until then.
ALTER TABLE assoc.associations ADD COLUMN generated_by text;
COMMENT ON COLUMN assoc.associations.generated_by IS 'version of assoc that generated the functions';

-- 0.1.0's functions had SQL-standard bodies that depend on every column
SELECT assoc.regenerate();

-- ==== counter caches and touch (issue 16, items 3 and 4) ====
-- belongs_to gains counter_cache and touch, has_many counter_cache, as
-- their last arguments (src/counter.c; README, "Counter caches and
-- touch").  A new argument is a new signature: the function is dropped and
-- created again (nothing of 0.1.0's catalog depends on it).
DROP FUNCTION assoc.belongs_to(regclass, regclass, text, text, text, text, text,
                               boolean, boolean, boolean, boolean);
CREATE FUNCTION assoc.belongs_to(
    source regclass, target regclass, alias text DEFAULT NULL,
    foreign_key text DEFAULT NULL, target_key text DEFAULT NULL,
    on_delete text DEFAULT NULL, on_update text DEFAULT NULL,
    constraints boolean DEFAULT true, underscored boolean DEFAULT NULL,
    create_index boolean DEFAULT true, dry_run boolean DEFAULT false,
    counter_cache text DEFAULT NULL, touch boolean DEFAULT false)
    RETURNS assoc.associations
    AS 'MODULE_PATHNAME', 'assoc_belongs_to' LANGUAGE C VOLATILE;

DROP FUNCTION assoc.has_many(regclass, regclass, text, text, text, text, text,
                             boolean, boolean, boolean, boolean);
CREATE FUNCTION assoc.has_many(
    source regclass, target regclass, alias text DEFAULT NULL,
    foreign_key text DEFAULT NULL, source_key text DEFAULT NULL,
    on_delete text DEFAULT NULL, on_update text DEFAULT NULL,
    constraints boolean DEFAULT true, underscored boolean DEFAULT NULL,
    create_index boolean DEFAULT true, dry_run boolean DEFAULT false,
    counter_cache text DEFAULT NULL)
    RETURNS assoc.associations
    AS 'MODULE_PATHNAME', 'assoc_has_many' LANGUAGE C VOLATILE;

-- The statement trigger of an association with counter_cache or touch:
-- its argument is the association's id.
CREATE FUNCTION assoc.counter_touch_trigger() RETURNS trigger
    AS 'MODULE_PATHNAME', 'assoc_counter_touch_trigger' LANGUAGE C;

-- The counters of the counter caches of a table (the one with the
-- counter, or the one counted), rebuilt from the rows; returns how many
-- were wrong.
CREATE FUNCTION assoc.recount(tab regclass) RETURNS bigint
    AS 'MODULE_PATHNAME', 'assoc_recount' LANGUAGE C VOLATILE;
-- ==== end of counter caches and touch ====

-- Sequelize's count and findAndCountAll: the number of instances find_all
-- would give without limit and offset (never of joined rows), and that
-- number with the rows, {"count": N, "rows": [...]}, in one statement.
CREATE FUNCTION assoc.count(model regclass, options jsonb DEFAULT '{}')
    RETURNS bigint
    AS 'MODULE_PATHNAME', 'assoc_count' LANGUAGE C STABLE;
CREATE FUNCTION assoc.find_and_count_all(model regclass, options jsonb DEFAULT '{}')
    RETURNS json
    AS 'MODULE_PATHNAME', 'assoc_find_and_count_all' LANGUAGE C STABLE;

-- Model options (README, "Model options"): one row per table declared with
-- assoc.model, what was declared (NULL: the default).  attnums are the
-- numbers of the columns created_at, updated_at and deleted_at name (0:
-- none), by which a renamed column is followed.  Written only by
-- assoc.model, as the catalog's owner, after checking that the caller owns
-- the table; readable by everyone; dumped as the associations are.
CREATE TABLE assoc.models (
    tab         regclass PRIMARY KEY,
    name        text CHECK (name <> ''),
    timestamps  boolean,
    created_at  text,
    updated_at  text,
    paranoid    boolean,
    deleted_at  text,
    underscored boolean,
    attnums     smallint[] NOT NULL DEFAULT '{0,0,0}'
);
COMMENT ON TABLE assoc.models IS 'model options declared with assoc.model';
SELECT pg_catalog.pg_extension_config_dump('assoc.models', '');
REVOKE ALL ON assoc.models FROM PUBLIC;
GRANT SELECT ON assoc.models TO PUBLIC;

-- Declare (or change) a table's model options, as Sequelize's define
-- options; regenerates the functions of the table's associations.
CREATE FUNCTION assoc.model(tab regclass, name text DEFAULT NULL,
    timestamps boolean DEFAULT NULL, created_at text DEFAULT NULL,
    updated_at text DEFAULT NULL, paranoid boolean DEFAULT NULL,
    deleted_at text DEFAULT NULL, underscored boolean DEFAULT NULL)
    RETURNS assoc.models
    AS 'MODULE_PATHNAME', 'assoc_model' LANGUAGE C VOLATILE;

-- DROP TABLE and DROP COLUMN: the model options follow.  A dropped table
-- loses its row; a dropped column that a model option names is no longer
-- named (a NOTICE says so): a dropped deleted-at column ends paranoid, a
-- dropped timestamp column is '' (none).  The functions are written again
-- by the ALTER TABLE trigger that follows.
CREATE FUNCTION assoc.on_sql_drop_models() RETURNS event_trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp
    AS $$
DECLARE
    r record;
BEGIN
    DELETE FROM assoc.models m
     USING pg_event_trigger_dropped_objects() d
     WHERE d.classid = 'pg_class'::regclass AND d.objsubid = 0 AND d.objid = m.tab;
    FOR r IN
        SELECT m.tab, d.objsubid AS attnum, d.address_names[3] AS col,
               array_position(m.attnums, d.objsubid::smallint) AS which
          FROM assoc.models m, pg_event_trigger_dropped_objects() d
         WHERE d.classid = 'pg_class'::regclass AND d.objsubid <> 0
           AND d.object_type = 'table column' AND d.objid = m.tab
           AND d.objsubid = ANY (m.attnums)
    LOOP
        IF r.which = 3 THEN
            UPDATE assoc.models SET paranoid = NULL, deleted_at = NULL,
                   attnums[3] = 0 WHERE tab = r.tab;
            RAISE NOTICE 'model % is no longer paranoid: its deleted-at column % is dropped',
                r.tab, quote_ident(r.col);
        ELSIF r.which = 1 THEN
            UPDATE assoc.models SET created_at = '', attnums[1] = 0 WHERE tab = r.tab;
            RAISE NOTICE 'model % has no created-at column: column % is dropped',
                r.tab, quote_ident(r.col);
        ELSE
            UPDATE assoc.models SET updated_at = '', attnums[2] = 0 WHERE tab = r.tab;
            RAISE NOTICE 'model % has no updated-at column: column % is dropped',
                r.tab, quote_ident(r.col);
        END IF;
    END LOOP;
END
$$;
REVOKE ALL ON FUNCTION assoc.on_sql_drop_models() FROM PUBLIC;
CREATE EVENT TRIGGER assoc_sql_drop_models ON sql_drop
    EXECUTE FUNCTION assoc.on_sql_drop_models();
