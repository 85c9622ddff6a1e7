/*
 * declare_model.c
 *	  assoc.model(tab, name, timestamps, created_at, updated_at, paranoid,
 *	  deleted_at, underscored): declare or change a table's model options
 *	  (README, "Model options"), Sequelize's define options.
 *
 * A call states the table's options whole: an argument left out is the
 * default, whatever an earlier call said.  The options are checked against
 * the table (columns that exist and are timestamps, a paranoid model's
 * deleted-at column, a model name no other table of the schema has), stored
 * in assoc.models, and the functions of the table's associations are
 * written again where what they generate changed (timestamps, the
 * paranoid filter, the through row's key).  Names already derived and
 * recorded with an association (its alias, foreign key, function names)
 * stay as they are: they are the app's API and its columns; associations
 * declared afterwards derive theirs from the model name.
 */
#include "postgres.h"

#include "catalog/pg_class.h"
#include "catalog/pg_type.h"
#include "executor/spi.h"
#include "fmgr.h"
#include "funcapi.h"
#include "storage/lmgr.h"
#include "tcop/utility.h"
#include "utils/builtins.h"
#include "utils/inval.h"
#include "utils/lsyscache.h"

#include "catalog.h"
#include "ddl.h"
#include "declare.h"
#include "events.h"
#include "model.h"
#include "spi_util.h"

PG_FUNCTION_INFO_V1(assoc_model);

static int
bool_arg(FunctionCallInfo fcinfo, int n)
{
	return PG_ARGISNULL(n) ? -1 : (PG_GETARG_BOOL(n) ? 1 : 0);
}

/* Another table of the schema whose model name is t's: an error. */
static void
check_model_name_unique(AssocTable *t)
{
	Oid			argtypes[2] = {OIDOID, OIDOID};
	Datum		values[2];

	values[0] = ObjectIdGetDatum(get_rel_namespace(t->relid));
	values[1] = ObjectIdGetDatum(t->relid);
	assoc_spi_exec_args("SELECT c.oid FROM pg_catalog.pg_class c"
						" WHERE c.relnamespace = $1 AND c.oid <> $2"
						"   AND c.relkind IN ('r', 'p') ORDER BY c.relname",
						2, argtypes, values, NULL, SPI_OK_SELECT);
	for (uint64 i = 0; i < SPI_processed; i++)
	{
		AssocTable *other = assoc_open_table(DatumGetObjectId(assoc_spi_getdatum(i, 1)),
											 "model", false);

		if (strcmp(other->model_name, t->model_name) == 0 ||
			strcmp(other->model, t->model) == 0)
			ereport(ERROR,
					(errcode(ERRCODE_DUPLICATE_OBJECT),
					 errmsg("model name \"%s\" of table %s is the model name of table %s",
							t->model_name, t->qualname, other->qualname),
					 errdetail("Aliases, foreign keys, function names and include by model derive from the model name; in one schema it names one table."),
					 errhint("Give one of the tables another name => '...'.")));
	}
}

Datum
assoc_model(PG_FUNCTION_ARGS)
{
	MemoryContext upper = CurrentMemoryContext;
	TupleDesc	rettupdesc;
	ModelOptions mo;
	AssocTable *t;
	Oid			relid;
	List	   *done = NIL;
	int			save_nestlevel;
	Datum		result;

	if (PG_ARGISNULL(0))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("assoc.model needs a table")));
	/* a write, and it regenerates functions: refused up front (declare.c) */
	PreventCommandIfReadOnly("assoc.model()");
	relid = PG_GETARG_OID(0);
	memset(&mo, 0, sizeof(mo));
	mo.declared = true;
	mo.name = assoc_text_arg(fcinfo, 1);
	mo.timestamps = bool_arg(fcinfo, 2);
	mo.created_at = assoc_text_arg(fcinfo, 3);
	mo.updated_at = assoc_text_arg(fcinfo, 4);
	mo.paranoid = bool_arg(fcinfo, 5);
	mo.deleted_at = assoc_text_arg(fcinfo, 6);
	mo.underscored = bool_arg(fcinfo, 7);
	if (mo.name != NULL && mo.name[0] == '\0')
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("model name must not be empty"),
				 errhint("Leave out name => ... for the singular of the table name.")));
	if (get_call_result_type(fcinfo, NULL, &rettupdesc) != TYPEFUNC_COMPOSITE)
		elog(ERROR, "return type must be a row type");
	rettupdesc = BlessTupleDesc(rettupdesc);

	SPI_connect();
	save_nestlevel = assoc_safe_search_path();
	if (!OidIsValid(assoc_models_relid()))
		ereport(ERROR,
				(errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
				 errmsg("assoc.models does not exist"),
				 errhint("Run ALTER EXTENSION assoc UPDATE.")));

	/* as a declaration does: no column changes while we look */
	LockRelationOid(relid, ShareRowExclusiveLock);
	t = assoc_open_table(relid, "model", true);
	assoc_model_apply(t, &mo, true);
	assoc_model_attnums(t, &mo);
	check_model_name_unique(t);

	result = assoc_catalog_model_write(relid, &mo, rettupdesc, upper);
	/* find_all's and the row loader's caches describe the table */
	CacheInvalidateRelcacheByRelid(relid);
	CommandCounterIncrement();
	(void) assoc_regenerate_table(relid, &done);

	assoc_restore_search_path(save_nestlevel);
	SPI_finish();
	PG_RETURN_DATUM(result);
}
