/*
 * gen_accessors.c
 *	  The accessors of an association (README, "Accessors"), one generator per
 *	  behaviour: get, count, has, add, remove, set, create.
 *
 * Each generator takes the key test (one key: "= $2"; an array of keys:
 * "= ANY ($2)") and the shape of the link (a Link, filled by the family
 * that knows it: gen_fk.c for a foreign key on the target or the source,
 * gen_btm.c for a through table), and writes the statements every shape
 * shares around the link's own: writers lock the instance first (so that
 * writers on one instance serialize), check the through values when the
 * shape takes them, check that the given targets exist, then link or
 * unlink, and return the instance (has_one's set: the target).  A
 * writer's body is one call of assoc.run_writer with those statements as
 * a literal (writer_body), which runs them from plans kept for the session
 * (writer_plan.c).
 *
 * assoc_gen_accessors writes all of an association's accessors, each one
 * function taking the instance and the targets in any form (gen_toolkit.c),
 * in the order the catalog lists them: get, count, create; for one target
 * has, add, remove (has_many, belongs_to_many) or set (has_one,
 * belongs_to); for an array has, set, add, remove.  One target is given to
 * add and remove as an array of one, ARRAY[$2]: the same statements serve
 * one and several.
 */
#include "postgres.h"

#include "lib/stringinfo.h"

#include "citus.h"
#include "gen_accessors.h"
#include "gen_citus.h"
#include "sql_spell.h"

/* The name of an accessor for the target form ft (NULL: one target). */
static char *
accessor_name(Link *l, const char *verb, Form *ft)
{
	Association *a = l->g->a;

	return assoc_cg_fname(l->g, verb, ft && ft->array ? a->plural : a->singular);
}

/* the trailing through values, when the link takes them */
static void
append_values_param(Link *l, List **params, List **argtypes)
{
	if (l->values_param == NULL)
		return;
	*params = lappend(*params, pstrdup(l->values_param));
	*argtypes = lappend(*argtypes, pstrdup("jsonb"));
}

/* instance, target (when ft), and the through values (when with_values) */
static void
accessor_params(Link *l, Form *fi, Form *ft, bool with_values,
				List **params, List **argtypes)
{
	Gen		   *g = l->g;

	*params = list_make1(assoc_cg_param(g->src.param, fi));
	*argtypes = list_make1((char *) fi->argtype);
	if (ft)
	{
		*params = lappend(*params, assoc_cg_param(ft->array ? g->tgt.params : g->tgt.param, ft));
		*argtypes = lappend(*argtypes, (char *) ft->argtype);
	}
	if (with_values)
		append_values_param(l, params, argtypes);
}

/*
 * The start of every writer: lock the instance (and the other instances
 * the link's statements will lock, others: see assoc_cg_lock_source),
 * check the through values.
 */
static void
begin_writer(StringInfo b, Link *l, const char *I, const char *others,
			 bool with_values)
{
	assoc_cg_lock_source(b, l->g, I, others);
	if (with_values && l->values_check)
		appendStringInfoString(b, l->values_check);
}

/* A reader: stable, of the instance (and the target form ft, when given). */
static void
add_reader(Link *l, const char *name, Form *fi, Form *ft, const char *rettype,
		   const char *body)
{
	List	   *params,
			   *argtypes;

	accessor_params(l, fi, ft, false, &params, &argtypes);
	assoc_cg_add_func(l->g, name, params, argtypes, rettype, true, body);
}

/*
 * get: the targets by key (many), the first by key, or the one named.
 *
 * The readers of one row (has_one, belongs_to) are the one call
 * assoc.row_one(NULL::T, 'SELECT t FROM ...', $1) (row_loader.c): PostgreSQL
 * never inlines a function returning one composite row, and plans its body
 * again in every statement; this body is inlined, and row_one's support
 * function puts the statement into the caller's query as a scalar
 * subquery, planned once with it.  On Citus tables (PL/pgSQL bodies, see
 * citus.c) they keep the statement as their body.
 */
static void
gen_get(Link *l, Form *fi, const char *I)
{
	Gen		   *g = l->g;
	StringInfoData b;
	const char *rettype = l->many ? psprintf("SETOF %s", g->T) : g->T;
	bool		row_one = !l->many && !assoc_citus_table(g->a->source->relid) &&
		!assoc_citus_table(g->a->target->relid);

	initStringInfo(&b);
	appendStringInfo(&b, "SELECT %s FROM %s", row_one ? "t" : "t.*",
					 l->ops->linked(l, fi, I));
	if (!l->by_key)
		appendStringInfo(&b, " ORDER BY t.%s", g->tk);
	if (!l->many && !l->by_key)
		appendStringInfoString(&b, " LIMIT 1");
	if (row_one)
		b.data = psprintf("SELECT assoc.row_one(%s, %s, $1)", sql_cast("NULL", g->T),
						  sql_literal(b.data));
	add_reader(l, assoc_cg_fname(g, "get", l->many ? g->a->plural : g->a->singular),
			   fi, NULL, rettype, psprintf("%s;\n", b.data));
}

static void
gen_count(Link *l, Form *fi, const char *I)
{
	add_reader(l, assoc_cg_fname(l->g, "count", l->g->a->plural), fi, NULL, "bigint",
			   psprintf("SELECT pg_catalog.count(*) FROM %s;\n", l->ops->linked(l, fi, I)));
}

/*
 * has: the target is linked; for an array, every given target is: [] and
 * duplicates are fine (Sequelize compares sets), a NULL array or element is
 * false, as Sequelize's hasPugs (it looks for "id" IS NULL).
 */
static void
gen_has(Link *l, Form *fi, const char *I, Form *ft, KeyTest *kt)
{
	char	   *body;

	if (kt->array && assoc_citus_reference_parent(l->g->a))
		body = assoc_citus_has_array(kt->expr,
									 l->ops->linked_key(l, I, psprintf("ANY (%s)", kt->expr)));
	else if (kt->array)
		body = psprintf("SELECT $2 IS NOT NULL AND NOT EXISTS (SELECT FROM pg_catalog.unnest(%s) AS k(v)"
						" WHERE NOT EXISTS (SELECT FROM %s));\n",
						kt->expr, l->ops->linked_key(l, I, "k.v"));
	else
		body = psprintf("SELECT EXISTS (SELECT FROM %s);\n",
						l->ops->linked_key(l, I, kt->expr));
	add_reader(l, accessor_name(l, "has", ft), fi, ft, "boolean", body);
}

/*
 * The body of a writer returning rettype, of nparams parameters, whose
 * statements are stmts and whose Citus form (gen_citus.c) is citus_body
 * (stmts itself when the writer has none): one call of assoc.run_writer
 * with the statements as a literal, which PostgreSQL inlines into the
 * calling query and which runs them from plans kept for the session
 * (writer_plan.c).  On Citus tables the body is the statements (or the
 * Citus form), which assoc_cg_add_func turns into PL/pgSQL (citus.c).
 */
static const char *
writer_body(Link *l, const char *rettype, int nparams, const char *stmts,
			const char *citus_body)
{
	Association *a = l->g->a;
	StringInfoData b;

	if (citus_body != stmts || assoc_citus_table(a->source->relid) ||
		assoc_citus_table(a->target->relid) ||
		(a->through != NULL && assoc_citus_table(a->through->relid)))
		return citus_body;
	initStringInfo(&b);
	appendStringInfo(&b, "SELECT assoc.run_writer(%s, %s",
					 sql_cast("NULL", rettype), sql_literal(stmts));
	for (int i = 1; i <= nparams; i++)
		appendStringInfo(&b, ", $%d", i);
	appendStringInfoString(&b, ");\n");
	return b.data;
}

/*
 * A writer of links: add (step ops->add), remove (ops->remove) or set
 * (ops->replace); it returns the instance, or the target for has_one's set.
 * "moves": the step takes the targets from their previous instances (add,
 * set), whose rows the shape may have to lock first (ops->others).
 */
static void
gen_writer(Link *l, const char *verb, Form *fi, const char *I, Form *ft,
		   KeyTest *kt, bool with_values, bool returns_target, bool moves,
		   void (*step) (StringInfo b, Link *l, const char *I, KeyTest *kt))
{
	Gen		   *g = l->g;
	StringInfoData b;
	List	   *params,
			   *argtypes;

	initStringInfo(&b);
	begin_writer(&b, l, I, moves && l->ops->others ? l->ops->others(l, kt) : NULL,
				 with_values);
	if (!l->ops->checks_keys)
		assoc_cg_keys_exist(&b, g, kt);
	step(&b, l, I, kt);
	if (returns_target)
		appendStringInfo(&b, "SELECT t.* FROM %s t WHERE %s;\n", g->T,
						 assoc_cg_key_match(g, psprintf("t.%s", g->tk), kt));
	else
		assoc_cg_return_source(&b, g, I);
	accessor_params(l, fi, ft, with_values, &params, &argtypes);
	/* on Citus tables, the Citus form (gen_citus.c) */
	assoc_cg_add_func(g, accessor_name(l, verb, ft), params, argtypes,
					  returns_target ? g->T : g->S, false,
					  writer_body(l, returns_target ? g->T : g->S, list_length(params),
								  b.data, assoc_gen_citus_writer(l, verb, I, kt, b.data)));
}

/* add: link the targets, keep the others */
static void
gen_add(Link *l, Form *fi, const char *I, Form *ft, KeyTest *kt)
{
	gen_writer(l, "add", fi, I, ft, kt, true, false, true, l->ops->add);
}

/* remove: unlink the targets */
static void
gen_remove(Link *l, Form *fi, const char *I, Form *ft, KeyTest *kt)
{
	gen_writer(l, "remove", fi, I, ft, kt, false, false, false, l->ops->remove);
}

/* set: exactly these targets; NULL is none, as Sequelize's setPugs(null) */
static void
gen_set(Link *l, Form *fi, const char *I, Form *ft, KeyTest *kt)
{
	gen_writer(l, "set", fi, I, ft, kt, true, l->set_returns_target, true,
			   l->ops->replace);
}

/* create: insert the target from values $2 and link it */
static void
gen_create(Link *l, Form *fi, const char *I)
{
	Gen		   *g = l->g;
	StringInfoData b;
	List	   *params,
			   *argtypes;

	initStringInfo(&b);
	begin_writer(&b, l, I, NULL, true);
	l->ops->create(&b, l, I);
	accessor_params(l, fi, NULL, false, &params, &argtypes);
	params = lappend(params, pstrdup("\"values\" jsonb DEFAULT '{}'"));
	argtypes = lappend(argtypes, pstrdup("jsonb"));
	append_values_param(l, &params, &argtypes);
	/* on Citus tables, belongs_to's is the Citus form (gen_citus.c) */
	assoc_cg_add_func(g, accessor_name(l, "create", NULL), params, argtypes,
					  g->T, false,
					  writer_body(l, g->T, list_length(params), b.data,
								  assoc_gen_citus_create(l, I, b.data)));
}

void
assoc_gen_accessors(Link *l)
{
	Gen		   *g = l->g;
	Form	   *fi = assoc_cg_any_form(false, "anycompatible", false);
	Form	   *fiw = assoc_cg_any_form(false, "anycompatible", true);
	char	   *I = assoc_cg_form_expr(g, &g->src, fi, 1);
	char	   *Iw = assoc_cg_form_expr(g, &g->src, fiw, 1);
	ListCell   *lc;

	gen_get(l, fi, I);
	if (l->many)
		gen_count(l, fi, I);
	gen_create(l, fiw, Iw);

	/*
	 * An uncountable alias's accessors for one target and for several have
	 * one name: those for several serve both, as keys_of takes one target
	 * as well as an array (hub_add_news).
	 */
	if (!l->many || !g->uncountable)
		foreach(lc, assoc_cg_target_forms(false, false))
		{
			Form	   *ft = lfirst(lc);
			Form	   *ftw = assoc_cg_any_form(false, ft->argtype, true);
			char	   *J = assoc_cg_form_expr(g, &g->tgt, ft, 2);
			char	   *Jw = assoc_cg_form_expr(g, &g->tgt, ftw, 2);
			KeyTest		one = {J, false};
			KeyTest		one_w = {Jw, false};
			KeyTest		one_of = {psprintf("ARRAY[%s]", Jw), true, true};

			if (!l->many)
			{
				gen_set(l, fiw, Iw, ftw, &one_w);
				continue;
			}
			gen_has(l, fi, I, ft, &one);
			gen_add(l, fiw, Iw, ftw, &one_of);
			gen_remove(l, fiw, Iw, ftw, &one_of);
		}
	if (!l->many)
		return;
	foreach(lc, assoc_cg_target_forms(true, false))
	{
		Form	   *fa = lfirst(lc);
		Form	   *faw = assoc_cg_any_form(true, fa->argtype, true);
		char	   *A = assoc_cg_form_expr(g, &g->tgt, fa, 2);
		char	   *Aw = assoc_cg_form_expr(g, &g->tgt, faw, 2);
		KeyTest		all = {A, true};
		KeyTest		all_w = {Aw, true};
		KeyTest		only = {psprintf("COALESCE(%s, '{}')", Aw), true};

		gen_has(l, fi, I, fa, &all);
		gen_set(l, fiw, Iw, faw, &only);
		gen_add(l, fiw, Iw, faw, &all_w);
		gen_remove(l, fiw, Iw, faw, &all_w);
	}
}
