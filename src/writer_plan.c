/*
 * writer_plan.c
 *	  assoc.run_writer: the body of the generated writers (add, set, remove,
 *	  create; README "Accessors" and "Performance"), which runs the writer's
 *	  statements from plans kept for the session.
 *
 * A writer is a SQL function of one statement,
 *
 *	 SELECT assoc.run_writer(NULL::S, '<statements>', $1, $2)
 *
 * which PostgreSQL inlines into the calling query (a volatile SQL function
 * of one SELECT of a volatile function is inlined), so that run_writer sees
 * the arguments with their actual types.  The statements are the ones the
 * generator spells (gen_accessors.c and the shapes' files), as one string
 * literal: lock the instance, check the targets, link or unlink, return
 * the instance.  As the body of a SQL function they were parsed and
 * planned again at every call; here they are prepared once per session for
 * each text and argument types (SPI_prepare of the whole text, one plan
 * per statement, generic, SPI_keepplan), and run in order as a volatile SQL
 * function runs its statements: each with a new snapshot, seeing what the
 * ones before it changed.  The first row of the last one is the result.
 *
 * The plans are PostgreSQL's cached plans: planned again when a table they
 * read changes, when the role or row security that policies depend on
 * change, or when search_path changes, and checked for the caller's
 * privileges at every run, so they behave as the statements of a SQL
 * function (SECURITY INVOKER) would.  The text changes with the
 * association and its tables (ALTER TABLE regenerates the functions whose
 * text changed), and new text is a new entry: the session's entries are
 * dropped when any function changes (a pg_proc invalidation), at the next
 * call that is not inside a running writer.
 *
 * Errors keep their message, detail, hint and SQLSTATE: SPI adds the
 * whole text of the statements to their CONTEXT ('SQL statement "..."'),
 * which is taken out again before the error goes on; the same line is
 * taken out of the notices and warnings raised while a writer runs (a
 * trigger's RAISE NOTICE) as they are sent, by an emit_log_hook installed
 * at the first call.
 */
#include "postgres.h"

#include "access/htup_details.h"
#include "access/tupconvert.h"
#include "catalog/pg_type.h"
#include "common/hashfn.h"
#include "executor/spi.h"
#include "fmgr.h"
#include "utils/builtins.h"
#include "utils/datum.h"
#include "utils/inval.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"
#include "utils/syscache.h"
#include "utils/typcache.h"

PG_FUNCTION_INFO_V1(assoc_run_writer);

#define WRITER_BUCKETS 256
#define WRITER_MAX_ARGS 8
#define WRITER_MAX_DEPTH 32		/* writers within writers whose statements
								 * are taken out of notices */

/* The statements of one writer, prepared for one set of argument types. */
typedef struct WriterPlan
{
	struct WriterPlan *next;
	uint32		hash;
	char	   *sql;
	int			nargs;
	Oid			argtypes[WRITER_MAX_ARGS];
	SPIPlanPtr	plan;
} WriterPlan;

static MemoryContext writer_cxt = NULL;
static WriterPlan *buckets[WRITER_BUCKETS];
static bool stale = false;
static int	running = 0;		/* writers in progress in this backend */
static const char *running_sql[WRITER_MAX_DEPTH];	/* their statements */
static emit_log_hook_type prev_emit_log_hook = NULL;
static bool hook_installed = false;

static void
proc_changed(Datum arg, int cacheid, uint32 hashvalue)
{
	stale = true;
}

/* Drop every entry (none is running). */
static void
drop_entries(void)
{
	for (int i = 0; i < WRITER_BUCKETS; i++)
	{
		for (WriterPlan *e = buckets[i]; e != NULL; e = e->next)
			SPI_freeplan(e->plan);
		buckets[i] = NULL;
	}
	MemoryContextReset(writer_cxt);
	stale = false;
}

static uint32
entry_hash(const char *sql, int nargs, const Oid *argtypes)
{
	uint32		h = hash_bytes((const unsigned char *) sql, strlen(sql));

	return hash_combine(h, hash_bytes((const unsigned char *) argtypes,
									  nargs * sizeof(Oid)));
}

/* The plans of sql for these argument types, prepared on first use. */
static WriterPlan *
writer_plan(const char *sql, int nargs, Oid *argtypes)
{
	uint32		h = entry_hash(sql, nargs, argtypes);
	WriterPlan **bucket = &buckets[h % WRITER_BUCKETS];
	WriterPlan *e;
	SPIPlanPtr	plan;

	if (writer_cxt == NULL)
	{
		writer_cxt = AllocSetContextCreate(TopMemoryContext, "assoc writers",
										   ALLOCSET_SMALL_SIZES);
		CacheRegisterSyscacheCallback(PROCOID, proc_changed, (Datum) 0);
	}
	for (e = *bucket; e != NULL; e = e->next)
		if (e->hash == h && e->nargs == nargs &&
			memcmp(e->argtypes, argtypes, nargs * sizeof(Oid)) == 0 &&
			strcmp(e->sql, sql) == 0)
			return e;

	/*
	 * Generic plans, always: the statements find rows by key (the
	 * instance's, the targets', the foreign key's), which an index serves
	 * whatever the values; left to choose, the plan cache kept planning
	 * the statements of set for every call (their generic cost, with an
	 * array of keys, looks higher than the custom plans'), the cost this
	 * file is there to save.
	 */
	plan = SPI_prepare_cursor(sql, nargs, argtypes, CURSOR_OPT_GENERIC_PLAN);
	if (plan == NULL)
		elog(ERROR, "SPI_prepare failed for a writer: %s",
			 SPI_result_code_string(SPI_result));
	if (SPI_keepplan(plan) != 0)
		elog(ERROR, "SPI_keepplan failed for a writer");
	e = MemoryContextAllocZero(writer_cxt, sizeof(WriterPlan));
	e->hash = h;
	e->sql = MemoryContextStrdup(writer_cxt, sql);
	e->nargs = nargs;
	memcpy(e->argtypes, argtypes, nargs * sizeof(Oid));
	e->plan = plan;
	e->next = *bucket;
	*bucket = e;
	return e;
}

/*
 * Take the line SPI added for the statements sql out of the CONTEXT of
 * edata (in the current memory context).
 */
static void
strip_statements(ErrorData *edata, const char *sql)
{
	if (edata->context != NULL)
	{
		char	   *line = psprintf(dgettext(PG_TEXTDOMAIN("postgres"), "SQL statement \"%s\""),
									sql);
		char	   *at = strstr(edata->context, line);

		if (at != NULL)
		{
			StringInfoData b;
			const char *rest = at + strlen(line);

			initStringInfo(&b);
			appendBinaryStringInfo(&b, edata->context, at - edata->context);
			if (*rest == '\n')
				rest++;
			else if (b.len > 0 && b.data[b.len - 1] == '\n')
				b.data[--b.len] = '\0';
			appendStringInfoString(&b, rest);
			edata->context = b.len > 0 ? b.data : NULL;
		}
	}
}

/* The error being handled, without the line of sql, thrown again. */
static void
rethrow_without_statements(MemoryContext cxt, const char *sql)
{
	ErrorData  *edata;

	MemoryContextSwitchTo(cxt);
	edata = CopyErrorData();
	FlushErrorState();
	strip_statements(edata, sql);
	ReThrowError(edata);
}

/* A message sent while writers run: without the lines of their statements. */
static void
writer_emit_log(ErrorData *edata)
{
	for (int i = 0; i < Min(running, WRITER_MAX_DEPTH); i++)
		strip_statements(edata, running_sql[i]);
	if (prev_emit_log_hook)
		prev_emit_log_hook(edata);
}

/*
 * The first row of the last statement's result as a value of rettype (the
 * table's row type: its columns by position, dropped ones skipped), made
 * in cxt; NULL when there is none.
 */
static Datum
result_value(Oid rettype, MemoryContext cxt, bool *isnull)
{
	SPITupleTable *tt = SPI_tuptable;
	HeapTuple	tuple;
	MemoryContext old;
	Datum		d;

	*isnull = true;
	if (tt == NULL || SPI_processed == 0)
		return (Datum) 0;
	tuple = tt->vals[0];
	if (type_is_rowtype(rettype))
	{
		TupleDesc	rowdesc = lookup_rowtype_tupdesc(rettype, -1);
		TupleConversionMap *map = convert_tuples_by_position(tt->tupdesc, rowdesc,
															 gettext_noop("the statements of a writer return a row of another type"));

		if (map != NULL)
			tuple = execute_attr_map_tuple(tuple, map);
		old = MemoryContextSwitchTo(cxt);
		d = heap_copy_tuple_as_datum(tuple, rowdesc);
		MemoryContextSwitchTo(old);
		ReleaseTupleDesc(rowdesc);
		*isnull = false;
		return d;
	}
	d = SPI_getbinval(tuple, tt->tupdesc, 1, isnull);
	if (*isnull)
		return (Datum) 0;
	old = MemoryContextSwitchTo(cxt);
	{
		int16		typlen;
		bool		typbyval;

		get_typlenbyval(rettype, &typlen, &typbyval);
		d = datumCopy(d, typbyval, typlen);
	}
	MemoryContextSwitchTo(old);
	return d;
}

/*
 * assoc.run_writer(rowtype anyelement, sql text, VARIADIC args "any")
 * RETURNS anyelement: run the statements sql with $1..$n the arguments
 * (of their actual types), return the first row of the last one as a
 * value of rowtype's type.
 */
Datum
assoc_run_writer(PG_FUNCTION_ARGS)
{
	Oid			rettype = get_fn_expr_argtype(fcinfo->flinfo, 0);
	int			nargs = PG_NARGS() - 2;
	Oid			argtypes[WRITER_MAX_ARGS];
	Datum		values[WRITER_MAX_ARGS];
	char		nulls[WRITER_MAX_ARGS];
	MemoryContext cxt = CurrentMemoryContext;
	char	   *sql;
	Datum		result = (Datum) 0;
	bool		isnull = true;

	if (PG_ARGISNULL(1) || nargs < 0 || nargs > WRITER_MAX_ARGS || !OidIsValid(rettype))
		elog(ERROR, "assoc.run_writer called with bad arguments");
	sql = text_to_cstring(PG_GETARG_TEXT_PP(1));
	for (int i = 0; i < nargs; i++)
	{
		argtypes[i] = get_fn_expr_argtype(fcinfo->flinfo, i + 2);
		nulls[i] = PG_ARGISNULL(i + 2) ? 'n' : ' ';
		values[i] = PG_ARGISNULL(i + 2) ? (Datum) 0 : PG_GETARG_DATUM(i + 2);
		if (!OidIsValid(argtypes[i]))
			elog(ERROR, "assoc.run_writer could not determine the type of argument %d", i + 3);
		/* an untyped literal reaches a "any" argument as a C string */
		if (argtypes[i] == UNKNOWNOID)
		{
			argtypes[i] = TEXTOID;
			if (nulls[i] == ' ')
				values[i] = CStringGetTextDatum(DatumGetCString(values[i]));
		}
	}

	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "SPI_connect failed");
	if (stale && running == 0)
		drop_entries();
	if (!hook_installed)
	{
		prev_emit_log_hook = emit_log_hook;
		emit_log_hook = writer_emit_log;
		hook_installed = true;
	}
	PG_TRY();
	{
		int			rc;
		WriterPlan *e;

		if (running < WRITER_MAX_DEPTH)
			running_sql[running] = sql;
		running++;
		e = writer_plan(sql, nargs, argtypes);
		rc = SPI_execute_plan(e->plan, values, nulls, false, 0);
		if (rc < 0)
			elog(ERROR, "a writer's statements failed: %s", SPI_result_code_string(rc));
		result = result_value(rettype, cxt, &isnull);
		running--;
	}
	PG_CATCH();
	{
		running--;
		rethrow_without_statements(cxt, sql);
	}
	PG_END_TRY();
	SPI_finish();
	if (isnull)
		PG_RETURN_NULL();
	PG_RETURN_DATUM(result);
}
