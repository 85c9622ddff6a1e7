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

#include "spi_util.h"

void
assoc_spi_exec(const char *sql, int expected)
{
	int			ret = SPI_execute(sql, false, 0);

	if (ret != expected)
		elog(ERROR, "SPI_execute failed (%s): %s", SPI_result_code_string(ret), sql);
}

void
assoc_spi_exec_args(const char *sql, int nargs, Oid *argtypes, Datum *values,
					const char *nulls, int expected)
{
	int			ret = SPI_execute_with_args(sql, nargs, argtypes, values, nulls,
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
