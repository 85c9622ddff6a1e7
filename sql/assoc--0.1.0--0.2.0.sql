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
