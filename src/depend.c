/*
 * depend.c
 *	  What a generated function depends on, beyond what PostgreSQL records.
 *
 * Generated functions have string bodies (see codegen.c), so PostgreSQL
 * records only their argument and result types.  assoc adds, for every
 * generated function, a normal dependency on each table of its association
 * (source, target, through) and one on the extension:
 *   - DROP TABLE of an associated table is refused without CASCADE, naming
 *     the functions, and takes them along with it;
 *   - DROP EXTENSION assoc is refused while generated functions exist, and
 *     with CASCADE takes them all;
 *   - no column is depended on, so DROP COLUMN and ALTER COLUMN TYPE of
 *     any column, keys included, are not blocked: the event triggers end an
 *     association whose key column is dropped and rewrite the functions
 *     whose text changed (events.c, and on_sql_drop in the install script).
 *
 * The same dependencies are recorded again when a catalog row is inserted
 * (the trigger below): pg_restore creates the functions from the dump,
 * which carries no pg_depend rows, and then loads the catalog's rows.
 * Recording is idempotent: assoc's earlier rows for the function are
 * removed first.
 */
#include "postgres.h"

#include "access/htup_details.h"
#include "catalog/dependency.h"
#include "catalog/objectaddress.h"
#include "catalog/pg_class.h"
#include "catalog/pg_extension.h"
#include "catalog/pg_proc.h"
#include "commands/extension.h"
#include "commands/trigger.h"
#include "executor/spi.h"
#include "fmgr.h"
#include "utils/array.h"
#include "utils/syscache.h"

#include "depend.h"

PG_FUNCTION_INFO_V1(assoc_catalog_row_inserted);

void
assoc_record_function_deps(Oid fnoid, Oid source, Oid target, Oid through)
{
	ObjectAddress func;
	ObjectAddress ref;
	Oid			tables[3] = {source, target, through};

	(void) deleteDependencyRecordsForClass(ProcedureRelationId, fnoid,
										   RelationRelationId, DEPENDENCY_NORMAL);
	(void) deleteDependencyRecordsForClass(ProcedureRelationId, fnoid,
										   ExtensionRelationId, DEPENDENCY_NORMAL);
	ObjectAddressSet(func, ProcedureRelationId, fnoid);
	for (int i = 0; i < 3; i++)
	{
		/* a self-association names its table twice: once is enough */
		if (!OidIsValid(tables[i]) || (i > 0 && tables[i] == tables[0]) ||
			(i > 1 && tables[i] == tables[1]))
			continue;
		ObjectAddressSet(ref, RelationRelationId, tables[i]);
		recordDependencyOn(&func, &ref, DEPENDENCY_NORMAL);
	}
	ObjectAddressSet(ref, ExtensionRelationId, get_extension_oid("assoc", false));
	recordDependencyOn(&func, &ref, DEPENDENCY_NORMAL);
}

static Oid
oid_attribute(HeapTuple tuple, TupleDesc tupdesc, const char *name)
{
	bool		isnull;
	Datum		d = heap_getattr(tuple, SPI_fnumber(tupdesc, name), tupdesc, &isnull);

	return isnull ? InvalidOid : DatumGetObjectId(d);
}

/*
 * AFTER INSERT trigger on assoc.associations: the row's functions that exist
 * get their dependencies (again).
 */
Datum
assoc_catalog_row_inserted(PG_FUNCTION_ARGS)
{
	TriggerData *trigdata = (TriggerData *) fcinfo->context;
	HeapTuple	tuple;
	TupleDesc	tupdesc;
	Oid			source;
	Oid			target;
	Oid			through;
	bool		isnull;
	Datum		d;

	if (!CALLED_AS_TRIGGER(fcinfo) || !TRIGGER_FIRED_FOR_ROW(trigdata->tg_event) ||
		!TRIGGER_FIRED_BY_INSERT(trigdata->tg_event))
		elog(ERROR, "assoc.catalog_row_inserted() must be an AFTER INSERT FOR EACH ROW trigger");
	tuple = trigdata->tg_trigtuple;
	tupdesc = trigdata->tg_relation->rd_att;
	source = oid_attribute(tuple, tupdesc, "source");
	target = oid_attribute(tuple, tupdesc, "target");
	through = oid_attribute(tuple, tupdesc, "through");
	d = heap_getattr(tuple, SPI_fnumber(tupdesc, "functions"), tupdesc, &isnull);
	if (!isnull)
	{
		ArrayType  *arr = DatumGetArrayTypeP(d);
		Datum	   *elems;
		bool	   *nulls;
		int			n;

		deconstruct_array(arr, REGPROCEDUREOID, sizeof(Oid), true, TYPALIGN_INT,
						  &elems, &nulls, &n);
		for (int i = 0; i < n; i++)
		{
			Oid			fnoid = DatumGetObjectId(elems[i]);

			if (!nulls[i] && SearchSysCacheExists1(PROCOID, ObjectIdGetDatum(fnoid)))
				assoc_record_function_deps(fnoid, source, target, through);
		}
	}
	CommandCounterIncrement();
	return PointerGetDatum(NULL);
}
