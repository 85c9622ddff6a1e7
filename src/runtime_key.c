/*
 * runtime_key.c
 *	  The one argument form of the generated accessors: assoc.key_of and
 *	  assoc.keys_of turn an instance or a target given in any form -- a row
 *	  of its table, its key in the key column's type or in another integer
 *	  type, text (a driver's untyped parameter, a quoted literal) -- into the
 *	  key, or the array of keys, of the column's type; assoc.if_row picks
 *	  one of two expressions by whether a row was given (belongs_to's get
 *	  reads a row's own foreign key).  See gen_toolkit.c for why the
 *	  accessors take one polymorphic argument rather than overloads.
 *
 * Their planner support function (assoc.key_support) replaces a call
 * whose argument type already says the answer when the query is planned:
 * a key of the column's type by itself, a row by its key column (a
 * FieldSelect), a narrower integer by the implicit cast, if_row by the
 * branch it takes.  The comparison with the key column is then the one a
 * hand-written query has ("ownerId" = $1), which keeps index scans,
 * constant folding and plan caching as they were with typed overloads.
 * What remains a call at run time -- text to convert, a bigint for an
 * integer column, an array of rows or of text -- costs one call per
 * statement (the key is a parameter of the index scan, not per row).
 *
 * A key beyond the column's range (5000000000 for an integer column) names
 * no row: readers get NULL (nothing found, false), writers an error naming
 * the association and the value.
 *
 * What key_of and keys_of need besides the value -- the association and
 * the key column, for messages and for a row -- is one text constant,
 * "about" (assoc_key_about: a text[] literal of the source table, alias,
 * role, table and key column), read only when it is needed: an error, a
 * row.  A reader's body is parsed each time a query calling it is planned
 * (-M simple): with these names as five arguments, two of them regclass
 * casts looked up by name, the parse of key_of's call took as long as the
 * rest of the statement.  For the same reason the input function of the
 * key type is kept for the backend (key_input_cache), not looked up at
 * each execution.
 */
#include "postgres.h"

#include "access/htup_details.h"
#include "catalog/namespace.h"
#include "catalog/pg_type.h"
#include "commands/extension.h"
#include "executor/spi.h"
#include "fmgr.h"
#include "funcapi.h"
#include "nodes/makefuncs.h"
#include "nodes/nodeFuncs.h"
#include "nodes/supportnodes.h"
#include "parser/parse_coerce.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "miscadmin.h"
#include "parser/parse_func.h"
#include "parser/parse_type.h"
#include "utils/fmgroids.h"
#include "utils/lsyscache.h"
#include "utils/regproc.h"

#include "runtime.h"
#include "spi_util.h"

PG_FUNCTION_INFO_V1(assoc_key_of);
PG_FUNCTION_INFO_V1(assoc_keys_of);
PG_FUNCTION_INFO_V1(assoc_if_row);
PG_FUNCTION_INFO_V1(assoc_key_support);
PG_FUNCTION_INFO_V1(assoc_create_key_helpers);

/* The arguments of key_of and keys_of, by position. */
enum
{
	ARG_VALUE,
	ARG_KEYTYPE,
	ARG_ABOUT,
	ARG_WRITER,
	NARGS
};

static const char *const key_of_args[] = {NULL, NULL, "about", "writer"};

/* The fields of "about", in this order. */
enum
{
	ABOUT_SOURCE,				/* the association's table, qualified */
	ABOUT_ALIAS,				/* its alias */
	ABOUT_ROLE,					/* the model in messages: "owner" */
	ABOUT_SIDE,					/* the table the key is of, qualified */
	ABOUT_KEYCOL,				/* its key column */
	ABOUT_N
};

/* What a value (or an array's element) is, for the key it stands for. */
typedef enum ValueForm
{
	VAL_KEY,					/* of the key's type */
	VAL_INT,					/* another integer type, the key an integer */
	VAL_TEXT,					/* a string type, or an untyped literal */
	VAL_ROW						/* a row of the side's table */
} ValueForm;

/* What one call site (fn_extra) remembers. */
typedef struct KeyCache
{
	Oid			argtype;		/* the value's type */
	bool		array;			/* the value is an array */
	ValueForm	form;			/* of the value, or of its elements */
	Oid			elemtype;		/* of the value's elements */
	int16		elemlen;
	bool		elembyval;
	char		elemalign;
	Oid			keytype;		/* the key's type (base type of a domain) */
	text	   *about;			/* the call's "about", a copy */
	char	   *fields[ABOUT_N];	/* its fields, once read (about_field) */
	Oid			side;			/* the table the key is of, once looked up */
	AttrNumber	attnum;			/* the key column, for a row */
	KeyInput	key_in;			/* the key type's input function */
	KeyInput	array_in;		/* the key array type's, for keys_of */
	KeyInput	text_array_in;	/* text[]'s, for keys_of */
} KeyCache;

/*
 * The "about" of the association a, its table side and key column keycol:
 * a text[] literal (quoted as array_out quotes, so any name reads back).
 */
char *
assoc_key_about(const char *source, const char *alias, const char *role,
				const char *side, const char *keycol)
{
	Datum		elems[ABOUT_N];

	elems[ABOUT_SOURCE] = CStringGetTextDatum(source);
	elems[ABOUT_ALIAS] = CStringGetTextDatum(alias);
	elems[ABOUT_ROLE] = CStringGetTextDatum(role);
	elems[ABOUT_SIDE] = CStringGetTextDatum(side);
	elems[ABOUT_KEYCOL] = CStringGetTextDatum(keycol);
	return OidOutputFunctionCall(F_ARRAY_OUT,
								 PointerGetDatum(construct_array(elems, ABOUT_N, TEXTOID, -1,
																 false, TYPALIGN_INT)));
}

/* The fields of the about literal str into fields[ABOUT_N], in mcxt. */
static void
about_parse(const char *str, char **fields, MemoryContext mcxt)
{
	MemoryContext old = MemoryContextSwitchTo(mcxt);
	bool		has_null;
	List	   *items;

	items = assoc_text_array_items(DatumGetArrayTypeP(OidInputFunctionCall(F_ARRAY_IN,
																		   (char *) str, TEXTOID, -1)),
								   &has_null);
	MemoryContextSwitchTo(old);
	if (has_null || list_length(items) != ABOUT_N)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("invalid argument \"about\" of assoc.key_of: \"%s\"", str),
				 errdetail("It names the association's table, its alias, the model, the table of the key and its key column."),
				 errhint("Call the generated functions instead.")));
	for (int i = 0; i < ABOUT_N; i++)
		fields[i] = list_nth(items, i);
}

/* Field n of the call's about (read once per call site) */
static const char *
about_field(KeyCache *c, int n, MemoryContext mcxt)
{
	if (c->fields[0] == NULL)
		about_parse(text_to_cstring(c->about), c->fields, mcxt);
	return c->fields[n];
}

#define ABOUT(n) about_field(c, (n), fcinfo->flinfo->fn_mcxt)

/* The table a qualified name (as sql_qualname writes it) names */
static Oid
table_named(const char *qualname)
{
	return RangeVarGetRelid(makeRangeVarFromNameList(stringToQualifiedNameList(qualname)),
							NoLock, false);
}

/* The table the key is of (looked up once per call site) */
static Oid
side_of(FunctionCallInfo fcinfo, KeyCache *c)
{
	if (!OidIsValid(c->side))
		c->side = table_named(ABOUT(ABOUT_SIDE));
	return c->side;
}

static bool
is_integer(Oid typid)
{
	return typid == INT2OID || typid == INT4OID || typid == INT8OID;
}

/* Built-in string types, which no lookup is needed for (never domains) */
static bool
is_builtin_string(Oid typid)
{
	return typid == TEXTOID || typid == VARCHAROID || typid == BPCHAROID ||
		typid == UNKNOWNOID;
}

/*
 * The form of a value of type typid standing for a key of keytype, of the
 * call site c's table; false when it stands for none.  A string type or
 * an integer is no row type, so the table is looked up only for the rest.
 */
static bool
value_form(FunctionCallInfo fcinfo, KeyCache *c, Oid typid, Oid keytype, ValueForm *form)
{
	Oid			base;
	char		category;
	bool		preferred;

	if (typid == keytype)
		*form = VAL_KEY;
	else if (is_integer(typid) && is_integer(keytype))
		*form = VAL_INT;
	else if (is_builtin_string(typid))
		*form = VAL_TEXT;
	else if ((base = getBaseType(typid)) == keytype)
		*form = VAL_KEY;
	else if (is_integer(base) && is_integer(keytype))
		*form = VAL_INT;
	else if (typid == get_rel_type_id(side_of(fcinfo, c)))
		*form = VAL_ROW;
	else
	{
		get_type_category_preferred(base, &category, &preferred);
		if (category != TYPCATEGORY_STRING)
			return false;
		*form = VAL_TEXT;
	}
	return true;
}

/* "the pug is passed as ..." when the value's type stands for no key */
static void
wrong_type(FunctionCallInfo fcinfo, KeyCache *c, Oid argtype, bool several)
{
	ereport(ERROR,
			(errcode(ERRCODE_DATATYPE_MISMATCH),
			 errmsg("%s given as type %s for association \"%s\" of table %s",
					ABOUT(ABOUT_ROLE), format_type_be(argtype),
					ABOUT(ABOUT_ALIAS), ABOUT(ABOUT_SOURCE)),
			 errdetail("The %s is passed as a row of table %s, as its key (type %s) or as text%s.",
					   ABOUT(ABOUT_ROLE), ABOUT(ABOUT_SIDE),
					   format_type_be(c->keytype),
					   several ? "; several, as an array of those" : ""),
			 errhint("Pass a row of table %s, or cast the argument to %s.",
					 ABOUT(ABOUT_SIDE), format_type_be(c->keytype))));
}

/*
 * The call site's cache, for the value type argtype and the key type
 * keytype (the resolved result type, or its element type).
 */
static KeyCache *
key_cache(FunctionCallInfo fcinfo, Oid keytype, bool several)
{
	KeyCache   *c = (KeyCache *) fcinfo->flinfo->fn_extra;
	Oid			argtype = get_fn_expr_argtype(fcinfo->flinfo, ARG_VALUE);
	text	   *about = PG_GETARG_TEXT_PP(ARG_ABOUT);

	if (!OidIsValid(argtype) || !OidIsValid(keytype))
		elog(ERROR, "assoc.key_of called without the types of its arguments");
	if (c == NULL)
	{
		c = MemoryContextAllocZero(fcinfo->flinfo->fn_mcxt, sizeof(KeyCache));
		fcinfo->flinfo->fn_extra = c;
	}
	if (c->argtype == argtype && c->keytype == keytype &&
		VARSIZE_ANY_EXHDR(c->about) == VARSIZE_ANY_EXHDR(about) &&
		memcmp(VARDATA_ANY(c->about), VARDATA_ANY(about), VARSIZE_ANY_EXHDR(about)) == 0)
		return c;

	c->argtype = InvalidOid;
	c->keytype = keytype;
	if (c->about != NULL)
		pfree(c->about);
	c->about = MemoryContextAlloc(fcinfo->flinfo->fn_mcxt, VARSIZE_ANY(about));
	memcpy(c->about, about, VARSIZE_ANY(about));
	memset(c->fields, 0, sizeof(c->fields));
	c->side = InvalidOid;
	c->attnum = InvalidAttrNumber;
	c->elemtype = several ? get_element_type(getBaseType(argtype)) : InvalidOid;
	c->array = OidIsValid(c->elemtype);
	if (!c->array)
		c->elemtype = argtype;
	/* the argtype is set last: a type of no form is refused on every call */
	c->argtype = argtype;
	if (!value_form(fcinfo, c, c->elemtype, keytype, &c->form))
	{
		c->argtype = InvalidOid;
		wrong_type(fcinfo, c, argtype, several);
	}
	if (c->form == VAL_ROW)
	{
		c->attnum = get_attnum(c->side, ABOUT(ABOUT_KEYCOL));
		if (c->attnum == InvalidAttrNumber)
		{
			c->argtype = InvalidOid;
			elog(ERROR, "column %s of table %s is missing",
				 ABOUT(ABOUT_KEYCOL), ABOUT(ABOUT_SIDE));
		}
	}
	/* text for several is an array literal or one key, whatever the key type */
	if (several && !c->array && c->form == VAL_KEY)
	{
		char		category;
		bool		preferred;

		get_type_category_preferred(getBaseType(argtype), &category, &preferred);
		if (category == TYPCATEGORY_STRING)
			c->form = VAL_TEXT;
	}
	get_typlenbyvalalign(c->elemtype, &c->elemlen, &c->elembyval, &c->elemalign);
	return c;
}

/* An integer key beyond the range of the key type: NULL, or an error. */
static Datum
narrow_integer(FunctionCallInfo fcinfo, KeyCache *c, Oid typid, Datum v,
			   bool writer, bool *isnull)
{
	int64		x;
	int64		lo,
				hi;

	switch (is_integer(typid) ? typid : getBaseType(typid))
	{
		case INT2OID:
			x = DatumGetInt16(v);
			break;
		case INT4OID:
			x = DatumGetInt32(v);
			break;
		default:
			x = DatumGetInt64(v);
			break;
	}
	switch (c->keytype)
	{
		case INT2OID:
			lo = PG_INT16_MIN;
			hi = PG_INT16_MAX;
			break;
		case INT4OID:
			lo = PG_INT32_MIN;
			hi = PG_INT32_MAX;
			break;
		default:
			return Int64GetDatum(x);
	}
	if (x >= lo && x <= hi)
		return c->keytype == INT2OID ? Int16GetDatum((int16) x) : Int32GetDatum((int32) x);
	if (writer)
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("%s key " INT64_FORMAT " is out of range for association \"%s\" of table %s",
						ABOUT(ABOUT_ROLE), x, ABOUT(ABOUT_ALIAS), ABOUT(ABOUT_SOURCE)),
				 errdetail("The key column %s of table %s is of type %s.",
						   quote_identifier(ABOUT(ABOUT_KEYCOL)),
						   ABOUT(ABOUT_SIDE), format_type_be(c->keytype)),
				 errhint("Pass a key that column can hold.")));
	*isnull = true;
	return (Datum) 0;
}

/* The string of a value of a string type (or an untyped literal). */
static char *
value_string(Oid typid, Datum v)
{
	Oid			output;
	bool		varlena;

	if (typid == UNKNOWNOID)
		return pstrdup(DatumGetCString(v));
	if (typid == TEXTOID || typid == VARCHAROID || typid == BPCHAROID)
		return TextDatumGetCString(v);
	getTypeOutputInfo(typid, &output, &varlena);
	return OidOutputFunctionCall(output, v);
}

/*
 * str converted by the input function in, with a message naming the
 * association when it does not convert.  With out_of_range given, a value
 * beyond the type's range (SQLSTATE 22003: '5000000000' for an integer
 * key) is no error: *out_of_range is set and (Datum) 0 returned, for the
 * readers, which find nothing by such a key.
 */
static Datum
convert(FunctionCallInfo fcinfo, KeyCache *c, KeyInput *in, char *str, bool *out_of_range)
{
	Datum		result;
	char	   *problem;
	int			sqlerrcode;

	if (out_of_range)
		*out_of_range = false;
	if (assoc_try_convert_key(in, str, &result, &problem, &sqlerrcode))
		return result;
	if (out_of_range != NULL && sqlerrcode == ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE)
	{
		*out_of_range = true;
		return (Datum) 0;
	}
	assoc_key_conversion_error(sqlerrcode, ABOUT(ABOUT_ROLE), str, ABOUT(ABOUT_ALIAS),
							   ABOUT(ABOUT_SOURCE), problem);
}

/* The key that str stands for; a reader's key beyond the type's range is NULL. */
static Datum
text_key(FunctionCallInfo fcinfo, KeyCache *c, char *str, bool *isnull)
{
	bool		writer = PG_GETARG_BOOL(ARG_WRITER);
	bool		out_of_range;
	Datum		key;

	assoc_key_input_init(&c->key_in, c->keytype, fcinfo->flinfo->fn_mcxt);
	key = convert(fcinfo, c, &c->key_in, str, writer ? NULL : &out_of_range);
	*isnull = !writer && out_of_range;
	return key;
}

/* The key one value of the form c->form (not NULL) stands for. */
static Datum
one_key(FunctionCallInfo fcinfo, KeyCache *c, Datum v, bool *isnull)
{
	*isnull = false;
	switch (c->form)
	{
		case VAL_KEY:
			return v;
		case VAL_INT:
			return narrow_integer(fcinfo, c, c->elemtype, v,
								  PG_GETARG_BOOL(ARG_WRITER), isnull);
		case VAL_ROW:
			return GetAttributeByNum(DatumGetHeapTupleHeader(v), c->attnum, isnull);
		case VAL_TEXT:
			return text_key(fcinfo, c, value_string(c->elemtype, v), isnull);
	}
	return (Datum) 0;
}

/* An array of one key (NULL when isnull). */
static ArrayType *
array_of_one(FunctionCallInfo fcinfo, KeyCache *c, Datum key, bool isnull)
{
	int			dims[1] = {1};
	int			lbs[1] = {1};

	assoc_key_input_init(&c->key_in, c->keytype, fcinfo->flinfo->fn_mcxt);
	return construct_md_array(&key, &isnull, 1, dims, lbs, c->keytype,
							  c->key_in.typlen, c->key_in.typbyval,
							  c->key_in.typalign);
}

static void
check_args(FunctionCallInfo fcinfo, const char *func)
{
	if (PG_NARGS() != NARGS)
		elog(ERROR, "%s called with %d arguments", func, PG_NARGS());
	assoc_require_args(fcinfo, func, key_of_args, lengthof(key_of_args));
}

/*
 * assoc.key_of(value "any", keytype anyelement, about text, writer boolean)
 *              RETURNS anyelement
 *
 * The key of the table about names (its key column, of the type of
 * keytype, a typed NULL) that value stands for: a row of that table, a
 * key, an integer of another integer type, text.  NULL stays NULL.
 * Messages name the association and the model (about, assoc_key_about).
 */
Datum
assoc_key_of(PG_FUNCTION_ARGS)
{
	KeyCache   *c;
	Datum		key;
	bool		isnull;

	check_args(fcinfo, "assoc.key_of");
	c = key_cache(fcinfo, get_fn_expr_rettype(fcinfo->flinfo), false);
	if (PG_ARGISNULL(ARG_VALUE))
		PG_RETURN_NULL();
	key = one_key(fcinfo, c, PG_GETARG_DATUM(ARG_VALUE), &isnull);
	if (isnull)
		PG_RETURN_NULL();
	PG_RETURN_DATUM(key);
}

/* An array of the keys given, in the shape of the array given. */
static ArrayType *
array_of_keys(FunctionCallInfo fcinfo, KeyCache *c, ArrayType *given)
{
	Datum	   *elems;
	bool	   *nulls;
	int			n;
	int16		keylen;
	bool		keybyval;
	char		keyalign;

	deconstruct_array(given, c->elemtype, c->elemlen, c->elembyval, c->elemalign,
					  &elems, &nulls, &n);
	for (int i = 0; i < n; i++)
		if (!nulls[i])
			elems[i] = one_key(fcinfo, c, elems[i], &nulls[i]);
	get_typlenbyvalalign(c->keytype, &keylen, &keybyval, &keyalign);
	if (ARR_NDIM(given) == 0)
		return construct_empty_array(c->keytype);
	return construct_md_array(elems, nulls, ARR_NDIM(given), ARR_DIMS(given),
							  ARR_LBOUND(given), c->keytype, keylen, keybyval,
							  keyalign);
}

/*
 * keys_of for text: an array literal ('{5,6}') is an array of keys,
 * anything else ('5') one key.  An array literal is what array input takes
 * for one: after any white space, '{', or '[' for explicit bounds.  (A key
 * of a string type that begins so must be given typed: ARRAY['{x}'].)  A
 * reader given an element beyond the key type's range finds nothing by it:
 * the literal is read as text[] and each element converted.
 */
static Datum
keys_of_text(FunctionCallInfo fcinfo, KeyCache *c, char *str, Oid arraytype)
{
	MemoryContext mcxt = fcinfo->flinfo->fn_mcxt;
	bool		writer = PG_GETARG_BOOL(ARG_WRITER);
	const char *p;
	bool		out_of_range;
	Datum		keys;
	bool		isnull;
	Datum		key;
	KeyCache	elems;

	for (p = str; *p == ' ' || *p == '\t' || *p == '\n' || *p == '\r' ||
		 *p == '\v' || *p == '\f'; p++)
		;
	if (*p != '{' && *p != '[')
	{
		key = text_key(fcinfo, c, str, &isnull);
		return PointerGetDatum(array_of_one(fcinfo, c, key, isnull));
	}
	assoc_key_input_init(&c->array_in, arraytype, mcxt);
	keys = convert(fcinfo, c, &c->array_in, str, writer ? NULL : &out_of_range);
	if (writer || !out_of_range)
		return keys;
	assoc_key_input_init(&c->text_array_in, TEXTARRAYOID, mcxt);
	elems = *c;
	elems.elemtype = TEXTOID;
	elems.form = VAL_TEXT;
	get_typlenbyvalalign(TEXTOID, &elems.elemlen, &elems.elembyval, &elems.elemalign);
	return PointerGetDatum(array_of_keys(fcinfo, &elems,
										 DatumGetArrayTypeP(convert(fcinfo, c, &c->text_array_in,
																			  str, NULL))));
}

/*
 * assoc.keys_of(value "any", keytype anyarray, about text, writer boolean)
 *               RETURNS anyarray
 *
 * The keys value stands for, as an array of the key type (keytype, a typed
 * NULL array): an array of rows, of keys, of other integers, of text; text
 * (an array literal or one key); or one row or key, an array of one, as
 * Sequelize's addPugs takes one instance as well as an array.  NULL text
 * or a NULL array is NULL (no targets); one NULL row or key is an array of
 * one NULL, as the accessors for one target take it.
 */
Datum
assoc_keys_of(PG_FUNCTION_ARGS)
{
	Oid			arraytype = get_fn_expr_rettype(fcinfo->flinfo);
	KeyCache   *c;
	Datum		key;
	bool		isnull;

	check_args(fcinfo, "assoc.keys_of");
	c = key_cache(fcinfo, get_element_type(arraytype), true);
	if (PG_ARGISNULL(ARG_VALUE))
	{
		if (c->array || c->form == VAL_TEXT)
			PG_RETURN_NULL();
		isnull = true;
		key = (Datum) 0;
	}
	else if (c->array && c->form == VAL_KEY && c->argtype == arraytype)
		PG_RETURN_DATUM(PG_GETARG_DATUM(ARG_VALUE));
	else if (c->array)
		PG_RETURN_ARRAYTYPE_P(array_of_keys(fcinfo, c, PG_GETARG_ARRAYTYPE_P(ARG_VALUE)));
	else if (c->form == VAL_TEXT)
		return keys_of_text(fcinfo, c, value_string(c->argtype, PG_GETARG_DATUM(ARG_VALUE)),
							arraytype);
	else
		key = one_key(fcinfo, c, PG_GETARG_DATUM(ARG_VALUE), &isnull);
	PG_RETURN_ARRAYTYPE_P(array_of_one(fcinfo, c, key, isnull));
}

/*
 * assoc.if_row(value "any", side regclass, if_row anyelement,
 *              otherwise anyelement) RETURNS anyelement
 *
 * if_row when value is a row of table side, else otherwise (both computed:
 * the planner support function keeps only the branch taken).
 */
Datum
assoc_if_row(PG_FUNCTION_ARGS)
{
	Oid			argtype = get_fn_expr_argtype(fcinfo->flinfo, 0);
	int			n;

	if (PG_ARGISNULL(1))
		elog(ERROR, "assoc.if_row called without its table");
	n = argtype == get_rel_type_id(PG_GETARG_OID(1)) ? 2 : 3;
	if (PG_ARGISNULL(n))
		PG_RETURN_NULL();
	PG_RETURN_DATUM(PG_GETARG_DATUM(n));
}

/* A constant argument's value, or NULL when it is not a non-NULL Const. */
static Const *
const_arg(List *args, int n, Oid typid)
{
	Node	   *arg = list_nth(args, n);

	if (!IsA(arg, Const) || ((Const *) arg)->constisnull ||
		((Const *) arg)->consttype != typid)
		return NULL;
	return (Const *) arg;
}

/*
 * Does every value of integer type from fit integer type to (another one)?
 * Then the planner may cast instead of calling the checking helper.
 */
static bool
integer_widens(Oid from, Oid to)
{
	return is_integer(from) && is_integer(to) &&
		(to == INT8OID || from == INT2OID);
}

/* key_of(value, ...) replaced, or NULL when it stays a call */
static Node *
simplify_key_of(FuncExpr *call)
{
	Node	   *value = linitial(call->args);
	Oid			valtype = exprType(value);
	Oid			keytype = call->funcresulttype;
	Const	   *about = const_arg(call->args, ARG_ABOUT, TEXTOID);
	Oid			relid;

	if (valtype == keytype)
		return value;
	if (integer_widens(valtype, keytype))
		return coerce_to_target_type(NULL, value, valtype, keytype, -1,
									 COERCION_IMPLICIT, COERCE_IMPLICIT_CAST, -1);
	/* a row of the key's table: its key column */
	if (about != NULL && !is_integer(valtype) && !is_builtin_string(valtype) &&
		OidIsValid(relid = typeidTypeRelid(valtype)))
	{
		char	   *fields[ABOUT_N];
		AttrNumber	attnum;
		Oid			atttype;
		int32		typmod;
		Oid			collid;
		FieldSelect *fs;

		about_parse(TextDatumGetCString(about->constvalue), fields, CurrentMemoryContext);
		if (relid != table_named(fields[ABOUT_SIDE]))
			return NULL;
		attnum = get_attnum(relid, fields[ABOUT_KEYCOL]);
		if (attnum == InvalidAttrNumber)
			return NULL;
		get_atttypetypmodcoll(relid, attnum, &atttype, &typmod, &collid);
		if (atttype != keytype)
			return NULL;
		fs = makeNode(FieldSelect);
		fs->arg = (Expr *) value;
		fs->fieldnum = attnum;
		fs->resulttype = atttype;
		fs->resulttypmod = typmod;
		fs->resultcollid = collid;
		return (Node *) fs;
	}
	return NULL;
}

/* keys_of(value, ...) replaced, or NULL when it stays a call */
static Node *
simplify_keys_of(FuncExpr *call)
{
	Node	   *value = linitial(call->args);
	Oid			valtype = exprType(value);
	Oid			arraytype = call->funcresulttype;
	Oid			valelem = get_element_type(valtype);
	Oid			keyelem = get_element_type(arraytype);

	if (valtype == arraytype)
		return value;
	if (integer_widens(valelem, keyelem))
		return coerce_to_target_type(NULL, value, valtype, arraytype, -1,
									 COERCION_IMPLICIT, COERCE_IMPLICIT_CAST, -1);
	return NULL;
}

/* if_row(value, side, if_row, otherwise) replaced by its branch */
static Node *
simplify_if_row(FuncExpr *call)
{
	Const	   *side = const_arg(call->args, 1, REGCLASSOID);

	if (side == NULL)
		return NULL;
	if (exprType(linitial(call->args)) == get_rel_type_id(DatumGetObjectId(side->constvalue)))
		return lthird(call->args);
	return lfourth(call->args);
}

/*
 * Planner support of key_of, keys_of and if_row (SupportRequestSimplify):
 * see the head of this file.
 */
Datum
assoc_key_support(PG_FUNCTION_ARGS)
{
	Node	   *rawreq = (Node *) PG_GETARG_POINTER(0);
	FuncExpr   *call;
	char	   *name;

	if (!IsA(rawreq, SupportRequestSimplify))
		PG_RETURN_POINTER(NULL);
	call = ((SupportRequestSimplify *) rawreq)->fcall;
	name = get_func_name(call->funcid);
	if (name == NULL)
		PG_RETURN_POINTER(NULL);
	if (strcmp(name, "if_row") == 0 && list_length(call->args) == 4)
		PG_RETURN_POINTER(simplify_if_row(call));
	if (list_length(call->args) != NARGS)
		PG_RETURN_POINTER(NULL);
	if (strcmp(name, "key_of") == 0)
		PG_RETURN_POINTER(simplify_key_of(call));
	if (strcmp(name, "keys_of") == 0)
		PG_RETURN_POINTER(simplify_keys_of(call));
	PG_RETURN_POINTER(NULL);
}

/*
 * The SQL functions of this file, row_loader.c's assoc.row_one and
 * writer_plan.c's assoc.run_writer, with
 * what they are for (the generated functions call them all):
 * assoc--0.1.0--0.2.0.sql creates them through create_key_helpers (so that
 * their definitions are written once, here).
 */
static const char *const key_helpers[][2] = {
	{"CREATE FUNCTION assoc.key_support(internal) RETURNS internal"
		" AS '$libdir/assoc', 'assoc_key_support' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE",
	"assoc.key_support(internal)"},
	{"CREATE FUNCTION assoc.key_of(value \"any\", keytype anyelement, about text,"
		" writer boolean) RETURNS anyelement"
		" AS '$libdir/assoc', 'assoc_key_of' LANGUAGE C IMMUTABLE PARALLEL SAFE"
		" SUPPORT assoc.key_support",
	"assoc.key_of(\"any\", anyelement, text, boolean)"},
	{"CREATE FUNCTION assoc.keys_of(value \"any\", keytype anyarray, about text,"
		" writer boolean) RETURNS anyarray"
		" AS '$libdir/assoc', 'assoc_keys_of' LANGUAGE C IMMUTABLE PARALLEL SAFE"
		" SUPPORT assoc.key_support",
	"assoc.keys_of(\"any\", anyarray, text, boolean)"},
	{"CREATE FUNCTION assoc.if_row(value \"any\", side regclass, if_row anyelement,"
		" otherwise anyelement) RETURNS anyelement"
		" AS '$libdir/assoc', 'assoc_if_row' LANGUAGE C IMMUTABLE PARALLEL SAFE"
		" SUPPORT assoc.key_support",
	"assoc.if_row(\"any\", regclass, anyelement, anyelement)"},
	/* the single-row readers' body (row_loader.c) */
	{"CREATE FUNCTION assoc.row_one_support(internal) RETURNS internal"
		" AS '$libdir/assoc', 'assoc_row_one_support' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE",
	"assoc.row_one_support(internal)"},
	{"CREATE FUNCTION assoc.row_one(rowtype anyelement, sql text, value \"any\")"
		" RETURNS anyelement AS '$libdir/assoc', 'assoc_row_one'"
		" LANGUAGE C STABLE PARALLEL RESTRICTED SUPPORT assoc.row_one_support",
	"assoc.row_one(anyelement, text, \"any\")"},
	/* the writers' body (writer_plan.c) */
	{"CREATE FUNCTION assoc.run_writer(rowtype anyelement, sql text, VARIADIC args \"any\")"
		" RETURNS anyelement AS '$libdir/assoc', 'assoc_run_writer' LANGUAGE C VOLATILE",
	"assoc.run_writer(anyelement, text, VARIADIC \"any\")"},
};

/*
 * The generated functions call key_of, keys_of and if_row, which the SQL
 * objects of assoc 0.1.0 lack: this module declaring or regenerating on a
 * database still at 0.1.0 (installed, not yet updated with ALTER EXTENSION
 * assoc UPDATE) creates them first, as members of the extension, which the
 * update then finds there.  Creating C functions takes a superuser; anyone
 * else is told to update.  Called with SPI connected.
 */
void
assoc_ensure_key_helpers(void)
{
	List	   *name = list_make2(makeString("assoc"), makeString("key_of"));

	if (OidIsValid(LookupFuncName(name, -1, NULL, true)))
		return;
	if (!superuser())
		ereport(ERROR,
				(errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
				 errmsg("the SQL objects of extension assoc are older than its module"),
				 errdetail("The functions assoc generates call assoc.key_of, which this version of the extension lacks."),
				 errhint("Run ALTER EXTENSION assoc UPDATE.")));
	for (int i = 0; i < (int) lengthof(key_helpers); i++)
	{
		assoc_spi_exec(key_helpers[i][0], SPI_OK_UTILITY);
		if (!creating_extension)
			assoc_spi_exec(psprintf("ALTER EXTENSION assoc ADD FUNCTION %s", key_helpers[i][1]),
						   SPI_OK_UTILITY);
	}
	CommandCounterIncrement();
}

/* assoc.create_key_helpers(): the update script's way to create them */
Datum
assoc_create_key_helpers(PG_FUNCTION_ARGS)
{
	SPI_connect();
	assoc_ensure_key_helpers();
	SPI_finish();
	PG_RETURN_VOID();
}
