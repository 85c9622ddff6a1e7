/*
 * find_all_order.c
 *	  The "order" of find_all's options: each item resolved into a sort key
 *	  (FaSortKey, find_all.h) on a column of the level, of an include below
 *	  it, or of a belongs_to_many include's through table; then every key
 *	  given to each node whose rows it orders.
 *
 * An item is a column, or an array [association..., column, direction]:
 * each association is an included child of the one before (its alias,
 * {"association"}, {"model"}), the through model may follow a
 * belongs_to_many include, and the direction is one of Sequelize's.
 */
#include "postgres.h"

#include "lib/stringinfo.h"

#include "find_all_int.h"

/* Sequelize's directions, as its query generator accepts them */
static const char *const directions[] = {
	"ASC", "DESC", "ASC NULLS LAST", "DESC NULLS LAST", "ASC NULLS FIRST",
	"DESC NULLS FIRST", "NULLS FIRST", "NULLS LAST", NULL
};

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
order_step(FaNode *node, JsonbValue *e, int item,
		   const char *option, bool next_is_last, JsonbValue *last)
{
	char	   *where = psprintf("item %d of \"%s\"", item, option);
	const char *alias = NULL;
	const char *model = NULL;
	ListCell   *lc;

	if (e->type == jbvString)
		alias = fa_json_scalar_text(e);
	else if (fa_json_is_object(e))
	{
		List	   *pairs = fa_json_pairs(e);
		char	   *label = psprintf("%s of %s", where, node->label);
		JsonbValue *a;

		fa_check_options(pairs, FA_OPT_ORDER_ITEM, label);
		/* "as" is "association" too; "association" wins */
		if ((a = fa_option(pairs, FA_OPT_ORDER_ITEM, "association", label)) != NULL ||
			(a = fa_option(pairs, FA_OPT_ORDER_ITEM, "as", label)) != NULL)
			alias = fa_json_scalar_text(a);
		if ((a = fa_option(pairs, FA_OPT_ORDER_ITEM, "model", label)) != NULL)
			model = fa_json_scalar_text(a);
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
						   fa_json_describe(e))));

	foreach(lc, node->children)
	{
		FaNode	   *c = lfirst(lc);

		if ((alias == NULL || strcmp(c->assoc->alias, alias) == 0) &&
			(model == NULL || fa_model_matches(c->table, model)))
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
		if (next_is_last && fa_has_column(ti, alias))
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("invalid direction in %s of %s", where, node->label),
					 errdetail("Column \"%s\" is followed by %s.", alias, fa_json_describe(last)),
					 errhint("Directions are %s.", fa_join_names(directions))));
		(void) fa_find_association(node, alias, where);
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
		name = fa_json_scalar_text(e);
	else if (fa_json_is_object(e))
	{
		List	   *pairs = fa_json_pairs(e);
		JsonbValue *m = fa_pair_value(pairs, "model");

		if (list_length(pairs) != 1 || m == NULL || m->type != jbvString)
			return false;
		name = fa_json_scalar_text(m);
	}
	else
		return false;
	foreach(lc, node->children)
	{
		FaNode	   *c = lfirst(lc);

		if (strcmp(c->assoc->alias, name) == 0 ||
			(e->type != jbvString && fa_model_matches(c->table, name)))
			return false;
	}
	return fa_model_matches(node->through->table, name);
}

/* The column of node's through table that an order item names. */
static AssocColumn *
find_through_column(FaNode *node, FaNode *ordered, const char *name, int item)
{
	FaTable    *hi = fa_cache_table(node->through->table);
	AssocColumn *col = fa_lookup_column(hi, name);

	if (col == NULL)
		ereport(ERROR,
				(errcode(ERRCODE_UNDEFINED_COLUMN),
				 errmsg("column \"%s\" of through table %s does not exist", name,
						node->through->table->qualname),
				 errdetail("Item %d of \"order\" of %s orders by a column of the through model \"%s\" of %s.",
						   item, ordered->label, node->through->table->model_name, node->label),
				 errhint("Columns of %s are: %s.", node->through->table->qualname,
						 fa_column_names(hi))));
	return col;
}

/* The keys of an "order" of node (an array, as fa_option checked). */
List *
fa_parse_order(FaNode *node, JsonbValue *v)
{
	List	   *result = NIL;
	ListCell   *lc;
	int			item = 0;

	foreach(lc, fa_json_elements(v))
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
		else if (fa_json_is_array(it))
			elems = fa_json_elements(it);
		else
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("item %d of \"order\" of %s is invalid", item, node->label),
					 errdetail("An order item is a column name or an array [association..., column, direction]; it is %s.",
							   fa_json_describe(it))));
		n = list_length(elems);
		if (n == 0)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("item %d of \"order\" of %s is empty", item, node->label)));
		key->direction = "";
		if (n >= 2 && ((JsonbValue *) llast(elems))->type == jbvString)
		{
			const char *dir = find_direction(fa_json_scalar_text(llast(elems)));

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
					fa_has_column(fa_cache_table(cur->through->table), fa_json_scalar_text(next)))
					ereport(ERROR,
							(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
							 errmsg("invalid direction in item %d of \"order\" of %s", item, node->label),
							 errdetail("Column \"%s\" of the through model \"%s\" is followed by %s.",
									   fa_json_scalar_text(next), cur->through->table->model_name,
									   fa_json_describe(list_nth(elems, n - 1))),
							 errhint("Directions are %s.", fa_join_names(directions))));
				if (i != n - 2)
					ereport(ERROR,
							(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
							 errmsg("item %d of \"order\" of %s goes on after the through model \"%s\" of %s",
									item, node->label, cur->through->table->model_name, cur->label),
							 errdetail("Only a column of the through table and a direction may follow it."),
							 errhint("Write [\"%s\", \"%s\", \"column\", \"DESC\"].",
									 cur->assoc->alias, cur->through->table->model_name)));
				key->through = true;
				break;
			}
			cur = order_step(cur, list_nth(elems, i), item, "order",
							 i == n - 2, list_nth(elems, n - 1));
			key->path = lappend(key->path, cur);
		}
		colval = list_nth(elems, n - 1);
		if (colval->type != jbvString)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("item %d of \"order\" of %s must end with a column name",
							item, node->label),
					 errdetail("It ends with %s.", fa_json_describe(colval))));
		colname = fa_json_scalar_text(colval);
		if (n == 1 && find_direction(colname) != NULL &&
			!fa_has_column(fa_cache_table(cur->table), colname))
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("item %d of \"order\" of %s is a direction, not a column", item, node->label),
					 errhint("Each item is an array of its own: [[\"name\", \"DESC\"]], not [\"name\", \"DESC\"].")));
		if (key->through)
			key->column = find_through_column(cur, node, colname, item);
		else if (order_names_through(cur, colval) &&
				 !fa_has_column(fa_cache_table(cur->table), colname))
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("item %d of \"order\" of %s ends with the through model \"%s\" of %s",
							item, node->label, cur->through->table->model_name, cur->label),
					 errdetail("An order item ends with a column."),
					 errhint("Name a column of %s after it: [..., \"%s\", \"column\", \"DESC\"].",
							 cur->through->table->qualname, colname)));
		else
			key->column = fa_find_column(cur, colname,
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

/* Gives every node of the tree its sort keys, from the "order" of each. */
void
fa_assign_sort_keys(FaNode *node)
{
	ListCell   *lc;

	foreach(lc, node->order)
	{
		FaSortKey  *k = lfirst(lc);

		distribute_key(node, k);
	}
	foreach(lc, node->children)
		fa_assign_sort_keys(lfirst(lc));
}
