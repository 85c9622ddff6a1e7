/*
 * runtime.c
 *	  Helpers the generated accessors call: the checks that turn a missing
 *	  key, a NULL or a NOT NULL foreign key into a clear error naming the
 *	  association, the conversion of text keys, and the INSERT of a row given
 *	  as JSON (create_*).
 *
 * They run with the caller's privileges, like the accessors themselves, and
 * under the caller's search_path: the INSERT of insert_json fires the
 * table's triggers and evaluates its defaults, check constraints and domain
 * checks, user code written for that path (see insert_json).  Anyone may
 * call them directly, so every argument the generated code always gives is
 * checked (assoc_require_args) rather than trusted.
 */
#include "postgres.h"

#include "access/htup_details.h"
#include "catalog/pg_type.h"
#include "executor/spi.h"
#include "fmgr.h"
#include "funcapi.h"
#include "lib/stringinfo.h"
#if PG_VERSION_NUM >= 160000
#include "nodes/miscnodes.h"
#endif
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/jsonb.h"
#include "utils/inval.h"
#include "utils/lsyscache.h"
#include "utils/syscache.h"
#include "utils/typcache.h"

#include "ddl.h"
#include "runtime.h"
#include "sql_spell.h"

PG_FUNCTION_INFO_V1(assoc_require_row);
PG_FUNCTION_INFO_V1(assoc_require_keys);
PG_FUNCTION_INFO_V1(assoc_require_nullable);
PG_FUNCTION_INFO_V1(assoc_check_key);
PG_FUNCTION_INFO_V1(assoc_insert_json);

static char *
arg_text(FunctionCallInfo fcinfo, int n)
{
	return PG_ARGISNULL(n) ? NULL : text_to_cstring(PG_GETARG_TEXT_PP(n));
}

static char *
arg_rel(FunctionCallInfo fcinfo, int n)
{
	return assoc_rel_name(PG_GETARG_OID(n));
}

/* A table as messages name it: qualified, or its OID when it is gone. */
char *
assoc_rel_name(Oid relid)
{
	char	   *name = get_rel_name(relid);

	if (name == NULL)
		return psprintf("%u", relid);
	return sql_qualname(get_namespace_name(get_rel_namespace(relid)),
									  name);
}

/*
 * What the writers look for in table relid: 'id = 5', and for a paranoid
 * model also 'that is not soft-deleted ("deletedAt" IS NULL)'.
 */
static char *
found_condition(Oid relid, const char *keycol, const char *value)
{
	char	   *cond = psprintf("%s = %s", sql_ident(keycol), value);
	AssocTable *t;

	if (get_rel_name(relid) == NULL)
		return cond;
	t = assoc_open_table(relid, "table", false);
	if (t->deleted_at == NULL)
		return cond;
	return psprintf("%s that is not soft-deleted (%s IS NULL)", cond,
					sql_ident(t->deleted_at->name));
}

/*
 * The arguments of a helper that must not be NULL: names[i] is the name of
 * argument i, or NULL when that one may be.  The generated code always
 * gives them; a direct call that does not gets an error, not a crash.
 */
void
assoc_require_args(FunctionCallInfo fcinfo, const char *func,
				   const char *const *names, int nnames)
{
	for (int i = 0; i < nnames; i++)
		if (names[i] != NULL && PG_ARGISNULL(i))
			ereport(ERROR,
					(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
					 errmsg("argument \"%s\" of %s must not be NULL", names[i], func),
					 errdetail("%s is called by the functions generated for associations, which always pass it.",
							   func),
					 errhint("Call the generated functions instead.")));
}

/* The strings of a text[] without its NULLs; *has_null says if it had any. */
List *
assoc_text_array_items(ArrayType *arr, bool *has_null)
{
	Datum	   *elems;
	bool	   *nulls;
	int			n;
	List	   *items = NIL;

	deconstruct_array(arr, TEXTOID, -1, false, TYPALIGN_INT, &elems, &nulls, &n);
	*has_null = false;
	for (int i = 0; i < n; i++)
	{
		if (nulls[i])
			*has_null = true;
		else
			items = lappend(items, TextDatumGetCString(elems[i]));
	}
	return items;
}

/* Strings joined with ", ", each between two "quote"s: a, b or "a", "b" */
char *
assoc_join_strings(List *items, const char *quote)
{
	StringInfoData buf;
	ListCell   *lc;

	initStringInfo(&buf);
	foreach(lc, items)
		appendStringInfo(&buf, "%s%s%s%s", foreach_current_index(lc) > 0 ? ", " : "",
						 quote, (char *) lfirst(lc), quote);
	return buf.data;
}

/*
 * assoc.require_row(found bigint, source regclass, alias text, role text,
 *                   tab regclass, keycol text, value text) RETURNS void
 *
 * The instance an accessor was called for must exist.
 */
Datum
assoc_require_row(PG_FUNCTION_ARGS)
{
	static const char *const args[] = {NULL, "source", "alias", "role", "tab", "keycol"};
	char	   *value;

	assoc_require_args(fcinfo, "assoc.require_row", args, lengthof(args));
	value = arg_text(fcinfo, 6);
	if (!PG_ARGISNULL(0) && PG_GETARG_INT64(0) > 0)
		PG_RETURN_VOID();

	if (value == NULL)
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("%s must not be NULL", arg_text(fcinfo, 3)),
				 errdetail("Association \"%s\" of table %s needs an existing %s.",
						   arg_text(fcinfo, 2), arg_rel(fcinfo, 1), arg_text(fcinfo, 3))));
	ereport(ERROR,
			(errcode(ERRCODE_NO_DATA_FOUND),
			 errmsg("%s %s does not exist", arg_text(fcinfo, 3), value),
			 errdetail("Table %s has no row with %s (association \"%s\" of table %s).",
					   arg_rel(fcinfo, 4),
					   found_condition(PG_GETARG_OID(4), arg_text(fcinfo, 5), value),
					   arg_text(fcinfo, 2), arg_rel(fcinfo, 1))));
	PG_RETURN_VOID();
}

/*
 * assoc.require_keys(missing text[], source regclass, alias text, role text,
 *                    tab regclass, keycol text) RETURNS void
 *
 * Targets to link or unlink must exist: "missing" lists those that do not
 * (NULL for a NULL target).
 */
Datum
assoc_require_keys(PG_FUNCTION_ARGS)
{
	static const char *const args[] = {NULL, "source", "alias", "role", "tab", "keycol"};
	bool		has_null;
	List	   *missing;

	assoc_require_args(fcinfo, "assoc.require_keys", args, lengthof(args));
	if (PG_ARGISNULL(0))
		PG_RETURN_VOID();
	missing = assoc_text_array_items(PG_GETARG_ARRAYTYPE_P(0), &has_null);
	if (has_null)
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("%s must not be NULL", arg_text(fcinfo, 3)),
				 errdetail("Association \"%s\" of table %s links existing rows of %s only.",
						   arg_text(fcinfo, 2), arg_rel(fcinfo, 1), arg_rel(fcinfo, 4))));
	if (missing == NIL)
		PG_RETURN_VOID();
	ereport(ERROR,
			(errcode(ERRCODE_FOREIGN_KEY_VIOLATION),
			 list_length(missing) == 1 ?
			 errmsg("%s %s does not exist", arg_text(fcinfo, 3), assoc_join_strings(missing, "")) :
			 errmsg("%s keys %s do not exist", arg_text(fcinfo, 3), assoc_join_strings(missing, "")),
			 errdetail("Table %s has no row with %s (association \"%s\" of table %s).",
					   arg_rel(fcinfo, 4),
					   found_condition(PG_GETARG_OID(4), arg_text(fcinfo, 5),
									   (char *) linitial(missing)),
					   arg_text(fcinfo, 2), arg_rel(fcinfo, 1)),
			 errhint("Nothing was changed.")));
	PG_RETURN_VOID();
}

/*
 * assoc.require_nullable(blocked text[], source regclass, alias text,
 *                        role text, tab regclass, fkcol text) RETURNS void
 *
 * Unlinking rows whose foreign key is NOT NULL is refused, naming them.
 */
Datum
assoc_require_nullable(PG_FUNCTION_ARGS)
{
	static const char *const args[] = {NULL, "source", "alias", "role", "tab", "fkcol"};
	bool		has_null;
	List	   *blocked;

	assoc_require_args(fcinfo, "assoc.require_nullable", args, lengthof(args));
	if (PG_ARGISNULL(0))
		PG_RETURN_VOID();
	blocked = assoc_text_array_items(PG_GETARG_ARRAYTYPE_P(0), &has_null);
	if (blocked == NIL)
		PG_RETURN_VOID();
	ereport(ERROR,
			(errcode(ERRCODE_NOT_NULL_VIOLATION),
			 errmsg("cannot unlink %s %s: column %s of table %s is NOT NULL",
					arg_text(fcinfo, 3), assoc_join_strings(blocked, ""),
					sql_ident(arg_text(fcinfo, 5)), arg_rel(fcinfo, 4)),
			 errdetail("Association \"%s\" of table %s would set it to NULL.",
					   arg_text(fcinfo, 2), arg_rel(fcinfo, 1)),
			 errhint("Link those rows to another row, or delete them.")));
	PG_RETURN_VOID();
}

/*
 * The input function of the type typid, the slot-th of the two a function
 * keeps: a driver's $1 comes this way on every call, so the type is looked
 * up once.
 */
static Datum convert_key_args(FunctionCallInfo fcinfo, KeyInput *in, char *str);

static KeyInput *
key_input(FunctionCallInfo fcinfo, int slot, Oid typid)
{
	KeyInput   *in = (KeyInput *) fcinfo->flinfo->fn_extra;

	if (in == NULL)
	{
		in = MemoryContextAllocZero(fcinfo->flinfo->fn_mcxt, 2 * sizeof(KeyInput));
		fcinfo->flinfo->fn_extra = in;
	}
	in += slot;
	assoc_key_input_init(in, typid, fcinfo->flinfo->fn_mcxt);
	return in;
}

/*
 * The input functions of the key types seen in this backend: a driver's
 * untyped $1 is converted at every execution of a prepared statement, and
 * the FmgrInfo that caches a KeyInput lasts one execution.  A type's input
 * function never changes; the cache is emptied when pg_type changes all
 * the same (a dropped type's OID may come back).
 */
typedef struct TypeInput
{
	Oid			typid;
	Oid			infunc;
	Oid			ioparam;
	int16		typlen;
	bool		typbyval;
	char		typalign;
} TypeInput;

#define TYPE_INPUTS 8
static TypeInput type_inputs[TYPE_INPUTS];
static int	n_type_inputs = 0;
static bool type_inputs_callback = false;

static void
forget_type_inputs(Datum arg, int cacheid, uint32 hashvalue)
{
	n_type_inputs = 0;
}

static TypeInput *
type_input(Oid typid)
{
	TypeInput  *t;

	for (int i = 0; i < n_type_inputs; i++)
		if (type_inputs[i].typid == typid)
			return &type_inputs[i];
	if (!type_inputs_callback)
	{
		CacheRegisterSyscacheCallback(TYPEOID, forget_type_inputs, (Datum) 0);
		type_inputs_callback = true;
	}
	if (n_type_inputs == TYPE_INPUTS)
		n_type_inputs = 0;
	t = &type_inputs[n_type_inputs];
	getTypeInputInfo(typid, &t->infunc, &t->ioparam);
	get_typlenbyvalalign(typid, &t->typlen, &t->typbyval, &t->typalign);
	t->typid = typid;
	n_type_inputs++;
	return t;
}

/* Fill *in for the type typid, unless it is filled for it already. */
void
assoc_key_input_init(KeyInput *in, Oid typid, MemoryContext mcxt)
{
	if (in->typid != typid)
	{
		TypeInput  *t = type_input(typid);

		fmgr_info_cxt(t->infunc, &in->infunc, mcxt);
		in->ioparam = t->ioparam;
		in->typlen = t->typlen;
		in->typbyval = t->typbyval;
		in->typalign = t->typalign;
		in->typid = typid;
	}
}

/*
 * str converted to the type typid (its input function the slot-th of
 * key_input), with a message naming the association (the arguments source
 * regclass, alias text and role text at 2, 3 and 4) when it does not
 * convert.
 */
static Datum
convert_key(FunctionCallInfo fcinfo, int slot, Oid typid, char *str)
{
	return convert_key_args(fcinfo, key_input(fcinfo, slot, typid), str);
}

/*
 * str converted by the input function in into *result; false, with the
 * input function's complaint in *problem and *sqlerrcode, when it does not
 * convert.  Only a complaint about the value (a data exception) is caught;
 * anything else goes up unchanged.
 */
bool
assoc_try_convert_key(KeyInput *in, char *str, Datum *result, char **problem,
					  int *sqlerrcode)
{
	char	   *volatile complaint = NULL;
	volatile int code = ERRCODE_INVALID_TEXT_REPRESENTATION;

	*result = (Datum) 0;
#if PG_VERSION_NUM >= 160000
	{
		ErrorSaveContext escontext = {T_ErrorSaveContext};

		escontext.details_wanted = true;
		if (!InputFunctionCallSafe(&in->infunc, str, in->ioparam, -1,
								   (Node *) &escontext, result))
		{
			complaint = escontext.error_data->message;
			code = escontext.error_data->sqlerrcode;
		}
	}
#else
	{
		MemoryContext cxt = CurrentMemoryContext;
		volatile Datum converted = (Datum) 0;

		PG_TRY();
		{
			converted = InputFunctionCall(&in->infunc, str, in->ioparam, -1);
		}
		PG_CATCH();
		{
			ErrorData  *edata;

			MemoryContextSwitchTo(cxt);
			edata = CopyErrorData();
			if (ERRCODE_TO_CATEGORY(edata->sqlerrcode) != ERRCODE_DATA_EXCEPTION)
				PG_RE_THROW();
			FlushErrorState();
			complaint = edata->message;
			code = edata->sqlerrcode;
		}
		PG_END_TRY();
		*result = converted;
	}
#endif
	*problem = complaint;
	*sqlerrcode = code;
	return complaint == NULL;
}

/* The error of a key str of the role's table that did not convert */
void
assoc_key_conversion_error(int sqlerrcode, const char *role, const char *str,
						   const char *alias, const char *source, const char *problem)
{
	ereport(ERROR,
			(errcode(sqlerrcode),
			 errmsg("invalid %s key \"%s\" for association \"%s\" of table %s",
					role, str, alias, source),
			 errdetail("%s", problem)));
}

/*
 * str converted by the input function in, with a message naming the
 * association (the arguments source regclass, alias text and role text at
 * 2, 3 and 4) when it does not convert.
 */
static Datum
convert_key_args(FunctionCallInfo fcinfo, KeyInput *in, char *str)
{
	Datum		result;
	char	   *problem;
	int			sqlerrcode;

	if (!assoc_try_convert_key(in, str, &result, &problem, &sqlerrcode))
		assoc_key_conversion_error(sqlerrcode, text_to_cstring(PG_GETARG_TEXT_PP(4)), str,
								   text_to_cstring(PG_GETARG_TEXT_PP(3)), arg_rel(fcinfo, 2),
								   problem);
	return result;
}

/*
 * assoc.check_key(value text, keytype anyelement, source regclass,
 *                 alias text, role text) RETURNS anyelement
 *
 * A key given as text (a driver's untyped $1 reaches the text overloads)
 * converted to the key's type, the type of the second argument (a typed
 * NULL), with a message naming the association when it does not convert.
 * It returns the converted value itself, so that the generated SQL needs no
 * second conversion (a cast from text) after it.
 */
static const char *const check_key_args[] = {NULL, NULL, "source", "alias", "role"};

Datum
assoc_check_key(PG_FUNCTION_ARGS)
{
	Oid			typid = get_fn_expr_argtype(fcinfo->flinfo, 1);

	/* set for every call from SQL; only a C caller without an expression lacks it */
	if (!OidIsValid(typid))
		elog(ERROR, "assoc.check_key called without the type of its second argument");
	assoc_require_args(fcinfo, "assoc.check_key", check_key_args, lengthof(check_key_args));
	if (PG_ARGISNULL(0))
		PG_RETURN_NULL();
	PG_RETURN_DATUM(convert_key(fcinfo, 0, typid,
								text_to_cstring(PG_GETARG_TEXT_PP(0))));
}

/* createdAt/updatedAt as Sequelize fills them on create */
static bool
is_column(AssocColumn *col, const char *name)
{
	return col != NULL && strcmp(col->name, name) == 0;
}

/*
 * The row the INSERT of insert_json returned, in the shape of the caller's
 * column definition list (the table's columns, which the generated
 * function lists and writes again when the table changes), allocated in
 * "upper".
 */
static HeapTuple
returned_row(FunctionCallInfo fcinfo, AssocTable *table, TupleDesc rettupdesc,
			 MemoryContext upper)
{
	TupleDesc	desc;
	Datum	   *rvalues;
	bool	   *rnulls;
	MemoryContext old;
	HeapTuple	tuple;

	/*
	 * A BEFORE INSERT trigger that returns NULL (as the routing trigger of
	 * inheritance partitioning does) leaves nothing to return; so does a
	 * DO INSTEAD rule that does something else.
	 */
	if (SPI_tuptable == NULL || SPI_processed == 0)
		ereport(ERROR,
				(errcode(ERRCODE_TRIGGERED_ACTION_EXCEPTION),
				 errmsg("create of association \"%s\" of table %s inserted no row into table %s",
						text_to_cstring(PG_GETARG_TEXT_PP(4)), arg_rel(fcinfo, 3),
						table->qualname),
				 errdetail("A BEFORE INSERT trigger of the table returned NULL, or a rule of the table did something else instead."),
				 errhint("Insert the row with INSERT, then link it with the association's add or set function.")));

	desc = SPI_tuptable->tupdesc;
	if (desc->natts != rettupdesc->natts)
		ereport(ERROR,
				(errcode(ERRCODE_DATATYPE_MISMATCH),
				 errmsg("table %s has %d columns, the function creating its rows expects %d",
						table->qualname, desc->natts, rettupdesc->natts),
				 errhint("The generated functions are written again by ALTER TABLE; run assoc.drop_association and declare again if they are out of date.")));
	for (int i = 0; i < desc->natts; i++)
	{
		Form_pg_attribute att = TupleDescAttr(desc, i);
		Oid			expected = TupleDescAttr(rettupdesc, i)->atttypid;

		if (att->atttypid != expected)
			ereport(ERROR,
					(errcode(ERRCODE_DATATYPE_MISMATCH),
					 errmsg("column \"%s\" of table %s is of type %s, the function creating its rows expects %s",
							NameStr(att->attname), table->qualname,
							format_type_be(att->atttypid), format_type_be(expected)),
					 errhint("The generated functions are written again by ALTER TABLE; run assoc.drop_association and declare again if they are out of date.")));
	}

	rvalues = palloc0(sizeof(Datum) * desc->natts);
	rnulls = palloc0(sizeof(bool) * desc->natts);
	heap_deform_tuple(SPI_tuptable->vals[0], desc, rvalues, rnulls);
	old = MemoryContextSwitchTo(upper);
	rettupdesc = BlessTupleDesc(CreateTupleDescCopy(rettupdesc));
	tuple = heap_form_tuple(rettupdesc, rvalues, rnulls);
	MemoryContextSwitchTo(old);
	return tuple;
}

/*
 * A JSON argument of insert_json, when given, is an object.
 */
static void
require_object(FunctionCallInfo fcinfo, Jsonb *arg, const char *what)
{
	if (arg != NULL && !JB_ROOT_IS_OBJECT(arg))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s must be a JSON object", what),
				 errdetail("create of association \"%s\" of table %s takes the new row's columns as {\"column\": value, ...}.",
						   text_to_cstring(PG_GETARG_TEXT_PP(4)), arg_rel(fcinfo, 3))));
}

/*
 * assoc.insert_json(tab regclass, values jsonb, forced jsonb,
 *                   source regclass, alias text) RETURNS record
 *
 * INSERT a row of the table with the columns named in values (forced
 * wins over values), leaving the others to their defaults, and return it.
 * As Sequelize's create: createdAt is now() unless given, updatedAt is
 * always now().  Unknown columns are an error, not ignored.
 *
 * The INSERT runs under the caller's search_path, not assoc's safe one:
 * the table's triggers, column defaults, check constraints and domain
 * checks run inside it, and user code there (an audit trigger's INSERT
 * INTO audit, a default calling a function that reads a table) is written
 * for the caller's path, as it runs under the caller's own INSERT.  The
 * INSERT itself looks nothing up on the path: its table and type are
 * schema-qualified, its functions pg_catalog's, and it has no operator, so
 * no object another role puts on the path can change what it does.  (It
 * could not be parsed under the safe path and run under the caller's
 * either: the plan cache parses a statement again when the path differs,
 * and the planner expands the table's defaults and inlines the SQL
 * functions they call while planning.)
 */
Datum
assoc_insert_json(PG_FUNCTION_ARGS)
{
	static const char *const args[] = {"tab", NULL, NULL, "source", "alias"};
	Oid			relid;
	MemoryContext upper = CurrentMemoryContext;
	Jsonb	   *values;
	Jsonb	   *forced;
	Jsonb	   *merged;
	AssocTable *table;
	StringInfoData cols;
	StringInfoData sel;
	StringInfoData sql;
	Oid			argtypes[1] = {JSONBOID};
	Datum		args_values[1];
	TupleDesc	rettupdesc;
	HeapTuple	tuple;
	bool		created_given = false;

	assoc_require_args(fcinfo, "assoc.insert_json", args, lengthof(args));
	relid = PG_GETARG_OID(0);
	if (get_call_result_type(fcinfo, NULL, &rettupdesc) != TYPEFUNC_COMPOSITE)
		ereport(ERROR,
				(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
				 errmsg("assoc.insert_json must be called with a column definition list")));
	values = PG_ARGISNULL(1) ? NULL : PG_GETARG_JSONB_P(1);
	forced = PG_ARGISNULL(2) ? NULL : PG_GETARG_JSONB_P(2);
	require_object(fcinfo, values, "values");
	require_object(fcinfo, forced, "forced values");
	if (values == NULL || forced == NULL)
		merged = values != NULL ? values : forced;
	else
		merged = DatumGetJsonbP(DirectFunctionCall2(jsonb_concat,
													JsonbPGetDatum(values),
													JsonbPGetDatum(forced)));

	SPI_connect();
	table = assoc_open_table(relid, "target", false);

	initStringInfo(&cols);
	initStringInfo(&sel);
	if (merged != NULL)
	{
		JsonbIterator *it = JsonbIteratorInit(&merged->root);
		JsonbValue	v;
		JsonbIteratorToken tok;

		while ((tok = JsonbIteratorNext(&it, &v, true)) != WJB_DONE)
		{
			char	   *key;
			AssocColumn *col;

			if (tok != WJB_KEY)
				continue;
			key = pnstrdup(v.val.string.val, v.val.string.len);
			col = assoc_find_column(relid, key);
			if (col == NULL)
				ereport(ERROR,
						(errcode(ERRCODE_UNDEFINED_COLUMN),
						 errmsg("column \"%s\" of table %s does not exist", key, table->qualname),
						 errdetail("The values given to create a row for association \"%s\" of table %s name it.",
								   text_to_cstring(PG_GETARG_TEXT_PP(4)), arg_rel(fcinfo, 3)),
						 errhint("Use the table's column names as keys.")));
			tok = JsonbIteratorNext(&it, &v, true);
			Assert(tok == WJB_VALUE);
			if (is_column(table->updated_at, key))
				continue;
			/* Sequelize fills a createdAt given as null, like a missing one */
			if (is_column(table->created_at, key))
			{
				if (v.type == jbvNull)
					continue;
				created_given = true;
			}
			appendStringInfo(&cols, "%s%s", cols.len > 0 ? ", " : "", sql_ident(key));
			appendStringInfo(&sel, "%sr.%s", sel.len > 0 ? ", " : "", sql_ident(key));
		}
	}
	if (table->created_at != NULL && !created_given)
	{
		appendStringInfo(&cols, "%s%s", cols.len > 0 ? ", " : "",
						 sql_ident(table->created_at->name));
		appendStringInfo(&sel, "%spg_catalog.now()", sel.len > 0 ? ", " : "");
	}
	if (table->updated_at != NULL)
	{
		appendStringInfo(&cols, "%s%s", cols.len > 0 ? ", " : "",
						 sql_ident(table->updated_at->name));
		appendStringInfo(&sel, "%spg_catalog.now()", sel.len > 0 ? ", " : "");
	}

	initStringInfo(&sql);
	if (cols.len == 0)
		appendStringInfo(&sql, "INSERT INTO %s DEFAULT VALUES RETURNING *", table->qualname);
	else
		appendStringInfo(&sql,
						 "INSERT INTO %s (%s) SELECT %s FROM pg_catalog.jsonb_populate_record(CAST(NULL AS %s), $1) r RETURNING *",
						 table->qualname, cols.data, sel.data, table->qualname);
	args_values[0] = merged != NULL ? JsonbPGetDatum(merged) : (Datum) 0;

	PG_TRY();
	{
		/*
		 * A DO INSTEAD rule may make it another command, whose RETURNING
		 * rows come back (or none: see returned_row).
		 */
		int			ret = SPI_execute_with_args(sql.data, 1, argtypes, args_values,
												merged != NULL ? NULL : "n", false, 0);

		if (ret < 0)
			elog(ERROR, "SPI_execute_with_args failed (%s): %s",
				 SPI_result_code_string(ret), sql.data);
	}
	PG_CATCH();
	{
		ErrorData  *edata;

		MemoryContextSwitchTo(upper);
		edata = CopyErrorData();
		if (ERRCODE_TO_CATEGORY(edata->sqlerrcode) == ERRCODE_DATA_EXCEPTION)
		{
			FlushErrorState();
			ereport(ERROR,
					(errcode(edata->sqlerrcode),
					 errmsg("invalid values for a new row of %s: %s", table->qualname,
							edata->message),
					 errdetail("create of association \"%s\" of table %s was given them.",
							   text_to_cstring(PG_GETARG_TEXT_PP(4)), arg_rel(fcinfo, 3))));
		}

		/*
		 * A constraint of the table refused the row: PostgreSQL's own
		 * message, detail and fields (constraint, table, column), with the
		 * association as context instead of the INSERT assoc wrote.
		 */
		if (ERRCODE_TO_CATEGORY(edata->sqlerrcode) != ERRCODE_INTEGRITY_CONSTRAINT_VIOLATION)
			PG_RE_THROW();
		FlushErrorState();
		ereport(ERROR,
				(errcode(edata->sqlerrcode),
				 errmsg_internal("%s", edata->message),
				 edata->detail ? errdetail_internal("%s", edata->detail) : 0,
				 edata->hint ? errhint("%s", edata->hint) : 0,
				 edata->schema_name ? err_generic_string(PG_DIAG_SCHEMA_NAME, edata->schema_name) : 0,
				 edata->table_name ? err_generic_string(PG_DIAG_TABLE_NAME, edata->table_name) : 0,
				 edata->column_name ? err_generic_string(PG_DIAG_COLUMN_NAME, edata->column_name) : 0,
				 edata->datatype_name ? err_generic_string(PG_DIAG_DATATYPE_NAME, edata->datatype_name) : 0,
				 edata->constraint_name ? err_generic_string(PG_DIAG_CONSTRAINT_NAME, edata->constraint_name) : 0,
				 errcontext("create of association \"%s\" of table %s",
							text_to_cstring(PG_GETARG_TEXT_PP(4)), arg_rel(fcinfo, 3))));
	}
	PG_END_TRY();

	tuple = returned_row(fcinfo, table, rettupdesc, upper);
	SPI_finish();
	PG_RETURN_DATUM(HeapTupleGetDatum(tuple));
}
