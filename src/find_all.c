/*
 * find_all.c
 *	  assoc.find_all and assoc.find_all_sql: Sequelize's findAll options
 *	  (JSON) translated into one SQL statement returning nested JSON.
 *
 * The options are parsed and checked into a tree (find_all_options.c), a
 * shape is chosen for each include and the statement written
 * (find_all_deparse.c).  find_all_sql returns the statement; find_all runs
 * the same text through SPI as the caller, so that grants and row-level
 * security apply, and streams its rows into the function's tuplestore.
 *
 * find_all keeps the prepared plan of each statement it ran (the last
 * PLAN_CACHE_SIZE of them, by text): the same call again, as a page of an
 * application asked for again, is neither parsed nor planned again.  The
 * text has no parameters, so a kept plan is as specific to the values as a
 * new one (values whose conversion depends on settings are converted when
 * the statement runs, see append_value()).  PostgreSQL's plan cache checks
 * a kept plan against changes of the tables and, where row-level security
 * applies, of the role.
 */
#include "postgres.h"

#include "catalog/pg_type.h"
#include "common/hashfn.h"
#include "executor/spi.h"
#include "executor/tstoreReceiver.h"
#include "fmgr.h"
#include "funcapi.h"
#include "miscadmin.h"
#include "utils/builtins.h"
#include "utils/jsonb.h"
#include "utils/memutils.h"
#include "utils/tuplestore.h"

#include "find_all.h"
#include "spi_util.h"

PG_FUNCTION_INFO_V1(assoc_find_all);
PG_FUNCTION_INFO_V1(assoc_find_all_sql);

/* Plans kept, and the longest statement whose plan is kept. */
#define PLAN_CACHE_SIZE 64
#define PLAN_CACHE_MAX_SQL 65536

typedef struct KeptPlan
{
	uint32		hash;
	char	   *sql;
	SPIPlanPtr	plan;
} KeptPlan;

static List *kept_plans = NIL;	/* KeptPlan *, most recently used last */
static MemoryContext kept_cxt = NULL;

/* The statement for (model, options); needs SPI and the safe search_path. */
static char *
find_all_statement(FunctionCallInfo fcinfo)
{
	FaNode	   *root;

	if (PG_ARGISNULL(0))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("find_all needs a model"),
				 errhint("Pass the model's table, as in assoc.find_all('owners', '{}').")));
	fa_cache_begin();
	root = fa_parse_options(PG_GETARG_OID(0),
							PG_ARGISNULL(1) ? NULL : PG_GETARG_JSONB_P(1));
	fa_choose_shapes(root);
	return fa_deparse(root);
}

/* assoc.find_all_sql(model regclass, options jsonb) RETURNS text */
Datum
assoc_find_all_sql(PG_FUNCTION_ARGS)
{
	MemoryContext upper = CurrentMemoryContext;
	MemoryContext old;
	char	   *sql;
	text	   *result;
	int			save_nestlevel;

	SPI_connect();
	save_nestlevel = assoc_safe_search_path();
	sql = find_all_statement(fcinfo);
	old = MemoryContextSwitchTo(upper);
	result = cstring_to_text(sql);
	MemoryContextSwitchTo(old);
	assoc_restore_search_path(save_nestlevel);
	SPI_finish();
	PG_RETURN_TEXT_P(result);
}

/*
 * The plan of the statement: the kept one, else prepared, and kept unless
 * the text is very long (then it goes with the SPI connection).
 */
static SPIPlanPtr
statement_plan(const char *sql)
{
	size_t		len = strlen(sql);
	bool		keep = len <= PLAN_CACHE_MAX_SQL;
	uint32		hash = hash_bytes((const unsigned char *) sql, len);
	SPIPlanPtr	plan;
	KeptPlan   *kp;
	MemoryContext old;
	ListCell   *lc;

	foreach(lc, keep ? kept_plans : NIL)
	{
		kp = lfirst(lc);
		if (kp->hash == hash && strcmp(kp->sql, sql) == 0)
		{
			/* most recently used last */
			kept_plans = list_delete_cell(kept_plans, lc);
			old = MemoryContextSwitchTo(kept_cxt);
			kept_plans = lappend(kept_plans, kp);
			MemoryContextSwitchTo(old);
			return kp->plan;
		}
	}

	plan = SPI_prepare(sql, 0, NULL);
	if (plan == NULL)
		elog(ERROR, "SPI_prepare failed (%s): %s", SPI_result_code_string(SPI_result), sql);
	if (!keep)
		return plan;
	if (SPI_keepplan(plan) != 0)
		elog(ERROR, "SPI_keepplan failed");

	if (kept_cxt == NULL)
		kept_cxt = AllocSetContextCreate(TopMemoryContext, "assoc find_all plans",
										 ALLOCSET_SMALL_SIZES);
	if (list_length(kept_plans) >= PLAN_CACHE_SIZE)
	{
		KeptPlan   *oldest = linitial(kept_plans);

		kept_plans = list_delete_first(kept_plans);
		SPI_freeplan(oldest->plan);
		pfree(oldest->sql);
		pfree(oldest);
	}
	old = MemoryContextSwitchTo(kept_cxt);
	kp = palloc(sizeof(KeptPlan));
	kp->hash = hash;
	kp->sql = pstrdup(sql);
	kp->plan = plan;
	kept_plans = lappend(kept_plans, kp);
	MemoryContextSwitchTo(old);
	return plan;
}

/* assoc.find_all(model regclass, options jsonb) RETURNS SETOF json */
Datum
assoc_find_all(PG_FUNCTION_ARGS)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	MemoryContext per_query;
	MemoryContext old;
	Tuplestorestate *tupstore;
	TupleDesc	tupdesc;
	DestReceiver *dest;
	SPIExecuteOptions options;
	char	   *sql;
	int			save_nestlevel;
	int			ret;

	if (rsinfo == NULL || !IsA(rsinfo, ReturnSetInfo))
		ereport(ERROR,
				(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
				 errmsg("set-valued function called in context that cannot accept a set")));
	if (!(rsinfo->allowedModes & SFRM_Materialize))
		ereport(ERROR,
				(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
				 errmsg("materialize mode required, but it is not allowed in this context")));

	per_query = rsinfo->econtext->ecxt_per_query_memory;
	old = MemoryContextSwitchTo(per_query);
	tupdesc = CreateTemplateTupleDesc(1);
	TupleDescInitEntry(tupdesc, (AttrNumber) 1, "find_all", JSONOID, -1, 0);
	tupstore = tuplestore_begin_heap(rsinfo->allowedModes & SFRM_Materialize_Random,
									 false, work_mem);
	MemoryContextSwitchTo(old);
	rsinfo->returnMode = SFRM_Materialize;
	rsinfo->setResult = tupstore;
	rsinfo->setDesc = tupdesc;

	SPI_connect();
	save_nestlevel = assoc_safe_search_path();
	sql = find_all_statement(fcinfo);

	/* the rows go straight into the tuplestore, not through SPI_tuptable */
	dest = CreateDestReceiver(DestTuplestore);
	SetTuplestoreDestReceiverParams(dest, tupstore, per_query, false, NULL, NULL);
	memset(&options, 0, sizeof(options));
	options.read_only = true;	/* find_all is STABLE: the caller's snapshot */
	options.dest = dest;
	ret = SPI_execute_plan_extended(statement_plan(sql), &options);
	if (ret != SPI_OK_SELECT)
		elog(ERROR, "SPI execution failed (%s): %s", SPI_result_code_string(ret), sql);
	dest->rDestroy(dest);

	assoc_restore_search_path(save_nestlevel);
	SPI_finish();
	return (Datum) 0;
}
