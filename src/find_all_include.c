/*
 * find_all_include.c
 *	  The include tree of find_all's options: the nodes (FaNode,
 *	  find_all.h) of the associations an "include" names, one by one or by
 *	  {"all": ...} as Sequelize expands it.
 *
 * Each include's own options (where, attributes, its own includes, ...)
 * are a level's: they are parsed by the level parser of
 * find_all_options.c, which this file calls back through FaParse.
 * Includes are bounded in number and depth, so that a cycle of
 * associations cannot make a statement without end.
 */
#include "postgres.h"

#include "miscadmin.h"

#include "nodes/value.h"

#include "find_all_int.h"

/* more includes than this is a runaway {"all": true, "nested": true} */
#define MAX_INCLUDES 1000

/* how deep includes may nest */
#define FA_MAX_INCLUDE_DEPTH 16

/*
 * A node of the table (the top level, an include, a through row) with its
 * defaults: every column, in table order, no limit.
 */
FaNode *
fa_new_node(AssocTable *table, FaNode *parent, Association *a, char *path,
			char *label)
{
	FaNode	   *n = palloc0(sizeof(FaNode));
	FaTable    *ti = fa_cache_table(table);

	n->parent = parent;
	n->assoc = a;
	n->limit = -1;
	n->emit = true;
	n->table = ti->table;
	n->path = path;
	n->label = label;
	n->columns = list_copy(ti->columns);
	n->all_columns = ti->columns;
	n->pkey = ti->pkey;
	return n;
}

/* A new include node for association a under parent. */
static FaNode *
new_node(FaParse *ps, FaNode *parent, Association *a)
{
	char	   *path;
	char	   *label;
	FaNode	   *n;

	path = parent->path ? psprintf("%s.%s", parent->path, a->alias) : pstrdup(a->alias);
	label = psprintf("include \"%s\"", path);
	if (++ps->nnodes > MAX_INCLUDES)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("find_all options include more than %d associations", MAX_INCLUDES),
				 errdetail("The limit was reached at %s.", label),
				 errhint("Name the includes you need instead of {\"all\": true, \"nested\": true}.")));
	n = fa_new_node(a->target, parent, a, path, label);

	/*
	 * belongs_to_many joins through a third table; each target carries its
	 * through row (all the columns by default, in table order) under the
	 * through table's model name, as the generated loaders do.
	 */
	if (a->kind == ASSOC_BELONGS_TO_MANY)
		n->through = fa_new_node(a->through, n, a, n->path,
								 psprintf("\"through\" of %s", n->label));
	return n;
}

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
	{
		/* a polymorphic association is no child (find_all_poly.c) */
		if (fa_add_polymorphic(parent, fa_json_scalar_text(e), NIL))
			return;
		a = fa_find_association(parent, fa_json_scalar_text(e), where);
	}
	else
	{
		JsonbValue *assoc;
		JsonbValue *as;
		JsonbValue *model;
		char	   *alias = NULL;
		char	   *label = psprintf("%s of %s", where, parent->label);

		pairs = fa_json_pairs(e);
		fa_check_options(pairs, FA_OPT_INCLUDE, label);
		assoc = fa_option(pairs, FA_OPT_INCLUDE, "association", label);
		as = fa_option(pairs, FA_OPT_INCLUDE, "as", label);
		model = fa_option(pairs, FA_OPT_INCLUDE, "model", label);
		if (assoc != NULL)
			alias = fa_json_scalar_text(assoc);
		if (as != NULL)
		{
			if (alias != NULL && strcmp(alias, fa_json_scalar_text(as)) != 0)
				ereport(ERROR,
						(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
						 errmsg("\"association\" and \"as\" differ in %s", label),
						 errdetail("\"as\" names the association too; they are \"%s\" and \"%s\".",
								   alias, fa_json_scalar_text(as))));
			alias = fa_json_scalar_text(as);
		}
		if (alias != NULL && fa_add_polymorphic(parent, alias, pairs))
			return;
		if (alias != NULL)
		{
			a = fa_find_association(parent, alias, where);
			if (model != NULL && !fa_model_matches(a->target, fa_json_scalar_text(model)))
				ereport(ERROR,
						(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
						 errmsg("association \"%s\" of table %s is with table %s, not with model \"%s\"",
								alias, parent->table->qualname,
								a->target->qualname, fa_json_scalar_text(model)),
						 errdetail("Both are named in %s.", label)));
		}
		else if (model != NULL)
			a = fa_find_association_by_model(parent, fa_json_scalar_text(model), where);
		else
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("%s names no association", label),
					 errhint("Write {\"association\": \"...\"}, {\"model\": \"...\"} or {\"all\": true}.")));
	}
	child = new_node(ps, parent, a);
	add_child(parent, child);
	ps->parse_level(ps, child, pairs);
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
				(fa_alias_is_default(a) || strcmp(c->assoc->alias, a->alias) == 0))
				skip = true;
		}
		if (skip)
			continue;
		if (ax->nested && list_member_oid(ax->used, a->target->relid))
			continue;
		ax->used = lappend_oid(ax->used, parent->table->relid);
		child = new_node(ax->ps, parent, a);
		add_child(parent, child);
		ax->ps->parse_level(ax->ps, child, ax->template);
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
	JsonbValue *all;
	JsonbValue *nested;
	ListCell   *lc;

	memset(&ax, 0, sizeof(ax));
	ax.ps = ps;
	fa_check_options(pairs, FA_OPT_ALL, label);
	foreach(lc, pairs)
	{
		JPair	   *p = lfirst(lc);

		if (strcmp(p->key, "all") != 0 && strcmp(p->key, "nested") != 0)
			ax.template = lappend(ax.template, p);
	}
	if ((nested = fa_option(pairs, FA_OPT_ALL, "nested", label)) != NULL)
		ax.nested = nested->val.boolean;
	all = fa_option(pairs, FA_OPT_ALL, "all", label);

	/* true, or Sequelize's association types */
	if (all->type == jbvBool && all->val.boolean)
	{
		for (int i = 0; i < (int) lengthof(ax.kinds); i++)
			ax.kinds[i] = true;
	}
	else if (all->type == jbvString || fa_json_is_array(all))
	{
		List	   *types = all->type == jbvString ? list_make1(all) : fa_json_elements(all);

		foreach(lc, types)
		{
			JsonbValue *t = lfirst(lc);
			char	   *s = t->type == jbvString ? fa_json_scalar_text(t) : NULL;

			if (s == NULL)
				fa_wrong_type("all", label, "true or association types", t);
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
		fa_wrong_type("all", label, "true or association types", all);

	add_all_includes(&ax, parent);
}

/*
 * The "include" of node (an array, or one association name or object, as
 * fa_option checked): its children, each with its own options.
 */
void
fa_parse_includes(FaParse *ps, FaNode *node, JsonbValue *v)
{
	List	   *elems;
	List	   *alls = NIL;
	ListCell   *lc;
	int			i = 0;

	if (fa_json_is_array(v))
		elems = fa_json_elements(v);
	else
		elems = list_make1(v);

	/* Sequelize: explicit includes first, then what each "all" adds */
	foreach(lc, elems)
	{
		JsonbValue *e = lfirst(lc);

		i++;
		if (fa_json_is_object(e) && fa_pair_value(fa_json_pairs(e), "all") != NULL)
			alls = lappend(alls, list_make2(e, makeInteger(i)));
		else if (e->type == jbvString || fa_json_is_object(e))
			parse_include(ps, node, e, i);
		else
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("element %d of \"include\" of %s must be an association name or an object",
							i, node->label),
					 errdetail("It is %s.", fa_json_describe(e))));
	}
	foreach(lc, alls)
	{
		List	   *pair = lfirst(lc);

		expand_all(ps, node, fa_json_pairs(linitial(pair)), intVal(lsecond(pair)));
	}
}
