/*
 * spi_util.c
 *	  Small wrappers around SPI, and the safe search_path every statement
 *	  that assoc runs or creates is parsed under.
 *
 * assoc builds SQL with every table schema-qualified and key comparisons
 * written as OPERATOR(schema.=); on top of that, it parses everything with
 * search_path = pg_catalog, pg_temp so that no function or operator another
 * role put in a schema on the caller's path can be picked instead of
 * PostgreSQL's own (the CVE-2018-1058 class of problems).  Generated
 * functions have SQL-standard bodies, parsed once at creation under this
 * path, so the same holds whenever they run.
 */
#include "postgres.h"

#include "executor/spi.h"
#include "catalog/pg_type.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/guc.h"
#include "utils/memutils.h"

#include "spi_util.h"

void
assoc_spi_exec(const char *sql, int expected)
{
	int			ret = SPI_execute(sql, false, 0);

	if (ret != expected)
		elog(ERROR, "SPI_execute failed (%s): %s", SPI_result_code_string(ret), sql);
}

/*
 * The plans of the statements with arguments that assoc runs on its
 * catalog and PostgreSQL's, kept for the session (a few of them run for
 * each association an ALTER TABLE regenerates: parsing and planning them
 * every time was a third of its time).  Found again by their text and
 * argument types; at most KEPT_PLANS, the oldest dropped first.  A kept
 * plan is generic (the catalogs are small), and PostgreSQL's plan cache
 * plans it again when a table it reads changes or the search_path does.
 */
typedef struct KeptPlan
{
	char	   *sql;
	int			nargs;
	Oid		   *argtypes;
	SPIPlanPtr	plan;
} KeptPlan;

#define KEPT_PLANS 32
static KeptPlan kept_plans[KEPT_PLANS];
static int	next_kept_plan = 0;

static SPIPlanPtr
kept_plan(const char *sql, int nargs, Oid *argtypes)
{
	KeptPlan   *k;
	SPIPlanPtr	plan;

	for (int i = 0; i < KEPT_PLANS; i++)
	{
		k = &kept_plans[i];
		if (k->plan != NULL && k->nargs == nargs && strcmp(k->sql, sql) == 0 &&
			(nargs == 0 || memcmp(k->argtypes, argtypes, nargs * sizeof(Oid)) == 0))
			return k->plan;
	}
	plan = SPI_prepare_cursor(sql, nargs, argtypes, CURSOR_OPT_GENERIC_PLAN);
	if (plan == NULL)
		elog(ERROR, "SPI_prepare failed (%s): %s", SPI_result_code_string(SPI_result), sql);
	if (SPI_keepplan(plan) != 0)
		elog(ERROR, "SPI_keepplan failed: %s", sql);
	k = &kept_plans[next_kept_plan];
	next_kept_plan = (next_kept_plan + 1) % KEPT_PLANS;
	if (k->plan != NULL)
	{
		SPI_freeplan(k->plan);
		pfree(k->sql);
		if (k->argtypes)
			pfree(k->argtypes);
	}
	k->sql = MemoryContextStrdup(TopMemoryContext, sql);
	k->nargs = nargs;
	k->argtypes = nargs == 0 ? NULL :
		MemoryContextAlloc(TopMemoryContext, nargs * sizeof(Oid));
	if (nargs > 0)
		memcpy(k->argtypes, argtypes, nargs * sizeof(Oid));
	k->plan = plan;
	return plan;
}

void
assoc_spi_exec_args(const char *sql, int nargs, Oid *argtypes, Datum *values,
					const char *nulls, int expected)
{
	int			ret = SPI_execute_plan(kept_plan(sql, nargs, argtypes), values, nulls,
									   false, 0);

	if (ret != expected)
		elog(ERROR, "SPI_execute_with_args failed (%s): %s",
			 SPI_result_code_string(ret), sql);
}

/* Column col (1-based) of row as text, NULL for SQL NULL. */
char *
assoc_spi_getstring(uint64 row, int col)
{
	return SPI_getvalue(SPI_tuptable->vals[row], SPI_tuptable->tupdesc, col);
}

Datum
assoc_spi_getdatum(uint64 row, int col)
{
	bool		isnull;
	Datum		d = SPI_getbinval(SPI_tuptable->vals[row], SPI_tuptable->tupdesc,
								  col, &isnull);

	if (isnull)
		elog(ERROR, "unexpected NULL in column %d", col);
	return d;
}

bool
assoc_spi_isnull(uint64 row, int col)
{
	bool		isnull;

	(void) SPI_getbinval(SPI_tuptable->vals[row], SPI_tuptable->tupdesc, col,
						 &isnull);
	return isnull;
}

/* A List of C strings as a text[] Datum, for an SPI argument. */
Datum
assoc_text_array_datum(List *strings)
{
	int			n = list_length(strings);
	Datum	   *elems = palloc(sizeof(Datum) * Max(n, 1));
	ListCell   *lc;

	foreach(lc, strings)
		elems[foreach_current_index(lc)] = CStringGetTextDatum((char *) lfirst(lc));
	return PointerGetDatum(construct_array(elems, n, TEXTOID, -1, false,
										   TYPALIGN_INT));
}

/*
 * Switch to search_path = pg_catalog, pg_temp until
 * assoc_restore_search_path; an error restores it too.
 */
int
assoc_safe_search_path(void)
{
	int			nestlevel = NewGUCNestLevel();

	(void) set_config_option("search_path", "pg_catalog, pg_temp",
							 PGC_USERSET, PGC_S_SESSION,
							 GUC_ACTION_SAVE, true, 0, false);
	return nestlevel;
}

void
assoc_restore_search_path(int nestlevel)
{
	AtEOXact_GUC(true, nestlevel);
}
