/*
 * model.c
 *	  A table's model options (README, "Model options"): the row of
 *	  assoc.models that assoc.model declared for it, read without SPI (the
 *	  catalog's loaders open tables while they walk an SPI result) and
 *	  applied to an AssocTable by assoc_open_table: the model name and the
 *	  names derived from it, the createdAt/updatedAt columns the writers fill
 *	  and bump, and the deleted-at column of a paranoid model, whose rows
 *	  with a deleted-at are left out by every reader.
 *
 * Without a row, a table is what assoc made of it before model options
 * existed: its model name is the singular of the table name, its
 * timestamps are "createdAt"/"updatedAt" (or created_at/updated_at) when
 * there, and it is not paranoid.
 *
 * The row keeps what was declared (NULL: the default), and the numbers of
 * the columns it names, so that a RENAME COLUMN is followed
 * (assoc_model_follow_renames, from the ALTER TABLE event trigger).
 */
#include "postgres.h"

#include "access/heapam.h"
#include "access/htup_details.h"
#include "access/table.h"
#include "access/tableam.h"
#include "catalog/namespace.h"
#include "catalog/pg_type.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/lsyscache.h"
#include "utils/rel.h"
#include "utils/snapmgr.h"

#include "ddl.h"
#include "model.h"
#include "naming.h"
#include "sql_spell.h"

/* the columns of assoc.models, in order */
enum
{
	MODEL_TAB = 1,
	MODEL_NAME,
	MODEL_TIMESTAMPS,
	MODEL_CREATED_AT,
	MODEL_UPDATED_AT,
	MODEL_PARANOID,
	MODEL_DELETED_AT,
	MODEL_UNDERSCORED,
	MODEL_ATTNUMS,
	MODEL_NCOLUMNS = MODEL_ATTNUMS
};

/* assoc.models, or InvalidOid while the SQL objects are 0.1.0's */
Oid
assoc_models_relid(void)
{
	Oid			nsp = get_namespace_oid("assoc", true);

	if (!OidIsValid(nsp))
		return InvalidOid;
	return get_relname_relid("models", nsp);
}

static char *
text_or_null(Datum *values, bool *nulls, int col)
{
	return nulls[col - 1] ? NULL : TextDatumGetCString(values[col - 1]);
}

static int
bool_or_unset(Datum *values, bool *nulls, int col)
{
	return nulls[col - 1] ? -1 : (DatumGetBool(values[col - 1]) ? 1 : 0);
}

/* The declared options of table relid; mo->declared false when none. */
void
assoc_model_read(Oid relid, ModelOptions *mo)
{
	Oid			models = assoc_models_relid();
	Relation	rel;
	Snapshot	snapshot;
	TableScanDesc scan;
	HeapTuple	tuple;

	memset(mo, 0, sizeof(ModelOptions));
	mo->timestamps = mo->paranoid = mo->underscored = -1;
	if (!OidIsValid(models))
		return;

	/* like a catalog: what is committed, and this transaction's own */
	rel = table_open(models, AccessShareLock);
	snapshot = RegisterSnapshot(GetLatestSnapshot());
	scan = table_beginscan(rel, snapshot, 0, NULL);
	while ((tuple = heap_getnext(scan, ForwardScanDirection)) != NULL)
	{
		Datum		values[MODEL_NCOLUMNS];
		bool		nulls[MODEL_NCOLUMNS];

		if (RelationGetDescr(rel)->natts < MODEL_NCOLUMNS)
			break;
		heap_deform_tuple(tuple, RelationGetDescr(rel), values, nulls);
		if (nulls[MODEL_TAB - 1] || DatumGetObjectId(values[MODEL_TAB - 1]) != relid)
			continue;
		mo->declared = true;
		mo->name = text_or_null(values, nulls, MODEL_NAME);
		mo->timestamps = bool_or_unset(values, nulls, MODEL_TIMESTAMPS);
		mo->created_at = text_or_null(values, nulls, MODEL_CREATED_AT);
		mo->updated_at = text_or_null(values, nulls, MODEL_UPDATED_AT);
		mo->paranoid = bool_or_unset(values, nulls, MODEL_PARANOID);
		mo->deleted_at = text_or_null(values, nulls, MODEL_DELETED_AT);
		mo->underscored = bool_or_unset(values, nulls, MODEL_UNDERSCORED);
		if (!nulls[MODEL_ATTNUMS - 1])
		{
			ArrayType  *arr = DatumGetArrayTypeP(values[MODEL_ATTNUMS - 1]);
			Datum	   *elems;
			bool	   *enulls;
			int			n;

			deconstruct_array(arr, INT2OID, 2, true, TYPALIGN_SHORT,
							  &elems, &enulls, &n);
			for (int i = 0; i < n && i < MODEL_NCOLS_NAMED; i++)
				mo->attnums[i] = enulls[i] ? 0 : DatumGetInt16(elems[i]);
		}
		break;
	}
	table_endscan(scan);
	UnregisterSnapshot(snapshot);
	table_close(rel, AccessShareLock);
}

static bool
is_timestamp_type(Oid typid)
{
	Oid			base = getBaseType(typid);

	return base == TIMESTAMPTZOID || base == TIMESTAMPOID || base == DATEOID;
}

/*
 * which: 0 created-at, 1 updated-at, 2 deleted-at.  The snake-case names
 * are also those of assoc.model's arguments.
 */
static const char *const camel_names[MODEL_NCOLS_NAMED] = {"createdAt", "updatedAt", "deletedAt"};
static const char *const snake_names[MODEL_NCOLS_NAMED] = {"created_at", "updated_at", "deleted_at"};
#define option_names snake_names

/*
 * The column of a timestamp option: "" is none; a name is that column
 * (or, when it is gone, the column of the recorded number: a rename);
 * NULL is the default, by underscored (both spellings when undeclared).
 * With check, a named column must exist and be a timestamp.
 */
static AssocColumn *
timestamp_column(AssocTable *t, ModelOptions *mo, int which, bool check)
{
	const char *given = which == 0 ? mo->created_at :
		which == 1 ? mo->updated_at : mo->deleted_at;
	AssocColumn *col;

	if (given != NULL && given[0] == '\0')
		return NULL;
	if (given == NULL)
	{
		if (mo->underscored == 1)
			return assoc_find_column(t->relid, snake_names[which]);
		col = assoc_find_column(t->relid, camel_names[which]);
		if (col == NULL && mo->underscored != 0)
			col = assoc_find_column(t->relid, snake_names[which]);
		return col;
	}
	col = assoc_find_column(t->relid, given);
	if (col == NULL && !check && mo->attnums[which] > 0)
	{
		char	   *current = get_attname(t->relid, mo->attnums[which], true);

		if (current != NULL)
			col = assoc_find_column(t->relid, current);
	}
	if (check && col == NULL)
		ereport(ERROR,
				(errcode(ERRCODE_UNDEFINED_COLUMN),
				 errmsg("column \"%s\" of table %s does not exist", given, t->qualname),
				 errdetail("assoc.model names it as the model's %s column.", option_names[which]),
				 errhint("Name an existing column with %s => '...', or give '' for none.",
						 option_names[which])));
	if (check && !is_timestamp_type(col->typid))
		ereport(ERROR,
				(errcode(ERRCODE_DATATYPE_MISMATCH),
				 errmsg("column \"%s\" of table %s is of type %s, not a timestamp",
						given, t->qualname, format_type_be(col->typid)),
				 errdetail("The %s column of a model is timestamp with time zone (Sequelize's DATE), timestamp or date.",
						   option_names[which]),
				 errhint("Name a timestamp column with %s => '...'.", option_names[which])));
	return col;
}

/*
 * Apply options mo to table t (model names, timestamps, deleted-at).  With
 * check (assoc.model), options that name missing columns or contradict
 * each other are errors; reading a stored row, what is not there is left
 * out.
 */
void
assoc_model_apply(AssocTable *t, ModelOptions *mo, bool check)
{
	t->underscored = mo->underscored;
	if (mo->name != NULL)
	{
		t->model = assoc_singularize(mo->name);
		t->plural = assoc_pluralize(mo->name);
		t->model_name = pstrdup(mo->name);
	}
	else
	{
		t->model = assoc_singularize(t->relname);
		t->plural = assoc_pluralize(t->model);
		t->model_name = t->model;
	}

	t->created_at = t->updated_at = t->deleted_at = NULL;
	if (check && mo->paranoid == 1 && mo->timestamps == 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("model %s cannot be paranoid without timestamps", t->qualname),
				 errdetail("Sequelize ignores paranoid when timestamps is false: its deletedAt is one of the timestamps."),
				 errhint("Leave out timestamps => false, or paranoid => true.")));
	if (check && mo->paranoid == 1 && mo->deleted_at != NULL && mo->deleted_at[0] == '\0')
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("paranoid model %s needs a deleted-at column", t->qualname),
				 errdetail("A paranoid model marks a row deleted by setting its deleted-at column."),
				 errhint("Name the column with deleted_at => '...', or leave out paranoid => true.")));
	if (mo->timestamps == 0)
		return;
	t->created_at = timestamp_column(t, mo, 0, check);
	t->updated_at = timestamp_column(t, mo, 1, check);
	if (check && mo->deleted_at != NULL && mo->paranoid != 1)
		(void) timestamp_column(t, mo, 2, check);
	if (mo->paranoid == 1)
	{
		t->deleted_at = timestamp_column(t, mo, 2, check);
		if (check && t->deleted_at == NULL)
			ereport(ERROR,
					(errcode(ERRCODE_UNDEFINED_COLUMN),
					 errmsg("paranoid model %s has no deleted-at column \"%s\"", t->qualname,
							mo->underscored == 1 ? "deleted_at" : "deletedAt"),
					 errdetail("A paranoid model marks a row deleted by setting its deleted-at column."),
					 errhint("Add the column (timestamp with time zone, NULL), or name it with deleted_at => '...'.")));
		if (check && !is_timestamp_type(t->deleted_at->typid))
			ereport(ERROR,
					(errcode(ERRCODE_DATATYPE_MISMATCH),
					 errmsg("column \"%s\" of table %s is of type %s, not a timestamp",
							t->deleted_at->name, t->qualname,
							format_type_be(t->deleted_at->typid)),
					 errdetail("The deleted_at column of a model is timestamp with time zone (Sequelize's DATE), timestamp or date."),
					 errhint("Name a timestamp column with deleted_at => '...'.")));
	}
}

/*
 * The numbers of the columns the model uses (t, as assoc_model_apply left
 * it): created, updated, deleted; 0 for none.
 */
void
assoc_model_attnums(AssocTable *t, ModelOptions *mo)
{
	AssocColumn *cols[MODEL_NCOLS_NAMED] = {t->created_at, t->updated_at, t->deleted_at};

	for (int i = 0; i < MODEL_NCOLS_NAMED; i++)
		mo->attnums[i] = cols[i] ? cols[i]->attnum : 0;
	/* a deleted_at named for a model that is not paranoid */
	if (t->deleted_at == NULL && mo->deleted_at && mo->deleted_at[0])
	{
		AssocColumn *col = assoc_find_column(t->relid, mo->deleted_at);

		mo->attnums[2] = col ? col->attnum : 0;
	}
}

/*
 * The stored options of relid, with the current names of the columns the
 * model uses that were renamed since (a column used by its default name
 * is then named); false when none was (or none declared).
 */
bool
assoc_model_renamed(Oid relid, ModelOptions *mo)
{
	char	  **given[MODEL_NCOLS_NAMED] = {&mo->created_at, &mo->updated_at, &mo->deleted_at};
	bool		changed = false;

	assoc_model_read(relid, mo);
	if (!mo->declared)
		return false;
	for (int i = 0; i < MODEL_NCOLS_NAMED; i++)
	{
		char	   *current;

		if (mo->attnums[i] <= 0)
			continue;
		current = get_attname(relid, mo->attnums[i], true);
		/* dropped: on_sql_drop_models said so */
		if (current == NULL || assoc_find_column(relid, current) == NULL)
			continue;
		/* the column still has the name given, or a default one */
		if (*given[i] != NULL ? strcmp(*given[i], current) == 0 :
			(strcmp(current, camel_names[i]) == 0 || strcmp(current, snake_names[i]) == 0))
			continue;
		*given[i] = current;
		changed = true;
	}
	return changed;
}
