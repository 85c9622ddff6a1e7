/*
 * check.c
 *	  assoc.check: for the associations that no valid foreign-key constraint
 *	  holds (declared with constraints => false, or whose constraint was
 *	  dropped or added NOT VALID), the rows whose key points nowhere, counted
 *	  per association: what a DBA runs before adding the constraint.
 *
 * check_association says which links of an association to check, each a
 * key column of one table and the key it refers to; check_link counts the
 * rows of one link.  Kinds of association whose links are not plain
 * foreign keys add theirs to check_association.
 */
#include "postgres.h"

#include "catalog/pg_type.h"
#include "executor/spi.h"
#include "fmgr.h"
#include "funcapi.h"
#include "lib/stringinfo.h"
#include "miscadmin.h"
#include "utils/builtins.h"
#include "utils/tuplestore.h"

#include "assoc.h"
#include "catalog.h"
#include "ddl.h"
#include "spi_util.h"
#include "sql_spell.h"

PG_FUNCTION_INFO_V1(assoc_check);

/* How many of the missing keys a row shows. */
#define CHECK_MAX_KEYS 100

#define CHECK_COLUMNS 8

/* Where the rows of assoc.check go. */
typedef struct CheckOut
{
	Tuplestorestate *store;
	TupleDesc	desc;
} CheckOut;

/* Is there a validated foreign key from holder(fk) to ref(key)? */
static bool
has_valid_fkey(AssocTable *holder, AssocColumn *fk, AssocTable *ref,
			   AssocColumn *key)
{
	const char *on_delete;
	const char *on_update;
	char	   *conname = assoc_find_fkey(holder->relid, fk->attnum, ref->relid,
										  key->attnum, &on_delete, &on_update);
	Oid			argtypes[2] = {OIDOID, TEXTOID};
	Datum		values[2];

	if (conname == NULL)
		return false;
	values[0] = ObjectIdGetDatum(holder->relid);
	values[1] = CStringGetTextDatum(conname);
	assoc_spi_exec_args("SELECT FROM pg_catalog.pg_constraint"
						" WHERE conrelid = $1 AND conname = $2 AND convalidated",
						2, argtypes, values, NULL, SPI_OK_SELECT);
	return SPI_processed > 0;
}

/*
 * One link of association a: the rows of holder whose fk is not NULL and
 * matches no row of ref(key), unless a valid foreign key guarantees there
 * are none.  Adds a row to out: how many, and the first missing keys.
 */
static void
check_link(CheckOut *out, Association *a, AssocTable *holder, AssocColumn *fk,
		   AssocTable *ref, AssocColumn *key)
{
	const char *fkname = sql_ident(fk->name);
	StringInfoData sql;
	Datum		values[CHECK_COLUMNS];
	bool		nulls[CHECK_COLUMNS] = {false};

	if (has_valid_fkey(holder, fk, ref, key))
		return;

	initStringInfo(&sql);
	appendStringInfo(&sql,
					 "SELECT pg_catalog.count(*),"
					 " CAST((pg_catalog.array_agg(DISTINCT h.%s ORDER BY h.%s))[1:%d]"
					 " AS pg_catalog.text[])"
					 "  FROM %s h WHERE h.%s IS NOT NULL AND NOT EXISTS"
					 " (SELECT FROM %s r WHERE r.%s %s h.%s)",
					 fkname, fkname, CHECK_MAX_KEYS, holder->qualname, fkname,
					 ref->qualname, sql_ident(key->name),
					 assoc_eq_operator(key->typid), fkname);
	assoc_spi_exec(sql.data, SPI_OK_SELECT);

	values[0] = ObjectIdGetDatum(a->source->relid);
	values[1] = CStringGetTextDatum(a->alias);
	values[2] = CStringGetTextDatum(assoc_kind_name(a->kind));
	values[3] = ObjectIdGetDatum(holder->relid);
	values[4] = CStringGetTextDatum(fk->name);
	values[5] = ObjectIdGetDatum(ref->relid);
	values[6] = assoc_spi_getdatum(0, 1);
	if (assoc_spi_isnull(0, 2))
		values[7] = assoc_text_array_datum(NIL);
	else
		values[7] = assoc_spi_getdatum(0, 2);
	tuplestore_putvalues(out->store, out->desc, values, nulls);
}

/* The links of one association to check. */
static void
check_association(CheckOut *out, Association *a)
{
	if (a->kind == ASSOC_BELONGS_TO_MANY)
	{
		check_link(out, a, a->through, a->foreign_key, a->source, a->source_key);
		check_link(out, a, a->through, a->other_key, a->target, a->target_key);
	}
	else
		check_link(out, a, assoc_holder(a), a->foreign_key,
				   assoc_referenced(a), assoc_referenced_key(a));
}

/*
 * assoc.check(tab regclass DEFAULT NULL): the associations of tab (its
 * own, and those whose target or through table it is), or all of them.
 */
Datum
assoc_check(PG_FUNCTION_ARGS)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	MemoryContext old;
	CheckOut	out;
	List	   *assocs;
	ListCell   *lc;
	int			save_nestlevel;

	if (rsinfo == NULL || !IsA(rsinfo, ReturnSetInfo) ||
		!(rsinfo->allowedModes & SFRM_Materialize))
		ereport(ERROR,
				(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
				 errmsg("set-valued function called in context that cannot accept a set")));
	if (get_call_result_type(fcinfo, NULL, &out.desc) != TYPEFUNC_COMPOSITE)
		elog(ERROR, "return type must be a row type");

	old = MemoryContextSwitchTo(rsinfo->econtext->ecxt_per_query_memory);
	out.desc = CreateTupleDescCopy(out.desc);
	out.store = tuplestore_begin_heap(rsinfo->allowedModes & SFRM_Materialize_Random,
									  false, work_mem);
	MemoryContextSwitchTo(old);
	rsinfo->returnMode = SFRM_Materialize;
	rsinfo->setResult = out.store;
	rsinfo->setDesc = out.desc;

	SPI_connect();
	save_nestlevel = assoc_safe_search_path();
	if (PG_ARGISNULL(0))
		assocs = assoc_catalog_all();
	else
	{
		AssocTable *t = assoc_open_table(PG_GETARG_OID(0), "table", false);

		assocs = assoc_catalog_for_table(t->relid);
		if (assocs == NIL)
			ereport(ERROR,
					(errcode(ERRCODE_UNDEFINED_OBJECT),
					 errmsg("table %s has no associations", t->qualname),
					 errdetail("assoc.check checks the keys of declared associations."),
					 errhint("Declare them with assoc.belongs_to, has_one, has_many or belongs_to_many, or discover them from the foreign keys with assoc.discover.")));
	}
	foreach(lc, assocs)
		check_association(&out, lfirst(lc));

	assoc_restore_search_path(save_nestlevel);
	SPI_finish();
	return (Datum) 0;
}
