/*
 * catalog.c
 *	  Reading and writing assoc.associations, the catalog of declared
 *	  associations.  The rest of assoc asks this module; nothing else touches
 *	  the table.
 *
 * Everyone may read the catalog, nobody but its owner (the role that created
 * the extension) may write it.  assoc's functions check that the caller owns
 * the tables concerned and then write the row as the catalog's owner, so a
 * role can change only the rows of its own tables.
 *
 * generated_by is the version of assoc whose code wrote an association's
 * functions, or found them to be what it writes (assoc.regenerate after an
 * update): the module's own version, ASSOC_VERSION, which the Makefile sets
 * from EXTVERSION, not pg_extension.extversion, which is the version of the
 * SQL objects and may lag behind the module until ALTER EXTENSION UPDATE.
 * Meanwhile a catalog of 0.1.0 has no such column, and this module writes
 * and returns its rows without one (the update's assoc.regenerate then
 * records the version).
 */
#include "postgres.h"

#include "access/heapam.h"
#include "access/htup_details.h"
#include "access/tableam.h"
#include "catalog/namespace.h"
#include "catalog/pg_class.h"
#include "catalog/pg_type.h"
#include "common/hashfn.h"
#include "executor/spi.h"
#include "funcapi.h"
#include "miscadmin.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/json.h"
#include "utils/lsyscache.h"
#include "utils/snapmgr.h"
#include "utils/syscache.h"

#include "catalog.h"
#include "ddl.h"
#include "model.h"
#include "scope.h"
#include "spi_util.h"

#ifndef ASSOC_VERSION
#error "ASSOC_VERSION (the extension version, from the Makefile) is not defined"
#endif

#define CATALOG_COLUMNS \
	"id, kind, source, target, alias, foreign_key, source_key, target_key," \
	" through, other_key, on_delete, on_update, options, functions"

const char *
assoc_kind_name(AssocKind kind)
{
	switch (kind)
	{
		case ASSOC_BELONGS_TO:
			return "belongs_to";
		case ASSOC_HAS_ONE:
			return "has_one";
		case ASSOC_HAS_MANY:
			return "has_many";
		case ASSOC_BELONGS_TO_MANY:
			return "belongs_to_many";
	}
	return NULL;
}

static AssocKind
kind_from_name(const char *name)
{
	if (strcmp(name, "belongs_to") == 0)
		return ASSOC_BELONGS_TO;
	if (strcmp(name, "has_one") == 0)
		return ASSOC_HAS_ONE;
	if (strcmp(name, "has_many") == 0)
		return ASSOC_HAS_MANY;
	return ASSOC_BELONGS_TO_MANY;
}

static Oid
catalog_relid(void)
{
	Oid			nsp = get_namespace_oid("assoc", false);
	Oid			relid = get_relname_relid("associations", nsp);

	if (!OidIsValid(relid))
		elog(ERROR, "assoc.associations is missing");
	return relid;
}

/*
 * Has the catalog the column generated_by?  Not while its SQL objects are
 * those of 0.1.0, before ALTER EXTENSION assoc UPDATE.
 */
static bool
catalog_has_generated_by(void)
{
	return get_attnum(catalog_relid(), "generated_by") != InvalidAttrNumber;
}

/* What follows CATALOG_COLUMNS in a column list: generated_by, if there. */
static const char *
generated_by_column(bool has)
{
	return has ? ", generated_by" : "";
}

static Oid
catalog_owner(void)
{
	Oid			relid = catalog_relid();
	HeapTuple	tup;
	Oid			owner;

	tup = SearchSysCache1(RELOID, ObjectIdGetDatum(relid));
	if (!HeapTupleIsValid(tup))
		elog(ERROR, "assoc.associations is missing");
	owner = ((Form_pg_class) GETSTRUCT(tup))->relowner;
	ReleaseSysCache(tup);
	return owner;
}

/* Run a statement that writes the catalog, as the catalog's owner. */
static void
catalog_write(const char *sql, int nargs, Oid *argtypes, Datum *values,
			  const char *nulls, int expected)
{
	Oid			save_userid;
	int			save_sec_context;

	GetUserIdAndSecContext(&save_userid, &save_sec_context);
	SetUserIdAndSecContext(catalog_owner(),
						   save_sec_context | SECURITY_LOCAL_USERID_CHANGE |
						   SECURITY_RESTRICTED_OPERATION);
	/* an error resets the user id when the (sub)transaction aborts */
	assoc_spi_exec_args(sql, nargs, argtypes, values, nulls, expected);
	SetUserIdAndSecContext(save_userid, save_sec_context);
}

/* The options column: how the association was declared. */
static char *
options_json(Association *a)
{
	StringInfoData buf;

	initStringInfo(&buf);
	appendStringInfo(&buf, "{\"singular\": ");
	escape_json(&buf, a->singular);
	appendStringInfo(&buf, ", \"plural\": ");
	escape_json(&buf, a->plural);
	appendStringInfo(&buf, ", \"prefix\": ");
	escape_json(&buf, a->prefix);
	/* belongs_to_many only: for the others it would say nothing */
	if (a->kind == ASSOC_BELONGS_TO_MANY)
		appendStringInfo(&buf, ", \"timestamps\": %s", a->timestamps ? "true" : "false");
	/* scopes: only when given, with the columns' numbers to follow renames */
	if (a->scope != NIL)
		appendStringInfo(&buf, ", \"scope\": %s, \"scope_attnums\": %s",
						 assoc_scope_json(a->scope), assoc_scope_attnums(a->scope));
	if (a->through_scope != NIL)
		appendStringInfo(&buf, ", \"through_scope\": %s, \"through_scope_attnums\": %s",
						 assoc_scope_json(a->through_scope),
						 assoc_scope_attnums(a->through_scope));
	/* counter caches and touch (counter.c): only when declared */
	if (a->counter_cache)
	{
		appendStringInfo(&buf, ", \"counter_cache\": ");
		escape_json(&buf, a->counter_cache->name);
	}
	if (a->touch)
		appendStringInfo(&buf, ", \"touch\": true");
	appendStringInfo(&buf,
					 ", \"constraints\": %s, \"underscored\": %s, \"create_index\": %s,"
					 " \"attnums\": {\"foreign_key\": %d, \"source_key\": %d, \"target_key\": %d, \"other_key\": %d",
					 a->constraints ? "true" : "false",
					 a->underscored ? "true" : "false",
					 a->create_index ? "true" : "false",
					 a->foreign_key->attnum, a->source_key->attnum,
					 a->target_key->attnum, a->other_key ? a->other_key->attnum : 0);
	if (a->counter_cache)
		appendStringInfo(&buf, ", \"counter_cache\": %d", a->counter_cache->attnum);
	appendStringInfoString(&buf, "}}");
	return buf.data;
}

/* The first row of the last SPI result as a Datum of the caller's row type. */
static Datum
result_row(TupleDesc rettupdesc, MemoryContext upper)
{
	TupleDesc	desc = SPI_tuptable->tupdesc;
	Datum	   *values = palloc(sizeof(Datum) * desc->natts);
	bool	   *nulls = palloc(sizeof(bool) * desc->natts);
	MemoryContext old;
	HeapTuple	tuple;

	heap_deform_tuple(SPI_tuptable->vals[0], desc, values, nulls);
	old = MemoryContextSwitchTo(upper);
	tuple = heap_form_tuple(rettupdesc, values, nulls);
	MemoryContextSwitchTo(old);
	return HeapTupleGetDatum(tuple);
}

/*
 * Store the association (or, with dry_run, only form the row it would
 * store) and return the row as a Datum of type assoc.associations allocated
 * in "upper".
 */
Datum
assoc_catalog_insert(Association *a, bool dry_run, TupleDesc rettupdesc,
					 MemoryContext upper)
{
	Oid			argtypes[14] = {TEXTOID, REGCLASSOID, REGCLASSOID, TEXTOID, TEXTOID,
		TEXTOID, TEXTOID, TEXTOID, TEXTOID, TEXTOID, TEXTARRAYOID, REGCLASSOID,
	TEXTOID, TEXTOID};
	Datum		values[14];
	char		nulls[14];
	bool		has_version = catalog_has_generated_by();
	const char *gen = generated_by_column(has_version);
	const char *gen_value = has_version ? ", $14" : "";

	memset(nulls, ' ', sizeof(nulls));
	values[0] = CStringGetTextDatum(assoc_kind_name(a->kind));
	values[1] = ObjectIdGetDatum(a->source->relid);
	values[2] = ObjectIdGetDatum(a->target->relid);
	values[3] = CStringGetTextDatum(a->alias);
	values[4] = CStringGetTextDatum(a->foreign_key->name);
	values[5] = CStringGetTextDatum(a->source_key->name);
	values[6] = CStringGetTextDatum(a->target_key->name);
	if (a->on_delete)
		values[7] = CStringGetTextDatum(a->on_delete);
	else
		nulls[7] = 'n';
	if (a->on_update)
		values[8] = CStringGetTextDatum(a->on_update);
	else
		nulls[8] = 'n';
	values[9] = CStringGetTextDatum(options_json(a));
	values[10] = assoc_text_array_datum(a->functions);
	if (a->through)
		values[11] = ObjectIdGetDatum(a->through->relid);
	else
		nulls[11] = 'n';
	if (a->other_key)
		values[12] = CStringGetTextDatum(a->other_key->name);
	else
		nulls[12] = 'n';
	values[13] = CStringGetTextDatum(ASSOC_VERSION);

	if (dry_run)
		assoc_spi_exec_args(psprintf("SELECT CAST(NULL AS integer), $1, $2, $3, $4, $5, $6, $7,"
									 " $12, $13, $8, $9,"
									 " CAST($10 AS pg_catalog.jsonb), CAST($11 AS pg_catalog.regprocedure[])%s",
									 gen_value),
							14, argtypes, values, nulls, SPI_OK_SELECT);
	else
		catalog_write(psprintf("INSERT INTO assoc.associations (kind, source, target, alias,"
							   " foreign_key, source_key, target_key, on_delete, on_update,"
							   " options, functions, through, other_key%s)"
							   " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9,"
							   " CAST($10 AS pg_catalog.jsonb), CAST($11 AS pg_catalog.regprocedure[]), $12, $13%s)"
							   " RETURNING " CATALOG_COLUMNS "%s",
							   gen, gen_value, gen),
					  14, argtypes, values, nulls, SPI_OK_INSERT_RETURNING);
	return result_row(rettupdesc, upper);
}

/* The stored row of an association, as assoc_catalog_insert returns it. */
Datum
assoc_catalog_row(int32 id, TupleDesc rettupdesc, MemoryContext upper)
{
	Oid			argtypes[1] = {INT4OID};
	Datum		values[1] = {Int32GetDatum(id)};

	assoc_spi_exec_args(psprintf("SELECT " CATALOG_COLUMNS "%s FROM assoc.associations WHERE id = $1",
								 generated_by_column(catalog_has_generated_by())),
						1, argtypes, values, NULL, SPI_OK_SELECT);
	if (SPI_processed != 1)
		elog(ERROR, "association %d vanished", id);
	return result_row(rettupdesc, upper);
}

void
assoc_catalog_delete(int32 id)
{
	Oid			argtypes[1] = {INT4OID};
	Datum		values[1] = {Int32GetDatum(id)};

	catalog_write("DELETE FROM assoc.associations WHERE id = $1",
				  1, argtypes, values, NULL, SPI_OK_DELETE);
}

/*
 * A column the catalog recorded: by name, or, when a column of that name is
 * gone, by its number (a rename: the event trigger records the new name at
 * the end of the ALTER TABLE).  The name comes first because numbers do not
 * survive a dump and restore of a table that had dropped columns.
 */
static AssocColumn *
stored_column(AssocTable *table, const char *name, const char *attnum)
{
	AssocColumn *col = assoc_find_column(table->relid, name);

	if (col == NULL && attnum != NULL && atoi(attnum) > 0)
	{
		char	   *current = get_attname(table->relid, atoi(attnum), true);

		if (current != NULL)
			col = assoc_find_column(table->relid, current);
	}
	if (col == NULL)
		ereport(ERROR,
				(errcode(ERRCODE_UNDEFINED_COLUMN),
				 errmsg("column \"%s\" of table %s, recorded in assoc.associations, does not exist",
						name, table->qualname)));
	return col;
}

/*
 * A stored scope (column "col" of the last catalog query, the attnums in
 * col + 1), its columns found as stored_column finds the keys.
 */
static List *
stored_scope(uint64 row, int col, AssocTable *table)
{
	List	   *scope;
	ListCell   *lc;
	char	   *p;

	if (table == NULL || assoc_spi_isnull(row, col))
		return NIL;
	scope = assoc_scope_read(DatumGetJsonbP(DirectFunctionCall1(jsonb_in,
																CStringGetDatum(assoc_spi_getstring(row, col)))),
							 "scope");
	/* the attnums, "[3, 4]", one per pair in the same order */
	p = assoc_spi_isnull(row, col + 1) ? "" : assoc_spi_getstring(row, col + 1);
	foreach(lc, scope)
	{
		AssocScopeValue *sv = lfirst(lc);
		char	   *attnum = NULL;

		while (*p != '\0' && !(*p >= '0' && *p <= '9'))
			p++;
		if (*p != '\0')
		{
			attnum = p;
			while (*p >= '0' && *p <= '9')
				p++;
			if (*p != '\0')
				*p++ = '\0';
		}
		sv->column = stored_column(table, sv->name, attnum);
	}
	return scope;
}

/* Build Associations from the rows of the last catalog query. */
static List *
associations_from_result(void)
{
	List	   *result = NIL;

	for (uint64 i = 0; i < SPI_processed; i++)
	{
		Association *a = palloc0(sizeof(Association));
		AssocTable *holder;

		a->id = DatumGetInt32(assoc_spi_getdatum(i, 1));
		a->kind = kind_from_name(assoc_spi_getstring(i, 2));
		a->source = assoc_open_table(DatumGetObjectId(assoc_spi_getdatum(i, 3)),
									 "source", false);
		a->target = assoc_open_table(DatumGetObjectId(assoc_spi_getdatum(i, 4)),
									 "target", false);
		a->alias = assoc_spi_getstring(i, 5);
		a->source_key = stored_column(a->source, assoc_spi_getstring(i, 7),
									  assoc_spi_getstring(i, 17));
		a->target_key = stored_column(a->target, assoc_spi_getstring(i, 8),
									  assoc_spi_getstring(i, 18));
		a->on_delete = assoc_spi_getstring(i, 9);
		a->on_update = assoc_spi_getstring(i, 10);
		a->singular = assoc_spi_getstring(i, 11);
		a->plural = assoc_spi_getstring(i, 12);
		a->constraints = strcmp(assoc_spi_getstring(i, 13), "true") == 0;
		a->underscored = strcmp(assoc_spi_getstring(i, 14), "true") == 0;
		a->create_index = strcmp(assoc_spi_getstring(i, 15), "true") == 0;
		a->prefix = assoc_spi_getstring(i, 19);
		a->timestamps = strcmp(assoc_spi_getstring(i, 23), "true") == 0;
		/* through first: for belongs_to_many the through table holds the key */
		if (!assoc_spi_isnull(i, 20))
		{
			a->through = assoc_open_table(DatumGetObjectId(assoc_spi_getdatum(i, 20)),
										  "through", false);
			a->other_key = stored_column(a->through, assoc_spi_getstring(i, 21),
										 assoc_spi_getstring(i, 22));
		}
		holder = assoc_holder(a);
		a->foreign_key = stored_column(holder, assoc_spi_getstring(i, 6),
									   assoc_spi_getstring(i, 16));
		if (!assoc_spi_isnull(i, 24))
		{
			a->counter_recorded = assoc_spi_getstring(i, 24);
			a->counter_cache = stored_column(assoc_referenced(a), a->counter_recorded,
											 assoc_spi_getstring(i, 25));
		}
		a->touch = strcmp(assoc_spi_getstring(i, 26), "true") == 0;
		a->scope = stored_scope(i, 27, a->target);
		a->through_scope = stored_scope(i, 29, a->through);
		result = lappend(result, a);
	}
	return result;
}

#define LOAD_COLUMNS \
	"SELECT id, kind, CAST(source AS pg_catalog.oid), CAST(target AS pg_catalog.oid), alias, foreign_key, source_key," \
	" target_key, on_delete, on_update, options->>'singular', options->>'plural'," \
	" coalesce(options->>'constraints', 'true'), coalesce(options->>'underscored', 'false')," \
	" coalesce(options->>'create_index', 'true')," \
	" options->'attnums'->>'foreign_key', options->'attnums'->>'source_key'," \
	" options->'attnums'->>'target_key', options->>'prefix'," \
	" CAST(through AS pg_catalog.oid), other_key, options->'attnums'->>'other_key'," \
	" coalesce(options->>'timestamps', 'true')," \
	" options->>'counter_cache', options->'attnums'->>'counter_cache'," \
	" coalesce(options->>'touch', 'false')," \
	" options->'scope', options->>'scope_attnums'," \
	" options->'through_scope', options->>'through_scope_attnums'" \
	" FROM assoc.associations"

/* The one association the condition (on the catalog's key) selects, or NULL. */
static Association *
load_one(const char *where, int nargs, Oid *argtypes, Datum *values)
{
	List	   *found;

	assoc_spi_exec_args(psprintf(LOAD_COLUMNS " WHERE %s", where),
						nargs, argtypes, values, NULL, SPI_OK_SELECT);
	found = associations_from_result();
	return found == NIL ? NULL : linitial(found);
}

/* The association of source named alias, or NULL. */
Association *
assoc_catalog_find(Oid source, const char *alias)
{
	Oid			argtypes[2] = {OIDOID, TEXTOID};
	Datum		values[2];

	values[0] = ObjectIdGetDatum(source);
	values[1] = CStringGetTextDatum(alias);
	return load_one("source = $1 AND alias = $2", 2, argtypes, values);
}

/* The association of that id, or NULL. */
Association *
assoc_catalog_by_id(int32 id)
{
	Oid			argtypes[1] = {INT4OID};
	Datum		values[1] = {Int32GetDatum(id)};

	return load_one("id = $1", 1, argtypes, values);
}

/* Every association whose source, target or through table is relid. */
List *
assoc_catalog_for_table(Oid relid)
{
	Oid			argtypes[1] = {OIDOID};
	Datum		values[1] = {ObjectIdGetDatum(relid)};

	assoc_spi_exec_args(LOAD_COLUMNS " WHERE $1 IN (source, target, through) ORDER BY id",
						1, argtypes, values, NULL, SPI_OK_SELECT);
	return associations_from_result();
}

/* Every association, by id. */
List *
assoc_catalog_all(void)
{
	assoc_spi_exec(LOAD_COLUMNS " ORDER BY id", SPI_OK_SELECT);
	return associations_from_result();
}

/*
 * The generated functions of an association that still exist, as
 * regprocedure text (qualified as needed under the safe search_path).
 */
List *
assoc_catalog_functions(int32 id)
{
	Oid			argtypes[1] = {INT4OID};
	Datum		values[1] = {Int32GetDatum(id)};
	List	   *result = NIL;

	assoc_spi_exec_args("SELECT CAST(f AS pg_catalog.text)"
						"  FROM assoc.associations a, pg_catalog.unnest(a.functions) f"
						" WHERE a.id = $1"
						"   AND EXISTS (SELECT FROM pg_catalog.pg_proc p WHERE p.oid = f)",
						1, argtypes, values, NULL, SPI_OK_SELECT);
	for (uint64 i = 0; i < SPI_processed; i++)
		result = lappend(result, assoc_spi_getstring(i, 1));
	return result;
}

/* Does another association use the same foreign-key column? */
bool
assoc_catalog_column_shared(Association *a)
{
	Oid			argtypes[3] = {INT4OID, OIDOID, TEXTOID};
	Datum		values[3];

	values[0] = Int32GetDatum(a->id);
	values[1] = ObjectIdGetDatum(assoc_holder(a)->relid);
	values[2] = CStringGetTextDatum(a->foreign_key->name);
	assoc_spi_exec_args("SELECT FROM assoc.associations"
						" WHERE id <> $1 AND foreign_key = $3"
						"   AND CASE kind WHEN 'belongs_to' THEN source"
						"        WHEN 'belongs_to_many' THEN through ELSE target END = $2",
						3, argtypes, values, NULL, SPI_OK_SELECT);
	return SPI_processed > 0;
}

/*
 * The first association (by id) whose row passes "where" (of parameters
 * $1 and $2), as "association "x" of table t" for a message, or NULL.
 */
static char *
first_association(const char *where, Oid *argtypes, Datum *values)
{
	assoc_spi_exec_args(psprintf("SELECT pg_catalog.format('association \"%%s\" of table %%s', alias, source)"
								 "  FROM assoc.associations WHERE %s ORDER BY id LIMIT 1", where),
						2, argtypes, values, NULL, SPI_OK_SELECT);
	return SPI_processed > 0 ? assoc_spi_getstring(0, 1) : NULL;
}

/*
 * Another association that involves table relid (as its source, target or
 * through table), as "association "x" of table t" for a message, or NULL.
 */
char *
assoc_catalog_other_user(Association *a, Oid relid)
{
	Oid			argtypes[2] = {INT4OID, OIDOID};
	Datum		values[2];

	values[0] = Int32GetDatum(a->id);
	values[1] = ObjectIdGetDatum(relid);
	return first_association("id <> $1 AND $2 IN (source, target, through)",
							 argtypes, values);
}

/*
 * The association whose counter cache is column of table owner (the
 * referenced table of a belongs_to or has_many), as for a message, or NULL.
 */
char *
assoc_catalog_counter_user(Oid owner, const char *column)
{
	Oid			argtypes[2] = {OIDOID, TEXTOID};
	Datum		values[2];

	values[0] = ObjectIdGetDatum(owner);
	values[1] = CStringGetTextDatum(column);
	return first_association("options->>'counter_cache' = $2"
							 " AND CASE kind WHEN 'belongs_to' THEN target ELSE source END = $1",
							 argtypes, values);
}

/*
 * Bring a stored association up to date after its functions were written
 * again: the current names of its columns (renames), its functions (which
 * a DROP COLUMN ... CASCADE may have dropped and the regeneration created
 * again) and the version that wrote them.
 */
void
assoc_catalog_refresh(Association *a)
{
	Oid			argtypes[8] = {INT4OID, TEXTOID, TEXTOID, TEXTOID, TEXTARRAYOID, TEXTOID,
	TEXTOID, TEXTOID};
	Datum		values[8];
	char		nulls[8] = {' ', ' ', ' ', ' ', ' ', ' ', ' ', ' '};

	values[0] = Int32GetDatum(a->id);
	values[1] = CStringGetTextDatum(a->foreign_key->name);
	values[2] = CStringGetTextDatum(a->source_key->name);
	values[3] = CStringGetTextDatum(a->target_key->name);
	values[4] = assoc_text_array_datum(a->functions);
	values[5] = CStringGetTextDatum(options_json(a));
	if (a->other_key)
		values[6] = CStringGetTextDatum(a->other_key->name);
	else
		nulls[6] = 'n';
	values[7] = CStringGetTextDatum(ASSOC_VERSION);
	catalog_write(psprintf("UPDATE assoc.associations SET foreign_key = $2, source_key = $3,"
						   " target_key = $4, functions = CAST($5 AS pg_catalog.regprocedure[]),"
						   " options = CAST($6 AS pg_catalog.jsonb), other_key = $7%s"
						   " WHERE id = $1",
						   catalog_has_generated_by() ? ", generated_by = $8" : ""),
				  8, argtypes, values, nulls, SPI_OK_UPDATE);
}

/*
 * Table "from" was replaced by table "to" under its name (Citus's
 * conversions, citus.c): the associations and the model options of "from"
 * name "to" from now on.  Returns the ids of the associations changed.
 */
List *
assoc_catalog_repoint(Oid from, Oid to)
{
	Oid			argtypes[2] = {OIDOID, OIDOID};
	Datum		values[2] = {ObjectIdGetDatum(from), ObjectIdGetDatum(to)};
	List	   *ids = NIL;

	catalog_write("UPDATE assoc.associations"
				  "   SET source = CASE WHEN source = $1 THEN CAST($2 AS pg_catalog.regclass) ELSE source END,"
				  "       target = CASE WHEN target = $1 THEN CAST($2 AS pg_catalog.regclass) ELSE target END,"
				  "       through = CASE WHEN through = $1 THEN CAST($2 AS pg_catalog.regclass) ELSE through END"
				  " WHERE $1 IN (source, target, through) RETURNING id",
				  2, argtypes, values, NULL, SPI_OK_UPDATE_RETURNING);
	for (uint64 i = 0; i < SPI_processed; i++)
		ids = lappend_int(ids, DatumGetInt32(assoc_spi_getdatum(i, 1)));
	if (OidIsValid(assoc_models_relid()))
		catalog_write("UPDATE assoc.models SET tab = CAST($2 AS pg_catalog.regclass) WHERE tab = $1",
					  2, argtypes, values, NULL, SPI_OK_UPDATE);
	return ids;
}

/*
 * The functions of association id are found to be what this version
 * writes, unchanged: record this version as their author, when another is
 * recorded (as after an update of assoc that changes no function).  The row
 * is written only then, so that the caches keyed on the catalog stay warm.
 */
void
assoc_catalog_confirm_version(int32 id)
{
	Oid			argtypes[2] = {INT4OID, TEXTOID};
	Datum		values[2];

	if (!catalog_has_generated_by())
		return;
	values[0] = Int32GetDatum(id);
	values[1] = CStringGetTextDatum(ASSOC_VERSION);
	catalog_write("UPDATE assoc.associations SET generated_by = $2"
				  " WHERE id = $1 AND generated_by IS DISTINCT FROM $2",
				  2, argtypes, values, NULL, SPI_OK_UPDATE);
}

/*
 * Every association named alias, whatever its source, by id: find_all uses
 * it to say where an alias the caller named does exist.
 */
List *
assoc_catalog_with_alias(const char *alias)
{
	Oid			argtypes[1] = {TEXTOID};
	Datum		values[1];

	values[0] = CStringGetTextDatum(alias);
	assoc_spi_exec_args(LOAD_COLUMNS " WHERE alias = $1 ORDER BY id",
						1, argtypes, values, NULL, SPI_OK_SELECT);
	return associations_from_result();
}

/*
 * A number that changes whenever a row of the catalog changes: a hash of
 * the location and inserting transaction of every row version the
 * transaction sees, so that a cache built from the catalog can tell
 * cheaply that it is stale.  A plain scan of the (small) table, without
 * the executor: find_all asks on every call.
 */
uint64
assoc_catalog_fingerprint(void)
{
	Relation	rel;
	Snapshot	snapshot;
	TableScanDesc scan;
	HeapTuple	tuple;
	uint64		hash = 0;

	rel = table_open(catalog_relid(), AccessShareLock);
	snapshot = RegisterSnapshot(GetTransactionSnapshot());
	scan = table_beginscan(rel, snapshot, 0, NULL);
	while ((tuple = heap_getnext(scan, ForwardScanDirection)) != NULL)
	{
		uint64		row[2];

		row[0] = ((uint64) ItemPointerGetBlockNumber(&tuple->t_self) << 16) |
			ItemPointerGetOffsetNumber(&tuple->t_self);
		row[1] = HeapTupleHeaderGetRawXmin(tuple->t_data);
		hash = hash_combine64(hash, hash_bytes_extended((const unsigned char *) row,
														sizeof(row), 0));
	}
	table_endscan(scan);
	UnregisterSnapshot(snapshot);
	table_close(rel, AccessShareLock);
	return hash;
}

/*
 * Store the model options of a table (assoc.model), replacing what was
 * declared before, and return the row as a Datum of type assoc.models
 * allocated in "upper" (nothing without rettupdesc).  The caller checked
 * that it owns the table, or follows a rename.
 */
Datum
assoc_catalog_model_write(Oid relid, ModelOptions *mo, TupleDesc rettupdesc,
						  MemoryContext upper)
{
	Oid			argtypes[9] = {REGCLASSOID, TEXTOID, BOOLOID, TEXTOID, TEXTOID,
	BOOLOID, TEXTOID, BOOLOID, TEXTOID};
	Datum		values[9];
	char		nulls[9];

	memset(nulls, ' ', sizeof(nulls));
	values[0] = ObjectIdGetDatum(relid);
#define TEXT_OR_NULL(i, v) do { if (v) values[i] = CStringGetTextDatum(v); else nulls[i] = 'n'; } while (0)
#define BOOL_OR_NULL(i, v) do { if ((v) >= 0) values[i] = BoolGetDatum((v) == 1); else nulls[i] = 'n'; } while (0)
	TEXT_OR_NULL(1, mo->name);
	BOOL_OR_NULL(2, mo->timestamps);
	TEXT_OR_NULL(3, mo->created_at);
	TEXT_OR_NULL(4, mo->updated_at);
	BOOL_OR_NULL(5, mo->paranoid);
	TEXT_OR_NULL(6, mo->deleted_at);
	BOOL_OR_NULL(7, mo->underscored);
#undef TEXT_OR_NULL
#undef BOOL_OR_NULL
	values[8] = CStringGetTextDatum(psprintf("{%d,%d,%d}", mo->attnums[0],
											 mo->attnums[1], mo->attnums[2]));
	catalog_write("INSERT INTO assoc.models AS m (tab, name, timestamps, created_at, updated_at,"
				  " paranoid, deleted_at, underscored, attnums)"
				  " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, CAST($9 AS pg_catalog.int2[]))"
				  " ON CONFLICT (tab) DO UPDATE SET name = EXCLUDED.name,"
				  " timestamps = EXCLUDED.timestamps, created_at = EXCLUDED.created_at,"
				  " updated_at = EXCLUDED.updated_at, paranoid = EXCLUDED.paranoid,"
				  " deleted_at = EXCLUDED.deleted_at, underscored = EXCLUDED.underscored,"
				  " attnums = EXCLUDED.attnums"
				  " RETURNING m.*",
				  9, argtypes, values, nulls, SPI_OK_INSERT_RETURNING);
	return rettupdesc ? result_row(rettupdesc, upper) : (Datum) 0;
}
