/*
 * events.c
 *	  Keeping associations working when their tables change.
 *
 * The generated functions have string bodies that name the tables, key
 * columns and timestamp columns of the association as they were when the
 * functions were written, and take keys of the key columns' types.  After
 * every ALTER TABLE of a table in an association (RENAME, SET SCHEMA,
 * RENAME COLUMN, ALTER COLUMN TYPE of a key, ADD or DROP of a timestamp
 * column, ...), this event trigger computes what the association generates
 * for the tables as they now are, rewrites only the functions whose text
 * changed (assoc_codegen_sync), and records the columns' current names in
 * the catalog (the counter column's too, which no function names).  ADD COLUMN, DROP COLUMN and ALTER COLUMN TYPE of other
 * columns change nothing: the bodies select whole rows, which PostgreSQL
 * expands when it parses them, at call time.
 *
 * With Citus, a table that Citus replaces by a new table of its name (its
 * conversions, citus.c) is followed first: the catalog names the new table
 * and the functions are generated for it (follow_citus()).
 */
#include "postgres.h"

#include "commands/event_trigger.h"
#include "commands/extension.h"
#include "executor/spi.h"
#include "fmgr.h"
#include "access/xact.h"
#include "tcop/utility.h"
#include "utils/lsyscache.h"

#include "catalog.h"
#include "citus.h"
#include "codegen.h"
#include "events.h"
#include "model.h"
#include "spi_util.h"

PG_FUNCTION_INFO_V1(assoc_on_ddl_command_end);
PG_FUNCTION_INFO_V1(assoc_regenerate);

/*
 * Bring the functions of one association in line, and refresh its row.
 * Returns how many functions were created, replaced or dropped.
 */
static int
regenerate(Association *a, bool all_deps)
{
	List	   *funcs = assoc_codegen(a);
	ListCell   *lc;
	int			changed;

	changed = assoc_codegen_sync(a, funcs, all_deps);
	/*
	 * nothing changed: no column of the association was renamed either (the
	 * bodies name them), and the row stays as it is, which keeps find_all's
	 * caches, keyed on the catalog, warm -- but for the version that wrote
	 * the functions, when this one differs (an update that changed none)
	 */
	if (changed == 0 && (a->counter_cache == NULL ||
						 strcmp(a->counter_cache->name, a->counter_recorded) == 0))
	{
		assoc_catalog_confirm_version(a->id);
		return 0;
	}
	a->functions = NIL;
	foreach(lc, funcs)
		a->functions = lappend(a->functions, ((GenFunc *) lfirst(lc))->signature);
	assoc_catalog_refresh(a);
	return changed;
}

/*
 * Regenerate the associations of table relid (as source, target or through
 * table) not in *done, adding them to it; returns how many functions
 * changed.
 */
int
assoc_regenerate_table(Oid relid, List **done)
{
	List	   *assocs = assoc_catalog_for_table(relid);
	ListCell   *lc;
	int			changed = 0;

	foreach(lc, assocs)
	{
		Association *a = lfirst(lc);

		if (list_member_int(*done, a->id))
			continue;
		*done = lappend_int(*done, a->id);
		changed += regenerate(a, false);
	}
	return changed;
}

/*
 * The associations whose table Citus is replacing (citus.c): follow it,
 * and generate their functions for the new table; they join *done.
 */
static int
follow_citus(List **done)
{
	ListCell   *lc;
	int			changed = 0;

	foreach(lc, assoc_citus_follow())
	{
		*done = list_append_unique_int(*done, lfirst_int(lc));
		changed += regenerate(assoc_catalog_by_id(lfirst_int(lc)), true);
	}
	return changed;
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
	(void) follow_citus(&done);

	/* the tables changed that some association joins, or a model's */
	assoc_spi_exec(psprintf("SELECT DISTINCT c.objid FROM pg_catalog.pg_event_trigger_ddl_commands() c"
							" WHERE c.classid = CAST('pg_catalog.pg_class' AS pg_catalog.regclass)"
							"   AND (EXISTS (SELECT FROM assoc.associations a"
							"                 WHERE c.objid IN (a.source, a.target, a.through))%s)",
							OidIsValid(assoc_models_relid()) ?
							" OR EXISTS (SELECT FROM assoc.models m WHERE m.tab = c.objid)" : ""),
				   SPI_OK_SELECT);
	for (uint64 i = 0; i < SPI_processed; i++)
		relids = lappend_oid(relids, DatumGetObjectId(assoc_spi_getdatum(i, 1)));

	foreach(lc, relids)
	{
		ModelOptions mo;

		/* a column a model option names was renamed: record its new name */
		if (assoc_model_renamed(lfirst_oid(lc), &mo))
		{
			assoc_catalog_model_write(lfirst_oid(lc), &mo, NULL, NULL);
			CommandCounterIncrement();
		}
	}
	foreach(lc, relids)
		(void) assoc_regenerate_table(lfirst_oid(lc), &done);

	assoc_restore_search_path(save_nestlevel);
	SPI_finish();
	PG_RETURN_NULL();
}

/*
 * assoc.regenerate(tab regclass DEFAULT NULL): the functions of every
 * association of tab (as source, target or through table), or of every
 * association whose source table the caller owns, written again where what
 * assoc generates differs from what is there.
 *
 * Run by the upgrade script of the extension, as its owner.  Functions
 * created while an extension script runs would become members of the
 * extension (and so be left out of pg_dump, and refused by CREATE OR
 * REPLACE as not being members): they belong to the tables' owners, not to
 * assoc, so the flag that says a script is running is lowered meanwhile.
 */
Datum
assoc_regenerate(PG_FUNCTION_ARGS)
{
	Oid			tab = PG_ARGISNULL(0) ? InvalidOid : PG_GETARG_OID(0);
	volatile bool save_creating = creating_extension;
	volatile Oid save_extension = CurrentExtensionObject;
	int			save_nestlevel;
	volatile int changed = 0;
	List	   *assocs;
	ListCell   *lc;

	/*
	 * It records dependencies in pg_depend directly, which the read-only
	 * checks of the executor do not see: refused up front in a read-only
	 * transaction (on a hot standby it would fail on the first write, with
	 * an internal error), even when there would be nothing to rewrite
	 */
	PreventCommandIfReadOnly("assoc.regenerate()");
	if (OidIsValid(tab) && !assoc_rel_is_owner(tab, GetUserId()))
		ereport(ERROR,
				(errcode(ERRCODE_INSUFFICIENT_PRIVILEGE),
				 errmsg("must be owner of table %s to regenerate its associations' functions",
						get_rel_name(tab)),
				 errhint("Run assoc.regenerate as the owner of the table.")));

	SPI_connect();
	save_nestlevel = assoc_safe_search_path();
	if (OidIsValid(tab))
		assocs = assoc_catalog_for_table(tab);
	else
		assocs = assoc_catalog_all();

	creating_extension = false;
	CurrentExtensionObject = InvalidOid;
	PG_TRY();
	{
		List	   *done = NIL;

		changed += follow_citus(&done);
		foreach(lc, assocs)
		{
			Association *a = lfirst(lc);

			if (list_member_int(done, a->id) ||
				(!OidIsValid(tab) && !assoc_rel_is_owner(a->source->relid, GetUserId())))
				continue;
			changed += regenerate(a, true);
		}
	}
	PG_FINALLY();
	{
		creating_extension = save_creating;
		CurrentExtensionObject = save_extension;
	}
	PG_END_TRY();

	assoc_restore_search_path(save_nestlevel);
	SPI_finish();
	PG_RETURN_INT32(changed);
}
