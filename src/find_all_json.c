/*
 * find_all_json.c
 *	  Reading the JSON of find_all's options: accessors, descriptions of
 *	  values for messages, and the table of options.
 *
 * Every object of the options whose keys are options (the top level, an
 * include, {"all": ...}, "through", ...) is checked against one table,
 * options[] below, as postgres_fdw's option.c checks its options: which
 * options each object takes, the JSON types of each, and the hint that
 * lists the valid ones all come from it.  A value of the wrong JSON type is
 * an error when the option is read (fa_option), so that errors come in the
 * order the options are parsed.
 */
#include "postgres.h"

#include "lib/stringinfo.h"
#include "mb/pg_wchar.h"
#include "utils/builtins.h"
#include "utils/json.h"
#include "utils/jsonb.h"
#include "utils/numeric.h"

#include "find_all_int.h"
#include "scope.h"

/* The JSON types of a value, as bits (an option may take several). */
#define FA_JSON_NULL	(1 << 0)
#define FA_JSON_STRING	(1 << 1)
#define FA_JSON_NUMBER	(1 << 2)
#define FA_JSON_BOOL	(1 << 3)
#define FA_JSON_ARRAY	(1 << 4)
#define FA_JSON_OBJECT	(1 << 5)

/* An option: where it is allowed and what it may be. */
typedef struct FaOption
{
	const char *name;
	int			contexts;		/* FaOptContext bits: the objects taking it */
	int			types;			/* FA_JSON_* bits */
	const char *expected;		/* the types, for the message */
	const char *display;		/* the name in messages, when not name */
} FaOption;

#define FA_OPT_LEVEL (FA_OPT_TOP | FA_OPT_INCLUDE | FA_OPT_ALL)

/*
 * In the order the hints list them.  The options of an include that
 * {"all": ...} takes apply to each include it stands for.  An option's
 * value may be checked further where it is parsed (a limit is an integer,
 * "all" is true or association types).
 */
static const FaOption options[] = {
	{"association", FA_OPT_INCLUDE, FA_JSON_STRING, "a string naming an association"},
	{"as", FA_OPT_INCLUDE, FA_JSON_STRING, "a string naming an association"},
	{"model", FA_OPT_INCLUDE, FA_JSON_STRING, "a string naming a table or model"},
	{"all", FA_OPT_ALL, FA_JSON_BOOL | FA_JSON_STRING | FA_JSON_ARRAY,
	"true or association types"},
	{"nested", FA_OPT_ALL, FA_JSON_BOOL, "true or false"},
	{"where", FA_OPT_LEVEL, FA_JSON_OBJECT | FA_JSON_ARRAY, "an object"},
	{"required", FA_OPT_INCLUDE | FA_OPT_ALL, FA_JSON_BOOL, "true or false"},
	{"attributes", FA_OPT_LEVEL, FA_JSON_ARRAY | FA_JSON_OBJECT,
	"an array of column names"},
	{"order", FA_OPT_LEVEL, FA_JSON_ARRAY, "an array"},
	{"limit", FA_OPT_LEVEL, FA_JSON_NUMBER | FA_JSON_NULL, "a non-negative integer"},
	{"offset", FA_OPT_TOP, FA_JSON_NUMBER | FA_JSON_NULL, "a non-negative integer"},
	{"separate", FA_OPT_INCLUDE | FA_OPT_ALL, FA_JSON_BOOL, "true or false"},
	{"count", FA_OPT_INCLUDE, FA_JSON_STRING, "a string, the key of the count"},
	{"group", FA_OPT_TOP, FA_JSON_STRING | FA_JSON_ARRAY, "a column name or an array of them"},
	{"having", FA_OPT_TOP, FA_JSON_OBJECT | FA_JSON_ARRAY, "an object"},
	{"paranoid", FA_OPT_LEVEL, FA_JSON_BOOL, "true or false"},
	{"include", FA_OPT_TOP | FA_OPT_INCLUDE,
	FA_JSON_ARRAY | FA_JSON_STRING | FA_JSON_OBJECT, "an array of associations"},
	{"through", FA_OPT_INCLUDE, FA_JSON_OBJECT, "an object"},
	/* "through": {...} of a belongs_to_many include */
	{"attributes", FA_OPT_THROUGH, FA_JSON_ARRAY | FA_JSON_OBJECT,
	"an array of column names"},
	{"where", FA_OPT_THROUGH, FA_JSON_OBJECT | FA_JSON_ARRAY, "an object"},
	{"paranoid", FA_OPT_THROUGH, FA_JSON_BOOL, "true or false"},
	/* "attributes": {...} */
	{"include", FA_OPT_ATTRIBUTES, FA_JSON_ARRAY, "an array of [aggregate, key] pairs"},
	{"exclude", FA_OPT_ATTRIBUTES, FA_JSON_ARRAY, "an array of column names",
	"attributes.exclude"},
	/* an association of an order item: [{"association": "pugs"}, "name"] */
	{"association", FA_OPT_ORDER_ITEM, FA_JSON_STRING, "a string"},
	{"as", FA_OPT_ORDER_ITEM, FA_JSON_STRING, "a string"},
	{"model", FA_OPT_ORDER_ITEM, FA_JSON_STRING, "a string"},
	/* count and find_and_count_all (find_all reads and ignores them) */
	{"after", FA_OPT_TOP, FA_JSON_ARRAY | FA_JSON_STRING,
	"an array of the last row's order values or a cursor string"},
	{"cursor", FA_OPT_TOP, FA_JSON_BOOL, "true or false"},
	{"col", FA_OPT_TOP, FA_JSON_STRING, "a column name"},
	{"distinct", FA_OPT_TOP, FA_JSON_BOOL, "true or false"},
	/* Sequelize's shapes of rows: false, or true without includes */
	{"raw", FA_OPT_TOP, FA_JSON_BOOL, "true or false"},
	{"nest", FA_OPT_TOP, FA_JSON_BOOL, "true or false"},
	/* accepted and ignored: they change nothing in one statement */
	{"subQuery", FA_OPT_TOP, FA_JSON_BOOL, "true or false"},
	{"duplicating", FA_OPT_INCLUDE | FA_OPT_ALL, FA_JSON_BOOL, "true or false"},
	{"logging", FA_OPT_TOP, FA_JSON_BOOL | FA_JSON_NULL, "false, true or null"},
	{"benchmark", FA_OPT_TOP, FA_JSON_BOOL, "true or false"},
	{NULL}
};

bool
fa_json_is_object(JsonbValue *v)
{
	return v->type == jbvBinary && JsonContainerIsObject(v->val.binary.data);
}

bool
fa_json_is_array(JsonbValue *v)
{
	return v->type == jbvBinary && JsonContainerIsArray(v->val.binary.data) &&
		!JsonContainerIsScalar(v->val.binary.data);
}

bool
fa_json_is_scalar(JsonbValue *v)
{
	return v->type == jbvString || v->type == jbvNumeric || v->type == jbvBool;
}

char *
fa_json_scalar_text(JsonbValue *v)
{
	return assoc_json_scalar_text(v);
}

/* "a string: "ten"", "an array", ... for messages */
char *
fa_json_describe(JsonbValue *v)
{
	switch (v->type)
	{
		case jbvNull:
			return pstrdup("null");
		case jbvString:
			{
				StringInfoData buf;
				char	   *s = fa_json_scalar_text(v);

				initStringInfo(&buf);
				appendStringInfoString(&buf, "a string: ");
				if (strlen(s) > 60)
					s = psprintf("%.*s...", pg_mbcliplen(s, strlen(s), 57), s);
				escape_json(&buf, s);
				return buf.data;
			}
		case jbvNumeric:
			return psprintf("a number: %s", fa_json_scalar_text(v));
		case jbvBool:
			return psprintf("a boolean: %s", fa_json_scalar_text(v));
		case jbvBinary:
			if (fa_json_is_object(v))
				return pstrdup("an object");
			return pstrdup("an array");
		default:
			return pstrdup("a JSON value");
	}
}

/*
 * The members of a JSON container: of an object (want WJB_VALUE), JPair *
 * in the order jsonb keeps them; of an array (WJB_ELEM), JsonbValue *.
 */
static List *
json_members(JsonbValue *v, JsonbIteratorToken want)
{
	JsonbIterator *it = JsonbIteratorInit(v->val.binary.data);
	JsonbValue	jv;
	JsonbIteratorToken tok;
	List	   *result = NIL;
	char	   *key = NULL;

	while ((tok = JsonbIteratorNext(&it, &jv, true)) != WJB_DONE)
	{
		JsonbValue *member;

		if (tok == WJB_KEY)
			key = pnstrdup(jv.val.string.val, jv.val.string.len);
		if (tok != want)
			continue;
		member = palloc(sizeof(JsonbValue));
		*member = jv;
		if (want == WJB_VALUE)
		{
			JPair	   *p = palloc(sizeof(JPair));

			p->key = key;
			p->value = member;
			result = lappend(result, p);
		}
		else
			result = lappend(result, member);
	}
	return result;
}

/* The members of a JSON object (JPair *), in the order jsonb keeps them. */
List *
fa_json_pairs(JsonbValue *v)
{
	return json_members(v, WJB_VALUE);
}

/* The elements of a JSON array (JsonbValue *). */
List *
fa_json_elements(JsonbValue *v)
{
	return json_members(v, WJB_ELEM);
}

JsonbValue *
fa_pair_value(List *pairs, const char *key)
{
	ListCell   *lc;

	foreach(lc, pairs)
	{
		JPair	   *p = lfirst(lc);

		if (strcmp(p->key, key) == 0)
			return p->value;
	}
	return NULL;
}

char *
fa_join_names(const char *const *names)
{
	StringInfoData buf;

	initStringInfo(&buf);
	for (int i = 0; names[i]; i++)
		appendStringInfo(&buf, "%s%s", i > 0 ? ", " : "", names[i]);
	return buf.data;
}

static int
json_type(JsonbValue *v)
{
	switch (v->type)
	{
		case jbvNull:
			return FA_JSON_NULL;
		case jbvString:
			return FA_JSON_STRING;
		case jbvNumeric:
			return FA_JSON_NUMBER;
		case jbvBool:
			return FA_JSON_BOOL;
		default:
			if (fa_json_is_object(v))
				return FA_JSON_OBJECT;
			if (fa_json_is_array(v))
				return FA_JSON_ARRAY;
			return 0;
	}
}

/* The option of that name that an object of the context takes, or NULL. */
static const FaOption *
find_option(const char *name, FaOptContext context)
{
	for (const FaOption *o = options; o->name; o++)
		if ((o->contexts & context) && strcmp(o->name, name) == 0)
			return o;
	return NULL;
}

/* Every key of an options object must be an option of its context. */
void
fa_check_options(List *pairs, FaOptContext context, const char *label)
{
	ListCell   *lc;

	foreach(lc, pairs)
	{
		JPair	   *p = lfirst(lc);

		if (find_option(p->key, context) == NULL)
		{
			StringInfoData valid;

			initStringInfo(&valid);
			for (const FaOption *o = options; o->name; o++)
				if (o->contexts & context)
					appendStringInfo(&valid, "%s%s", valid.len > 0 ? ", " : "",
									 o->name);
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("unknown option \"%s\" in %s", p->key, label),
					 errhint("Valid options are: %s.", valid.data)));
		}
	}
}

/*
 * The value of an option in an object of the context (checked by
 * fa_check_options), NULL when it is not there; an error when it is not of
 * a JSON type the option takes.  label is where it is, for the message.
 */
JsonbValue *
fa_option(List *pairs, FaOptContext context, const char *name,
		  const char *label)
{
	const FaOption *o = find_option(name, context);
	JsonbValue *v;

	if (o == NULL)
		elog(ERROR, "find_all has no option \"%s\" in context %d", name, (int) context);
	v = fa_pair_value(pairs, name);
	if (v != NULL && !(json_type(v) & o->types))
		fa_wrong_type(o->display ? o->display : o->name, label, o->expected, v);
	return v;
}

/* The error for the value v of an option, which is not what it must be. */
void
fa_wrong_type(const char *option, const char *label, const char *expected,
			  JsonbValue *v)
{
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("option \"%s\" in %s must be %s", option, label, expected),
			 errdetail("It is %s.", fa_json_describe(v))));
}

/*
 * A non-negative integer (limit, offset); -1 for null.  v is a number or
 * null (fa_option checked it).
 */
int64
fa_json_count(JsonbValue *v, const char *option, const char *label)
{
	char	   *s;
	char	   *p;
	char	   *end;
	int64		result;

	if (v->type == jbvNull)
		return -1;
	s = fa_json_scalar_text(v);
	/* digits, and at most a fraction of zeros (20.0) */
	for (p = s; *p >= '0' && *p <= '9'; p++)
		;
	if (*p == '.')
	{
		char	   *q = p + 1;

		while (*q == '0')
			q++;
		if (*q == '\0')
			*p = '\0';
	}
	errno = 0;
	result = strtoi64(s, &end, 10);
	if (p == s || *end != '\0' || errno != 0)
		fa_wrong_type(option, label, "a non-negative integer", v);
	return result;
}
