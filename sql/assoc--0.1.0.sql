-- assoc 0.1.0: catalog, declaration functions and helpers.
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

-- The catalog: one row per declared association.  Keys of the row are the
-- names Sequelize would derive (see README, "Names").  source_key and
-- target_key are the columns that identify an instance on each side: for
-- has_one/has_many source_key is the referenced key, for belongs_to
-- target_key is.
CREATE TABLE assoc.associations (
    id          serial PRIMARY KEY,
    kind        text NOT NULL
                CHECK (kind IN ('belongs_to', 'has_one', 'has_many', 'belongs_to_many')),
    source      regclass NOT NULL,
    target      regclass NOT NULL,
    alias       text NOT NULL,
    foreign_key text NOT NULL,
    source_key  text NOT NULL,
    target_key  text NOT NULL,
    through     regclass,
    other_key   text,
    on_delete   text,
    on_update   text,
    options     jsonb NOT NULL DEFAULT '{}',
    functions   regprocedure[] NOT NULL DEFAULT '{}',
    UNIQUE (source, alias)
);

COMMENT ON TABLE assoc.associations IS 'associations declared with assoc.belongs_to, has_one, has_many and belongs_to_many';

SELECT pg_catalog.pg_extension_config_dump('assoc.associations', '');
SELECT pg_catalog.pg_extension_config_dump('assoc.associations_id_seq', '');

-- Everyone may read the catalog; only assoc's own functions write it (they
-- check that the caller owns the tables involved).
REVOKE ALL ON assoc.associations FROM PUBLIC;
GRANT SELECT ON assoc.associations TO PUBLIC;
GRANT USAGE ON SCHEMA assoc TO PUBLIC;

-- Names, as Sequelize's Utils derives them (the inflection package).
CREATE FUNCTION assoc.singularize(word text) RETURNS text
    AS 'MODULE_PATHNAME', 'assoc_singularize_sql'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION assoc.pluralize(word text) RETURNS text
    AS 'MODULE_PATHNAME', 'assoc_pluralize_sql'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION assoc.camelize(word text) RETURNS text
    AS 'MODULE_PATHNAME', 'assoc_camelize_sql'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION assoc.underscore(word text) RETURNS text
    AS 'MODULE_PATHNAME', 'assoc_underscore_sql'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

-- Declarations (SPEC §3).  Each returns the catalog row it wrote.
CREATE FUNCTION assoc.belongs_to(
    source regclass, target regclass, alias text DEFAULT NULL,
    foreign_key text DEFAULT NULL, target_key text DEFAULT NULL,
    on_delete text DEFAULT NULL, on_update text DEFAULT NULL,
    constraints boolean DEFAULT true, underscored boolean DEFAULT NULL,
    create_index boolean DEFAULT true, dry_run boolean DEFAULT false)
    RETURNS assoc.associations
    AS 'MODULE_PATHNAME', 'assoc_belongs_to' LANGUAGE C VOLATILE;

CREATE FUNCTION assoc.has_one(
    source regclass, target regclass, alias text DEFAULT NULL,
    foreign_key text DEFAULT NULL, source_key text DEFAULT NULL,
    on_delete text DEFAULT NULL, on_update text DEFAULT NULL,
    constraints boolean DEFAULT true, underscored boolean DEFAULT NULL,
    create_index boolean DEFAULT true, dry_run boolean DEFAULT false)
    RETURNS assoc.associations
    AS 'MODULE_PATHNAME', 'assoc_has_one' LANGUAGE C VOLATILE;

CREATE FUNCTION assoc.has_many(
    source regclass, target regclass, alias text DEFAULT NULL,
    foreign_key text DEFAULT NULL, source_key text DEFAULT NULL,
    on_delete text DEFAULT NULL, on_update text DEFAULT NULL,
    constraints boolean DEFAULT true, underscored boolean DEFAULT NULL,
    create_index boolean DEFAULT true, dry_run boolean DEFAULT false)
    RETURNS assoc.associations
    AS 'MODULE_PATHNAME', 'assoc_has_many' LANGUAGE C VOLATILE;

-- many-to-many through a junction table, created when missing (named as
-- Sequelize takes a string "through": as it is, in the source's schema)
CREATE FUNCTION assoc.belongs_to_many(
    source regclass, target regclass, through text, alias text DEFAULT NULL,
    foreign_key text DEFAULT NULL, other_key text DEFAULT NULL,
    source_key text DEFAULT NULL, target_key text DEFAULT NULL,
    timestamps boolean DEFAULT true,
    on_delete text DEFAULT NULL, on_update text DEFAULT NULL,
    constraints boolean DEFAULT true, underscored boolean DEFAULT NULL,
    create_index boolean DEFAULT true, dry_run boolean DEFAULT false)
    RETURNS assoc.associations
    AS 'MODULE_PATHNAME', 'assoc_belongs_to_many' LANGUAGE C VOLATILE;

CREATE FUNCTION assoc.drop_association(
    source regclass, alias text, drop_column boolean DEFAULT false)
    RETURNS void
    AS 'MODULE_PATHNAME', 'assoc_drop_association' LANGUAGE C VOLATILE;

-- Helpers called by the generated accessors.  They run with the caller's
-- privileges; the require_* ones only raise errors.
CREATE FUNCTION assoc.require_row(found bigint, source regclass, alias text,
    role text, tab regclass, keycol text, value text) RETURNS void
    AS 'MODULE_PATHNAME', 'assoc_require_row' LANGUAGE C VOLATILE PARALLEL SAFE;
CREATE FUNCTION assoc.require_keys(missing text[], source regclass, alias text,
    role text, tab regclass, keycol text) RETURNS void
    AS 'MODULE_PATHNAME', 'assoc_require_keys' LANGUAGE C VOLATILE PARALLEL SAFE;
CREATE FUNCTION assoc.require_nullable(blocked text[], source regclass, alias text,
    role text, tab regclass, fkcol text) RETURNS void
    AS 'MODULE_PATHNAME', 'assoc_require_nullable' LANGUAGE C VOLATILE PARALLEL SAFE;
-- check_key(value, NULL::keytype, ...) returns the value as a keytype; a
-- NULL value gives NULL (not STRICT: the second argument is always NULL).
CREATE FUNCTION assoc.check_key(value text, keytype anyelement, source regclass,
    alias text, role text) RETURNS anyelement
    AS 'MODULE_PATHNAME', 'assoc_check_key' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION assoc.check_through(through jsonb, allowed text[],
    source regclass, alias text, tab regclass, keys text[]) RETURNS void
    AS 'MODULE_PATHNAME', 'assoc_check_through' LANGUAGE C VOLATILE PARALLEL SAFE;
CREATE FUNCTION assoc.insert_json(tab regclass, "values" jsonb, forced jsonb,
    source regclass, alias text) RETURNS record
    AS 'MODULE_PATHNAME', 'assoc_insert_json' LANGUAGE C VOLATILE;

-- Eager loading: Sequelize's findAll options in JSON, one SQL statement.
CREATE FUNCTION assoc.find_all(model regclass, options jsonb DEFAULT '{}')
    RETURNS SETOF json
    AS 'MODULE_PATHNAME', 'assoc_find_all' LANGUAGE C STABLE;
CREATE FUNCTION assoc.find_all_sql(model regclass, options jsonb DEFAULT '{}')
    RETURNS text
    AS 'MODULE_PATHNAME', 'assoc_find_all_sql' LANGUAGE C STABLE;

-- A table's associations and functions, for a person to read.
CREATE FUNCTION assoc.describe(tab regclass)
    RETURNS TABLE (association text, kind text, target regclass,
                   foreign_key text, actions text, functions text)
    LANGUAGE sql STABLE
    SET search_path = pg_catalog, pg_temp
    AS $$
    SELECT a.alias, a.kind, a.target,
           CASE WHEN a.kind = 'belongs_to_many'
                THEN format('%s.%I -> %s.%I, %s.%I -> %s.%I',
                            a.through, a.foreign_key, a.source, a.source_key,
                            a.through, a.other_key, a.target, a.target_key)
                ELSE format('%s.%I -> %s.%I',
                  CASE WHEN a.kind = 'belongs_to' THEN a.source ELSE a.target END,
                  a.foreign_key,
                  CASE WHEN a.kind = 'belongs_to' THEN a.target ELSE a.source END,
                  CASE WHEN a.kind = 'belongs_to' THEN a.target_key ELSE a.source_key END) END,
           CASE WHEN a.on_delete IS NULL THEN 'no constraint'
                ELSE format('ON DELETE %s ON UPDATE %s', a.on_delete, a.on_update) END,
           (SELECT string_agg(DISTINCT p.proname::text, ', ')
              FROM unnest(a.functions) f JOIN pg_proc p ON p.oid = f)
      FROM assoc.associations a
     WHERE a.source = tab
     ORDER BY a.id
    $$;

-- DROP TABLE, DROP COLUMN, DROP FUNCTION: the catalog follows.
CREATE FUNCTION assoc.on_sql_drop() RETURNS event_trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp
    AS $$
DECLARE
    gone_fn regprocedure;
BEGIN
    -- associations whose table or foreign-key column is gone
    FOR gone_fn IN
        WITH gone AS (
            DELETE FROM assoc.associations a
             USING pg_event_trigger_dropped_objects() d
             WHERE d.classid = 'pg_class'::regclass
               AND ((d.objsubid = 0 AND d.objid IN (a.source, a.target, a.through))
                    OR (d.objsubid <> 0 AND d.object_type = 'table column'
                        AND d.objid = CASE a.kind WHEN 'belongs_to' THEN a.source
                                                  WHEN 'belongs_to_many' THEN a.through
                                                  ELSE a.target END
                        AND d.address_names[3] = a.foreign_key)
                    OR (d.objsubid <> 0 AND d.object_type = 'table column'
                        AND a.kind = 'belongs_to_many' AND d.objid = a.through
                        AND d.address_names[3] = a.other_key))
            RETURNING a.functions)
        SELECT DISTINCT g.fn FROM gone, unnest(gone.functions) AS g(fn)
    LOOP
        -- their functions that the drop did not take along
        IF EXISTS (SELECT FROM pg_proc p WHERE p.oid = gone_fn) THEN
            EXECUTE format('DROP FUNCTION %s', gone_fn);
        END IF;
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
REVOKE ALL ON FUNCTION assoc.on_sql_drop() FROM PUBLIC;

CREATE EVENT TRIGGER assoc_sql_drop ON sql_drop
    EXECUTE FUNCTION assoc.on_sql_drop();

-- ALTER TABLE: the generated functions are written again to match the
-- table (new columns, renamed ones), see src/events.c.
CREATE FUNCTION assoc.on_ddl_command_end() RETURNS event_trigger
    AS 'MODULE_PATHNAME', 'assoc_on_ddl_command_end' LANGUAGE C;

CREATE EVENT TRIGGER assoc_ddl_command_end ON ddl_command_end
    WHEN TAG IN ('ALTER TABLE')
    EXECUTE FUNCTION assoc.on_ddl_command_end();

-- The JSON of the loaders and of find_all (src/json_build.c): the same text
-- as row_to_json(record) and json_agg(record), with each row type's column
-- categories and output functions looked up once per query instead of once
-- per row.  STABLE, as output functions depend on settings (DateStyle,
-- TimeZone, extra_float_digits).
CREATE FUNCTION assoc.json_row(record) RETURNS json
    AS 'MODULE_PATHNAME', 'assoc_json_row' LANGUAGE C STABLE PARALLEL SAFE;
CREATE FUNCTION assoc.json_rows_step(internal, anyelement) RETURNS internal
    AS 'MODULE_PATHNAME', 'assoc_json_rows_step' LANGUAGE C STABLE PARALLEL SAFE;
CREATE FUNCTION assoc.json_rows_final(internal) RETURNS json
    AS 'MODULE_PATHNAME', 'assoc_json_rows_final' LANGUAGE C STABLE PARALLEL SAFE;
CREATE AGGREGATE assoc.json_rows(anyelement) (
    SFUNC = assoc.json_rows_step,
    STYPE = internal,
    FINALFUNC = assoc.json_rows_final,
    PARALLEL = SAFE);

-- The row form of the eager loaders, owner_with_pugs(o owners), in C (see
-- src/row_loader.c): the generated function is one call of row_loader,
-- which PostgreSQL inlines into the calling query; while that query is
-- planned, the support function replaces the call by the correlated
-- subquery that reads the association, appended to the row's JSON with
-- json_append_key.  Everything runs as the caller.  A call that is not
-- replaced reads the catalog through SPI, which a parallel worker may not:
-- PARALLEL RESTRICTED (the replaced calls are parallel safe).
CREATE FUNCTION assoc.json_append_key(obj json, key text, value json)
    RETURNS json
    AS 'MODULE_PATHNAME', 'assoc_json_append_key' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION assoc.row_loader_support(internal)
    RETURNS internal
    AS 'MODULE_PATHNAME', 'assoc_row_loader_support' LANGUAGE C;
CREATE FUNCTION assoc.row_loader(source regclass, alias text, instance anyelement)
    RETURNS json
    AS 'MODULE_PATHNAME', 'assoc_row_loader' LANGUAGE C STABLE PARALLEL RESTRICTED
    SUPPORT assoc.row_loader_support;
