/*
 * find_all_options.c
 *	  The options of assoc.find_all, Sequelize's findAll options in JSON,
 *	  parsed and checked into a tree of FaNode (find_all.h): the top level.
 *
 * A level is the top or one include: its attributes, where, limit and the
 * other options of one object, its includes (find_all_include.c, which
 * calls back parse_level() for each), then its order (find_all_order.c,
 * which names the includes).  Everything the caller names is resolved
 * against the catalog and the system catalogs (find_all_names.c), every
 * value passed through its column's input function (find_all_where.c);
 * an error names the option and the include it was found in.  Nothing
 * here writes SQL: find_all_deparse.c does, from the tree alone.
 *
 * Where Sequelize is odd or silent, README.md ("Differences from
 * Sequelize") says what find_all does.
 */
#include "postgres.h"

#include "find_all_int.h"

/*
 * The columns an array of column names names (option says which), once
 * each.  With aggs, the [aggregate, key] pairs among them go there, to be
 * resolved once the includes are known (attribute_aggs()).
 */
static List *
column_list(FaNode *node, JsonbValue *v, const char *option, List **aggs)
{
	List	   *result = NIL;
	ListCell   *lc;
	int			i = 0;

	foreach(lc, fa_json_elements(v))
	{
		JsonbValue *e = lfirst(lc);
		AssocColumn *col;

		i++;
		if (aggs != NULL && fa_json_is_array(e))
		{
			*aggs = lappend(*aggs, e);
			continue;
		}
		if (e->type != jbvString)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("element %d of option \"%s\" in %s must be a column name",
							i, option, node->label),
					 errdetail("It is %s.", fa_json_describe(e)),
					 errhint("Computed attributes and [column, alias] pairs are not supported.")));
		col = fa_find_column(node, fa_json_scalar_text(e),
							 psprintf("\"%s\"", option));
		if (!fa_column_in(result, col))
			result = lappend(result, col);
	}
	return result;
}

/*
 * The "attributes" of node: an array of column names or {"exclude": [...],
 * "include": [...]}; aggs (may be NULL: no aggregates there) receives the
 * [aggregate, key] pairs.
 */
static void
parse_attributes(FaNode *node, JsonbValue *v, List **aggs)
{
	if (fa_json_is_object(v))
	{
		List	   *pairs = fa_json_pairs(v);
		JsonbValue *ex;
		JsonbValue *inc;
		List	   *excluded;
		List	   *kept = NIL;
		ListCell   *lc;

		fa_check_options(pairs, FA_OPT_ATTRIBUTES,
						 psprintf("\"attributes\" of %s", node->label));
		/* Sequelize's include: columns (there already) and aggregates */
		if ((inc = fa_option(pairs, FA_OPT_ATTRIBUTES, "include", node->label)) != NULL)
			(void) column_list(node, inc, "attributes.include", aggs);
		ex = fa_option(pairs, FA_OPT_ATTRIBUTES, "exclude", node->label);
		if (ex == NULL)
			return;
		excluded = column_list(node, ex, "attributes.exclude", NULL);
		foreach(lc, node->columns)
			if (!fa_column_in(excluded, lfirst(lc)))
				kept = lappend(kept, lfirst(lc));
		node->columns = kept;
		return;
	}
	node->columns = column_list(node, v, "attributes", aggs);
	/* Sequelize: an include with attributes [] has no key in the JSON */
	if (node->columns == NIL && node->assoc != NULL && (aggs == NULL || *aggs == NIL))
		node->emit = false;
}

/* Is key a key of node's JSON already (a column, an include, an aggregate)? */
static const char *
key_taken(FaNode *node, const char *key)
{
	ListCell   *lc;

	foreach(lc, node->columns)
		if (strcmp(((AssocColumn *) lfirst(lc))->name, key) == 0)
			return "column";
	foreach(lc, node->children)
		if (((FaNode *) lfirst(lc))->emit &&
			strcmp(((FaNode *) lfirst(lc))->assoc->alias, key) == 0)
			return "included association";
	foreach(lc, node->polys)
		if (strcmp(((FaPoly *) lfirst(lc))->name, key) == 0)
			return "included association";
	foreach(lc, node->aggs)
		if (strcmp(((FaAgg *) lfirst(lc))->key, key) == 0)
			return "aggregate";
	if (node->through != NULL && node->through->emit &&
		strcmp(node->through->table->model, key) == 0)
		return "through row";
	return NULL;
}

/* g goes into node's JSON under g->key, a key of its own. */
static void
add_agg(FaNode *node, FaAgg *g, const char *where)
{
	const char *clash = key_taken(node, g->key);

	if (clash != NULL)
		ereport(ERROR,
				(errcode(ERRCODE_DUPLICATE_COLUMN),
				 errmsg("key \"%s\" of %s in %s collides with a%s %s", g->key,
						g->result->name, where,
						strchr("aeiou", clash[0]) ? "n" : "", clash),
				 errdetail("The JSON of %s would have two keys \"%s\".",
						   node->label, g->key),
				 errhint("Give the aggregate another key.")));
	node->aggs = lappend(node->aggs, g);
}

/*
 * Sequelize's [fn(col), key] attributes in JSON, [{"fn": "COUNT", "col":
 * "pugs.id"}, "pugCount"]: aggregates per instance, after its columns.
 */
static void
attribute_aggs(FaNode *node, List *items)
{
	ListCell   *lc;
	int			i = 0;

	foreach(lc, items)
	{
		List	   *pair = fa_json_elements(lfirst(lc));
		char	   *where = psprintf("aggregate %d of \"attributes\"", ++i);
		FaAgg	   *g;

		if (list_length(pair) != 2 || !fa_json_is_object(linitial(pair)) ||
			((JsonbValue *) lsecond(pair))->type != jbvString)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("%s of %s must be [aggregate, key]", where, node->label),
					 errdetail("It is %s.", fa_json_describe(lfirst(lc))),
					 errhint("Write for instance [{\"fn\": \"COUNT\", \"col\": \"pugs.id\"}, \"pugCount\"]; renaming a column ([column, key]) is not supported.")));
		g = fa_agg_object(node, linitial(pair), where);
		g->key = fa_json_scalar_text(lsecond(pair));
		add_agg(node, g, where);
	}
}

/*
 * Sequelize's "group", which its fn(col) attributes need: find_all gives
 * one row per instance whatever it says, so it must group by instance, by
 * the primary key or by every selected column; "id", "owner.id" (model
 * name) and "owners.id" (table name) name a column.
 */
static void
parse_group(FaNode *node, JsonbValue *v)
{
	List	   *elems = v->type == jbvString ? list_make1(v) : fa_json_elements(v);
	List	   *cols = NIL;
	bool		pkey = true;
	bool		selected = true;
	ListCell   *lc;

	foreach(lc, elems)
	{
		JsonbValue *e = lfirst(lc);
		char	   *name;
		char	   *dot;

		if (e->type != jbvString)
			fa_wrong_type("group", node->label, "a column name or an array of them", e);
		name = fa_json_scalar_text(e);
		dot = strrchr(name, '.');
		if (dot != NULL && !fa_has_column(fa_cache_table(node->table), name))
		{
			char	   *prefix = pnstrdup(name, dot - name);

			if (!fa_model_matches(node->table, prefix))
				ereport(ERROR,
						(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
						 errmsg("\"group\" of %s names \"%s\", not a column of table %s",
								node->label, name, node->table->qualname),
						 errdetail("find_all gives one row per instance of the model; it groups by the model's columns only."),
						 errhint("Group by the primary key: \"group\": [\"%s.%s\"].",
								 node->table->model,
								 ((AssocColumn *) linitial(node->pkey))->name)));
			name = dot + 1;
		}
		cols = lappend(cols, fa_find_column(node, name, "\"group\""));
	}
	foreach(lc, node->pkey)
		if (!fa_column_in(cols, lfirst(lc)))
			pkey = false;
	foreach(lc, node->columns)
		if (!fa_column_in(cols, lfirst(lc)))
			selected = false;
	if (!pkey && !selected)
		ereport(ERROR,
				(errcode(ERRCODE_GROUPING_ERROR),
				 errmsg("\"group\" of %s does not cover the selected columns", node->label),
				 errdetail("It groups neither by the primary key of table %s nor by every attribute; find_all gives one row per instance.",
						   node->table->qualname),
				 errhint("Group by the primary key: \"group\": [\"%s.%s\"].",
						 node->table->model,
						 ((AssocColumn *) linitial(node->pkey))->name)));
}

/*
 * The options of the top level that are not a level's: count's, the shape
 * of the rows, and those that change nothing in one statement (README,
 * "Differences from Sequelize"), whose JSON types are still checked.
 */
static void
parse_top_only(FaNode *node, List *pairs)
{
	static const char *const ignored[] = {"subQuery", "logging", "benchmark", NULL};
	JsonbValue *v;

	if ((v = fa_option(pairs, FA_OPT_TOP, "col", node->label)) != NULL)
		node->count_col = fa_find_column(node, fa_json_scalar_text(v), "\"col\"");
	if ((v = fa_option(pairs, FA_OPT_TOP, "distinct", node->label)) != NULL)
		node->distinct = v->val.boolean;
	(void) fa_option(pairs, FA_OPT_TOP, "nest", node->label);
	/* without includes, Sequelize's raw rows are its instances' JSON */
	if ((v = fa_option(pairs, FA_OPT_TOP, "raw", node->label)) != NULL &&
		v->val.boolean && fa_pair_value(pairs, "include") != NULL)
		ereport(ERROR,
				(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
				 errmsg("option \"raw\": true with \"include\" is not supported in %s",
						node->label),
				 errdetail("Sequelize's raw rows are the rows of a join, one per included row, with keys such as \"pugs.name\"; find_all gives each instance once, its includes nested."),
				 errhint("Leave \"raw\" out (or false), and read the nested JSON.")));
	for (int i = 0; ignored[i]; i++)
		(void) fa_option(pairs, FA_OPT_TOP, ignored[i], node->label);
}

/*
 * The options of a level, the top (node->assoc NULL) or an include (its
 * object's pairs, checked by the caller against the options it takes).
 */
static void
parse_level(FaParse *ps, FaNode *node, List *pairs)
{
	bool		top = node->assoc == NULL;
	FaOptContext context = top ? FA_OPT_TOP : FA_OPT_INCLUDE;
	JsonbValue *v;
	bool		separate_given = false;
	List	   *nested = NIL;	/* $nested.column$ keys of the top's where */
	List	   *aggs = NIL;		/* [aggregate, key] pairs of attributes */
	ListCell   *lc;

	if ((v = fa_option(pairs, context, "attributes", node->label)) != NULL)
		parse_attributes(node, v, &aggs);

	/* Sequelize's paranoid: false, on this level only */
	if ((v = fa_option(pairs, context, "paranoid", node->label)) != NULL)
		node->with_deleted = !v->val.boolean;

	if ((v = fa_option(pairs, context, "where", node->label)) != NULL)
	{
		bool		deferred = false;

		node->where = top ? fa_parse_top_where(node, v, &nested, &deferred) :
			fa_parse_where(node, v, &deferred);
		node->required = true;	/* Sequelize: required = !!where */
		if (deferred)
		{
			ps->deferred_nodes = lappend(ps->deferred_nodes, node);
			ps->deferred_wheres = lappend(ps->deferred_wheres, v);
		}
	}

	if (!top)
	{
		if ((v = fa_option(pairs, context, "required", node->label)) != NULL)
			node->required = v->val.boolean;
		/* a counted include: its where filters what it counts, not parents */
		else if (fa_pair_value(pairs, "count") != NULL)
			node->required = false;
		if ((v = fa_option(pairs, context, "count", node->label)) != NULL)
		{
			node->count_key = fa_json_scalar_text(v);
			node->emit = false;
			if (fa_pair_value(pairs, "include") != NULL)
				ereport(ERROR,
						(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
						 errmsg("%s has \"count\" and \"include\"", node->label),
						 errdetail("An include with \"count\" gives the number of its rows, loading none."),
						 errhint("Count nested rows with an aggregate: [{\"fn\": \"COUNT\", \"col\": \"%s.association.id\"}, \"key\"] in \"attributes\".",
								 node->assoc->alias)));
		}
		/* Sequelize's subquery planning: nothing to do in one statement */
		(void) fa_option(pairs, context, "duplicating", node->label);
		if ((v = fa_option(pairs, context, "separate", node->label)) != NULL)
		{
			node->separate = v->val.boolean;
			separate_given = true;
		}
		if ((v = fa_option(pairs, context, "limit", node->label)) != NULL)
		{
			node->limit = fa_json_count(v, "limit", node->label);
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
		if ((v = fa_option(pairs, context, "through", node->label)) != NULL)
		{
			List	   *tpairs = fa_json_pairs(v);
			JsonbValue *tv;

			fa_check_options(tpairs, FA_OPT_THROUGH,
							 psprintf("\"through\" of %s", node->label));
			if (node->through == NULL)
				ereport(ERROR,
						(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
						 errmsg("option \"through\" in %s applies only to belongs_to_many associations",
								node->label),
						 errdetail("Association \"%s\" is a %s association.",
								   node->assoc->alias, assoc_kind_name(node->assoc->kind))));
			/* attributes [] leaves the through row out of the JSON */
			if ((tv = fa_option(tpairs, FA_OPT_THROUGH, "attributes",
								node->through->label)) != NULL)
				parse_attributes(node->through, tv, NULL);
			if ((tv = fa_option(tpairs, FA_OPT_THROUGH, "paranoid",
								node->through->label)) != NULL)
				node->through->with_deleted = !tv->val.boolean;
			/* filters the links only: the include is not made required */
			if ((tv = fa_option(tpairs, FA_OPT_THROUGH, "where",
								node->through->label)) != NULL)
				node->through->where = fa_parse_where(node->through, tv, NULL);
		}
	}
	else
	{
		if ((v = fa_option(pairs, context, "limit", node->label)) != NULL)
			node->limit = fa_json_count(v, "limit", node->label);
		if ((v = fa_option(pairs, context, "offset", node->label)) != NULL)
			node->offset = Max(fa_json_count(v, "offset", node->label), 0);
		node->page = node->limit >= 0 || node->offset > 0;
		parse_top_only(node, pairs);
	}

	if ((v = fa_option(pairs, context, "include", node->label)) != NULL)
		fa_parse_includes(ps, node, v);
	/* the $nested$ keys inside $or and $not and in includes, every include known */
	if (top)
	{
		ListCell   *lc2;

		forboth(lc, ps->deferred_nodes, lc2, ps->deferred_wheres)
			fa_resolve_where(lfirst(lc), lfirst(lc2));
	}
	fa_apply_nested_where(node, nested);
	attribute_aggs(node, aggs);
	foreach(lc, node->children)
	{
		FaNode	   *c = lfirst(lc);

		if (c->count_key != NULL)
			add_agg(node, fa_agg_of_include(c, c->count_key),
					psprintf("\"count\" of %s", c->label));
	}
	if (top && (v = fa_option(pairs, context, "group", node->label)) != NULL)
		parse_group(node, v);
	if (top && (v = fa_option(pairs, context, "having", node->label)) != NULL)
		fa_apply_having(node, v);

	foreach(lc, node->children)
	{
		FaNode	   *c = lfirst(lc);

		/*
		 * Sequelize adds the source key to the parent's attributes when an
		 * include is separate, and it shows in the JSON (observed at the top
		 * level).
		 */
		if (top && c->separate && node->columns != NIL &&
			!fa_column_in(node->columns, c->assoc->source_key))
			node->columns = lappend(node->columns,
									fa_find_column(node, c->assoc->source_key->name,
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
		const char *tkey = node->through->table->model_name;
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

	if ((v = fa_option(pairs, context, "order", node->label)) != NULL)
		node->order = fa_parse_order(node, v);
	if (top && (v = fa_option(pairs, context, "after", node->label)) != NULL)
		node->keyset = fa_keyset_condition(node, v);
	if (top && (v = fa_option(pairs, context, "cursor", node->label)) != NULL &&
		v->val.boolean)
	{
		node->cursor_keys = fa_keyset_keys(node, "cursor");
		node->cursor_order = fa_cursor_signature(node, node->cursor_keys);
	}
}

/*
 * Parse and check find_all's options for the model (a table) into a tree.
 * Needs SPI (the catalog is read through it).
 */
FaNode *
fa_parse_options(Oid model, Jsonb *options)
{
	FaParse    *ps = palloc0(sizeof(FaParse));
	FaNode	   *root;
	List	   *pairs = NIL;

	ps->parse_level = parse_level;
	root = fa_new_node(fa_cache_model(model)->table, NULL, NULL, NULL,
					   "find_all options");

	if (options != NULL)
	{
		JsonbValue	v;

		v.type = jbvBinary;
		v.val.binary.data = &options->root;
		v.val.binary.len = VARSIZE(options) - VARHDRSZ;
		if (!fa_json_is_object(&v))
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("find_all options must be a JSON object"),
					 errdetail("They are %s.",
							   JB_ROOT_IS_SCALAR(options) ? "a scalar" : "an array"),
					 errhint("Write for instance '{\"include\": [\"pugs\"], \"limit\": 20}'.")));
		pairs = fa_json_pairs(&v);
	}
	fa_check_options(pairs, FA_OPT_TOP, root->label);
	parse_level(ps, root, pairs);
	fa_assign_sort_keys(root);
	return root;
}
