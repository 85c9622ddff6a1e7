/*
 * events.c
 *	  Keeping associations working when their tables change.
 *
 * The generated functions have SQL-standard bodies: PostgreSQL resolved
 * their tables and columns when they were created.  That keeps them working
 * across renames, but a body that returns whole rows lists the columns the
 * table had then, so ADD COLUMN would make it fail ("Final statement
 * returns too few columns") and DROP COLUMN ... CASCADE would drop it.
 * After every ALTER TABLE of a table in an association, this event trigger
 * writes the functions again (CREATE OR REPLACE, under the names they were
 * given at declaration) and records the columns' current names in the
 * catalog.
 */
#include "postgres.h"

#include "commands/event_trigger.h"
#include "executor/spi.h"
#include "fmgr.h"

#include "catalog.h"
#include "codegen.h"
#include "spi_util.h"

PG_FUNCTION_INFO_V1(assoc_on_ddl_command_end);

/* Write the functions of one association again and refresh its row. */
static void
regenerate(Association *a)
{
	List	   *funcs = assoc_codegen(a);
	ListCell   *lc;

	assoc_codegen_run(a, funcs, true);
	a->functions = NIL;
	foreach(lc, funcs)
		a->functions = lappend(a->functions, ((GenFunc *) lfirst(lc))->signature);
	assoc_catalog_refresh(a);
}

Datum
assoc_on_ddl_command_end(PG_FUNCTION_ARGS)
{
	List	   *relids = NIL;
	List	   *done = NIL;
	ListCell   *lc;
	int			save_nestlevel;

	if (!CALLED_AS_EVENT_TRIGGER(fcinfo))
		ereport(ERROR,
				(errcode(ERRCODE_E_R_I_E_EVENT_TRIGGER_PROTOCOL_VIOLATED),
				 errmsg("assoc.on_ddl_command_end() is an event trigger function")));

	SPI_connect();
	save_nestlevel = assoc_safe_search_path();

	/* the tables changed that some association joins */
	assoc_spi_exec("SELECT DISTINCT c.objid FROM pg_catalog.pg_event_trigger_ddl_commands() c"
				   " WHERE c.classid = 'pg_catalog.pg_class'::pg_catalog.regclass"
				   "   AND EXISTS (SELECT FROM assoc.associations a"
				   "                WHERE c.objid IN (a.source, a.target, a.through))",
				   SPI_OK_SELECT);
	for (uint64 i = 0; i < SPI_processed; i++)
		relids = lappend_oid(relids, DatumGetObjectId(assoc_spi_getdatum(i, 1)));

	foreach(lc, relids)
	{
		List	   *assocs = assoc_catalog_for_table(lfirst_oid(lc));
		ListCell   *lc2;

		foreach(lc2, assocs)
		{
			Association *a = lfirst(lc2);

			if (list_member_int(done, a->id))
				continue;
			done = lappend_int(done, a->id);
			regenerate(a);
		}
	}

	assoc_restore_search_path(save_nestlevel);
	SPI_finish();
	PG_RETURN_NULL();
}
