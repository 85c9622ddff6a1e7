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

-- The one argument form of the accessors (src/runtime_key.c, README
-- "Accessors"): key_of(value, NULL::keytype, ...) is the key that value
-- stands for (a row of table side, a key, another integer, text), keys_of
-- the array of keys (an array of those, an array literal, or one), if_row
-- one of two expressions by whether value is a row of side.  key_support
-- replaces a call whose argument type says the answer when the query is
-- planned (a key by itself, a row by its key column), so that the
-- accessors' key comparisons are what a hand-written query has.  They are
-- immutable, as check_key is, so that a literal key ('5') is converted
-- once, when the query is planned.
-- Their definitions are in src/runtime_key.c (key_helpers), which also
-- creates them when this module declares on a database still at 0.1.0.
CREATE FUNCTION assoc.create_key_helpers() RETURNS void
    AS 'MODULE_PATHNAME', 'assoc_create_key_helpers' LANGUAGE C;
SELECT assoc.create_key_helpers();
DROP FUNCTION assoc.create_key_helpers();

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
    counter_cache text DEFAULT NULL, scope jsonb DEFAULT NULL)
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

-- Association scopes (Sequelize's scope and through.scope): has_one,
-- has_many and belongs_to_many take scope, belongs_to_many through_scope
-- too, at the end with DEFAULT NULL, so that calls of 0.1.0 mean the same.
-- A new argument is a new signature: the 0.1.0 functions are replaced
-- (has_many's, which counter_cache replaced above, takes scope after it).
DROP FUNCTION assoc.has_one(regclass, regclass, text, text, text, text, text,
    boolean, boolean, boolean, boolean);
CREATE FUNCTION assoc.has_one(
    source regclass, target regclass, alias text DEFAULT NULL,
    foreign_key text DEFAULT NULL, source_key text DEFAULT NULL,
    on_delete text DEFAULT NULL, on_update text DEFAULT NULL,
    constraints boolean DEFAULT true, underscored boolean DEFAULT NULL,
    create_index boolean DEFAULT true, dry_run boolean DEFAULT false,
    scope jsonb DEFAULT NULL)
    RETURNS assoc.associations
    AS 'MODULE_PATHNAME', 'assoc_has_one' LANGUAGE C VOLATILE;

DROP FUNCTION assoc.belongs_to_many(regclass, regclass, text, text, text, text,
    text, text, boolean, text, text, boolean, boolean, boolean, boolean);
CREATE FUNCTION assoc.belongs_to_many(
    source regclass, target regclass, through text, alias text DEFAULT NULL,
    foreign_key text DEFAULT NULL, other_key text DEFAULT NULL,
    source_key text DEFAULT NULL, target_key text DEFAULT NULL,
    timestamps boolean DEFAULT true,
    on_delete text DEFAULT NULL, on_update text DEFAULT NULL,
    constraints boolean DEFAULT true, underscored boolean DEFAULT NULL,
    create_index boolean DEFAULT true, dry_run boolean DEFAULT false,
    scope jsonb DEFAULT NULL, through_scope jsonb DEFAULT NULL)
    RETURNS assoc.associations
    AS 'MODULE_PATHNAME', 'assoc_belongs_to_many' LANGUAGE C VOLATILE;

-- Polymorphic associations enforced by the database (README, "Polymorphic
-- associations"): Sequelize's pattern of one id column and one type column
-- (comments."commentableId" + "commentableType") whose type names the table
-- the id is a key of.  assoc.polymorphic makes the pair a constraint:
--   - an AFTER INSERT OR UPDATE trigger on the source checks each row as a
--     foreign key would: its type is a declared one (else an error), and its
--     id is a key of that type's table, whose row it locks FOR KEY SHARE (as
--     a foreign key's check does), so that no concurrent delete of that row
--     can commit before the row that refers to it;
--   - an AFTER DELETE OR UPDATE trigger on each target cascades (deletes the
--     rows that refer to it, or sets their id and type to NULL, as declared)
--     and follows a changed key, as ON DELETE/ON UPDATE CASCADE would: it runs
--     after the target row is locked and deleted, so under READ COMMITTED its
--     statement sees every row committed meanwhile, including those whose
--     insert made the delete wait;
--   - a BEFORE TRUNCATE trigger on each target refuses while rows refer to
--     it; a CHECK constraint keeps the type to the declared values even with
--     triggers disabled; an index on (type, id) serves the cascades.
-- Real foreign keys (on generated columns, one per type) would add columns
-- to the source, which would show in every row's JSON: triggers instead.
-- Its trigger functions are assoc's, its arguments are the declaration; the
-- reader <source model>_get_<name> returns the row of the right table as JSON.

CREATE FUNCTION assoc.polymorphic_check() RETURNS trigger
    LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    -- TG_ARGV: name, id column, its type, type column, then per target
    -- (type value, target oid, key column)
    r jsonb := to_jsonb(NEW);
    idv text := r ->> TG_ARGV[1];
    typ text := r ->> TG_ARGV[3];
    tab regclass;
    keycol text;
    known text := '';
    n bigint;
BEGIN
    -- a column of the declaration renamed or dropped since: refuse rather
    -- than let rows through unchecked
    IF NOT (r ? TG_ARGV[1] AND r ? TG_ARGV[3]) THEN
        RAISE EXCEPTION 'polymorphic association "%" of table % keeps its id in column % and its type in column %, and the table no longer has column %',
            TG_ARGV[0], TG_RELID::regclass, quote_ident(TG_ARGV[1]), quote_ident(TG_ARGV[3]),
            quote_ident(CASE WHEN r ? TG_ARGV[1] THEN TG_ARGV[3] ELSE TG_ARGV[1] END)
            USING ERRCODE = 'undefined_column',
                  HINT = format('After renaming a column of the declaration, drop the triggers assoc_%s_type and assoc_%s_check of %s (and those of its targets) and the CHECK constraint, and declare it again with id_column => and type_column =>.',
                                TG_ARGV[0], TG_ARGV[0], TG_RELID::regclass);
    END IF;
    IF typ IS NULL OR (TG_OP = 'UPDATE' AND (to_jsonb(OLD) ->> TG_ARGV[1]) IS NOT DISTINCT FROM idv
                       AND (to_jsonb(OLD) ->> TG_ARGV[3]) IS NOT DISTINCT FROM typ) THEN
        RETURN CASE TG_WHEN WHEN 'BEFORE' THEN NEW END;
    END IF;
    FOR i IN 4 .. TG_NARGS - 1 BY 3 LOOP
        known := known || CASE WHEN i > 4 THEN ', ' ELSE '' END
                 || format('%L (%s)', TG_ARGV[i], TG_ARGV[i + 1]::regclass);
        IF TG_ARGV[i] = typ THEN
            tab := TG_ARGV[i + 1]::regclass;
            keycol := TG_ARGV[i + 2];
        END IF;
    END LOOP;
    IF tab IS NOT NULL AND TG_WHEN = 'BEFORE' THEN
        -- the type's check, before the table's CHECK constraint; the id is
        -- checked after every BEFORE trigger, as a foreign key is
        RETURN NEW;
    END IF;
    IF tab IS NULL THEN
        RAISE EXCEPTION 'polymorphic association "%" of table % has no target of type %',
            TG_ARGV[0], TG_RELID::regclass, quote_literal(typ)
            USING ERRCODE = 'foreign_key_violation',
                  DETAIL = format('Column %I of the row says %L; the declared types are %s.',
                                  TG_ARGV[3], typ, known),
                  HINT = 'Use one of the declared types, or declare the target with assoc.polymorphic.';
    END IF;
    IF idv IS NULL THEN
        RETURN NULL;
    END IF;
    EXECUTE format('SELECT count(*) FROM (SELECT FROM %s t WHERE t.%I = CAST($1 AS %s) FOR KEY SHARE OF t) l',
                   tab, keycol, TG_ARGV[2])
       INTO n USING idv;
    IF n = 0 THEN
        RAISE EXCEPTION 'insert or update on table % violates polymorphic association "%"',
            TG_RELID::regclass, TG_ARGV[0]
            USING ERRCODE = 'foreign_key_violation',
                  DETAIL = format('Key (%I)=(%s) is not present in table %s, which %I = %L names.',
                                  TG_ARGV[1], idv, tab, TG_ARGV[3], typ);
    END IF;
    RETURN NULL;
END
$$;

CREATE FUNCTION assoc.polymorphic_target_changed() RETURNS trigger
    LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    -- TG_ARGV: source oid, id column, its type, type column, its type,
    -- type value, key column, on_delete (CASCADE or SET NULL)
    src regclass := TG_ARGV[0]::regclass;
    oldkey text := to_jsonb(OLD) ->> TG_ARGV[6];
    newkey text;
BEGIN
    IF NOT to_jsonb(OLD) ? TG_ARGV[6] THEN
        RAISE EXCEPTION 'polymorphic association of table % identifies the rows of table % by column %, which it no longer has',
            src, TG_RELID::regclass, quote_ident(TG_ARGV[6])
            USING ERRCODE = 'undefined_column',
                  HINT = format('After renaming a target''s key, drop the association''s triggers on %s and %s and its CHECK constraint, and declare it again.',
                                src, TG_RELID::regclass);
    END IF;
    IF TG_OP = 'UPDATE' THEN
        newkey := to_jsonb(NEW) ->> TG_ARGV[6];
        IF newkey IS NOT DISTINCT FROM oldkey THEN
            RETURN NULL;
        END IF;
        EXECUTE format('UPDATE %s s SET %I = CAST($1 AS %s) WHERE s.%I = CAST($2 AS %s) AND s.%I = CAST($3 AS %s)',
                       src, TG_ARGV[1], TG_ARGV[2], TG_ARGV[3], TG_ARGV[4], TG_ARGV[1], TG_ARGV[2])
            USING newkey, TG_ARGV[5], oldkey;
    ELSIF TG_ARGV[7] = 'CASCADE' THEN
        EXECUTE format('DELETE FROM %s s WHERE s.%I = CAST($1 AS %s) AND s.%I = CAST($2 AS %s)',
                       src, TG_ARGV[3], TG_ARGV[4], TG_ARGV[1], TG_ARGV[2])
            USING TG_ARGV[5], oldkey;
    ELSE
        EXECUTE format('UPDATE %s s SET %I = NULL, %I = NULL WHERE s.%I = CAST($1 AS %s) AND s.%I = CAST($2 AS %s)',
                       src, TG_ARGV[1], TG_ARGV[3], TG_ARGV[3], TG_ARGV[4], TG_ARGV[1], TG_ARGV[2])
            USING TG_ARGV[5], oldkey;
    END IF;
    RETURN NULL;
END
$$;

CREATE FUNCTION assoc.polymorphic_target_truncated() RETURNS trigger
    LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    -- TG_ARGV as polymorphic_target_changed's
    src regclass := TG_ARGV[0]::regclass;
    found boolean;
BEGIN
    EXECUTE format('SELECT EXISTS (SELECT FROM %s s WHERE s.%I = CAST($1 AS %s))',
                   src, TG_ARGV[3], TG_ARGV[4])
       INTO found USING TG_ARGV[5];
    IF found THEN
        RAISE EXCEPTION 'cannot truncate table %: rows of table % refer to it', TG_RELID::regclass, src
            USING ERRCODE = 'feature_not_supported',
                  DETAIL = format('Their %I is %L (a polymorphic association).', TG_ARGV[3], TG_ARGV[5]),
                  HINT = format('Delete those rows of %s first, or DELETE FROM %s, which cascades.', src, TG_RELID::regclass);
    END IF;
    RETURN NULL;
END
$$;

-- (The trigger functions run as the role whose statement fires them, as
-- any trigger: a role deleting images needs DELETE on comments.)

-- The model name's form in function names, as the generator's prefix
-- (gen_toolkit.c): lower-case, anything but letters, digits and _ as _.
CREATE FUNCTION assoc.polymorphic_fname(word text) RETURNS text
    LANGUAGE sql IMMUTABLE SET search_path = pg_catalog, pg_temp
    AS $$ SELECT regexp_replace(lower(assoc.underscore(word)), '[^a-z0-9_\x80-\U0010FFFF]', '_', 'g') $$;

CREATE FUNCTION assoc.polymorphic(source regclass, name text, targets regclass[],
    type_values text[] DEFAULT NULL, on_delete text DEFAULT 'CASCADE',
    id_column text DEFAULT NULL, type_column text DEFAULT NULL)
    RETURNS TABLE (type_value text, target regclass)
    LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    idc text := coalesce(id_column, assoc.camelize(name || '_id'));
    typc text := coalesce(type_column, assoc.camelize(name || '_type'));
    action text := upper(replace(trim(coalesce(on_delete, 'CASCADE')), '_', ' '));
    idtype text;
    typtype text;
    vals text[];
    keycol text;
    keytype text;
    args text := '';
    targs text;
    tname text;
    prefix text;
    fn text;
    fn2 text;
    cases text := '';
    n bigint;
    example text;
    nsp text := (SELECT c.relnamespace::regnamespace::text FROM pg_class c WHERE c.oid = source);
    srcpk text;
    srcpktype text;
BEGIN
    IF source IS NULL OR name IS NULL OR name = '' OR targets IS NULL OR cardinality(targets) = 0 THEN
        RAISE EXCEPTION 'assoc.polymorphic needs a source table, a name and at least one target table'
            USING ERRCODE = 'null_value_not_allowed',
                  HINT = 'SELECT assoc.polymorphic(''comments'', ''commentable'', ARRAY[''images'', ''videos'']::regclass[]).';
    END IF;
    IF action NOT IN ('CASCADE', 'SET NULL') THEN
        RAISE EXCEPTION 'invalid on_delete % for polymorphic association "%"', quote_literal(on_delete), name
            USING ERRCODE = 'invalid_parameter_value',
                  HINT = 'Give CASCADE (delete the rows that refer to a deleted target) or SET NULL (clear their id and type).';
    END IF;
    vals := coalesce(type_values,
                     ARRAY(SELECT assoc.singularize(c.relname) FROM unnest(targets) WITH ORDINALITY u(t, i)
                             JOIN pg_class c ON c.oid = u.t ORDER BY u.i));
    IF cardinality(vals) <> cardinality(targets) OR array_position(vals, NULL) IS NOT NULL THEN
        RAISE EXCEPTION 'polymorphic association "%" has % targets and % type values', name,
            cardinality(targets), cardinality(vals)
            USING ERRCODE = 'invalid_parameter_value',
                  HINT = 'Give one type value (not NULL) per target, in the same order.';
    END IF;
    IF (SELECT count(DISTINCT v) FROM unnest(vals) v) <> cardinality(vals)
       OR (SELECT count(DISTINCT t) FROM unnest(targets) t) <> cardinality(targets) THEN
        RAISE EXCEPTION 'polymorphic association "%" names a target or a type value twice', name
            USING ERRCODE = 'invalid_parameter_value',
                  DETAIL = format('Targets %s, type values %s.', targets, vals);
    END IF;
    IF EXISTS (SELECT FROM pg_trigger g WHERE g.tgrelid = source AND g.tgname = left(format('assoc_%s_check', name), 63)) THEN
        RAISE EXCEPTION 'polymorphic association "%" of table % already exists', name, source
            USING ERRCODE = 'duplicate_object',
                  HINT = format('To change it, drop its triggers (assoc_%s_type and assoc_%s_check on %s, assoc_%s_%s_* on the targets), its CHECK constraint and functions, and declare it again.',
                                name, name, source, (SELECT c.relname FROM pg_class c WHERE c.oid = source), name);
    END IF;
    -- the caller owns every table; they are locked as ADD FOREIGN KEY would
    FOR i IN 0 .. cardinality(targets) LOOP
        IF NOT pg_has_role((SELECT c.relowner FROM pg_class c
                             WHERE c.oid = CASE i WHEN 0 THEN source ELSE targets[i] END), 'USAGE') THEN
            RAISE EXCEPTION 'must be owner of table %', CASE i WHEN 0 THEN source ELSE targets[i] END
                USING ERRCODE = 'insufficient_privilege';
        END IF;
        EXECUTE format('LOCK TABLE %s IN SHARE ROW EXCLUSIVE MODE', CASE i WHEN 0 THEN source ELSE targets[i] END);
    END LOOP;
    SELECT format_type(a.atttypid, a.atttypmod) INTO idtype FROM pg_attribute a
     WHERE a.attrelid = source AND a.attname = idc AND a.attnum > 0 AND NOT a.attisdropped;
    SELECT format_type(a.atttypid, a.atttypmod) INTO typtype FROM pg_attribute a
     WHERE a.attrelid = source AND a.attname = typc AND a.attnum > 0 AND NOT a.attisdropped;
    IF idtype IS NULL OR typtype IS NULL THEN
        RAISE EXCEPTION 'column % of table % does not exist', quote_ident(CASE WHEN idtype IS NULL THEN idc ELSE typc END), source
            USING ERRCODE = 'undefined_column',
                  DETAIL = format('Polymorphic association "%s" keeps the target''s key in %I and its type in %I.', name, idc, typc),
                  HINT = 'Add the columns (Sequelize''s model defines them), or name others with id_column => ... and type_column => ....';
    END IF;
    SELECT a.attname, format_type(a.atttypid, a.atttypmod) INTO srcpk, srcpktype
      FROM pg_index x JOIN pg_attribute a ON a.attrelid = x.indrelid AND a.attnum = x.indkey[0]
     WHERE x.indrelid = source AND x.indisprimary AND x.indnkeyatts = 1;

    FOR i IN 1 .. cardinality(targets) LOOP
        keycol := NULL;
        SELECT a.attname, format_type(a.atttypid, NULL) INTO keycol, keytype
          FROM pg_index x JOIN pg_attribute a ON a.attrelid = x.indrelid AND a.attnum = x.indkey[0]
         WHERE x.indrelid = targets[i] AND x.indisprimary AND x.indnkeyatts = 1;
        IF keycol IS NULL THEN
            RAISE EXCEPTION 'table % has no single-column primary key', targets[i]
                USING ERRCODE = 'invalid_table_definition',
                      HINT = 'A target of a polymorphic association is identified by its primary key.';
        END IF;
        IF keytype <> format_type((SELECT a.atttypid FROM pg_attribute a WHERE a.attrelid = source AND a.attname = idc), NULL) THEN
            RAISE EXCEPTION 'column % of table % is of type %, the primary key % of table % of type %',
                quote_ident(idc), source, idtype, quote_ident(keycol), targets[i], keytype
                USING ERRCODE = 'datatype_mismatch',
                      HINT = 'Every target''s primary key must be of the type of the id column.';
        END IF;
        -- rows that would violate the constraint
        EXECUTE format('SELECT count(*), min(CAST(s.%I AS text)) FROM %s s WHERE s.%I = CAST($1 AS %s) AND s.%I IS NOT NULL'
                       ' AND NOT EXISTS (SELECT FROM %s t WHERE t.%I = s.%I)',
                       idc, source, typc, typtype, idc, targets[i], keycol, idc)
           INTO n, example USING vals[i];
        IF n > 0 THEN
            RAISE EXCEPTION '% of table % % a % that matches no row of %', CASE n WHEN 1 THEN '1 row' ELSE n || ' rows' END,
                source, CASE n WHEN 1 THEN 'has' ELSE 'have' END, quote_ident(idc), targets[i]
                USING ERRCODE = 'foreign_key_violation',
                      DETAIL = format('Their %I is %L; one of them has %I = %s.', typc, vals[i], idc, example),
                      HINT = 'Correct or delete those rows first.';
        END IF;
        -- tables by qualified name, which a dump and restore keeps (OIDs
        -- change); after renaming one, declare again
        args := args || format(', %L, %L, %L', vals[i], targets[i]::text, keycol);
        targs := format('%L, %L, %L, %L, %L, %L, %L, %L', source::text, idc, idtype, typc, typtype, vals[i], keycol, action);
        tname := left(format('assoc_%s_%s_%s', (SELECT c.relname FROM pg_class c WHERE c.oid = source), name, vals[i]), 63);
        EXECUTE format('CREATE TRIGGER %I AFTER DELETE OR UPDATE OF %I ON %s FOR EACH ROW'
                       ' EXECUTE FUNCTION assoc.polymorphic_target_changed(%s)', tname, keycol, targets[i], targs);
        EXECUTE format('CREATE TRIGGER %I BEFORE TRUNCATE ON %s FOR EACH STATEMENT'
                       ' EXECUTE FUNCTION assoc.polymorphic_target_truncated(%s)',
                       left(tname || '_truncate', 63), targets[i], targs);
        cases := cases || format(' WHEN CAST(%L AS %s) THEN (SELECT assoc.json_row(t.*) FROM %s t WHERE t.%I = ($1).%I)',
                                 vals[i], typtype, targets[i], keycol, idc);
    END LOOP;
    EXECUTE format('SELECT count(*), min(CAST(s.%I AS text)) FROM %s s WHERE s.%I IS NOT NULL AND s.%I <> ALL (CAST($1 AS %s[]))',
                   typc, source, typc, typc, typtype)
       INTO n, example USING vals;
    IF n > 0 THEN
        RAISE EXCEPTION '% of table % % a % that names no target of polymorphic association "%"',
            CASE n WHEN 1 THEN '1 row' ELSE n || ' rows' END, source, CASE n WHEN 1 THEN 'has' ELSE 'have' END, quote_ident(typc), name
            USING ERRCODE = 'foreign_key_violation',
                  DETAIL = format('One of them has %I = %L; the declared types are %s.', typc, example, vals),
                  HINT = 'Correct or delete those rows, or declare their table as a target too.';
    END IF;
    EXECUTE format('ALTER TABLE %s ADD CONSTRAINT %I CHECK (%I IS NULL OR %I = ANY (CAST(%L AS %s[])))',
                   source, left(format('%s_%s_type_check', (SELECT c.relname FROM pg_class c WHERE c.oid = source), name), 63),
                   typc, typc, vals, typtype);
    EXECUTE format('CREATE TRIGGER %I BEFORE INSERT OR UPDATE OF %I, %I ON %s FOR EACH ROW'
                   ' EXECUTE FUNCTION assoc.polymorphic_check(%L, %L, %L, %L%s)',
                   left(format('assoc_%s_type', name), 63), idc, typc, source, name, idc, idtype, typc, args);
    EXECUTE format('CREATE TRIGGER %I AFTER INSERT OR UPDATE OF %I, %I ON %s FOR EACH ROW'
                   ' EXECUTE FUNCTION assoc.polymorphic_check(%L, %L, %L, %L%s)',
                   left(format('assoc_%s_check', name), 63), idc, typc, source, name, idc, idtype, typc, args);
    IF NOT EXISTS (SELECT FROM pg_index x WHERE x.indrelid = source
                      AND x.indkey[0] = (SELECT a.attnum FROM pg_attribute a WHERE a.attrelid = source AND a.attname = typc)
                      AND x.indkey[1] = (SELECT a.attnum FROM pg_attribute a WHERE a.attrelid = source AND a.attname = idc)) THEN
        EXECUTE format('CREATE INDEX %I ON %s (%I, %I)',
                       left(format('%s_%s_%s_idx', (SELECT c.relname FROM pg_class c WHERE c.oid = source), typc, idc), 63),
                       source, typc, idc);
    END IF;

    -- the readers: <model>_get_<name>(row | key | text) and the loaders
    -- <model>_with_<name>(row | key | text) and (), as JSON; SQL-standard
    -- bodies, which record their dependencies on the tables and on assoc
    prefix := assoc.polymorphic_fname(assoc.singularize((SELECT c.relname FROM pg_class c WHERE c.oid = source)));
    fn := format('%I.%I', nsp, prefix || '_get_' || assoc.polymorphic_fname(name));
    EXECUTE format('CREATE FUNCTION %s(%I %s) RETURNS json LANGUAGE sql STABLE'
                   ' BEGIN ATOMIC SELECT CASE ($1).%I%s END; END',
                   fn, prefix, source, typc, cases);
    IF srcpk IS NOT NULL THEN
        EXECUTE format('CREATE FUNCTION %s(%I %s) RETURNS json LANGUAGE sql STABLE'
                       ' BEGIN ATOMIC SELECT %s(s.*) FROM %s s WHERE s.%I = $1; END',
                       fn, prefix || '_' || srcpk, srcpktype, fn, source, srcpk);
        IF srcpktype NOT IN ('text', 'character varying') THEN
            EXECUTE format('CREATE FUNCTION %s(%I text) RETURNS json LANGUAGE sql STABLE'
                           ' BEGIN ATOMIC SELECT %s(s.*) FROM %s s WHERE s.%I = CAST($1 AS %s); END',
                           fn, prefix || '_' || srcpk, fn, source, srcpk, srcpktype);
        END IF;
    END IF;
    -- the loaders: the row's JSON with the target's under the name
    fn2 := format('%I.%I', nsp, prefix || '_with_' || assoc.polymorphic_fname(name));
    EXECUTE format('CREATE FUNCTION %s(%I %s) RETURNS json LANGUAGE sql STABLE'
                   ' BEGIN ATOMIC SELECT assoc.json_append_key(assoc.json_row($1), %L, %s($1)); END',
                   fn2, prefix, source, name, fn);
    IF srcpk IS NOT NULL THEN
        EXECUTE format('CREATE FUNCTION %s() RETURNS SETOF json LANGUAGE sql STABLE'
                       ' BEGIN ATOMIC SELECT %s(s.*) FROM %s s ORDER BY s.%I; END',
                       fn2, fn2, source, srcpk);
    END IF;
    RAISE NOTICE 'polymorphic association "%" of table %: % and % name a row of %', name, source,
        quote_ident(idc), quote_ident(typc), array_to_string(ARRAY(
            SELECT format('%s (%L)', u.t, u.v) FROM unnest(targets, vals) u(t, v)), ', ')
        USING DETAIL = format('Deleting a target %s the rows that name it. Reader: %s; loader: %s.',
                              CASE action WHEN 'CASCADE' THEN 'deletes' ELSE 'clears the id and type of' END, fn, fn2);
    RETURN QUERY SELECT u.v, u.t FROM unnest(vals, targets) u(v, t);
END
$$;

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

-- What assoc.discover would declare in a schema (README, "From the
-- schema"), in the order it declares them: for each foreign key of a
-- table of the schema, a belongs_to on its table and a has_many (has_one
-- when the key is unique) on the referenced one; for each junction (a table
-- whose primary key is exactly two single-column foreign keys), a
-- belongs_to_many each way and nothing for those two keys.  Names as
-- README's "Names" derives them, read backwards from the columns: the alias
-- of a key named owner_id or ownerId (the referenced key after "_", or
-- capitalized) is owner, that of any other key the referenced model.
-- declared_as is the alias of the association already declared on the same
-- tables and key, not_owned a table involved that the caller does not own.
-- Internal: harmless (it only reads the catalogs).
CREATE FUNCTION assoc.discover_plan(nsp regnamespace, underscored boolean)
    RETURNS TABLE (ord bigint, kind text, source regclass, target regclass, alias text,
                   foreign_key text, through regclass, other_key text, source_key text,
                   target_key text, underscored boolean, composite text,
                   declared_as text, not_owned regclass)
    LANGUAGE sql STABLE SET search_path = pg_catalog, pg_temp
    AS $$
WITH fks AS (
    SELECT c.conname, c.conrelid AS holder, c.confrelid AS ref, c.conkey,
           ARRAY(SELECT CAST(a.attname AS text)
                   FROM unnest(c.conkey) WITH ORDINALITY AS k(n, i)
                   JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.n
                  ORDER BY k.i) AS cols,
           (SELECT CAST(a.attname AS text) FROM pg_attribute a
             WHERE a.attrelid = c.confrelid AND a.attnum = c.confkey[1]) AS refcol,
           (SELECT CAST(a.attname AS text)
              FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = i.indkey[0]
             WHERE i.indrelid = c.confrelid AND i.indisprimary AND i.indnkeyatts = 1) AS refpk,
           EXISTS (SELECT FROM pg_index u
                    WHERE u.indrelid = c.conrelid AND u.indisunique AND u.indnkeyatts = 1
                      AND u.indkey[0] = c.conkey[1] AND u.indpred IS NULL
                      AND cardinality(c.conkey) = 1) AS uniq
      FROM pg_constraint c JOIN pg_class t ON t.oid = c.conrelid
     WHERE c.contype = 'f' AND t.relnamespace = $1 AND NOT t.relispartition
       AND c.conparentid = 0
),
keys AS (
    SELECT f.*, f.cols[1] AS col,
           CASE WHEN cardinality(f.cols) > 1 THEN NULL
                WHEN length(f.cols[1]) > length(f.refcol) + 1
                     AND lower(right(f.cols[1], length(f.refcol) + 1)) = '_' || lower(f.refcol)
                THEN assoc.camelize(left(f.cols[1], -length(f.refcol) - 1))
                WHEN length(f.cols[1]) > length(f.refcol)
                     AND right(f.cols[1], length(f.refcol))
                         IN (upper(left(f.refcol, 1)) || substr(f.refcol, 2), upper(f.refcol))
                THEN left(f.cols[1], -length(f.refcol))
           END AS prefix,
           coalesce($2, EXISTS (SELECT FROM pg_constraint g, pg_attribute a
                                 WHERE g.conrelid = f.holder AND g.contype = 'f'
                                   AND a.attrelid = g.conrelid AND a.attnum = ANY (g.conkey)
                                   AND strpos(a.attname, '_') > 0
                                   AND CAST(a.attname AS text) = lower(a.attname))) AS snake,
           assoc.singularize(CAST(h.relname AS text)) AS hmodel,
           assoc.singularize(CAST(r.relname AS text)) AS rmodel
      FROM fks f
      JOIN pg_class h ON h.oid = f.holder
      JOIN pg_class r ON r.oid = f.ref
),
junctions AS (
    SELECT DISTINCT ON (i.indrelid) i.indrelid AS j, k1 AS a, k2 AS b
      FROM pg_index i
      JOIN keys k1 ON k1.holder = i.indrelid AND cardinality(k1.conkey) = 1 AND k1.conkey[1] = i.indkey[0]
      JOIN keys k2 ON k2.holder = i.indrelid AND cardinality(k2.conkey) = 1 AND k2.conkey[1] = i.indkey[1]
     WHERE i.indisprimary AND i.indnkeyatts = 2
     ORDER BY i.indrelid, k1.conname, k2.conname
),
plain AS (
    SELECT k.* FROM keys k
     WHERE NOT EXISTS (SELECT FROM junctions jn
                        WHERE jn.j = k.holder AND k.conname IN ((jn.a).conname, (jn.b).conname))
),
proposed AS (
    SELECT 1 AS kord, 'belongs_to' AS kind, p.holder AS src, p.ref AS tgt,
           coalesce(p.prefix, p.rmodel) AS alias, p.cols, NULL::oid AS thr,
           NULL::text AS ok, NULL::text AS skey,
           CASE WHEN p.refcol IS DISTINCT FROM p.refpk THEN p.refcol END AS tkey,
           p.snake, false AS pref, p.conname
      FROM plain p
    UNION ALL
    SELECT CASE WHEN p.uniq THEN 2 ELSE 3 END, CASE WHEN p.uniq THEN 'has_one' ELSE 'has_many' END,
           p.ref, p.holder,
           CASE WHEN p.uniq THEN p.hmodel ELSE assoc.pluralize(p.hmodel) END,
           p.cols, NULL, NULL,
           CASE WHEN p.refcol IS DISTINCT FROM p.refpk THEN p.refcol END, NULL,
           p.snake,
           -- the key Sequelize derives goes first when two would take one alias
           lower(replace(p.col, '_', '')) = lower(p.rmodel || coalesce(p.refpk, p.refcol)),
           p.conname
      FROM plain p
    UNION ALL
    SELECT 4, 'belongs_to_many', (x.s).ref, (x.t).ref,
           assoc.pluralize(coalesce((x.t).prefix, (x.t).rmodel)),
           ARRAY[(x.s).col], x.j, (x.t).col,
           CASE WHEN (x.s).refcol IS DISTINCT FROM (x.s).refpk THEN (x.s).refcol END,
           CASE WHEN (x.t).refcol IS DISTINCT FROM (x.t).refpk THEN (x.t).refcol END,
           (x.s).snake, false, (x.s).conname
      FROM (SELECT jn.j, jn.a AS s, jn.b AS t FROM junctions jn
            UNION ALL
            SELECT jn.j, jn.b, jn.a FROM junctions jn) x
)
SELECT row_number() OVER (ORDER BY CAST(CAST(p.src AS regclass) AS text) COLLATE "C", p.kord,
                                   p.alias COLLATE "C", p.pref DESC,
                                   CAST(p.cols AS text) COLLATE "C", p.conname COLLATE "C"),
       p.kind, CAST(p.src AS regclass), CAST(p.tgt AS regclass), p.alias,
       array_to_string(p.cols, ', '), CAST(p.thr AS regclass), p.ok, p.skey, p.tkey, p.snake,
       CASE WHEN cardinality(p.cols) > 1 THEN p.conname END,
       (SELECT a.alias FROM assoc.associations a
         WHERE a.source = p.src AND a.target = p.tgt AND cardinality(p.cols) = 1
           AND a.foreign_key = p.cols[1]
           AND CASE p.kind WHEN 'belongs_to_many'
                   THEN a.kind = p.kind AND a.through = p.thr AND a.other_key = p.ok
                   WHEN 'belongs_to' THEN a.kind = p.kind
                   ELSE a.kind IN ('has_one', 'has_many') END
         ORDER BY a.id LIMIT 1),
       (SELECT CAST(c.oid AS regclass) FROM pg_class c
         WHERE c.oid IN (p.src, p.tgt, p.thr) AND NOT pg_has_role(c.relowner, 'USAGE')
         ORDER BY c.oid LIMIT 1)
  FROM proposed p
 ORDER BY 1
$$;

-- Declare the associations that the foreign keys of a schema imply (README,
-- "assoc.discover").  Each is declared by its kind's declaration
-- function, called as the text in the row's "declaration", so that every
-- rule of a declaration (names, privileges, adoption of the column,
-- constraint and index, NOTICE) holds; all in the caller's transaction.
-- A declaration that fails for its names or its tables' shape (an alias or
-- function name taken, a composite primary key, a key of another type
-- than the key it references...) is skipped, with a
-- NOTICE saying why and how to declare it by hand; any other error is
-- discover's error.  A dry run declares them all in a subtransaction that
-- is rolled back (so that it skips exactly what the real run skips), the
-- declarations' own NOTICEs silenced.  The default schema is looked up when
-- called (a constant 'public' would be the OID of the schema public at
-- CREATE EXTENSION).
CREATE FUNCTION assoc.discover(schema regnamespace DEFAULT CAST(CAST('public' AS text) AS regnamespace),
    dry_run boolean DEFAULT false, underscored boolean DEFAULT NULL)
    RETURNS TABLE (kind text, source regclass, target regclass, alias text,
                   foreign_key text, through regclass, other_key text,
                   status text, reason text, declaration text)
    LANGUAGE plpgsql VOLATILE SET search_path = pg_catalog, pg_temp
    AS $$
#variable_conflict use_column
DECLARE
    p record;
    stmt text;
    e_msg text;
    e_detail text;
    e_hint text;
    msgs text[] := '{}';        -- the NOTICE of each skipped row
    details text[] := '{}';
    hints text[] := '{}';
    n integer := 0;
    nsp regnamespace := $1;
    dry boolean := coalesce($2, false);
    snake boolean := $3;
BEGIN
    IF nsp IS NULL THEN
        RAISE EXCEPTION 'assoc.discover needs a schema'
            USING ERRCODE = 'null_value_not_allowed',
                  HINT = 'Name the schema whose foreign keys to read, such as schema => ''public''.';
    END IF;

    -- the caller must own every table of what is to be declared, as the
    -- declarations require: say so before declaring any
    SELECT p2.not_owned, p2.kind, p2.source, p2.alias, count(*) OVER ()
      INTO p
      FROM assoc.discover_plan(nsp, snake) p2
     WHERE p2.not_owned IS NOT NULL AND p2.declared_as IS NULL AND p2.composite IS NULL
     ORDER BY p2.ord LIMIT 1;
    IF FOUND THEN
        RAISE EXCEPTION 'must be owner of table % to declare its associations', p.not_owned
            USING ERRCODE = 'insufficient_privilege',
                  DETAIL = format('Role "%s" does not own table %s, which %s association "%s" of table %s would join (%s of the associations discovered in schema %s need a table it does not own).',
                                  current_user, p.not_owned, p.kind, p.alias, p.source,
                                  p.count, nsp),
                  HINT = 'Run assoc.discover as the owner of the tables, or declare the associations of other roles'' tables as their owners.';
    END IF;

    BEGIN
        IF dry AND current_setting('client_min_messages')
                   IN ('debug5', 'debug4', 'debug3', 'debug2', 'debug1', 'log', 'notice') THEN
            PERFORM set_config('client_min_messages', 'warning', true);
        END IF;
        FOR p IN SELECT * FROM assoc.discover_plan(nsp, snake) p2 ORDER BY p2.ord LOOP
            n := n + 1;
            kind := p.kind;
            source := p.source;
            target := p.target;
            alias := p.alias;
            foreign_key := p.foreign_key;
            through := p.through;
            other_key := p.other_key;
            reason := NULL;
            declaration := NULL;
            IF p.composite IS NOT NULL THEN
                status := 'skipped';
                reason := format('foreign key %I of table %s has %s columns (%s)',
                                 p.composite, CASE WHEN p.kind = 'belongs_to' THEN p.source ELSE p.target END,
                                 cardinality(string_to_array(p.foreign_key, ', ')), p.foreign_key);
                e_detail := 'An association joins on one key column: assoc does not support composite foreign keys.';
                e_hint := 'Join on those columns with your own SQL, or give the referenced table a single-column key to reference.';
            ELSIF p.declared_as IS NOT NULL THEN
                status := 'exists';
                reason := format('declared already, as "%s"', p.declared_as);
            ELSE
                stmt := format('SELECT assoc.%s(%L, %L', p.kind, p.source, p.target);
                IF p.through IS NOT NULL THEN
                    stmt := stmt || format(', through => %L', p.through);
                END IF;
                stmt := stmt || format(', alias => %L, foreign_key => %L', p.alias, p.foreign_key);
                IF p.other_key IS NOT NULL THEN
                    stmt := stmt || format(', other_key => %L', p.other_key);
                END IF;
                IF p.source_key IS NOT NULL THEN
                    stmt := stmt || format(', source_key => %L', p.source_key);
                END IF;
                IF p.target_key IS NOT NULL THEN
                    stmt := stmt || format(', target_key => %L', p.target_key);
                END IF;
                stmt := stmt || format(', underscored => %s)',
                                       CASE WHEN p.underscored THEN 'true' ELSE 'false' END);
                declaration := stmt;
                BEGIN
                    EXECUTE stmt;
                    status := CASE WHEN dry THEN 'would declare' ELSE 'declared' END;
                EXCEPTION
                    WHEN duplicate_object OR duplicate_column OR duplicate_function
                      OR name_too_long OR invalid_table_definition OR invalid_foreign_key
                      OR feature_not_supported OR invalid_parameter_value
                      OR datatype_mismatch THEN
                        GET STACKED DIAGNOSTICS e_msg = MESSAGE_TEXT, e_detail = PG_EXCEPTION_DETAIL,
                                                e_hint = PG_EXCEPTION_HINT;
                        status := 'skipped';
                        reason := e_msg;
                        e_hint := coalesce(nullif(e_hint, '') || ' ', '')
                                  || 'Then declare it by hand: ' || stmt;
                END;
            END IF;
            IF status = 'skipped' THEN
                msgs := msgs || format('%s "%s" of table %s skipped: %s', kind, alias, source, reason);
                details := details || coalesce(e_detail, '');
                hints := hints || e_hint;
            END IF;
            RETURN NEXT;
        END LOOP;
        IF dry THEN
            RAISE EXCEPTION USING ERRCODE = 'AS001';     -- caught below
        END IF;
    EXCEPTION WHEN SQLSTATE 'AS001' THEN
        NULL;   -- the dry run's changes are rolled back, its rows kept
    END;

    FOR i IN 1 .. cardinality(msgs) LOOP
        IF details[i] = '' THEN
            RAISE NOTICE '%', msgs[i] USING HINT = hints[i];
        ELSE
            RAISE NOTICE '%', msgs[i] USING DETAIL = details[i], HINT = hints[i];
        END IF;
    END LOOP;
    IF n = 0 THEN
        RAISE NOTICE 'schema % has no foreign keys: nothing to discover', nsp;
    ELSIF dry THEN
        RAISE NOTICE 'dry run of assoc.discover(%): nothing was changed', nsp;
    END IF;
END
$$;

-- The declared associations as a Mermaid erDiagram (README, "assoc.diagram"):
-- the tables with their key and foreign-key columns, one relationship per
-- association with its cardinality and alias, through tables for
-- belongs_to_many; in a fixed order, so that it can be committed and
-- diffed.  schema: the associations whose source is in it (NULL: all).
CREATE FUNCTION assoc.diagram(schema regnamespace DEFAULT NULL) RETURNS text
    LANGUAGE sql STABLE SET search_path = pg_catalog, pg_temp
    AS $$
WITH a AS (
    SELECT a.*, CASE a.kind WHEN 'belongs_to' THEN a.source WHEN 'belongs_to_many' THEN a.through
                            ELSE a.target END AS holder
      FROM assoc.associations a JOIN pg_class c ON c.oid = a.source
     WHERE $1 IS NULL OR c.relnamespace = $1
),
tabs AS (
    SELECT DISTINCT v.t FROM a, LATERAL (VALUES (a.source), (a.target), (a.through)) AS v(t)
     WHERE v.t IS NOT NULL
),
-- an entity is named by its table, schema-qualified when outside the
-- schema asked for (with none: when the tables are in several), in double
-- quotes unless a plain word; plain is the name without them
names AS (
    SELECT tabs.t, x.n AS plain,
           CASE WHEN x.n ~ '^[A-Za-z_][A-Za-z0-9_]*$' THEN x.n
                ELSE '"' || replace(x.n, '"', '''') || '"' END AS name
      FROM tabs JOIN pg_class c ON c.oid = tabs.t JOIN pg_namespace s ON s.oid = c.relnamespace,
           LATERAL (SELECT CASE WHEN c.relnamespace = coalesce($1,
                                         (SELECT min(c2.relnamespace) FROM tabs t2
                                            JOIN pg_class c2 ON c2.oid = t2.t
                                          HAVING count(DISTINCT c2.relnamespace) = 1))
                                THEN CAST(c.relname AS text)
                                ELSE s.nspname || '.' || c.relname END AS n) AS x
),
keycols AS (
    SELECT a.source AS t, a.source_key AS col, false AS fk FROM a
    UNION ALL SELECT a.target, a.target_key, false FROM a
    UNION ALL SELECT a.holder, a.foreign_key, true FROM a
    UNION ALL SELECT a.through, a.other_key, true FROM a WHERE a.through IS NOT NULL
),
-- Mermaid's attributes are words: other characters become _
cols AS (
    SELECT att.attrelid AS t, att.attnum,
           regexp_replace(format_type(att.atttypid, att.atttypmod), '[^A-Za-z0-9_()\[\]-]', '_', 'g') AS typ,
           regexp_replace(att.attname, '[^A-Za-z0-9_]', '_', 'g') AS col,
           EXISTS (SELECT FROM pg_index i WHERE i.indrelid = att.attrelid AND i.indisprimary
                                             AND att.attnum = ANY (i.indkey)) AS pk,
           EXISTS (SELECT FROM keycols k WHERE k.t = att.attrelid AND k.col = att.attname AND k.fk) AS fk,
           EXISTS (SELECT FROM keycols k WHERE k.t = att.attrelid AND k.col = att.attname) AS key
      FROM pg_attribute att
     WHERE att.attrelid IN (SELECT tabs.t FROM tabs) AND att.attnum > 0 AND NOT att.attisdropped
),
entities AS (
    SELECT n.name, format(E'    %s {\n%s    }\n', n.name,
                          string_agg(format(E'        %s %s%s\n', c.typ, c.col,
                                            CASE WHEN c.pk AND c.fk THEN ' PK, FK'
                                                 WHEN c.pk THEN ' PK' WHEN c.fk THEN ' FK'
                                                 ELSE ' UK' END),
                                     '' ORDER BY c.attnum)) AS text
      FROM names n JOIN cols c ON c.t = n.t AND (c.pk OR c.key)
     GROUP BY n.name
),
-- one relationship per association: how many of each side the other has
-- (a nullable foreign key: zero or one), a dotted line when no foreign-key
-- constraint holds it
rels AS (
    SELECT s.name AS sname, a.kind, a.alias,
           format(E'    %s %s%s%s %s : "%s"\n', s.name,
                  CASE a.kind WHEN 'belongs_to' THEN '}o' WHEN 'belongs_to_many' THEN '}o'
                              WHEN 'has_one' THEN CASE WHEN fk.attnotnull THEN '||' ELSE '|o' END
                              ELSE CASE WHEN fk.attnotnull THEN '||' ELSE '|o' END END,
                  CASE WHEN a.on_delete IS NULL THEN '..' ELSE '--' END,
                  CASE a.kind WHEN 'belongs_to' THEN CASE WHEN fk.attnotnull THEN '||' ELSE 'o|' END
                              WHEN 'has_one' THEN 'o|' ELSE 'o{' END,
                  t.name,
                  replace(a.alias, '"', '''') ||
                  CASE WHEN a.through IS NOT NULL THEN ' (' || replace(th.plain, '"', '''') || ')' ELSE '' END)
           AS text
      FROM a
      JOIN names s ON s.t = a.source
      JOIN names t ON t.t = a.target
      LEFT JOIN names th ON th.t = a.through
      LEFT JOIN pg_attribute fk ON fk.attrelid = a.holder AND fk.attname = a.foreign_key
)
SELECT E'erDiagram\n'
       || coalesce((SELECT string_agg(e.text, '' ORDER BY e.name COLLATE "C") FROM entities e), '')
       || coalesce((SELECT string_agg(r.text, ''
                                      ORDER BY r.sname COLLATE "C",
                                               array_position(ARRAY['belongs_to', 'has_one', 'has_many', 'belongs_to_many'], r.kind),
                                               r.alias COLLATE "C")
                      FROM rels r), '')
$$;

-- The rows whose key points nowhere, for the associations of tab (or of all
-- tables) that no valid foreign-key constraint holds (README,
-- "assoc.check"): one row per key column checked, with how many rows and the first
-- 100 missing keys.
CREATE FUNCTION assoc."check"(tab regclass DEFAULT NULL)
    RETURNS TABLE (source regclass, alias text, kind text, key_table regclass,
                   key_column text, refers_to regclass, orphans bigint, orphan_keys text[])
    AS 'MODULE_PATHNAME', 'assoc_check' LANGUAGE C STABLE;
