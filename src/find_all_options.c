/*
 * find_all_options.c
 *	  The options of assoc.find_all, Sequelize's findAll options in JSON,
 *	  parsed and checked into a tree of FaNode (find_all.h).
 *
 * Everything the caller names is resolved here, against the catalog and the
 * system catalogs: associations, columns, operators; every value is passed
 * through its column's input function.  An error names the option and the
 * include it was found in.  Nothing here writes SQL: find_all_deparse.c
 * does, from the tree alone.
 *
 * Semantics, where Sequelize 6 (6.37.8, observed) is odd or silent:
 *
 * - Key order of an instance: Sequelize prints the attributes in the order
 *   the "attributes" list gives them ({"attributes": ["name", "id"]} gives
 *   {"name":...,"id":...}); without a list, in table column order.  We do
 *   the same.  A column named twice is printed once.
 * - An include with "where" is required unless "required": false.  As in
 *   Sequelize (required = !!where), an empty "where": {} makes it required.
 * - "separate" (and "limit" on an include, which implies it in Sequelize) is
 *   only allowed on has_many, as in Sequelize.  A separate include is a
 *   second query in Sequelize, so its "where" and "required" never filter
 *   the parents: we keep that.  Sequelize also adds the source key to the
 *   parent's explicit attribute list, where it shows in the JSON
 *   ({"attributes": ["name"]} gives {"name":...,"id":...}); we copy that
 *   for the top level, where it was observed.
 * - Include-level "order" (ignored by Sequelize unless separate) always
 *   orders that include's rows; ordering is otherwise undefined in Sequelize.
 * - Order on a column of an include: Sequelize sorts the joined rows, which
 *   orders each array by that column and each parent by its first joined
 *   row.  We compute exactly that: the parent's key is the value of the
 *   first row of the include (under the keys of the order that reach into
 *   it), NULL when there is none.  Primary keys break every tie.
 * - A page (top-level limit/offset) is the slice of the full ordering.
 *   Sequelize picks the page's parents by the top-level keys only and
 *   reorders them by include keys afterwards; the same when the order names
 *   only top-level columns, which is the common case.
 * - has_one with several matching rows: Sequelize repeats the parent once
 *   per row; we give the parent once, with the first row by the include's
 *   order (primary key by default).
 * - Include by "model" picks the parent's association whose target is that
 *   table (table name, "schema.table", or model name in any case: "pugs",
 *   "pug", "Pug"); an error when there is none or several.  Sequelize also
 *   refuses a model-only include of an association declared with an alias;
 *   we accept it when it is the only association with that table.
 * - {"all": true, "nested": true} follows Sequelize's _expandIncludeAll to
 *   the letter, including which models are skipped as already on the path;
 *   the other options of that object (required, where, attributes, ...)
 *   apply to every include it stands for, as in Sequelize.
 * - A column object with several operators is the AND of them; Sequelize
 *   keeps only "$or" (or "$and") when one is there and silently drops the
 *   rest.  Empty "$or": [] is false, empty "$and" is true, "$in": [] is false
 *   and "$notIn": [] is true, as in Sequelize.
 * - "$not": [1, 2] is "$notIn", "$not": null/true/false is IS NOT, any
 *   other "$not": v is "$ne": v, as in Sequelize; "$not": [] is no
 *   condition, like "$notIn": [].
 * - Values are checked by the column type's input function, so
 *   {"id": "abc"} fails here, naming the column, instead of at execution.
 *   A string is compared with a column of any type through that type's
 *   input ("5" matches an integer 5); Sequelize would send '5' too.
 *   LIKE and its kin are PostgreSQL's own (pg_catalog), for text-like
 *   columns; a column type without them gets an error.
 * - "limit": 0 on an include gives empty arrays (Sequelize, for which 0 is
 *   false, ignores it); at the top level it gives no rows, as in Sequelize.
 * - A key of a where object that starts with $ is a column when the table
 *   has a column of that name ("$1"), else an operator or an error.
 * - belongs_to_many: each target carries its through row as its last key
 *   (after its own includes, as Sequelize pushes the through include last)
 *   under the through table's model name (the loaders' name, see
 *   codegen_btm.c).  "through": {"attributes"} picks its keys as
 *   "attributes" does (list order, or {"exclude"}); [] leaves the key out,
 *   as in Sequelize.  "through": {"where"} filters the links (Sequelize puts
 *   it in the ON of the through/target join) but, unlike the include's own
 *   "where", does not make the include required (Sequelize: required =
 *   !!include.where only).
 * - Order by a column of a through table: [..., "courses", "enrollment",
 *   "grade", "DESC"], the through model (its model name, table name or
 *   {"model": ...}) right after the belongs_to_many include, then one of
 *   its columns; at an include's own "order", ["enrollment", "grade"].
 *   Sequelize takes the through model itself there ([Course, Enrollment,
 *   "grade"], ORDER BY "courses->enrollment"."grade"; its name as a string
 *   gives it a broken identifier), and sorts the joined rows by it: as for
 *   any include column, the arrays by the links' values, the parents by
 *   their first link's.  An included association of the same name wins.
 */
#include "postgres.h"

#include "miscadmin.h"

#include "access/htup_details.h"
#include "access/stratnum.h"
#include "access/table.h"
#include "catalog/pg_index.h"
#include "catalog/pg_type.h"
#include "lib/stringinfo.h"
#include "mb/pg_wchar.h"
#include "nodes/value.h"
#include "parser/parse_oper.h"
#include "utils/builtins.h"
#include "utils/json.h"
#include "utils/jsonb.h"
#include "utils/lsyscache.h"
#include "utils/numeric.h"
#include "utils/rel.h"
#include "utils/syscache.h"
#include "utils/typcache.h"

#include "catalog.h"
#include "ddl.h"
#include "find_all.h"
#include "naming.h"

/* A key and its value in a JSON object. */
typedef struct JPair
{
	char	   *key;
	JsonbValue *value;
} JPair;

typedef struct FaParse
{
	int			nnodes;			/* includes so far, "all" expansions too */
} FaParse;

/* more includes than this is a runaway {"all": true, "nested": true} */
#define MAX_INCLUDES 1000

static const char *const top_options[] = {
	"where", "attributes", "order", "limit", "offset", "include", NULL
};
static const char *const include_options[] = {
	"association", "as", "model", "where", "required", "attributes", "order",
	"limit", "separate", "include", "through", NULL
};
/* {"all": ...}: the include options that apply to each include it yields */
static const char *const all_options[] = {
	"all", "nested", "where", "required", "attributes", "order", "limit",
	"separate", NULL
};
static const char *const through_options[] = {"attributes", "where", NULL};

/* Sequelize's directions, as its query generator accepts them */
static const char *const directions[] = {
	"ASC", "DESC", "ASC NULLS LAST", "DESC NULLS LAST", "ASC NULLS FIRST",
	"DESC NULLS FIRST", "NULLS FIRST", "NULLS LAST", NULL
};

typedef struct OpName
{
	const char *name;
	FaOp		op;
	bool		is_not;			/* $not, resolved by its value */
} OpName;

static const OpName op_names[] = {
	{"$eq", FA_OP_EQ, false},
	{"$ne", FA_OP_NE, false},
	{"$gt", FA_OP_GT, false},
	{"$gte", FA_OP_GTE, false},
	{"$lt", FA_OP_LT, false},
	{"$lte", FA_OP_LTE, false},
	{"$in", FA_OP_IN, false},
	{"$notIn", FA_OP_NOT_IN, false},
	{"$like", FA_OP_LIKE, false},
	{"$notLike", FA_OP_NOT_LIKE, false},
	{"$iLike", FA_OP_ILIKE, false},
	{"$notILike", FA_OP_NOT_ILIKE, false},
	{"$between", FA_OP_BETWEEN, false},
	{"$notBetween", FA_OP_NOT_BETWEEN, false},
	{"$is", FA_OP_IS, false},
	{"$not", FA_OP_IS_NOT, true},
	{NULL, FA_OP_EQ, false}
};

#define OPERATOR_LIST "$eq, $ne, $gt, $gte, $lt, $lte, $in, $notIn, $like, $notLike, $iLike, $notILike, $between, $notBetween, $is, $not, and $or, $and"

static void parse_level(FaParse *ps, FaNode *node, List *pairs);
static void parse_includes(FaParse *ps, FaNode *node, JsonbValue *v);

/* how deep includes may nest */
#define FA_MAX_INCLUDE_DEPTH 16
static FaCond *where_items(FaParse *ps, FaNode *node, JsonbValue *v,
						   FaCondKind binding);
static FaCond *column_value(FaParse *ps, FaNode *node, AssocColumn *col,
							JsonbValue *v);

/* ---------------------------------------------------------------------
 * JSON
 * ---------------------------------------------------------------------
 */

static bool
json_is_object(JsonbValue *v)
{
	return v->type == jbvBinary && JsonContainerIsObject(v->val.binary.data);
}

static bool
json_is_array(JsonbValue *v)
{
	return v->type == jbvBinary && JsonContainerIsArray(v->val.binary.data) &&
		!JsonContainerIsScalar(v->val.binary.data);
}

static bool
json_is_scalar(JsonbValue *v)
{
	return v->type == jbvString || v->type == jbvNumeric || v->type == jbvBool;
}

static char *
json_scalar_text(JsonbValue *v)
{
	switch (v->type)
	{
		case jbvString:
			return pnstrdup(v->val.string.val, v->val.string.len);
		case jbvNumeric:
			return DatumGetCString(DirectFunctionCall1(numeric_out,
													   NumericGetDatum(v->val.numeric)));
		case jbvBool:
			return pstrdup(v->val.boolean ? "true" : "false");
		default:
			return NULL;
	}
}

/* "a string: "ten"", "an array", ... for messages */
static char *
json_describe(JsonbValue *v)
{
	switch (v->type)
	{
		case jbvNull:
			return pstrdup("null");
		case jbvString:
			{
				StringInfoData buf;
				char	   *s = json_scalar_text(v);

				initStringInfo(&buf);
				appendStringInfoString(&buf, "a string: ");
				if (strlen(s) > 60)
					s = psprintf("%.*s...", pg_mbcliplen(s, strlen(s), 57), s);
				escape_json(&buf, s);
				return buf.data;
			}
		case jbvNumeric:
			return psprintf("a number: %s", json_scalar_text(v));
		case jbvBool:
			return psprintf("a boolean: %s", json_scalar_text(v));
		case jbvBinary:
			if (json_is_object(v))
				return pstrdup("an object");
			return pstrdup("an array");
		default:
			return pstrdup("a JSON value");
	}
}

/* The members of a JSON object, in the order jsonb keeps them. */
static List *
json_pairs(JsonbValue *v)
{
	JsonbIterator *it = JsonbIteratorInit(v->val.binary.data);
	JsonbValue	jv;
	JsonbIteratorToken tok;
	List	   *result = NIL;
	char	   *key = NULL;

	while ((tok = JsonbIteratorNext(&it, &jv, true)) != WJB_DONE)
	{
		if (tok == WJB_KEY)
			key = pnstrdup(jv.val.string.val, jv.val.string.len);
		else if (tok == WJB_VALUE)
		{
			JPair	   *p = palloc(sizeof(JPair));

			p->key = key;
			p->value = palloc(sizeof(JsonbValue));
			*p->value = jv;
			result = lappend(result, p);
		}
	}
	return result;
}

/* The elements of a JSON array. */
static List *
json_elements(JsonbValue *v)
{
	JsonbIterator *it = JsonbIteratorInit(v->val.binary.data);
	JsonbValue	jv;
	JsonbIteratorToken tok;
	List	   *result = NIL;

	while ((tok = JsonbIteratorNext(&it, &jv, true)) != WJB_DONE)
	{
		if (tok == WJB_ELEM)
		{
			JsonbValue *e = palloc(sizeof(JsonbValue));

			*e = jv;
			result = lappend(result, e);
		}
	}
	return result;
}

static JsonbValue *
pair_value(List *pairs, const char *key)
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

static char *
join_names(const char *const *names)
{
	StringInfoData buf;

	initStringInfo(&buf);
	for (int i = 0; names[i]; i++)
		appendStringInfo(&buf, "%s%s", i > 0 ? ", " : "", names[i]);
	return buf.data;
}

static bool
name_in(const char *name, const char *const *names)
{
	for (int i = 0; names[i]; i++)
		if (strcmp(name, names[i]) == 0)
			return true;
	return false;
}

/* Every key of an options object must be a known option. */
static void
check_keys(List *pairs, const char *const *valid, const char *label)
{
	ListCell   *lc;

	foreach(lc, pairs)
	{
		JPair	   *p = lfirst(lc);

		if (!name_in(p->key, valid))
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("unknown option \"%s\" in %s", p->key, label),
					 errhint("Valid options are: %s.", join_names(valid))));
	}
}

static void
wrong_type(const char *option, const char *label, const char *expected,
		   JsonbValue *v)
{
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("option \"%s\" in %s must be %s", option, label, expected),
			 errdetail("It is %s.", json_describe(v))));
}

static bool
json_bool(JsonbValue *v, const char *option, const char *label)
{
	if (v->type != jbvBool)
		wrong_type(option, label, "true or false", v);
	return v->val.boolean;
}

/* A non-negative integer (limit, offset); -1 for null. */
static int64
json_count(JsonbValue *v, const char *option, const char *label)
{
	char	   *s;
	char	   *p;
	char	   *end;
	int64		result;

	if (v->type == jbvNull)
		return -1;
	if (v->type != jbvNumeric)
		wrong_type(option, label, "a non-negative integer", v);
	s = json_scalar_text(v);
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
		wrong_type(option, label, "a non-negative integer", v);
	return result;
}

/* ---------------------------------------------------------------------
 * Tables
 * ---------------------------------------------------------------------
 */

static char *
column_names(FaTable *ti)
{
	StringInfoData buf;
	ListCell   *lc;

	initStringInfo(&buf);
	foreach(lc, ti->columns)
		appendStringInfo(&buf, "%s%s", buf.len > 0 ? ", " : "",
						 ((AssocColumn *) lfirst(lc))->name);
	return buf.data;
}

static char *
assoc_names(List *assocs)
{
	StringInfoData buf;
	ListCell   *lc;

	initStringInfo(&buf);
	foreach(lc, assocs)
		appendStringInfo(&buf, "%s%s", buf.len > 0 ? ", " : "",
						 ((Association *) lfirst(lc))->alias);
	return buf.data;
}

/* The table's column of that name, or NULL. */
static AssocColumn *
lookup_column(FaTable *ti, const char *name)
{
	ListCell   *lc;

	foreach(lc, ti->columns)
		if (strcmp(((AssocColumn *) lfirst(lc))->name, name) == 0)
			return lfirst(lc);
	return NULL;
}

static bool
has_column(FaTable *ti, const char *name)
{
	return lookup_column(ti, name) != NULL;
}

/* A column of the node's table; "where" says where it was named. */
static AssocColumn *
find_column(FaParse *ps, FaNode *node, const char *name, const char *where)
{
	FaTable    *ti = fa_cache_table(node->table);
	AssocColumn *col = lookup_column(ti, name);

	if (col != NULL)
		return col;
	ereport(ERROR,
			(errcode(ERRCODE_UNDEFINED_COLUMN),
			 errmsg("column \"%s\" of table %s does not exist", name,
					node->table->qualname),
			 errdetail("It is named in %s of %s.", where, node->label),
			 errhint("Columns of %s are: %s.", node->table->qualname,
					 column_names(ti))));
	return NULL;				/* keep compiler quiet */
}

/* ---------------------------------------------------------------------
 * Associations
 * ---------------------------------------------------------------------
 */

/* Does a model name given by the caller name this table? */
static bool
model_matches(AssocTable *t, const char *name)
{
	return strcmp(t->relname, name) == 0 ||
		strcmp(t->model, name) == 0 ||
		pg_strcasecmp(t->model, name) == 0 ||
		pg_strcasecmp(t->relname, name) == 0 ||
		strcmp(t->qualname, name) == 0 ||
		strcmp(psprintf("%s.%s", t->nspname, t->relname), name) == 0;
}

/* Was the alias derived (Sequelize: declared without "as")? */
static bool
alias_is_default(Association *a)
{
	if (a->kind == ASSOC_HAS_MANY || a->kind == ASSOC_BELONGS_TO_MANY)
		return strcmp(a->alias, assoc_pluralize(a->target->model)) == 0;
	return strcmp(a->alias, a->target->model) == 0;
}

/* The association of the parent named alias, or an error that helps. */
static Association *
find_association(FaParse *ps, FaNode *parent, const char *alias,
				 const char *where)
{
	FaTable    *ti = fa_cache_table(parent->table);
	List	   *assocs = fa_cache_associations(ti);
	List	   *others;
	Association *other = NULL;
	Association *via = NULL;
	ListCell   *lc;
	ListCell   *lc2;

	foreach(lc, assocs)
	{
		Association *a = lfirst(lc);

		if (strcmp(a->alias, alias) == 0)
			return a;
	}

	/*
	 * An association of another table: say which, and how to reach it.
	 * Prefer a table the parent reaches in one step, then one in the same
	 * schema.
	 */
	others = assoc_catalog_with_alias(alias);
	foreach(lc, others)
	{
		Association *o = lfirst(lc);

		foreach(lc2, assocs)
		{
			Association *a = lfirst(lc2);

			if (via == NULL && a->target->relid == o->source->relid)
			{
				other = o;
				via = a;
			}
		}
	}
	foreach(lc, others)
	{
		Association *o = lfirst(lc);

		if (other == NULL && strcmp(o->source->nspname, parent->table->nspname) == 0)
			other = o;
	}
	if (other == NULL && others != NIL)
		other = linitial(others);
	if (via != NULL)
		ereport(ERROR,
				(errcode(ERRCODE_UNDEFINED_OBJECT),
				 errmsg("table %s has no association \"%s\"",
						parent->table->qualname, alias),
				 errdetail("\"%s\" is an association of table %s, named in %s of %s.",
						   alias, other->source->qualname, where, parent->label),
				 errhint("Include it inside include \"%s\": {\"association\": \"%s\", \"include\": [\"%s\"]}.",
						 via->alias, via->alias, alias)));
	if (other != NULL)
		ereport(ERROR,
				(errcode(ERRCODE_UNDEFINED_OBJECT),
				 errmsg("table %s has no association \"%s\"",
						parent->table->qualname, alias),
				 errdetail("\"%s\" is an association of table %s, named in %s of %s.",
						   alias, other->source->qualname, where, parent->label),
				 assocs == NIL ?
				 errhint("Table %s has no associations.", parent->table->qualname) :
				 errhint("Associations of %s are: %s.", parent->table->qualname,
						 assoc_names(assocs))));
	ereport(ERROR,
			(errcode(ERRCODE_UNDEFINED_OBJECT),
			 errmsg("table %s has no association \"%s\"",
					parent->table->qualname, alias),
			 errdetail("It is named in %s of %s.", where, parent->label),
			 assocs == NIL ?
			 errhint("Table %s has no associations: declare one with assoc.has_many, assoc.has_one or assoc.belongs_to.",
					 parent->table->qualname) :
			 errhint("Associations of %s are: %s.", parent->table->qualname,
					 assoc_names(assocs))));
	return NULL;				/* keep compiler quiet */
}

/* The association of the parent with the table a model name names. */
static Association *
find_association_by_model(FaParse *ps, FaNode *parent, const char *model,
						  const char *where)
{
	FaTable    *ti = fa_cache_table(parent->table);
	List	   *assocs = fa_cache_associations(ti);
	List	   *found = NIL;
	ListCell   *lc;

	foreach(lc, assocs)
	{
		Association *a = lfirst(lc);

		if (model_matches(a->target, model))
			found = lappend(found, a);
	}
	if (list_length(found) == 1)
		return linitial(found);
	if (found == NIL)
		ereport(ERROR,
				(errcode(ERRCODE_UNDEFINED_OBJECT),
				 errmsg("table %s has no association with model \"%s\"",
						parent->table->qualname, model),
				 errdetail("It is named in %s of %s.", where, parent->label),
				 assocs == NIL ?
				 errhint("Table %s has no associations.", parent->table->qualname) :
				 errhint("Associations of %s are: %s.", parent->table->qualname,
						 assoc_names(assocs))));
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("table %s has several associations with model \"%s\"",
					parent->table->qualname, model),
			 errdetail("They are: %s; %s names the model only.",
					   assoc_names(found), where),
			 errhint("Name one of them with \"association\" (or \"as\").")));
	return NULL;				/* keep compiler quiet */
}

/* A new include node for association a under parent. */
static FaNode *
new_node(FaParse *ps, FaNode *parent, Association *a)
{
	FaNode	   *n = palloc0(sizeof(FaNode));
	FaTable    *ti;

	n->parent = parent;
	n->assoc = a;
	n->limit = -1;
	n->emit = true;
	n->table = a->target;
	n->path = parent->path ? psprintf("%s.%s", parent->path, a->alias) : pstrdup(a->alias);
	n->label = psprintf("include \"%s\"", n->path);

	if (++ps->nnodes > MAX_INCLUDES)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("find_all options include more than %d associations", MAX_INCLUDES),
				 errdetail("The limit was reached at %s.", n->label),
				 errhint("Name the includes you need instead of {\"all\": true, \"nested\": true}.")));
	ti = fa_cache_table(n->table);
	n->table = ti->table;
	n->columns = list_copy(ti->columns);
	n->all_columns = ti->columns;
	n->pkey = ti->pkey;

	/*
	 * belongs_to_many joins through a third table; each target carries its
	 * through row (all the columns by default, in table order) under the
	 * through table's model name, as the generated loaders do.
	 */
	if (a->kind == ASSOC_BELONGS_TO_MANY)
	{
		FaNode	   *h = palloc0(sizeof(FaNode));
		FaTable    *hi = fa_cache_table(a->through);

		h->parent = n;
		h->assoc = a;
		h->limit = -1;
		h->emit = true;
		h->table = hi->table;
		h->path = n->path;
		h->label = psprintf("\"through\" of %s", n->label);
		h->columns = list_copy(hi->columns);
		h->all_columns = hi->columns;
		h->pkey = hi->pkey;
		n->through = h;
	}
	return n;
}

/* ---------------------------------------------------------------------
 * where
 * ---------------------------------------------------------------------
 */

static FaCond *
make_bool(FaCondKind kind, List *args)
{
	FaCond	   *c;
	List	   *kept = NIL;
	ListCell   *lc;

	/* a NULL condition is an empty one: true */
	foreach(lc, args)
		if (lfirst(lc) != NULL)
			kept = lappend(kept, lfirst(lc));
	if (kept == NIL)
	{
		if (kind == FA_COND_AND)
			return NULL;
		/* Sequelize: an empty $or (or $not) is "0 = 1" */
		c = palloc0(sizeof(FaCond));
		c->kind = FA_COND_CONST;
		c->constval = false;
		return c;
	}
	if (kind == FA_COND_NOT)
	{
		c = palloc0(sizeof(FaCond));
		c->kind = FA_COND_NOT;
		c->args = list_make1(list_length(kept) == 1 ? linitial(kept) :
							 make_bool(FA_COND_AND, kept));
		return c;
	}
	if (list_length(kept) == 1)
		return linitial(kept);
	c = palloc0(sizeof(FaCond));
	c->kind = kind;
	c->args = kept;
	return c;
}

static FaCond *
cond_const(bool value)
{
	FaCond	   *c = palloc0(sizeof(FaCond));

	c->kind = FA_COND_CONST;
	c->constval = value;
	return c;
}

typedef struct ValueContext
{
	AssocColumn *col;
	FaNode	   *node;
} ValueContext;

static void
value_context(void *arg)
{
	ValueContext *vc = arg;

	errcontext("value for column \"%s\" of table %s in \"where\" of %s",
			   vc->col->name, vc->node->table->qualname, vc->node->label);
}

/* The value must be valid input for the column's type. */
static void
check_value(FaNode *node, AssocColumn *col, const char *value)
{
	ErrorContextCallback cb;
	ValueContext vc;
	Oid			infunc;
	Oid			ioparam;

	if (value == NULL)
		return;
	vc.col = col;
	vc.node = node;
	cb.callback = value_context;
	cb.arg = &vc;
	cb.previous = error_context_stack;
	error_context_stack = &cb;
	getTypeInputInfo(col->typid, &infunc, &ioparam);
	(void) OidInputFunctionCall(infunc, (char *) value, ioparam, -1);
	error_context_stack = cb.previous;
}

static const char *
op_display(FaOp op)
{
	for (int i = 0; op_names[i].name; i++)
		if (op_names[i].op == op && !op_names[i].is_not)
			return op_names[i].name;
	return "$not";
}

static void
no_operator(FaNode *node, AssocColumn *col, FaOp op)
{
	ereport(ERROR,
			(errcode(ERRCODE_UNDEFINED_FUNCTION),
			 errmsg("operator %s cannot be applied to column \"%s\" of table %s",
					op_display(op), col->name, node->table->qualname),
			 errdetail("The column is of type %s, which has no such operator; it is used in \"where\" of %s.",
					   format_type_be(col->typid), node->label)));
}

/* A btree comparison of the column's type by strategy number. */
static Oid
btree_operator(FaNode *node, AssocColumn *col, FaOp op, int16 strategy)
{
	TypeCacheEntry *tce = lookup_type_cache(col->typid, TYPECACHE_BTREE_OPFAMILY);
	Oid			opno = InvalidOid;

	if (OidIsValid(tce->btree_opf))
		opno = get_opfamily_member(tce->btree_opf, tce->btree_opintype,
								   tce->btree_opintype, strategy);
	if (!OidIsValid(opno))
		no_operator(node, col, op);
	return opno;
}

/*
 * The operator of a comparison, taken from the type's default operator
 * classes (never found by name on a search_path), so that a look-alike
 * operator somebody defines cannot be picked.  LIKE and its kin have no
 * operator class: PostgreSQL's own, in pg_catalog, are resolved for the
 * column's type.
 */
static Oid
resolve_operator(FaNode *node, AssocColumn *col, FaOp op)
{
	const char *likename = NULL;
	TypeCacheEntry *tce;
	Operator	tup;
	Oid			opno;

	switch (op)
	{
		case FA_OP_EQ:
		case FA_OP_IN:
		case FA_OP_NE:
		case FA_OP_NOT_IN:
			tce = lookup_type_cache(col->typid, TYPECACHE_EQ_OPR);
			opno = tce->eq_opr;
			if (OidIsValid(opno) && (op == FA_OP_NE || op == FA_OP_NOT_IN))
				opno = get_negator(opno);
			if (!OidIsValid(opno))
				no_operator(node, col, op);
			return opno;
		case FA_OP_LT:
			return btree_operator(node, col, op, BTLessStrategyNumber);
		case FA_OP_LTE:
			return btree_operator(node, col, op, BTLessEqualStrategyNumber);
		case FA_OP_GT:
			return btree_operator(node, col, op, BTGreaterStrategyNumber);
		case FA_OP_GTE:
			return btree_operator(node, col, op, BTGreaterEqualStrategyNumber);
		case FA_OP_LIKE:
			likename = "~~";
			break;
		case FA_OP_NOT_LIKE:
			likename = "!~~";
			break;
		case FA_OP_ILIKE:
			likename = "~~*";
			break;
		case FA_OP_NOT_ILIKE:
			likename = "!~~*";
			break;
		default:
			elog(ERROR, "operator %d has no single operator", (int) op);
	}
	tup = oper(NULL, list_make2(makeString("pg_catalog"), makeString((char *) likename)),
			   col->typid, col->typid, true, -1);
	if (tup == NULL)
		no_operator(node, col, op);
	opno = oprid(tup);
	ReleaseSysCache(tup);
	return opno;
}

static FaCond *
make_compare(FaNode *node, AssocColumn *col, FaOp op, List *values)
{
	FaCond	   *c = palloc0(sizeof(FaCond));
	ListCell   *lc;

	c->kind = FA_COND_COMPARE;
	c->column = col;
	c->op = op;
	c->values = values;
	switch (op)
	{
		case FA_OP_BETWEEN:
			c->opno = btree_operator(node, col, op, BTGreaterEqualStrategyNumber);
			c->opno2 = btree_operator(node, col, op, BTLessEqualStrategyNumber);
			break;
		case FA_OP_NOT_BETWEEN:
			c->opno = btree_operator(node, col, op, BTLessStrategyNumber);
			c->opno2 = btree_operator(node, col, op, BTGreaterStrategyNumber);
			break;
		case FA_OP_IS:
		case FA_OP_IS_NOT:
			break;
		default:
			c->opno = resolve_operator(node, col, op);
			break;
	}
	foreach(lc, values)
		check_value(node, col, lfirst(lc));
	return c;
}

static FaCond *
make_is(FaNode *node, AssocColumn *col, FaOp op, JsonbValue *v)
{
	FaCond	   *c = make_compare(node, col, op, NIL);

	if (v->type == jbvNull)
		c->is_what = FA_IS_NULL;
	else if (v->type == jbvBool)
	{
		c->is_what = v->val.boolean ? FA_IS_TRUE : FA_IS_FALSE;
		if (getBaseType(col->typid) != BOOLOID)
			ereport(ERROR,
					(errcode(ERRCODE_DATATYPE_MISMATCH),
					 errmsg("%s %s needs a boolean column, but column \"%s\" of table %s is of type %s",
							op == FA_OP_IS ? "$is" : "$not",
							v->val.boolean ? "true" : "false", col->name,
							node->table->qualname, format_type_be(col->typid)),
					 errdetail("It is used in \"where\" of %s.", node->label)));
	}
	else
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("value of %s for column \"%s\" in \"where\" of %s must be null, true or false",
						op == FA_OP_IS ? "$is" : "$not", col->name, node->label),
				 errdetail("It is %s.", json_describe(v))));
	return c;
}

/* A list of values for $in, $notIn, $between: scalars or nulls. */
static List *
value_list(FaNode *node, AssocColumn *col, const char *opname, JsonbValue *v,
		   int exactly)
{
	List	   *values = NIL;
	List	   *elems;
	ListCell   *lc;

	if (!json_is_array(v))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("value of %s for column \"%s\" in \"where\" of %s must be an array",
						opname, col->name, node->label),
				 errdetail("It is %s.", json_describe(v))));
	elems = json_elements(v);
	if (exactly > 0 && list_length(elems) != exactly)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("value of %s for column \"%s\" in \"where\" of %s must be an array of %d values",
						opname, col->name, node->label, exactly),
				 errdetail("It has %d.", list_length(elems))));
	foreach(lc, elems)
	{
		JsonbValue *e = lfirst(lc);

		if (e->type != jbvNull && !json_is_scalar(e))
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("values of %s for column \"%s\" in \"where\" of %s must be strings, numbers, booleans or null",
							opname, col->name, node->label),
					 errdetail("One is %s.", json_describe(e))));
		values = lappend(values, json_scalar_text(e));
	}
	return values;
}

static char *
single_value(FaNode *node, AssocColumn *col, const char *opname, JsonbValue *v)
{
	if (v->type != jbvNull && !json_is_scalar(v))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("value of %s for column \"%s\" in \"where\" of %s must be a string, a number, a boolean or null",
						opname, col->name, node->label),
				 errdetail("It is %s.", json_describe(v))));
	return json_scalar_text(v);
}

/* One operator applied to a column: {"$gt": 5} */
static FaCond *
column_op(FaParse *ps, FaNode *node, AssocColumn *col, const char *opname,
		  JsonbValue *v)
{
	const OpName *on = NULL;

	if (strcmp(opname, "$or") == 0 || strcmp(opname, "$and") == 0)
	{
		FaCondKind kind = opname[1] == 'o' ? FA_COND_OR : FA_COND_AND;
		List	   *args = NIL;
		ListCell   *lc;

		/* {"name": {"$or": ["a", {"$like": "b%"}]}} or {"$or": {"$eq": ..}} */
		if (json_is_array(v))
		{
			foreach(lc, json_elements(v))
				args = lappend(args, column_value(ps, node, col, lfirst(lc)));
		}
		else if (json_is_object(v))
		{
			foreach(lc, json_pairs(v))
			{
				JPair	   *p = lfirst(lc);

				args = lappend(args, column_op(ps, node, col, p->key, p->value));
			}
		}
		else
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("value of %s for column \"%s\" in \"where\" of %s must be an array or an object",
							opname, col->name, node->label),
					 errdetail("It is %s.", json_describe(v))));
		return make_bool(kind, args);
	}

	for (int i = 0; op_names[i].name; i++)
		if (strcmp(op_names[i].name, opname) == 0)
			on = &op_names[i];
	if (on == NULL)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("unknown operator \"%s\" for column \"%s\" in \"where\" of %s",
						opname, col->name, node->label),
				 opname[0] == '$' ?
				 errhint("Operators are %s.", OPERATOR_LIST) :
				 errhint("Operators start with $ (%s); queries into JSON columns are not supported.",
						 OPERATOR_LIST)));

	if (on->is_not)
	{
		/* $not: NOT IN for an array, IS NOT for null/true/false, else <> */
		if (json_is_array(v))
		{
			List	   *values = value_list(node, col, "$not", v, 0);

			/* Sequelize: $notIn, and nothing for an empty one */
			if (values == NIL)
			{
				(void) resolve_operator(node, col, FA_OP_NOT_IN);
				return NULL;
			}
			return make_compare(node, col, FA_OP_NOT_IN, values);
		}
		if (v->type == jbvNull || v->type == jbvBool)
			return make_is(node, col, FA_OP_IS_NOT, v);
		return make_compare(node, col, FA_OP_NE,
							list_make1(single_value(node, col, "$not", v)));
	}

	switch (on->op)
	{
		case FA_OP_EQ:
			if (v->type == jbvNull)
				return make_is(node, col, FA_OP_IS, v);
			return make_compare(node, col, on->op,
								list_make1(single_value(node, col, opname, v)));
		case FA_OP_NE:
			if (v->type == jbvNull)
				return make_is(node, col, FA_OP_IS_NOT, v);
			return make_compare(node, col, on->op,
								list_make1(single_value(node, col, opname, v)));
		case FA_OP_IN:
		case FA_OP_NOT_IN:
			{
				List	   *values = value_list(node, col, opname, v, 0);

				/* Sequelize: IN (NULL) for an empty $in, nothing for $notIn */
				if (values == NIL)
				{
					(void) resolve_operator(node, col, on->op);
					return on->op == FA_OP_IN ? cond_const(false) : NULL;
				}
				return make_compare(node, col, on->op, values);
			}
		case FA_OP_BETWEEN:
		case FA_OP_NOT_BETWEEN:
			return make_compare(node, col, on->op,
								value_list(node, col, opname, v, 2));
		case FA_OP_IS:
			return make_is(node, col, FA_OP_IS, v);
		default:
			return make_compare(node, col, on->op,
								list_make1(single_value(node, col, opname, v)));
	}
}

/* The value given for a column: 5, null, [1, 2], {"$gt": 1, "$lt": 9} */
static FaCond *
column_value(FaParse *ps, FaNode *node, AssocColumn *col, JsonbValue *v)
{
	List	   *args = NIL;
	List	   *pairs;
	ListCell   *lc;

	if (v->type == jbvNull)
		return make_is(node, col, FA_OP_IS, v);
	if (json_is_scalar(v))
		return make_compare(node, col, FA_OP_EQ, list_make1(json_scalar_text(v)));
	if (json_is_array(v))
	{
		List	   *values = value_list(node, col, "an array", v, 0);

		if (values == NIL)
		{
			(void) resolve_operator(node, col, FA_OP_IN);
			return cond_const(false);
		}
		return make_compare(node, col, FA_OP_IN, values);
	}
	pairs = json_pairs(v);
	if (pairs == NIL)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("empty object for column \"%s\" in \"where\" of %s",
						col->name, node->label),
				 errhint("Give a value, or an object of operators such as {\"$gt\": 1}.")));
	foreach(lc, pairs)
	{
		JPair	   *p = lfirst(lc);

		args = lappend(args, column_op(ps, node, col, p->key, p->value));
	}
	return make_bool(FA_COND_AND, args);
}

/* $or, $and, $not: an array of where objects, or one object. */
static FaCond *
where_group(FaParse *ps, FaNode *node, const char *key, JsonbValue *v)
{
	FaCondKind kind = strcmp(key, "$or") == 0 ? FA_COND_OR : FA_COND_AND;
	FaCond	   *c;

	if (json_is_array(v))
	{
		List	   *args = NIL;
		ListCell   *lc;

		foreach(lc, json_elements(v))
		{
			JsonbValue *e = lfirst(lc);

			if (!json_is_object(e) && !json_is_array(e))
				ereport(ERROR,
						(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
						 errmsg("elements of %s in \"where\" of %s must be objects",
								key, node->label),
						 errdetail("One is %s.", json_describe(e))));
			args = lappend(args, where_items(ps, node, e, FA_COND_AND));
		}
		c = make_bool(kind, args);
	}
	else if (json_is_object(v))
		c = where_items(ps, node, v, kind);
	else
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("value of %s in \"where\" of %s must be an array or an object",
						key, node->label),
				 errdetail("It is %s.", json_describe(v))));
	if (strcmp(key, "$not") == 0)
		return make_bool(FA_COND_NOT, list_make1(c));
	/* Sequelize: an empty $or is "0 = 1" */
	if (c == NULL && kind == FA_COND_OR)
		return cond_const(false);
	return c;
}

/* A where object (its keys joined by binding), or an array of them (AND). */
static FaCond *
where_items(FaParse *ps, FaNode *node, JsonbValue *v, FaCondKind binding)
{
	List	   *args = NIL;
	ListCell   *lc;

	if (json_is_array(v))
		return where_group(ps, node, "$and", v);

	foreach(lc, json_pairs(v))
	{
		JPair	   *p = lfirst(lc);
		size_t		len = strlen(p->key);

		if (strcmp(p->key, "$or") == 0 || strcmp(p->key, "$and") == 0 ||
			strcmp(p->key, "$not") == 0)
			args = lappend(args, where_group(ps, node, p->key, p->value));
		/* a column whose name starts with $ is still a column */
		else if (p->key[0] == '$' && has_column(fa_cache_table(node->table), p->key))
			args = lappend(args, column_value(ps, node,
											  find_column(ps, node, p->key, "\"where\""),
											  p->value));
		else if (len > 2 && p->key[0] == '$' && p->key[len - 1] == '$')
			ereport(ERROR,
					(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
					 errmsg("nested column reference \"%s\" in \"where\" of %s is not supported",
							p->key, node->label),
					 errhint("Put the condition in the \"where\" of the include that holds the column.")));
		else if (p->key[0] == '$')
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("unknown key \"%s\" in \"where\" of %s", p->key, node->label),
					 errhint("Keys of a where object are column names, $and, $or and $not; operators such as $gt go inside a column's object: {\"id\": {\"$gt\": 1}}.")));
		else
			args = lappend(args, column_value(ps, node,
											  find_column(ps, node, p->key, "\"where\""),
											  p->value));
	}
	return make_bool(binding, args);
}

static FaCond *
parse_where(FaParse *ps, FaNode *node, JsonbValue *v)
{
	if (!json_is_object(v) && !json_is_array(v))
		wrong_type("where", node->label, "an object", v);
	return where_items(ps, node, v, FA_COND_AND);
}

/* ---------------------------------------------------------------------
 * attributes
 * ---------------------------------------------------------------------
 */

static bool
column_in(List *columns, AssocColumn *col)
{
	ListCell   *lc;

	foreach(lc, columns)
		if (((AssocColumn *) lfirst(lc))->attnum == col->attnum)
			return true;
	return false;
}

static List *
column_list(FaParse *ps, FaNode *node, JsonbValue *v, const char *option)
{
	List	   *result = NIL;
	ListCell   *lc;
	int			i = 0;

	if (!json_is_array(v))
		wrong_type(option, node->label, "an array of column names", v);
	foreach(lc, json_elements(v))
	{
		JsonbValue *e = lfirst(lc);
		AssocColumn *col;

		i++;
		if (e->type != jbvString)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("element %d of option \"%s\" in %s must be a column name",
							i, option, node->label),
					 errdetail("It is %s.", json_describe(e)),
					 errhint("Computed attributes and [column, alias] pairs are not supported.")));
		col = find_column(ps, node, json_scalar_text(e),
						  psprintf("\"%s\"", option));
		if (!column_in(result, col))
			result = lappend(result, col);
	}
	return result;
}

static void
parse_attributes(FaParse *ps, FaNode *node, JsonbValue *v)
{
	if (json_is_object(v))
	{
		List	   *pairs = json_pairs(v);
		static const char *const valid[] = {"exclude", NULL};
		JsonbValue *ex;
		List	   *excluded;
		List	   *kept = NIL;
		ListCell   *lc;

		check_keys(pairs, valid, psprintf("\"attributes\" of %s", node->label));
		ex = pair_value(pairs, "exclude");
		if (ex == NULL)
			return;
		excluded = column_list(ps, node, ex, "attributes.exclude");
		foreach(lc, node->columns)
			if (!column_in(excluded, lfirst(lc)))
				kept = lappend(kept, lfirst(lc));
		node->columns = kept;
		return;
	}
	node->columns = column_list(ps, node, v, "attributes");
	/* Sequelize: an include with attributes [] has no key in the JSON */
	if (node->columns == NIL && node->assoc != NULL)
		node->emit = false;
}

/* ---------------------------------------------------------------------
 * order
 * ---------------------------------------------------------------------
 */

static const char *
find_direction(const char *s)
{
	char	   *upper = pstrdup(s);

	for (char *p = upper; *p; p++)
		*p = pg_toupper((unsigned char) *p);
	for (int i = 0; directions[i]; i++)
		if (strcmp(upper, directions[i]) == 0)
			return psprintf(" %s", directions[i]);
	return NULL;
}

/* The child of node that an order path element names. */
static FaNode *
order_step(FaParse *ps, FaNode *node, JsonbValue *e, int item,
		   const char *option, bool next_is_last, JsonbValue *last)
{
	char	   *where = psprintf("item %d of \"%s\"", item, option);
	const char *alias = NULL;
	const char *model = NULL;
	ListCell   *lc;

	if (e->type == jbvString)
		alias = json_scalar_text(e);
	else if (json_is_object(e))
	{
		List	   *pairs = json_pairs(e);
		static const char *const valid[] = {"association", "as", "model", NULL};
		JsonbValue *a;

		check_keys(pairs, valid, psprintf("%s of %s", where, node->label));
		if ((a = pair_value(pairs, "association")) != NULL ||
			(a = pair_value(pairs, "as")) != NULL)
		{
			if (a->type != jbvString)
				wrong_type("association", psprintf("%s of %s", where, node->label),
						   "a string", a);
			alias = json_scalar_text(a);
		}
		if ((a = pair_value(pairs, "model")) != NULL)
		{
			if (a->type != jbvString)
				wrong_type("model", psprintf("%s of %s", where, node->label),
						   "a string", a);
			model = json_scalar_text(a);
		}
		if (alias == NULL && model == NULL)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("%s of %s names no association", where, node->label),
					 errhint("Write {\"association\": \"...\"} or {\"model\": \"...\"}.")));
	}
	else
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s of %s is invalid", where, node->label),
				 errdetail("An order item is a column name or an array [association..., column, direction]; one element is %s.",
						   json_describe(e))));

	foreach(lc, node->children)
	{
		FaNode	   *c = lfirst(lc);

		if ((alias == NULL || strcmp(c->assoc->alias, alias) == 0) &&
			(model == NULL || model_matches(c->table, model)))
			return c;
	}

	/* not included: say why */
	if (alias != NULL)
	{
		FaTable    *ti = fa_cache_table(node->table);
		ListCell   *lc2;

		foreach(lc2, fa_cache_associations(ti))
		{
			Association *a = lfirst(lc2);

			if (strcmp(a->alias, alias) == 0)
				ereport(ERROR,
						(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
						 errmsg("%s of %s refers to association \"%s\", which is not included",
								where, node->label, alias),
						 errdetail("Only the columns of the model and of its includes can order the result."),
						 errhint("Add \"%s\" to \"include\" of %s.", alias, node->label)));
		}
		/* ["name", "sideways"]: a column, then no direction */
		if (next_is_last && has_column(ti, alias))
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("invalid direction in %s of %s", where, node->label),
					 errdetail("Column \"%s\" is followed by %s.", alias, json_describe(last)),
					 errhint("Directions are %s.", join_names(directions))));
		(void) find_association(ps, node, alias, where);
	}
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("%s of %s refers to model \"%s\", which is not included",
					where, node->label, model),
			 errdetail("Only the columns of the model and of its includes can order the result."),
			 errhint("Include the association with that model.")));
	return NULL;				/* keep compiler quiet */
}

/*
 * Does an order path element name the through model of node (a
 * belongs_to_many include): its model name, as the loaders' JSON key, or
 * the through table's name, as a string or {"model": ...}?  An included
 * association of that name comes first.
 */
static bool
order_names_through(FaNode *node, JsonbValue *e)
{
	const char *name = NULL;
	ListCell   *lc;

	if (node->through == NULL)
		return false;
	if (e->type == jbvString)
		name = json_scalar_text(e);
	else if (json_is_object(e))
	{
		List	   *pairs = json_pairs(e);
		JsonbValue *m = pair_value(pairs, "model");

		if (list_length(pairs) != 1 || m == NULL || m->type != jbvString)
			return false;
		name = json_scalar_text(m);
	}
	else
		return false;
	foreach(lc, node->children)
	{
		FaNode	   *c = lfirst(lc);

		if (strcmp(c->assoc->alias, name) == 0 ||
			(e->type != jbvString && model_matches(c->table, name)))
			return false;
	}
	return model_matches(node->through->table, name);
}

/* The column of node's through table that an order item names. */
static AssocColumn *
find_through_column(FaNode *node, FaNode *ordered, const char *name, int item)
{
	FaTable    *hi = fa_cache_table(node->through->table);
	AssocColumn *col = lookup_column(hi, name);

	if (col == NULL)
		ereport(ERROR,
				(errcode(ERRCODE_UNDEFINED_COLUMN),
				 errmsg("column \"%s\" of through table %s does not exist", name,
						node->through->table->qualname),
				 errdetail("Item %d of \"order\" of %s orders by a column of the through model \"%s\" of %s.",
						   item, ordered->label, node->through->table->model, node->label),
				 errhint("Columns of %s are: %s.", node->through->table->qualname,
						 column_names(hi))));
	return col;
}

static List *
parse_order(FaParse *ps, FaNode *node, JsonbValue *v)
{
	List	   *result = NIL;
	ListCell   *lc;
	int			item = 0;

	if (!json_is_array(v))
		wrong_type("order", node->label, "an array", v);
	foreach(lc, json_elements(v))
	{
		JsonbValue *it = lfirst(lc);
		FaSortKey  *key = palloc0(sizeof(FaSortKey));
		List	   *elems;
		JsonbValue *colval;
		FaNode	   *cur = node;
		int			n;
		char	   *colname;

		item++;
		if (it->type == jbvString)
			elems = list_make1(it);
		else if (json_is_array(it))
			elems = json_elements(it);
		else
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("item %d of \"order\" of %s is invalid", item, node->label),
					 errdetail("An order item is a column name or an array [association..., column, direction]; it is %s.",
							   json_describe(it))));
		n = list_length(elems);
		if (n == 0)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("item %d of \"order\" of %s is empty", item, node->label)));
		key->direction = "";
		if (n >= 2 && ((JsonbValue *) llast(elems))->type == jbvString)
		{
			const char *dir = find_direction(json_scalar_text(llast(elems)));

			if (dir != NULL)
			{
				key->direction = dir;
				n--;
			}
		}
		for (int i = 0; i < n - 1; i++)
		{
			/* [..., "courses", "enrollment", "grade"]: the through row's */
			if (order_names_through(cur, list_nth(elems, i)))
			{
				JsonbValue *next = list_nth(elems, i + 1);

				/* ["courses", "enrollment", "grade", "sideways"] */
				if (i == n - 3 && next->type == jbvString &&
					has_column(fa_cache_table(cur->through->table), json_scalar_text(next)))
					ereport(ERROR,
							(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
							 errmsg("invalid direction in item %d of \"order\" of %s", item, node->label),
							 errdetail("Column \"%s\" of the through model \"%s\" is followed by %s.",
									   json_scalar_text(next), cur->through->table->model,
									   json_describe(list_nth(elems, n - 1))),
							 errhint("Directions are %s.", join_names(directions))));
				if (i != n - 2)
					ereport(ERROR,
							(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
							 errmsg("item %d of \"order\" of %s goes on after the through model \"%s\" of %s",
									item, node->label, cur->through->table->model, cur->label),
							 errdetail("Only a column of the through table and a direction may follow it."),
							 errhint("Write [\"%s\", \"%s\", \"column\", \"DESC\"].",
									 cur->assoc->alias, cur->through->table->model)));
				key->through = true;
				break;
			}
			cur = order_step(ps, cur, list_nth(elems, i), item, "order",
							 i == n - 2, list_nth(elems, n - 1));
			key->path = lappend(key->path, cur);
		}
		colval = list_nth(elems, n - 1);
		if (colval->type != jbvString)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("item %d of \"order\" of %s must end with a column name",
							item, node->label),
					 errdetail("It ends with %s.", json_describe(colval))));
		colname = json_scalar_text(colval);
		if (n == 1 && find_direction(colname) != NULL &&
			!has_column(fa_cache_table(cur->table), colname))
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("item %d of \"order\" of %s is a direction, not a column", item, node->label),
					 errhint("Each item is an array of its own: [[\"name\", \"DESC\"]], not [\"name\", \"DESC\"].")));
		if (key->through)
			key->column = find_through_column(cur, node, colname, item);
		else if (order_names_through(cur, colval) &&
				 !has_column(fa_cache_table(cur->table), colname))
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("item %d of \"order\" of %s ends with the through model \"%s\" of %s",
							item, node->label, cur->through->table->model, cur->label),
					 errdetail("An order item ends with a column."),
					 errhint("Name a column of %s after it: [..., \"%s\", \"column\", \"DESC\"].",
							 cur->through->table->qualname, colname)));
		else
			key->column = find_column(ps, cur, colname,
									  psprintf("item %d of \"order\"", item));
		result = lappend(result, key);
	}
	return result;
}

/*
 * Every key orders the rows of the level it was given at, and, through its
 * path, the rows of each include on the path: Sequelize sorts the joined
 * rows, so an array is ordered by the keys that reach into it too.
 */
static void
distribute_key(FaNode *node, FaSortKey *key)
{
	FaSortKey  *k = palloc(sizeof(FaSortKey));

	*k = *key;
	node->sortkeys = lappend(node->sortkeys, k);
	if (k->path != NIL)
	{
		FaSortKey	rest = *key;

		rest.path = list_delete_first(list_copy(key->path));
		distribute_key(linitial(key->path), &rest);
	}
}

static void
assign_sort_keys(FaNode *node)
{
	ListCell   *lc;

	foreach(lc, node->order)
	{
		FaSortKey  *k = lfirst(lc);

		distribute_key(node, k);
	}
	foreach(lc, node->children)
		assign_sort_keys(lfirst(lc));
}

/* ---------------------------------------------------------------------
 * include
 * ---------------------------------------------------------------------
 */

static bool
is_included(FaNode *parent, Association *a)
{
	ListCell   *lc;

	foreach(lc, parent->children)
		if (((FaNode *) lfirst(lc))->assoc->id == a->id)
			return true;
	return false;
}

static void
add_child(FaNode *parent, FaNode *child)
{
	if (is_included(parent, child->assoc))
		ereport(ERROR,
				(errcode(ERRCODE_DUPLICATE_OBJECT),
				 errmsg("association \"%s\" is included twice in %s",
						child->assoc->alias, parent->label),
				 errhint("Include it once, with all its options.")));
	parent->children = lappend(parent->children, child);
}

/* One element of an include list that is not {"all": ...}. */
static void
parse_include(FaParse *ps, FaNode *parent, JsonbValue *e, int index)
{
	char	   *where = psprintf("element %d of \"include\"", index);
	Association *a;
	FaNode	   *child;
	List	   *pairs = NIL;
	int			depth = 1;

	/*
	 * Includes may go round a cycle (owner -> pugs -> owner -> pugs ...),
	 * each level multiplying the JSON: a bound on the nesting keeps one call
	 * from exhausting the server's memory.
	 */
	for (FaNode *n = parent; n->parent != NULL; n = n->parent)
		depth++;
	if (depth > FA_MAX_INCLUDE_DEPTH)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("includes are nested more than %d levels deep", FA_MAX_INCLUDE_DEPTH),
				 errdetail("%s of %s is at level %d.", where, parent->label, depth)));
	check_stack_depth();

	if (e->type == jbvString)
		a = find_association(ps, parent, json_scalar_text(e), where);
	else
	{
		JsonbValue *assoc = pair_value(json_pairs(e), "association");
		JsonbValue *as;
		JsonbValue *model;
		char	   *alias = NULL;
		char	   *label = psprintf("%s of %s", where, parent->label);

		pairs = json_pairs(e);
		check_keys(pairs, include_options, label);
		as = pair_value(pairs, "as");
		model = pair_value(pairs, "model");
		if (assoc != NULL && assoc->type != jbvString)
			wrong_type("association", label, "a string naming an association", assoc);
		if (as != NULL && as->type != jbvString)
			wrong_type("as", label, "a string naming an association", as);
		if (model != NULL && model->type != jbvString)
			wrong_type("model", label, "a string naming a table or model", model);
		if (assoc != NULL)
			alias = json_scalar_text(assoc);
		if (as != NULL)
		{
			if (alias != NULL && strcmp(alias, json_scalar_text(as)) != 0)
				ereport(ERROR,
						(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
						 errmsg("\"association\" and \"as\" differ in %s", label),
						 errdetail("\"as\" names the association too; they are \"%s\" and \"%s\".",
								   alias, json_scalar_text(as))));
			alias = json_scalar_text(as);
		}
		if (alias != NULL)
		{
			a = find_association(ps, parent, alias, where);
			if (model != NULL && !model_matches(a->target, json_scalar_text(model)))
				ereport(ERROR,
						(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
						 errmsg("association \"%s\" of table %s is with table %s, not with model \"%s\"",
								alias, parent->table->qualname,
								a->target->qualname, json_scalar_text(model)),
						 errdetail("Both are named in %s.", label)));
		}
		else if (model != NULL)
			a = find_association_by_model(ps, parent, json_scalar_text(model), where);
		else
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("%s names no association", label),
					 errhint("Write {\"association\": \"...\"}, {\"model\": \"...\"} or {\"all\": true}.")));
	}
	child = new_node(ps, parent, a);
	add_child(parent, child);
	parse_level(ps, child, pairs);
}

typedef struct AllExpansion
{
	FaParse    *ps;
	List	   *template;		/* JPair *: the options every include gets */
	bool		nested;
	bool		kinds[4];		/* by AssocKind: included by "all" */
	List	   *used;			/* Oid: Sequelize's "used" models */
} AllExpansion;

/*
 * Sequelize's _expandIncludeAllElement, addAllIncludes: each association of
 * the parent's model in declaration order, unless an include of the same
 * model (and alias, when declared with one) is there already or, with
 * nested, its model is one of the "used" ones (Sequelize pushes the parent
 * per association added and pops once per level: kept as it is, since it
 * decides which models come back in deeper levels).
 */
static void
add_all_includes(AllExpansion *ax, FaNode *parent)
{
	FaTable    *ti = fa_cache_table(parent->table);
	ListCell   *lc;

	foreach(lc, fa_cache_associations(ti))
	{
		Association *a = lfirst(lc);
		FaNode	   *child;
		bool		skip = false;
		ListCell   *lc2;

		if (!ax->kinds[a->kind])
			continue;
		foreach(lc2, parent->children)
		{
			FaNode	   *c = lfirst(lc2);

			if (c->table->relid == a->target->relid &&
				(alias_is_default(a) || strcmp(c->assoc->alias, a->alias) == 0))
				skip = true;
		}
		if (skip)
			continue;
		if (ax->nested && list_member_oid(ax->used, a->target->relid))
			continue;
		ax->used = lappend_oid(ax->used, parent->table->relid);
		child = new_node(ax->ps, parent, a);
		add_child(parent, child);
		parse_level(ax->ps, child, ax->template);
		if (ax->nested)
			add_all_includes(ax, child);
	}
	if (ax->used != NIL)
		ax->used = list_delete_last(ax->used);
}

static void
expand_all(FaParse *ps, FaNode *parent, List *pairs, int index)
{
	char	   *label = psprintf("element %d of \"include\" of %s", index, parent->label);
	AllExpansion ax;
	JsonbValue *all = pair_value(pairs, "all");
	JsonbValue *nested = pair_value(pairs, "nested");
	ListCell   *lc;

	memset(&ax, 0, sizeof(ax));
	ax.ps = ps;
	check_keys(pairs, all_options, label);
	foreach(lc, pairs)
	{
		JPair	   *p = lfirst(lc);

		if (strcmp(p->key, "all") != 0 && strcmp(p->key, "nested") != 0)
			ax.template = lappend(ax.template, p);
	}
	if (nested != NULL)
		ax.nested = json_bool(nested, "nested", label);

	/* true, or Sequelize's association types */
	if (all->type == jbvBool && all->val.boolean)
	{
		for (int i = 0; i < (int) lengthof(ax.kinds); i++)
			ax.kinds[i] = true;
	}
	else if (all->type == jbvString || json_is_array(all))
	{
		List	   *types = all->type == jbvString ? list_make1(all) : json_elements(all);

		foreach(lc, types)
		{
			JsonbValue *t = lfirst(lc);
			char	   *s = t->type == jbvString ? json_scalar_text(t) : NULL;

			if (s == NULL)
				wrong_type("all", label, "true or association types", t);
			if (strcmp(s, "All") == 0)
				for (int i = 0; i < (int) lengthof(ax.kinds); i++)
					ax.kinds[i] = true;
			else if (strcmp(s, "BelongsTo") == 0)
				ax.kinds[ASSOC_BELONGS_TO] = true;
			else if (strcmp(s, "HasOne") == 0)
				ax.kinds[ASSOC_HAS_ONE] = true;
			else if (strcmp(s, "HasMany") == 0)
				ax.kinds[ASSOC_HAS_MANY] = true;
			else if (strcmp(s, "One") == 0)
				ax.kinds[ASSOC_BELONGS_TO] = ax.kinds[ASSOC_HAS_ONE] = true;
			else if (strcmp(s, "Has") == 0)
				ax.kinds[ASSOC_HAS_ONE] = ax.kinds[ASSOC_HAS_MANY] = true;
			else if (strcmp(s, "Many") == 0)
				ax.kinds[ASSOC_HAS_MANY] = true;
			else
				ereport(ERROR,
						(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
						 errmsg("include all \"%s\" is not valid in %s", s, label),
						 errhint("Use true, or BelongsTo, HasOne, HasMany, One, Has, Many or All.")));
		}
	}
	else
		wrong_type("all", label, "true or association types", all);

	add_all_includes(&ax, parent);
}

static void
parse_includes(FaParse *ps, FaNode *node, JsonbValue *v)
{
	List	   *elems;
	List	   *alls = NIL;
	ListCell   *lc;
	int			i = 0;

	if (json_is_array(v))
		elems = json_elements(v);
	else if (v->type == jbvString || json_is_object(v))
		elems = list_make1(v);
	else
	{
		wrong_type("include", node->label, "an array of associations", v);
		elems = NIL;
	}

	/* Sequelize: explicit includes first, then what each "all" adds */
	foreach(lc, elems)
	{
		JsonbValue *e = lfirst(lc);

		i++;
		if (json_is_object(e) && pair_value(json_pairs(e), "all") != NULL)
			alls = lappend(alls, list_make2(e, makeInteger(i)));
		else if (e->type == jbvString || json_is_object(e))
			parse_include(ps, node, e, i);
		else
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("element %d of \"include\" of %s must be an association name or an object",
							i, node->label),
					 errdetail("It is %s.", json_describe(e))));
	}
	foreach(lc, alls)
	{
		List	   *pair = lfirst(lc);

		expand_all(ps, node, json_pairs(linitial(pair)), intVal(lsecond(pair)));
	}
}

/* ---------------------------------------------------------------------
 * A level: the top or one include
 * ---------------------------------------------------------------------
 */

static void
parse_level(FaParse *ps, FaNode *node, List *pairs)
{
	bool		top = node->assoc == NULL;
	JsonbValue *v;
	bool		separate_given = false;
	ListCell   *lc;

	if ((v = pair_value(pairs, "attributes")) != NULL)
		parse_attributes(ps, node, v);

	if ((v = pair_value(pairs, "where")) != NULL)
	{
		node->where = parse_where(ps, node, v);
		node->required = true;	/* Sequelize: required = !!where */
	}

	if (!top)
	{
		if ((v = pair_value(pairs, "required")) != NULL)
			node->required = json_bool(v, "required", node->label);
		if ((v = pair_value(pairs, "separate")) != NULL)
		{
			node->separate = json_bool(v, "separate", node->label);
			separate_given = true;
		}
		if ((v = pair_value(pairs, "limit")) != NULL)
		{
			node->limit = json_count(v, "limit", node->label);
			/* Sequelize: a limit makes the include separate */
			if (node->limit >= 0 && !separate_given)
				node->separate = true;
		}
		if ((node->separate || node->limit >= 0) && node->assoc->kind != ASSOC_HAS_MANY)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("option \"%s\" in %s applies only to has_many associations",
							node->limit >= 0 ? "limit" : "separate", node->label),
					 errdetail("Association \"%s\" is a %s association; Sequelize says \"Only HasMany associations support include.separate\".",
							   node->assoc->alias, assoc_kind_name(node->assoc->kind))));
		/* a separate include is a second query: it cannot filter parents */
		if (node->separate)
			node->required = false;
		if ((v = pair_value(pairs, "through")) != NULL)
		{
			List	   *tpairs;
			JsonbValue *tv;

			if (!json_is_object(v))
				wrong_type("through", node->label, "an object", v);
			tpairs = json_pairs(v);
			check_keys(tpairs, through_options,
					   psprintf("\"through\" of %s", node->label));
			if (node->through == NULL)
				ereport(ERROR,
						(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
						 errmsg("option \"through\" in %s applies only to belongs_to_many associations",
								node->label),
						 errdetail("Association \"%s\" is a %s association.",
								   node->assoc->alias, assoc_kind_name(node->assoc->kind))));
			/* attributes [] leaves the through row out of the JSON */
			if ((tv = pair_value(tpairs, "attributes")) != NULL)
				parse_attributes(ps, node->through, tv);
			/* filters the links only: the include is not made required */
			if ((tv = pair_value(tpairs, "where")) != NULL)
				node->through->where = parse_where(ps, node->through, tv);
		}
	}
	else
	{
		if ((v = pair_value(pairs, "limit")) != NULL)
			node->limit = json_count(v, "limit", node->label);
		if ((v = pair_value(pairs, "offset")) != NULL)
			node->offset = Max(json_count(v, "offset", node->label), 0);
		node->page = node->limit >= 0 || node->offset > 0;
	}

	if ((v = pair_value(pairs, "include")) != NULL)
		parse_includes(ps, node, v);

	foreach(lc, node->children)
	{
		FaNode	   *c = lfirst(lc);

		/*
		 * Sequelize adds the source key to the parent's attributes when an
		 * include is separate, and it shows in the JSON (observed at the top
		 * level).
		 */
		if (top && c->separate && node->columns != NIL &&
			!column_in(node->columns, c->assoc->source_key))
			node->columns = lappend(node->columns,
									find_column(ps, node, c->assoc->source_key->name,
												"\"attributes\""));

		/* the catalog forbids it at declaration; a column added since */
		if (c->emit)
		{
			ListCell   *lc2;

			foreach(lc2, node->columns)
				if (strcmp(((AssocColumn *) lfirst(lc2))->name, c->assoc->alias) == 0)
					ereport(ERROR,
							(errcode(ERRCODE_DUPLICATE_COLUMN),
							 errmsg("association \"%s\" collides with column \"%s\" of table %s",
									c->assoc->alias, c->assoc->alias, node->table->qualname),
							 errdetail("The JSON of %s would have two keys \"%s\".",
									   node->label, c->assoc->alias),
							 errhint("Leave the column out with \"attributes\": {\"exclude\": [\"%s\"]}.",
									 c->assoc->alias)));
		}
	}

	/* the through row's key beside the target's columns and includes */
	if (node->through != NULL && node->through->emit)
	{
		const char *tkey = node->through->table->model;
		const char *clash = NULL;

		foreach(lc, node->columns)
			if (strcmp(((AssocColumn *) lfirst(lc))->name, tkey) == 0)
				clash = "column";
		foreach(lc, node->children)
			if (((FaNode *) lfirst(lc))->emit &&
				strcmp(((FaNode *) lfirst(lc))->assoc->alias, tkey) == 0)
				clash = "included association";
		if (clash != NULL)
			ereport(ERROR,
					(errcode(ERRCODE_DUPLICATE_COLUMN),
					 errmsg("the through row of %s collides with %s \"%s\"",
							node->label, clash, tkey),
					 errdetail("The through row of table %s goes under its model name \"%s\"; each %s would have two keys \"%s\".",
							   node->through->table->qualname, tkey,
							   node->table->model, tkey),
					 errhint("Leave the through row out with \"through\": {\"attributes\": []}, or the %s out.",
							 clash)));
	}

	if ((v = pair_value(pairs, "order")) != NULL)
		node->order = parse_order(ps, node, v);
}

/*
 * Parse and check find_all's options for the model (a table) into a tree.
 * Needs SPI (the catalog is read through it).
 */
FaNode *
fa_parse_options(Oid model, Jsonb *options)
{
	FaParse    *ps = palloc0(sizeof(FaParse));
	FaNode	   *root = palloc0(sizeof(FaNode));
	FaTable    *ti;
	List	   *pairs = NIL;

	ti = fa_cache_model(model);
	root->table = ti->table;
	root->label = "find_all options";
	root->limit = -1;
	root->emit = true;
	root->columns = list_copy(ti->columns);
	root->all_columns = ti->columns;
	root->pkey = ti->pkey;

	if (options != NULL)
	{
		JsonbValue	v;

		v.type = jbvBinary;
		v.val.binary.data = &options->root;
		v.val.binary.len = VARSIZE(options) - VARHDRSZ;
		if (!json_is_object(&v))
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("find_all options must be a JSON object"),
					 errdetail("They are %s.",
							   JB_ROOT_IS_SCALAR(options) ? "a scalar" : "an array"),
					 errhint("Write for instance '{\"include\": [\"pugs\"], \"limit\": 20}'.")));
		pairs = json_pairs(&v);
	}
	check_keys(pairs, top_options, root->label);
	parse_level(ps, root, pairs);
	assign_sort_keys(root);
	return root;
}
