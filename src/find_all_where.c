/*
 * find_all_where.c
 *	  The "where" of find_all's options compiled into a tree of FaCond
 *	  (find_all.h): Sequelize's operators, resolved for each column's type.
 *
 * A where object's keys are columns (joined by AND) and $and, $or, $not; a
 * column's value is a value (equality), an array ($in), null (IS NULL) or
 * an object of operators (op_names[]).  Each operator is taken from the
 * column type's default operator classes, or for LIKE and its kin from
 * pg_catalog, never by name on a search_path; each value is passed through
 * the column type's input function, so that a wrong one is an error here,
 * naming the column, and never at execution.
 */
#include "postgres.h"

#include "access/stratnum.h"
#include "catalog/pg_type.h"
#include "lib/stringinfo.h"
#include "nodes/value.h"
#include "parser/parse_oper.h"
#include "utils/builtins.h"
#include "utils/lsyscache.h"
#include "utils/syscache.h"
#include "utils/typcache.h"

#include "find_all_int.h"

/* The operators of a column's object, as Sequelize names them. */
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

/*
 * What where_items() does with a $nested.column$ key that is not one of the
 * top level's $and (those go to its list "nested"): inside $or and $not, or
 * in an include's where.  Such a key names an include that the first parse
 * of the where, before the includes, does not know: it only notes that
 * there is one (deferred), and fa_resolve_where() parses the where again
 * once every include is known (resolve), collecting the includes named.
 */
typedef struct WhereState
{
	FaNode	   *node;			/* the level whose where it is */
	bool		resolve;		/* the includes are known */
	bool		deferred;		/* (first parse) a key was left for later */
	List	   *named;			/* (resolve) FaNode *: the other levels named */
} WhereState;

static FaCond *where_items(FaNode *node, JsonbValue *v, FaCondKind binding,
						   List **nested, WhereState *ws);
static FaCond *column_value(FaNode *node, AssocColumn *col, JsonbValue *v);
static FaCond *nested_value(WhereState *ws, JPair *p);

/* The operators for a hint: those of op_names[], then $or and $and. */
static char *
operator_list(void)
{
	StringInfoData buf;

	initStringInfo(&buf);
	for (int i = 0; op_names[i].name; i++)
		appendStringInfo(&buf, "%s, ", op_names[i].name);
	appendStringInfoString(&buf, "and $or, $and");
	return buf.data;
}

static FaCond *
cond_const(bool value)
{
	FaCond	   *c = palloc0(sizeof(FaCond));

	c->kind = FA_COND_CONST;
	c->constval = value;
	return c;
}

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
		return cond_const(false);
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

typedef struct ValueContext
{
	AssocColumn *col;
	FaNode	   *node;
	const char *option;
} ValueContext;

static void
value_context(void *arg)
{
	ValueContext *vc = arg;

	errcontext("value for column \"%s\" of table %s in %s of %s",
			   vc->col->name, vc->node->table->qualname, vc->option, vc->node->label);
}

/* The value must be valid input for the column's type (option: for the message). */
static void
check_value_in(FaNode *node, AssocColumn *col, const char *value, const char *option)
{
	ErrorContextCallback cb;
	ValueContext vc;
	Oid			infunc;
	Oid			ioparam;

	if (value == NULL)
		return;
	vc.col = col;
	vc.node = node;
	vc.option = option;
	cb.callback = value_context;
	cb.arg = &vc;
	cb.previous = error_context_stack;
	error_context_stack = &cb;
	getTypeInputInfo(col->typid, &infunc, &ioparam);
	(void) OidInputFunctionCall(infunc, (char *) value, ioparam, -1);
	error_context_stack = cb.previous;
}

static void
check_value(FaNode *node, AssocColumn *col, const char *value)
{
	check_value_in(node, col, value, node->in_having ? "\"having\"" : "\"where\"");
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
				 errdetail("It is %s.", fa_json_describe(v))));
	return c;
}

/* IS NULL (op FA_OP_IS) or IS NOT NULL (FA_OP_IS_NOT) */
static FaCond *
make_is_null(FaNode *node, AssocColumn *col, FaOp op)
{
	FaCond	   *c = make_compare(node, col, op, NIL);

	c->is_what = FA_IS_NULL;
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

	if (!fa_json_is_array(v))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("value of %s for column \"%s\" in \"where\" of %s must be an array",
						opname, col->name, node->label),
				 errdetail("It is %s.", fa_json_describe(v))));
	elems = fa_json_elements(v);
	if (exactly > 0 && list_length(elems) != exactly)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("value of %s for column \"%s\" in \"where\" of %s must be an array of %d values",
						opname, col->name, node->label, exactly),
				 errdetail("It has %d.", list_length(elems))));
	foreach(lc, elems)
	{
		JsonbValue *e = lfirst(lc);

		if (e->type != jbvNull && !fa_json_is_scalar(e))
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("values of %s for column \"%s\" in \"where\" of %s must be strings, numbers, booleans or null",
							opname, col->name, node->label),
					 errdetail("One is %s.", fa_json_describe(e))));
		values = lappend(values, fa_json_scalar_text(e));
	}
	return values;
}

static char *
single_value(FaNode *node, AssocColumn *col, const char *opname, JsonbValue *v)
{
	if (v->type != jbvNull && !fa_json_is_scalar(v))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("value of %s for column \"%s\" in \"where\" of %s must be a string, a number, a boolean or null",
						opname, col->name, node->label),
				 errdetail("It is %s.", fa_json_describe(v))));
	return fa_json_scalar_text(v);
}

/* One operator applied to a column: {"$gt": 5} */
static FaCond *
column_op(FaNode *node, AssocColumn *col, const char *opname,
		  JsonbValue *v)
{
	const OpName *on = NULL;

	if (strcmp(opname, "$or") == 0 || strcmp(opname, "$and") == 0)
	{
		FaCondKind kind = opname[1] == 'o' ? FA_COND_OR : FA_COND_AND;
		List	   *args = NIL;
		ListCell   *lc;

		/* {"name": {"$or": ["a", {"$like": "b%"}]}} or {"$or": {"$eq": ..}} */
		if (fa_json_is_array(v))
		{
			foreach(lc, fa_json_elements(v))
				args = lappend(args, column_value(node, col, lfirst(lc)));
		}
		else if (fa_json_is_object(v))
		{
			foreach(lc, fa_json_pairs(v))
			{
				JPair	   *p = lfirst(lc);

				args = lappend(args, column_op(node, col, p->key, p->value));
			}
		}
		else
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("value of %s for column \"%s\" in \"where\" of %s must be an array or an object",
							opname, col->name, node->label),
					 errdetail("It is %s.", fa_json_describe(v))));
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
				 errhint("Operators are %s.", operator_list()) :
				 errhint("Operators start with $ (%s); queries into JSON columns are not supported.",
						 operator_list())));

	if (on->is_not)
	{
		/* $not: NOT IN for an array, IS NOT for null/true/false, else <> */
		if (fa_json_is_array(v))
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
column_value(FaNode *node, AssocColumn *col, JsonbValue *v)
{
	List	   *args = NIL;
	List	   *pairs;
	ListCell   *lc;

	if (v->type == jbvNull)
		return make_is(node, col, FA_OP_IS, v);
	if (fa_json_is_scalar(v))
		return make_compare(node, col, FA_OP_EQ, list_make1(fa_json_scalar_text(v)));
	if (fa_json_is_array(v))
	{
		List	   *values = value_list(node, col, "an array", v, 0);

		if (values == NIL)
		{
			(void) resolve_operator(node, col, FA_OP_IN);
			return cond_const(false);
		}
		return make_compare(node, col, FA_OP_IN, values);
	}
	pairs = fa_json_pairs(v);
	if (pairs == NIL)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("empty object for column \"%s\" in \"where\" of %s",
						col->name, node->label),
				 errhint("Give a value, or an object of operators such as {\"$gt\": 1}.")));
	foreach(lc, pairs)
	{
		JPair	   *p = lfirst(lc);

		args = lappend(args, column_op(node, col, p->key, p->value));
	}
	return make_bool(FA_COND_AND, args);
}

/*
 * $or, $and, $not: an array of where objects, or one object.  nested, when
 * not NULL, collects the $nested.column$ keys of an $and (see
 * where_items()); $or and $not take none.
 */
static FaCond *
where_group(FaNode *node, const char *key, JsonbValue *v, List **nested,
			WhereState *ws)
{
	FaCondKind kind = strcmp(key, "$or") == 0 ? FA_COND_OR : FA_COND_AND;
	FaCond	   *c;

	if (kind != FA_COND_AND || strcmp(key, "$not") == 0)
		nested = NULL;

	if (fa_json_is_array(v))
	{
		List	   *args = NIL;
		ListCell   *lc;

		foreach(lc, fa_json_elements(v))
		{
			JsonbValue *e = lfirst(lc);

			if (!fa_json_is_object(e) && !fa_json_is_array(e))
				ereport(ERROR,
						(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
						 errmsg("elements of %s in \"where\" of %s must be objects",
								key, node->label),
						 errdetail("One is %s.", fa_json_describe(e))));
			args = lappend(args, where_items(node, e, FA_COND_AND, nested, ws));
		}
		c = make_bool(kind, args);
	}
	else if (fa_json_is_object(v))
		c = where_items(node, v, kind, kind == FA_COND_AND ? nested : NULL, ws);
	else
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("value of %s in \"where\" of %s must be an array or an object",
						key, node->label),
				 errdetail("It is %s.", fa_json_describe(v))));
	if (strcmp(key, "$not") == 0)
		return make_bool(FA_COND_NOT, list_make1(c));
	/* Sequelize: an empty $or is "0 = 1" */
	if (c == NULL && kind == FA_COND_OR)
		return cond_const(false);
	return c;
}

/* The comparisons of cond on the made-up column of g compare g. */
static void
mark_agg(FaCond *c, FaAgg *g)
{
	ListCell   *lc;

	if (c == NULL)				/* no condition: {"$notIn": []} */
		return;
	if (c->kind == FA_COND_COMPARE && c->column == g->result)
		c->agg = g;
	foreach(lc, c->args)
		mark_agg(lfirst(lc), g);
}

/*
 * "$count(pugs)$": {"$gt": 2}: a condition on an aggregate of the node's
 * rows' associated rows (all of them: a where does not see the includes,
 * which may filter others), anywhere in a where, $or and $not included.
 */
static FaCond *
agg_value(FaNode *node, const char *key, JsonbValue *v)
{
	FaAgg	   *g = node->in_having ?
		fa_agg_reference(node, key, "\"having\"", true) :
		fa_agg_reference(node, key, "\"where\"", false);
	FaCond	   *c = column_value(node, g->result, v);

	mark_agg(c, g);
	return c;
}

/*
 * A key of "having" that is not $and, $or, $not nor "$fn(path)$": the key
 * of an aggregate attribute of the node ("pugCount"), or an error.
 */
static FaCond *
having_key(FaNode *node, const char *key, JsonbValue *v)
{
	ListCell   *lc;
	FaCond	   *c;

	foreach(lc, node->aggs)
	{
		FaAgg	   *g = lfirst(lc);

		if (strcmp(g->key, key) == 0)
		{
			c = column_value(node, g->result, v);
			mark_agg(c, g);
			return c;
		}
	}
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("key \"%s\" in \"having\" of %s is not an aggregate", key, node->label),
			 errdetail("\"having\" takes conditions on aggregates: \"$fn(association.column)$\" or the key of an aggregate attribute."),
			 errhint("Put conditions on columns in \"where\"; write for instance \"having\": {\"$count(pugs)$\": {\"$gt\": 2}}.")));
	return NULL;				/* keep compiler quiet */
}

/* "$pugs.toys.name$": a $nested.column$ reference */
static bool
is_nested_reference(const char *key)
{
	size_t		len = strlen(key);

	return len > 2 && key[0] == '$' && key[len - 1] == '$';
}

/*
 * A where object (its keys joined by binding), or an array of them (AND).
 * nested, when not NULL (the top level's where, outside $or and $not), is
 * where its $nested.column$ keys go, as JPair *, for
 * fa_apply_nested_where() once the includes are known.
 */
static FaCond *
where_items(FaNode *node, JsonbValue *v, FaCondKind binding, List **nested,
			WhereState *ws)
{
	List	   *args = NIL;
	ListCell   *lc;

	if (fa_json_is_array(v))
		return where_group(node, "$and", v, nested, ws);

	foreach(lc, fa_json_pairs(v))
	{
		JPair	   *p = lfirst(lc);
		size_t		len = strlen(p->key);

		if (strcmp(p->key, "$or") == 0 || strcmp(p->key, "$and") == 0 ||
			strcmp(p->key, "$not") == 0)
			args = lappend(args, where_group(node, p->key, p->value,
											 binding == FA_COND_AND ? nested : NULL, ws));
		/* a column whose name starts with $ is still a column */
		else if (p->key[0] == '$' && fa_has_column(fa_cache_table(node->table), p->key))
			args = lappend(args, column_value(node,
											  fa_find_column(node, p->key, "\"where\""),
											  p->value));
		else if (fa_is_agg_reference(p->key))
			args = lappend(args, agg_value(node, p->key, p->value));
		else if (node->in_having)
			args = lappend(args, having_key(node, p->key, p->value));
		else if (is_nested_reference(p->key) &&
				 strchr(p->key, '.') == NULL && node->assoc == NULL)
		{
			/* "$name$": a column of the model itself */
			char	   *name = pnstrdup(p->key + 1, len - 2);

			args = lappend(args, column_value(node,
											  fa_find_column(node, name, psprintf("\"%s\" of \"where\"", p->key)),
											  p->value));
		}
		else if (is_nested_reference(p->key) && nested != NULL && binding == FA_COND_AND)
			*nested = lappend(*nested, p);
		else if (is_nested_reference(p->key) && ws == NULL)
			ereport(ERROR,
					(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
					 errmsg("nested column reference \"%s\" in \"where\" of %s is not supported",
							p->key, node->label),
					 errdetail("A $nested.column$ key is taken in the where of the top level and of an include, not in a \"through\" where."),
					 errhint("Put the condition in the \"where\" of the include that holds the column.")));
		else if (is_nested_reference(p->key) && !ws->resolve)
		{
			/* for fa_resolve_where(), once the includes are known */
			ws->deferred = true;
			args = lappend(args, cond_const(true));
		}
		else if (is_nested_reference(p->key))
			args = lappend(args, nested_value(ws, p));
		else if (p->key[0] == '$')
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("unknown key \"%s\" in \"where\" of %s", p->key, node->label),
					 errhint("Keys of a where object are column names, $and, $or and $not; operators such as $gt go inside a column's object: {\"id\": {\"$gt\": 1}}.")));
		else
			args = lappend(args, column_value(node,
											  fa_find_column(node, p->key, "\"where\""),
											  p->value));
	}
	return make_bool(binding, args);
}

/*
 * The condition of a "where" of node (an object or an array of them, as
 * fa_option checked); NULL for none.  *deferred is set when it has
 * $nested.column$ keys, which fa_resolve_where() takes once the includes
 * are known; deferred NULL (a "through" where): such a key is an error.
 */
FaCond *
fa_parse_where(FaNode *node, JsonbValue *v, bool *deferred)
{
	WhereState	ws;
	FaCond	   *c;

	memset(&ws, 0, sizeof(ws));
	ws.node = node;
	c = where_items(node, v, FA_COND_AND, NULL, deferred ? &ws : NULL);
	if (deferred)
		*deferred = ws.deferred;
	return c;
}

/*
 * The same for the top level, whose $nested.column$ keys outside $or and
 * $not are returned in *nested (JPair *) for fa_apply_nested_where(); those
 * inside $or and $not set *deferred.
 */
FaCond *
fa_parse_top_where(FaNode *node, JsonbValue *v, List **nested, bool *deferred)
{
	WhereState	ws;
	FaCond	   *c;

	memset(&ws, 0, sizeof(ws));
	ws.node = node;
	c = where_items(node, v, FA_COND_AND, nested, &ws);
	*deferred = ws.deferred;
	return c;
}

static bool
is_ancestor(FaNode *anc, FaNode *node)
{
	for (FaNode *n = node->parent; n != NULL; n = n->parent)
		if (n == anc)
			return true;
	return false;
}

/* The comparisons of cond compare columns of level n. */
static void
mark_node(FaCond *c, FaNode *n)
{
	ListCell   *lc;

	if (c == NULL)
		return;
	if (c->kind == FA_COND_COMPARE)
		c->node = n;
	foreach(lc, c->args)
		mark_node(lfirst(lc), n);
}

/*
 * The include a $nested.column$ key names, from the top level root as in
 * Sequelize, whose "$pugs.toys.name$" is the column of the join alias
 * "pugs->toys" wherever it is written; its first part may also be the top
 * level's model name ("$owner.name$"), Sequelize's alias of the top
 * level's table.  *column is the column's name; label, of the level whose
 * where it is, for the messages.
 */
static FaNode *
nested_target(FaNode *root, JPair *p, const char *where, const char *label,
			  char **column)
{
	char	   *path = pnstrdup(p->key + 1, strlen(p->key) - 2);
	List	   *parts = NIL;
	FaNode	   *node = root;
	char	   *part;
	char	   *save;
	ListCell   *lc;
	int			first = 0;

	for (part = strtok_r(path, ".", &save); part; part = strtok_r(NULL, ".", &save))
		parts = lappend(parts, part);
	if (list_length(parts) < 2)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("nested column reference \"%s\" in \"where\" of %s is not valid",
						p->key, label),
				 errhint("Write \"$association.column$\", or \"$association.association.column$\" through nested includes.")));
	if (strcmp(root->table->model_name, linitial(parts)) == 0)
	{
		bool		is_alias = false;

		foreach(lc, fa_cache_associations(fa_cache_table(root->table)))
			if (strcmp(((Association *) lfirst(lc))->alias, linitial(parts)) == 0)
				is_alias = true;
		if (!is_alias)
			first = 1;
	}
	for (int i = first; i < list_length(parts) - 1; i++)
	{
		char	   *alias = list_nth(parts, i);
		Association *a = fa_find_association(node, alias, where);
		FaNode	   *child = NULL;

		foreach(lc, node->children)
			if (((FaNode *) lfirst(lc))->assoc->id == a->id)
				child = lfirst(lc);
		if (child == NULL)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("association \"%s\" named in %s of %s is not included",
							alias, where, label),
					 errdetail("A $nested.column$ reference is a condition on the rows of an include."),
					 errhint("Include \"%s\" in %s.", alias, node->label)));
		if (child->separate)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("%s of %s names %s, which is separate",
							where, label, child->label),
					 errdetail("A separate include (or one with a limit) is loaded per parent and cannot filter the parents; Sequelize's separate query cannot see it either."),
					 errhint("Leave \"separate\" and \"limit\" out of %s, or put the condition in its own \"where\".",
							 child->label)));
		node = child;
	}
	*column = llast(parts);
	return node;
}

/*
 * A $nested.column$ key inside $or or $not, or in an include's where (see
 * WhereState): a comparison of a column of the level it names, which must
 * be the where's own level, one above it (whose row the where's rows
 * belong to: Sequelize's "$owner.name$" in the ON of the pugs) or one below
 * it (a condition on the joined rows, as the top level's).
 */
static FaCond *
nested_value(WhereState *ws, JPair *p)
{
	FaNode	   *root = ws->node;
	char	   *where = ws->node->assoc == NULL ?
		psprintf("\"%s\" of \"where\"", p->key) :
		psprintf("\"%s\" of \"where\" of %s", p->key, ws->node->label);
	char	   *column;
	FaNode	   *target;
	FaCond	   *c;

	while (root->parent != NULL)
		root = root->parent;
	target = nested_target(root, p, where, ws->node->label, &column);
	if (target != ws->node && !is_ancestor(target, ws->node) &&
		!is_ancestor(ws->node, target))
		ereport(ERROR,
				(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
				 errmsg("%s of %s names %s, which is not above or below it",
						where, ws->node->label, target->label),
				 errdetail("A $nested.column$ key in an include's where names a column of the include itself, of an include above it or of one below it."),
				 errhint("Put the condition in the top level's \"where\".")));
	c = column_value(target, fa_find_column(target, column, where), p->value);
	if (target != ws->node)
	{
		mark_node(c, target);
		ws->named = list_append_unique_ptr(ws->named, target);
	}
	return c;
}

/*
 * The where (v) of node again, once every include is known, with the
 * $nested.column$ keys that fa_parse_where() or fa_parse_top_where()
 * deferred: node->where compares columns of other levels (FaCond.node),
 * and
 *   - node->cross lists the includes below node that it names, and the
 *     includes between: a row of node is kept when the where holds for it
 *     and some row of the join of those includes, Sequelize's LEFT JOIN of
 *     them (a null row for none); each of them (cross_of) keeps only its
 *     rows that are in such a row of the join;
 *   - node->cross_up says that it names a level above node, whose row
 *     the rows of node belong to.
 * The top level's $and keys are fa_apply_nested_where()'s, as before.
 */
void
fa_resolve_where(FaNode *node, JsonbValue *v)
{
	WhereState	ws;
	List	   *ignored = NIL;
	ListCell   *lc;
	FaCond	   *c;

	memset(&ws, 0, sizeof(ws));
	ws.node = node;
	ws.resolve = true;
	c = where_items(node, v, FA_COND_AND,
					node->assoc == NULL ? &ignored : NULL, &ws);

	/*
	 * In place: the first parse's condition (never NULL: it has a stand-in
	 * for each deferred key) may have been taken already, by an aggregate
	 * over the include (find_all_agg.c).
	 */
	Assert(node->where != NULL);
	*node->where = c != NULL ? *c : *cond_const(true);
	foreach(lc, ws.named)
	{
		FaNode	   *target = lfirst(lc);

		if (is_ancestor(target, node))
			node->cross_up = true;
		else
			for (FaNode *n = target; n != node; n = n->parent)
				node->cross = list_append_unique_ptr(node->cross, n);
	}
	foreach(lc, node->cross)
	{
		FaNode	   *n = lfirst(lc);

		n->cross_of = lappend(n->cross_of, node);
	}
}

/*
 * Sequelize's "having" of the top level: conditions on aggregates over its
 * associations, "$count(pugs)$" as in where, or an aggregate attribute's
 * key, with $and, $or and $not.  As in Sequelize, whose HAVING is of the
 * joined rows, an aggregate of an included association is of the rows the
 * include gives (its where and its $nested.column$ conditions); in "where"
 * it is of all of them.  Parsed once the includes and the aggregate
 * attributes are known; ANDed with the where, as both filter the same
 * rows (one row per instance).
 */
void
fa_apply_having(FaNode *node, JsonbValue *v)
{
	FaCond	   *c;

	node->in_having = true;
	c = where_items(node, v, FA_COND_AND, NULL, NULL);
	node->in_having = false;
	node->where = make_bool(FA_COND_AND, list_make2(node->where, c));
}

/*
 * The $nested.column$ keys of the top level's where, once its includes are
 * parsed: "$pugs.toys.name$": {"$like": "b%"} is a condition on the rows of
 * the included pugs.toys, ANDed with that include's own where, and each
 * include of the path becomes required.  That is what Sequelize's WHERE
 * "pugs->toys"."name" LIKE 'b%' on its join does (without limit): a parent
 * is left out unless some joined row matches, and each array keeps only the
 * rows that belong to a matching one (pugs with such a toy, those toys);
 * Sequelize's own condition on a LEFT JOIN makes it required too, whatever
 * "required" says.  With limit and offset, find_all pages that result.
 */
void
fa_apply_nested_where(FaNode *root, List *nested)
{
	ListCell   *lc;

	foreach(lc, nested)
	{
		JPair	   *p = lfirst(lc);
		char	   *where = psprintf("\"%s\" of \"where\"", p->key);
		char	   *column;
		FaNode	   *node = nested_target(root, p, where, root->label, &column);
		FaCond	   *cond;

		cond = column_value(node, fa_find_column(node, column, where), p->value);
		/* no condition ("$notIn": []): Sequelize's WHERE has none either */
		if (cond == NULL)
			continue;
		node->where = make_bool(FA_COND_AND, list_make2(node->where, cond));
		for (FaNode *n = node; n != root; n = n->parent)
			n->required = true;
	}
}


/* ---------------------------------------------------------------------
 * after: keyset pagination
 * ---------------------------------------------------------------------
 */

/* The column = value, or IS NULL for null. */
static FaCond *
key_equals(FaNode *node, AssocColumn *col, char *value)
{
	if (value == NULL)
		return make_is_null(node, col, FA_OP_IS);
	return make_compare(node, col, FA_OP_EQ, list_make1(value));
}

/*
 * The rows of the key that come after value under the direction: for ASC
 * (NULLS LAST, PostgreSQL's default) the greater ones and the nulls, for
 * DESC (NULLS FIRST) the smaller ones; after a null, the non-null ones when
 * nulls come first, none when they come last.
 */
static FaCond *
key_after(FaNode *node, FaSortKey *k, char *value)
{
	bool		desc = strstr(k->direction, "DESC") != NULL;
	bool		nulls_first = strstr(k->direction, "NULLS FIRST") != NULL ||
		(desc && strstr(k->direction, "NULLS LAST") == NULL);
	FaCond	   *c;

	if (value == NULL)
		return nulls_first ? make_is_null(node, k->column, FA_OP_IS_NOT) : cond_const(false);
	c = make_compare(node, k->column, desc ? FA_OP_LT : FA_OP_GT, list_make1(value));
	if (!nulls_first && !k->column->notnull)
		c = make_bool(FA_COND_OR, list_make2(c, make_is_null(node, k->column, FA_OP_IS)));
	return c;
}

/*
 * The condition of "after" of the top level: its values are the previous
 * page's last row's values of the order's keys, then of the primary key
 * columns the order does not name (the tie breakers of every order), and
 * the rows after that row are those of
 *
 *   k1 after v1 OR (k1 = v1 AND k2 after v2) OR ...
 *
 * with the first key's bound ANDed in front when its column is NOT NULL
 * (k1 >= v1), so that an index on it gives the page's start: page 1000
 * costs what page 1 costs.  The order must be given and be on the model's
 * own columns.
 */
FaCond *
fa_keyset_condition(FaNode *node, JsonbValue *after)
{
	List	   *keys;
	List	   *values = NIL;
	List	   *elems;
	List	   *ors = NIL;
	List	   *prefix = NIL;
	StringInfoData names;
	ListCell   *lc;
	ListCell   *lc2;
	FaSortKey  *first;

	/* a cursor: the order is the query's, the primary key without one */
	if (after->type == jbvString)
	{
		keys = fa_keyset_keys(node, "after");
		elems = fa_cursor_values(node, fa_json_scalar_text(after),
								 fa_cursor_signature(node, keys));
	}
	else
	{
		if (node->order == NIL)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("option \"after\" in %s needs an \"order\"", node->label),
					 errdetail("\"after\" gives the last row of the previous page under the order."),
					 errhint("Add for instance \"order\": [\"id\"] and pass the last row's id in \"after\".")));
		keys = fa_keyset_keys(node, "after");
		elems = fa_json_elements(after);
	}
	initStringInfo(&names);
	foreach(lc, keys)
		appendStringInfo(&names, "%s%s", names.len > 0 ? ", " : "",
						 ((FaSortKey *) lfirst(lc))->column->name);
	if (list_length(elems) != list_length(keys))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg_plural("option \"after\" in %s must have %d value, one per key of the order",
							   "option \"after\" in %s must have %d values, one per key of the order",
							   list_length(keys), node->label, list_length(keys)),
				 errdetail("It has %d; the keys are %s (the primary key ends every order).",
						   list_length(elems), names.data),
				 errhint("Pass the values of the previous page's last row, as in \"after\": [%s].",
						 names.data)));
	forboth(lc, keys, lc2, elems)
	{
		FaSortKey  *k = lfirst(lc);
		JsonbValue *e = lfirst(lc2);
		char	   *option = psprintf("\"after\" (key %s)", k->column->name);
		char	   *value;

		if (e->type != jbvNull && !fa_json_is_scalar(e))
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("value for column \"%s\" in \"after\" of %s must be a string, a number, a boolean or null",
							k->column->name, node->label),
					 errdetail("It is %s.", fa_json_describe(e))));
		value = fa_json_scalar_text(e);
		if (value == NULL && k->column->notnull)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("value for column \"%s\" in \"after\" of %s is null, but the column is NOT NULL",
							k->column->name, node->label),
					 errhint("Pass the previous page's last row's value of \"%s\".", k->column->name)));
		check_value_in(node, k->column, value, option);
		values = lappend(values, value);
	}

	forboth(lc, keys, lc2, values)
	{
		ors = lappend(ors, make_bool(FA_COND_AND,
									 lappend(list_copy(prefix),
											 key_after(node, lfirst(lc), lfirst(lc2)))));
		prefix = lappend(prefix, key_equals(node, ((FaSortKey *) lfirst(lc))->column,
											lfirst(lc2)));
	}
	first = linitial(keys);
	if (list_length(keys) > 1 && first->column->notnull)
	{
		bool		desc = strstr(first->direction, "DESC") != NULL;

		return make_bool(FA_COND_AND,
						 list_make2(make_compare(node, first->column, desc ? FA_OP_LTE : FA_OP_GTE,
												 list_make1(linitial(values))),
									make_bool(FA_COND_OR, ors)));
	}
	return make_bool(FA_COND_OR, ors);
}
