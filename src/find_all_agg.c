/*
 * find_all_agg.c
 *	  Aggregates over associations in find_all's options: count, sum, min,
 *	  max and avg of an association's rows, per row of a level, resolved
 *	  into FaAgg (find_all.h) for attributes, where and order.
 *
 * Three spellings, one meaning:
 *
 *	 {"fn": "COUNT", "col": "pugs.id"}	Sequelize's fn(col) in JSON, in
 *										attributes.include and order
 *	 "$count(pugs)$", "$sum(pugs.weight)$"	a where or having key, an order
 *										item
 *	 {"association": "pugs", "count": "pugCount"}	an include that counts
 *
 * and DISTINCT, as Sequelize's fn('COUNT', fn('DISTINCT', col('pugs.name')))
 * writes it, {"fn": "COUNT", "col": {"fn": "DISTINCT", "col": "pugs.name"}},
 * or {"fn": "COUNT", "distinct": true, "col": "pugs.name"}, or
 * "$count(DISTINCT pugs.name)$": the aggregate of the column's distinct
 * values.
 *
 * The path is associations from the level, then optionally a column of the
 * last one; without a column only count is taken (the number of rows).
 * The function comes from a fixed list and is written as pg_catalog.<fn>;
 * its result type is that of PostgreSQL's aggregate for the column's type,
 * found as the parser finds it (func_get_detail), so that sum of a text
 * column is an error here and never in the statement.
 */
#include "postgres.h"

#include "catalog/pg_type.h"
#include "nodes/makefuncs.h"
#include "parser/parse_func.h"
#include "utils/builtins.h"
#include "utils/lsyscache.h"
#include "utils/typcache.h"

#include "find_all_int.h"

static const char *const agg_functions[] = {"count", "sum", "min", "max", "avg", NULL};

/* The function of the list that name names (any case), or an error. */
static const char *
agg_function(FaNode *node, const char *name, const char *where)
{
	for (int i = 0; agg_functions[i]; i++)
		if (pg_strcasecmp(name, agg_functions[i]) == 0)
			return agg_functions[i];
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("unknown aggregate function \"%s\" in %s of %s",
					name, where, node->label),
			 errhint("Aggregates are %s.", fa_join_names(agg_functions))));
	return NULL;				/* keep compiler quiet */
}

/* The result type of pg_catalog.fn(column), or an error. */
static Oid
agg_result_type(FaAgg *g, FaNode *last, const char *where, FaNode *node)
{
	List	   *name = list_make2(makeString("pg_catalog"), makeString((char *) g->fn));
	Oid			argtype = g->column->typid;
	Oid			funcid;
	Oid			rettype;
	bool		retset;
	int			nvargs;
	Oid			vatype;
	Oid		   *true_types;
	FuncDetailCode code;

	code = func_get_detail(name, NIL, NIL, 1, &argtype, false, false, false,
						   &funcid, &rettype, &retset, &nvargs, &vatype,
						   &true_types, NULL);
	if (code != FUNCDETAIL_AGGREGATE)
		ereport(ERROR,
				(errcode(ERRCODE_UNDEFINED_FUNCTION),
				 errmsg("aggregate %s cannot be applied to column \"%s\" of table %s",
						g->fn, g->column->name, last->table->qualname),
				 errdetail("The column is of type %s, which %s has no version for; it is named in %s of %s.",
						   format_type_be(argtype), g->fn, where, node->label),
				 errhint("count takes any column; sum and avg take numbers and intervals; min and max take ordered types.")));
	/* min and max of an enum or an array: the column's own type */
	if (IsPolymorphicType(rettype))
		rettype = argtype;
	return rettype;
}

static bool
has_association(FaNode *node, const char *name)
{
	ListCell   *lc;

	foreach(lc, fa_cache_associations(fa_cache_table(node->table)))
		if (strcmp(((Association *) lfirst(lc))->alias, name) == 0)
			return true;
	return false;
}

/*
 * The aggregate fn of path ("pugs", "pugs.id", "pugs.toys.label") from
 * node.  Each association of the path is a node of its own; an association
 * the node includes lends it its where (and its through where), so that
 * the aggregate is of the rows the include gives, as in Sequelize, whose
 * fn(col) is of the joined rows; a paranoid model's soft-deleted rows are
 * left out as in every level (its "paranoid": false lent too).
 */
static FaAgg *
make_agg(FaNode *node, const char *fnname, const char *path, bool distinct,
		 const char *where, bool from_includes)
{
	FaAgg	   *g = palloc0(sizeof(FaAgg));
	char	   *copy = pstrdup(path);
	char	   *part;
	char	   *save = NULL;
	FaNode	   *cur = node;
	FaNode	   *inc = from_includes ? node : NULL;
	List	   *parts = NIL;
	ListCell   *lc;

	g->fn = agg_function(node, fnname, where);
	g->distinct = distinct;
	for (part = strtok_r(copy, ".", &save); part; part = strtok_r(NULL, ".", &save))
		parts = lappend(parts, part);
	if (parts == NIL)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("aggregate %s in %s of %s names no association",
						g->fn, where, node->label),
				 errhint("Write an association and a column: \"pugs.id\".")));
	foreach(lc, parts)
	{
		char	   *name = lfirst(lc);
		Association *a;
		FaNode	   *n;

		if (lnext(parts, lc) == NULL && g->chain != NIL &&
			(fa_has_column(fa_cache_table(cur->table), name) ||
			 !has_association(cur, name)))
		{
			/* a column, or the error naming the table's columns */
			g->column = fa_find_column(cur, name, where);
			break;
		}
		a = fa_find_association(cur, name, where);
		n = fa_new_node(a->target, cur, a,
						cur->path ? psprintf("%s.%s", cur->path, a->alias) : pstrdup(a->alias),
						node->label);
		n->emit = false;
		if (a->kind == ASSOC_BELONGS_TO_MANY)
			n->through = fa_new_node(a->through, n, a, n->path,
									 psprintf("\"through\" of %s", n->label));
		/* the include of that association, if the level has it */
		if (inc != NULL)
		{
			FaNode	   *found = NULL;
			ListCell   *lc2;

			foreach(lc2, inc->children)
				if (((FaNode *) lfirst(lc2))->assoc->id == a->id)
					found = lfirst(lc2);
			if (found != NULL)
			{
				n->where = found->where;
				n->with_deleted = found->with_deleted;
				if (found->through != NULL && n->through != NULL)
				{
					n->through->where = found->through->where;
					n->through->with_deleted = found->through->with_deleted;
				}
			}
			inc = found;
		}
		g->chain = lappend(g->chain, n);
		cur = n;
	}
	g->result = palloc0(sizeof(AssocColumn));
	g->result->name = psprintf("%s(%s%s)", g->fn, distinct ? "DISTINCT " : "", path);
	if (distinct && g->column == NULL)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("aggregate %s of association \"%s\" needs a column, in %s of %s",
						g->result->name, path, where, node->label),
				 errdetail("DISTINCT takes the distinct values of a column."),
				 errhint("Name a column after the association: \"%s.column\".", path)));
	/* DISTINCT sorts the values: the type needs an ordering */
	if (distinct &&
		!OidIsValid(lookup_type_cache(g->column->typid, TYPECACHE_LT_OPR)->lt_opr))
		ereport(ERROR,
				(errcode(ERRCODE_UNDEFINED_FUNCTION),
				 errmsg("aggregate %s cannot be applied to column \"%s\" of table %s",
						g->result->name, g->column->name, cur->table->qualname),
				 errdetail("The column is of type %s, which has no ordering to find its distinct values by; it is named in %s of %s.",
						   format_type_be(g->column->typid), where, node->label),
				 errhint("Leave DISTINCT out, or aggregate another column.")));
	if (g->column == NULL)
	{
		if (strcmp(g->fn, "count") != 0)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("aggregate %s of association \"%s\" needs a column, in %s of %s",
							g->fn, path, where, node->label),
					 errdetail("Only count takes an association alone (its number of rows)."),
					 errhint("Name a column after the association: \"%s.column\".", path)));
		g->result->typid = INT8OID;
	}
	else if (strcmp(g->fn, "count") == 0)
		g->result->typid = INT8OID;
	else
		g->result->typid = agg_result_type(g, cur, where, node);
	g->result->typmod = -1;
	return g;
}

/* "$count(pugs)$", "$sum(pugs.weight)$": an aggregate reference? */
bool
fa_is_agg_reference(const char *key)
{
	size_t		len = strlen(key);
	const char *open = strchr(key, '(');

	return len > 4 && key[0] == '$' && key[len - 1] == '$' &&
		key[len - 2] == ')' && open != NULL && open > key + 1;
}

/*
 * The aggregate of "$fn(path)$" or "$fn(DISTINCT path)$"
 * (fa_is_agg_reference said it is one).
 */
FaAgg *
fa_agg_reference(FaNode *node, const char *key, const char *option,
				 bool from_includes)
{
	const char *open = strchr(key, '(');
	char	   *fn = pnstrdup(key + 1, open - key - 1);
	char	   *path = pnstrdup(open + 1, strlen(open + 1) - 2);
	bool		distinct = pg_strncasecmp(path, "distinct ", 9) == 0;

	if (distinct)
		path += 9;
	return make_agg(node, fn, path, distinct,
					psprintf("\"%s\" of %s", key, option), from_includes);
}

/*
 * {"fn": name, "col": "association.column"}, optionally "distinct": true;
 * with distinct_fn, {"fn": "DISTINCT", "col": ...} (in an aggregate's
 * col).  fn and col are returned, and distinct when given.
 */
static bool
agg_object_parts(JsonbValue *v, bool distinct_fn, JsonbValue **fn,
				 JsonbValue **col, bool *distinct)
{
	List	   *pairs = fa_json_pairs(v);
	JsonbValue *d = distinct_fn ? NULL : fa_pair_value(pairs, "distinct");

	*fn = fa_pair_value(pairs, "fn");
	*col = fa_pair_value(pairs, "col");
	if (d != NULL)
	{
		if (d->type != jbvBool)
			return false;
		*distinct = d->val.boolean;
	}
	return list_length(pairs) == (d != NULL ? 3 : 2) && *fn != NULL &&
		*col != NULL && (*fn)->type == jbvString &&
		(!distinct_fn || pg_strcasecmp(fa_json_scalar_text(*fn), "distinct") == 0);
}

/*
 * Sequelize's {"fn": "COUNT", "col": "pugs.id"} (an object), with DISTINCT
 * as "distinct": true or a col {"fn": "DISTINCT", "col": "pugs.name"}.
 */
FaAgg *
fa_agg_object(FaNode *node, JsonbValue *v, const char *where)
{
	JsonbValue *fn;
	JsonbValue *col;
	JsonbValue *inner_fn;
	bool		distinct = false;
	bool		valid = agg_object_parts(v, false, &fn, &col, &distinct);

	/* fn('DISTINCT', col(...)) as the argument */
	if (valid && fa_json_is_object(col))
	{
		valid = !distinct &&
			agg_object_parts(col, true, &inner_fn, &col, &distinct);
		distinct = true;
	}
	if (!valid || col->type != jbvString)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("invalid aggregate in %s of %s", where, node->label),
				 errdetail("An aggregate is {\"fn\": name, \"col\": \"association.column\"}, both strings, and optionally \"distinct\": true; it is %s.",
						   fa_json_describe(v)),
				 errhint("Write for instance {\"fn\": \"COUNT\", \"col\": \"pugs.id\"}, or {\"fn\": \"COUNT\", \"col\": {\"fn\": \"DISTINCT\", \"col\": \"pugs.name\"}}.")));
	return make_agg(node, fa_json_scalar_text(fn), fa_json_scalar_text(col),
					distinct, where, true);
}

/* The count of an include with "count": its rows, under its where. */
FaAgg *
fa_agg_of_include(FaNode *inc, char *key)
{
	FaAgg	   *g = palloc0(sizeof(FaAgg));

	g->fn = "count";
	g->chain = list_make1(inc);
	g->key = key;
	g->result = palloc0(sizeof(AssocColumn));
	g->result->name = psprintf("count(%s)", inc->assoc->alias);
	g->result->typid = INT8OID;
	g->result->typmod = -1;
	return g;
}
