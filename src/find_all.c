/*
 * find_all.c
 *	  assoc.find_all and assoc.find_all_sql: Sequelize's findAll options
 *	  (JSON) translated into one SQL statement returning nested JSON.
 *
 * The options are parsed and checked into a tree (find_all_options.c), a
 * shape is chosen for each include and the statement written
 * (find_all_deparse.c).  find_all_sql returns the statement; find_all runs
 * the same text through SPI as the caller, so that grants and row-level
 * security apply.  Called in FROM, it writes its rows straight into the
 * tuplestore that PostgreSQL keeps for a function scan (a function scan
 * materializes its function's result whatever the function does); called in
 * the select list (SELECT assoc.find_all(...)), it streams them from a
 * cursor, a batch at a time, so that the first rows reach the client while
 * the statement still runs and nothing is kept.
 *
 * find_all keeps the prepared plan of each statement it ran (the last
 * PLAN_CACHE_SIZE of them, by text): the same call again, as a page of an
 * application asked for again, is neither parsed nor planned again.  The
 * text has no parameters, so a kept plan is as specific to the values as a
 * new one (values whose conversion depends on settings are converted when
 * the statement runs, see append_value()).  PostgreSQL's plan cache checks
 * a kept plan against changes of the tables and, where row-level security
 * applies, of the role.
 *
 * Before that, the statement itself is kept (the last STATEMENT_CACHE_SIZE,
 * by model, result and options as given): parsing the options and writing
 * the statement were 5% of a page of 20 owners with their pugs, half of
 * what separated find_all from the same statement prepared by hand.  A
 * kept statement holds while the cache of the catalog it was derived from
 * (find_all_cache.c) does: a change of assoc's catalog, of a table the
 * statement reads, or of a schema drops both.  The options' values are
 * checked against their columns' types when the statement is first
 * written; one that a setting such as DateStyle makes invalid later fails
 * when the kept statement runs (its CAST), with PostgreSQL's message.
 *
 * A page (a limit of at most PAGE_MAX_ROWS rows, see statement_is_page())
 * is planned and run differently, for what a page through a driver costs
 * (README, "Performance", the node section):
 *   - with enable_bitmapscan off, unless assoc.page_bitmap_scans is on:
 *     the correlated subquery of each include is rescanned once per parent
 *     row, and a bitmap heap scan pays on each rescan for a new bitmap and
 *     for reading the relation's size (an lseek); for the few rows of one
 *     parent, through the foreign-key index, a plain index scan reads the
 *     same pages without that (a page of 20 owners with their pugs and
 *     toys: 208 rescans, a third of the backend's time);
 *   - in the select list too, its rows go straight into a tuplestore
 *     (materialize mode), not through a cursor, SPI's tuple table and a
 *     copy: a page is small, and it is sent when complete anyway.
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
#include "utils/datum.h"
#include "utils/guc.h"
#include "utils/jsonb.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"
#include "utils/tuplestore.h"

#include "citus.h"
#include "find_all.h"
#include "spi_util.h"

PG_FUNCTION_INFO_V1(assoc_find_all);
PG_FUNCTION_INFO_V1(assoc_find_all_sql);
PG_FUNCTION_INFO_V1(assoc_count);
PG_FUNCTION_INFO_V1(assoc_find_and_count_all);

/* Plans kept, and the longest statement whose plan is kept. */
#define PLAN_CACHE_SIZE 64
#define PLAN_CACHE_MAX_SQL 65536

typedef struct KeptPlan
{
	uint32		hash;
	char	   *sql;
	bool		index_scans;	/* planned with enable_bitmapscan off */
	SPIPlanPtr	plan;
} KeptPlan;

/* The most rows of a page planned and run as one (statement_is_page()) */
#define PAGE_MAX_ROWS 1000

/* Statements kept, and the longest options whose statement is kept. */
#define STATEMENT_CACHE_SIZE 64
#define STATEMENT_CACHE_MAX_OPTIONS 8192

typedef struct KeptStatement
{
	uint32		hash;
	Oid			model;
	FaResult	result;
	Jsonb	   *options;		/* NULL: none given */
	bool		page;			/* statement_is_page() */
	uint64		generation;		/* fa_cache_generation() it was made in */
	char	   *sql;
} KeptStatement;

/* Rows fetched from the cursor at a time when streaming. */
#define STREAM_BATCH 64

/* The state of a streaming call (value per call) */
typedef struct FindAllStream
{
	char	   *portal;			/* the cursor's name */
	ExprContext *econtext;		/* where stream_close is registered */
	MemoryContext batch_cxt;	/* holds the rows of the current batch */
	Datum	   *rows;
	bool	   *nulls;
	uint64		nrows;
	uint64		next;
	bool		done;
} FindAllStream;

static List *kept_plans = NIL;	/* KeptPlan *, most recently used last */
static List *kept_statements = NIL; /* KeptStatement *, the same */
static MemoryContext kept_cxt = NULL;

static MemoryContext
kept_context(void)
{
	if (kept_cxt == NULL)
		kept_cxt = AllocSetContextCreate(TopMemoryContext, "assoc find_all plans",
										 ALLOCSET_SMALL_SIZES);
	return kept_cxt;
}

/* Moves the cell of list to its end (most recently used last). */
static List *
move_to_end(List *list, ListCell *lc)
{
	void	   *p = lfirst(lc);
	MemoryContext old;

	list = list_delete_cell(list, lc);
	old = MemoryContextSwitchTo(kept_context());
	list = lappend(list, p);
	MemoryContextSwitchTo(old);
	return list;
}

/* The kept statement of (model, result, options), whatever its cache. */
static ListCell *
find_statement(Oid model, FaResult result, Jsonb *options, uint32 hash)
{
	ListCell   *lc;

	foreach(lc, kept_statements)
	{
		KeptStatement *ks = lfirst(lc);

		if (ks->hash == hash && ks->model == model && ks->result == result &&
			(options == NULL ? ks->options == NULL :
			 ks->options != NULL && VARSIZE(ks->options) == VARSIZE(options) &&
			 memcmp(ks->options, options, VARSIZE(options)) == 0))
			return lc;
	}
	return NULL;
}

/*
 * Keeps the statement of (model, result, options), in place of one written
 * in an older cache; the least recently used goes when there are too many.
 */
static void
keep_statement(Oid model, FaResult result, Jsonb *options, uint32 hash,
			   const char *sql, bool page)
{
	MemoryContext old = MemoryContextSwitchTo(kept_context());
	ListCell   *lc = find_statement(model, result, options, hash);
	KeptStatement *ks;

	if (lc != NULL)
	{
		ks = lfirst(lc);
		kept_statements = list_delete_cell(kept_statements, lc);
	}
	else if (list_length(kept_statements) >= STATEMENT_CACHE_SIZE)
	{
		ks = linitial(kept_statements);
		kept_statements = list_delete_first(kept_statements);
	}
	else
		ks = NULL;
	if (ks != NULL)
	{
		if (ks->options != NULL)
			pfree(ks->options);
		pfree(ks->sql);
		pfree(ks);
	}
	ks = palloc(sizeof(KeptStatement));
	ks->hash = hash;
	ks->model = model;
	ks->result = result;
	ks->options = NULL;
	if (options != NULL)
	{
		ks->options = palloc(VARSIZE(options));
		memcpy(ks->options, options, VARSIZE(options));
	}
	ks->page = page;
	ks->generation = fa_cache_generation();
	ks->sql = pstrdup(sql);
	kept_statements = lappend(kept_statements, ks);
	MemoryContextSwitchTo(old);
}

/*
 * Whether the rows of root's statement are a page: a limit of at most
 * PAGE_MAX_ROWS rows (the top level's offset aside), off Citus (whose
 * pages are not correlated, fa_choose_shapes()).
 */
static bool
statement_is_page(FaNode *root, FaResult result)
{
	return result == FA_RESULT_ROWS && root->limit >= 0 &&
		root->limit <= PAGE_MAX_ROWS && !assoc_citus_table(root->table->relid);
}

/*
 * The statement for (model, options) giving result, and (page) whether it
 * is a page (statement_is_page()); needs SPI and the safe search_path.
 */
static char *
find_all_statement(FunctionCallInfo fcinfo, FaResult result, bool *page)
{
	static const char *const names[] = {"find_all", "count", "find_and_count_all"};
	FaNode	   *root;
	Oid			model;
	Jsonb	   *options;
	uint32		hash = 0;
	bool		keep;
	ListCell   *lc;
	char	   *sql;

	if (PG_ARGISNULL(0))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("%s needs a model", names[result]),
				 errhint("Pass the model's table, as in assoc.%s('owners', '{}').",
						 names[result])));
	fa_cache_begin();
	model = PG_GETARG_OID(0);
	options = PG_ARGISNULL(1) ? NULL : PG_GETARG_JSONB_P(1);
	keep = options == NULL || VARSIZE(options) <= STATEMENT_CACHE_MAX_OPTIONS;
	if (keep)
	{
		hash = hash_uint32(model) ^ (uint32) result;
		if (options != NULL)
			hash ^= hash_bytes((const unsigned char *) options, VARSIZE(options));
		lc = find_statement(model, result, options, hash);
		if (lc != NULL &&
			((KeptStatement *) lfirst(lc))->generation == fa_cache_generation())
		{
			sql = ((KeptStatement *) lfirst(lc))->sql;
			*page = ((KeptStatement *) lfirst(lc))->page;
			kept_statements = move_to_end(kept_statements, lc);
			return sql;
		}
	}
	root = fa_parse_options(model, options);
	fa_choose_shapes(root);
	sql = fa_deparse(root, result);
	*page = statement_is_page(root, result);
	if (keep)
		keep_statement(model, result, options, hash, sql, *page);
	return sql;
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
	bool		page;

	SPI_connect();
	save_nestlevel = assoc_safe_search_path();
	sql = find_all_statement(fcinfo, FA_RESULT_ROWS, &page);
	old = MemoryContextSwitchTo(upper);
	result = cstring_to_text(sql);
	MemoryContextSwitchTo(old);
	assoc_restore_search_path(save_nestlevel);
	SPI_finish();
	PG_RETURN_TEXT_P(result);
}

/*
 * The plan of the statement: the kept one, else prepared, and kept unless
 * the text is very long (then it goes with the SPI connection).  A page
 * (statement_is_page()) is planned with enable_bitmapscan off unless
 * assoc.page_bitmap_scans is on, set in the caller's GUC nesting level
 * (assoc_safe_search_path()), where it stays while the statement is run
 * (its plan may be made again when it is run: the plan cache replans a
 * statement whose tables changed).
 */
static SPIPlanPtr
statement_plan(const char *sql, bool page)
{
	size_t		len = strlen(sql);
	bool		keep = len <= PLAN_CACHE_MAX_SQL;
	uint32		hash = hash_bytes((const unsigned char *) sql, len);
	bool		index_scans = page && !assoc_page_bitmap_scans;
	SPIPlanPtr	plan;
	KeptPlan   *kp;
	MemoryContext old;
	ListCell   *lc;

	if (index_scans)
		(void) set_config_option("enable_bitmapscan", "off",
								 PGC_USERSET, PGC_S_SESSION,
								 GUC_ACTION_SAVE, true, 0, false);
	foreach(lc, keep ? kept_plans : NIL)
	{
		kp = lfirst(lc);
		if (kp->hash == hash && kp->index_scans == index_scans &&
			strcmp(kp->sql, sql) == 0)
		{
			kept_plans = move_to_end(kept_plans, lc);
			return kp->plan;
		}
	}

	/*
	 * CURSOR_OPT_HOLD: a stream's cursor survives the end of its transaction
	 * (and is persisted then, as a cursor WITH HOLD is) when find_all runs
	 * in the caller's cursor WITH HOLD, which is itself persisted at commit
	 * and reads from it.  Otherwise the stream closes its cursor when its
	 * query ends; execution of the statement does not depend on the option.
	 */
	plan = SPI_prepare_cursor(sql, 0, NULL, CURSOR_OPT_HOLD);
	if (plan == NULL)
		elog(ERROR, "SPI_prepare_cursor failed (%s): %s", SPI_result_code_string(SPI_result), sql);
	if (!keep)
		return plan;
	if (SPI_keepplan(plan) != 0)
		elog(ERROR, "SPI_keepplan failed");

	if (list_length(kept_plans) >= PLAN_CACHE_SIZE)
	{
		KeptPlan   *oldest = linitial(kept_plans);

		kept_plans = list_delete_first(kept_plans);
		SPI_freeplan(oldest->plan);
		pfree(oldest->sql);
		pfree(oldest);
	}
	old = MemoryContextSwitchTo(kept_context());
	kp = palloc(sizeof(KeptPlan));
	kp->hash = hash;
	kp->sql = pstrdup(sql);
	kp->index_scans = index_scans;
	kp->plan = plan;
	kept_plans = lappend(kept_plans, kp);
	MemoryContextSwitchTo(old);
	return plan;
}

/*
 * The cursor of a stream that the caller stopped reading (a LIMIT above
 * it), closed when its query ends.  On error, the transaction's abort drops
 * it, and this is not called.
 */
static void
stream_close(Datum arg)
{
	FindAllStream *st = (FindAllStream *) DatumGetPointer(arg);
	Portal		portal;

	if (st->done)
		return;
	st->done = true;
	portal = SPI_cursor_find(st->portal);
	if (portal != NULL)
		SPI_cursor_close(portal);
}

/* The next batch of rows from the cursor, copied out of SPI's memory. */
static void
stream_fetch(FindAllStream *st)
{
	Portal		portal;
	MemoryContext old;
	int			save_nestlevel;

	SPI_connect();
	save_nestlevel = assoc_safe_search_path();
	portal = SPI_cursor_find(st->portal);
	if (portal == NULL)
		elog(ERROR, "cursor \"%s\" of assoc.find_all does not exist", st->portal);
	SPI_cursor_fetch(portal, true, STREAM_BATCH);

	MemoryContextReset(st->batch_cxt);
	old = MemoryContextSwitchTo(st->batch_cxt);
	st->nrows = SPI_processed;
	st->next = 0;
	st->rows = palloc(sizeof(Datum) * Max(st->nrows, 1));
	st->nulls = palloc(sizeof(bool) * Max(st->nrows, 1));
	for (uint64 i = 0; i < st->nrows; i++)
	{
		Datum		d = SPI_getbinval(SPI_tuptable->vals[i], SPI_tuptable->tupdesc, 1,
									  &st->nulls[i]);

		st->rows[i] = st->nulls[i] ? (Datum) 0 : datumCopy(d, false, -1);
	}
	MemoryContextSwitchTo(old);
	SPI_freetuptable(SPI_tuptable);

	if (st->nrows == 0)
	{
		SPI_cursor_close(portal);
		st->done = true;
	}
	assoc_restore_search_path(save_nestlevel);
	SPI_finish();
}

/*
 * The first call of find_all in the select list, SPI connected: opens the
 * cursor of the statement, from which find_all_stream() returns its rows.
 */
static void
stream_open(FunctionCallInfo fcinfo, const char *sql, bool page)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	FuncCallContext *funcctx = SRF_FIRSTCALL_INIT();
	MemoryContext old;
	Portal		portal;
	FindAllStream *st;

	old = MemoryContextSwitchTo(funcctx->multi_call_memory_ctx);
	st = palloc0(sizeof(FindAllStream));
	st->batch_cxt = AllocSetContextCreate(funcctx->multi_call_memory_ctx,
										  "assoc find_all rows",
										  ALLOCSET_DEFAULT_SIZES);
	MemoryContextSwitchTo(old);

	/* read_only: the caller's snapshot, as find_all is STABLE */
	portal = SPI_cursor_open(NULL, statement_plan(sql, page), NULL, NULL, true);
	st->portal = MemoryContextStrdup(funcctx->multi_call_memory_ctx, portal->name);

	/* called before funcapi's own callback, which frees st */
	st->econtext = rsinfo->econtext;
	RegisterExprContextCallback(st->econtext, stream_close, PointerGetDatum(st));
	funcctx->user_fctx = st;
}

/* find_all in the select list: one row per call, from a cursor */
static Datum
find_all_stream(FunctionCallInfo fcinfo)
{
	FuncCallContext *funcctx;
	FindAllStream *st;

	funcctx = SRF_PERCALL_SETUP();
	st = (FindAllStream *) funcctx->user_fctx;

	if (st->next >= st->nrows && !st->done)
		stream_fetch(st);
	if (st->next < st->nrows)
	{
		uint64		i = st->next++;

		if (st->nulls[i])
			SRF_RETURN_NEXT_NULL(funcctx);
		SRF_RETURN_NEXT(funcctx, st->rows[i]);
	}
	UnregisterExprContextCallback(st->econtext, stream_close, PointerGetDatum(st));
	SRF_RETURN_DONE(funcctx);
}

/*
 * The rows of the statement straight into a tuplestore returned in
 * materialize mode, SPI connected.
 */
static void
materialize(FunctionCallInfo fcinfo, const char *sql, bool page)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	MemoryContext per_query;
	MemoryContext old;
	Tuplestorestate *tupstore;
	TupleDesc	tupdesc;
	DestReceiver *dest;
	SPIExecuteOptions options;
	int			ret;

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

	/* the rows go straight into the tuplestore, not through SPI_tuptable */
	dest = CreateDestReceiver(DestTuplestore);
	SetTuplestoreDestReceiverParams(dest, tupstore, per_query, false, NULL, NULL);
	memset(&options, 0, sizeof(options));
	options.read_only = true;	/* find_all is STABLE: the caller's snapshot */
	options.dest = dest;
	ret = SPI_execute_plan_extended(statement_plan(sql, page), &options);
	if (ret != SPI_OK_SELECT)
		elog(ERROR, "SPI execution failed (%s): %s", SPI_result_code_string(ret), sql);
	dest->rDestroy(dest);
}

/* assoc.find_all(model regclass, options jsonb) RETURNS SETOF json */
Datum
assoc_find_all(PG_FUNCTION_ARGS)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	bool		stream;
	char	   *sql;
	bool		page;
	int			save_nestlevel;

	if (rsinfo == NULL || !IsA(rsinfo, ReturnSetInfo))
		ereport(ERROR,
				(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
				 errmsg("set-valued function called in context that cannot accept a set")));

	/*
	 * A function scan (find_all in FROM) asks for a tuplestore, as it would
	 * make one of the rows anyway; the select list does not, and streams
	 * (the rows after the first call come from the stream), but a page.
	 */
	stream = (rsinfo->allowedModes & SFRM_ValuePerCall) &&
		!(rsinfo->allowedModes & SFRM_Materialize_Preferred);
	if (stream && !SRF_IS_FIRSTCALL())
		return find_all_stream(fcinfo);

	SPI_connect();
	save_nestlevel = assoc_safe_search_path();
	sql = find_all_statement(fcinfo, FA_RESULT_ROWS, &page);
	if (stream && page && (rsinfo->allowedModes & SFRM_Materialize))
		stream = false;
	if (stream)
		stream_open(fcinfo, sql, page);
	else if (!(rsinfo->allowedModes & SFRM_Materialize))
		ereport(ERROR,
				(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
				 errmsg("materialize mode required, but it is not allowed in this context")));
	else
		materialize(fcinfo, sql, page);
	assoc_restore_search_path(save_nestlevel);
	SPI_finish();
	return stream ? find_all_stream(fcinfo) : (Datum) 0;
}

/*
 * The one value of the statement giving result (count, find_and_count_all),
 * run as find_all runs its rows: the caller's privileges and snapshot, the
 * plan kept.
 */
static Datum
single_value(FunctionCallInfo fcinfo, FaResult result, Oid typid)
{
	MemoryContext upper = CurrentMemoryContext;
	MemoryContext old;
	char	   *sql;
	int			save_nestlevel;
	int			ret;
	bool		isnull;
	Datum		d;
	int16		typlen;
	bool		typbyval;
	bool		page;

	SPI_connect();
	save_nestlevel = assoc_safe_search_path();
	sql = find_all_statement(fcinfo, result, &page);
	ret = SPI_execute_plan(statement_plan(sql, page), NULL, NULL, true, 1);
	if (ret != SPI_OK_SELECT || SPI_processed != 1 ||
		SPI_tuptable->tupdesc->natts != 1 ||
		SPI_gettypeid(SPI_tuptable->tupdesc, 1) != typid)
		elog(ERROR, "SPI execution failed (%s): %s", SPI_result_code_string(ret), sql);
	d = SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1, &isnull);
	if (isnull)
		elog(ERROR, "the statement of assoc.find_all returned NULL: %s", sql);
	get_typlenbyval(typid, &typlen, &typbyval);
	old = MemoryContextSwitchTo(upper);
	d = datumCopy(d, typbyval, typlen);
	MemoryContextSwitchTo(old);
	assoc_restore_search_path(save_nestlevel);
	SPI_finish();
	return d;
}

/* assoc.count(model regclass, options jsonb) RETURNS bigint */
Datum
assoc_count(PG_FUNCTION_ARGS)
{
	return single_value(fcinfo, FA_RESULT_COUNT, INT8OID);
}

/* assoc.find_and_count_all(model regclass, options jsonb) RETURNS json */
Datum
assoc_find_and_count_all(PG_FUNCTION_ARGS)
{
	return single_value(fcinfo, FA_RESULT_AND_COUNT, JSONOID);
}
