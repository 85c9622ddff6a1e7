/*
 * gen_loaders.c
 *	  The eager loaders generated for an association (Sequelize's include):
 *	  pug_with_owner(pug) and owner_with_pugs(owner) return the instance as
 *	  JSON with the association included, the no-argument forms one JSON
 *	  value per row of the source table.
 *
 * The JSON is built the fastest way: assoc.json_row (row_to_json's text,
 * src/json_build.c) of a row whose columns are the instance's columns
 * followed by the alias, and assoc.json_rows (json_agg's) of whole rows for
 * arrays (json_build_object is 20-25% slower,
 * jsonb twice as slow and loses the column order).  Keys are the column
 * names in table order, then the alias; a missing belongs_to/has_one target
 * is null, an empty has_many [].
 *
 * belongs_to_many: each target's through row (all its columns, keys
 * included, in table order) is under the through table's model name, as
 * Sequelize puts it under the through model's name: the model name of a
 * table is the singular of its name (README, "Names"), so enrollments gives
 * "enrollment", as for Sequelize's define('enrollment') whose table is
 * enrollments, and "Enrollment" stays "Enrollment".  (A string through
 * 'enrollments' in Sequelize would name the model "enrollments"; assoc
 * only knows the table.)  find_all uses the same name, AssocTable.model
 * of the through table.
 */
#include "postgres.h"

#include "lib/stringinfo.h"
#include "utils/builtins.h"

#include "citus.h"
#include "ddl.h"
#include "gen_loaders.h"
#include "sql_spell.h"

/*
 * The included value for the source row "s" (a table alias or ($1)): a
 * scalar subquery giving the target's JSON.  belongs_to_many: the targets
 * ordered by key, each with its through row under the through model's name
 * (see the head of this file), [] when none.
 */
static char *
included(Gen *g, const char *s)
{
	Association *a = g->a;

	char	   *tf = assoc_cg_side_filter(g, GEN_TARGET, "t");

	if (a->kind == ASSOC_BELONGS_TO_MANY)
		return psprintf("COALESCE((SELECT assoc.json_rows(x.* ORDER BY x.%s) FROM"
						" (SELECT t.*, assoc.json_row(h.*) AS %s FROM %s t, %s h WHERE h.%s %s %s.%s AND t.%s %s h.%s%s%s) x),"
						" CAST('[]' AS pg_catalog.json))",
						g->tk, sql_ident(a->through->model_name), g->T,
						a->through->qualname, g->fk, g->eqF, s, g->sk, g->tk, g->eqT,
						sql_ident(a->other_key->name),
						assoc_cg_side_filter(g, GEN_THROUGH, "h"), tf);
	if (a->kind == ASSOC_HAS_MANY)
		return psprintf("COALESCE((SELECT assoc.json_rows(t.* ORDER BY t.%s) FROM %s t"
						" WHERE t.%s %s %s.%s%s), CAST('[]' AS pg_catalog.json))",
						g->tk, g->T, g->fk, g->eqF, s, g->sk, tf);
	if (a->kind == ASSOC_HAS_ONE)
		return psprintf("(SELECT assoc.json_row(t.*) FROM %s t"
						" WHERE t.%s %s %s.%s%s ORDER BY t.%s LIMIT 1)",
						g->T, g->fk, g->eqF, s, g->sk, tf, g->tk);
	/* belongs_to */
	return psprintf("(SELECT assoc.json_row(t.*) FROM %s t WHERE t.%s %s %s.%s%s)",
					g->T, g->tk, g->eqT, s, g->fk, tf);
}

/*
 * The body of the all-rows loader, owner_with_pugs(): every row of the
 * source table with its association, by primary key.  It reads whole
 * tables, so it joins them rather than looking each row's association up
 * (measured on 100k owners and 1M pugs, see bench/):
 *
 * - has_many: the targets grouped by foreign key, joined back, as one would
 *   write it by hand.  The targets come from a subquery sorted by foreign
 *   key and key, which json_rows keeps: json_rows(t ORDER BY key) would sort
 *   each group once more (PostgreSQL before 16 does), 8-10% slower; it
 *   lists the columns (u.*) rather than carrying whole rows, which the
 *   sort would carry too, 5% slower.  The targets are read in table
 *   order and sorted, not through the foreign key's index (OFFSET 0 keeps
 *   the index's order from the planner): the planner costs the index scan
 *   lower, but it visits the table's pages in the order of the foreign key,
 *   which is random for rows added over time (a pug joins its owner when it
 *   is created), and half the time went to those visits (perf: the buffer
 *   lookups and first touches of each page); reading the table in order and
 *   sorting it took 0.6-0.75 of the time, 0.5-0.8 with work_mem at its
 *   default of 4MB (the sort on disk).  A correlated subquery per owner is
 *   1.5-2 times as slow once the sort fits in work_mem: it reads the pugs
 *   in random order, one index scan each.
 * - belongs_to: a lateral join on the target key (unique: it is the
 *   referenced key) of a subquery that makes the target's JSON, kept from
 *   being pulled up (OFFSET 0), so that the planner can put a Memoize node
 *   over it: each owner is read and written as JSON once, not once per pug
 *   (25% faster than a plain left join, 35% than a subquery per pug).
 * - has_one and belongs_to_many: the subquery per row, as the other forms.
 */
static void
all_rows(StringInfo b, Gen *g, const char *alias, const char *order)
{
	Association *a = g->a;
	char	   *sf = assoc_cg_side_filter(g, GEN_SOURCE, "s");
	/* the source's rows as Sequelize's findAll finds them */
	char	   *swhere = sf[0] ? psprintf(" WHERE %s", sf + strlen(" AND ")) : "";
	char	   *uf = assoc_cg_side_filter(g, GEN_TARGET, "u");
	/* on Citus, ordered again outside: its shards' rows come in any order */
	char	   *reorder = assoc_citus_table(a->source->relid) ?
		psprintf(" ORDER BY x.%s", order) : "";

	if (a->kind == ASSOC_HAS_MANY)
		appendStringInfo(b,
						 "SELECT assoc.json_row(x.*) FROM (SELECT s.*, COALESCE(g.j, CAST('[]' AS pg_catalog.json)) AS %s"
						 " FROM %s s LEFT JOIN (SELECT t.%s AS k, assoc.json_rows(t.*) AS j"
						 " FROM (SELECT u.* FROM (SELECT u.* FROM %s u WHERE u.%s IS NOT NULL%s OFFSET 0) u"
						 " ORDER BY u.%s, u.%s) t"
						 " GROUP BY t.%s) g ON g.k %s s.%s%s ORDER BY s.%s) x%s;\n",
						 alias, g->S, g->fk, g->T, g->fk, uf, g->fk, g->tk, g->fk,
						 g->eqF, g->sk, swhere, order, reorder);
	else if (a->kind == ASSOC_BELONGS_TO)
		appendStringInfo(b,
						 "SELECT assoc.json_row(x.*) FROM (SELECT s.*, t.j AS %s"
						 " FROM %s s LEFT JOIN LATERAL (SELECT assoc.json_row(u.*) AS j FROM %s u"
						 " WHERE u.%s %s s.%s%s OFFSET 0) t ON true%s ORDER BY s.%s) x%s;\n",
						 alias, g->S, g->T, g->tk, g->eqT, g->fk, uf, swhere, order, reorder);
	else
		appendStringInfo(b,
						 "SELECT assoc.json_row(x.*) FROM (SELECT s.*, %s AS %s FROM %s s%s ORDER BY s.%s) x%s;\n",
						 included(g, "s"), alias, g->S, swhere, order,
						 reorder);
}

void
assoc_gen_loaders(Gen *g)
{
	Association *a = g->a;
	char	   *name = assoc_cg_fname(g, "with", a->alias);
	char	   *alias = (char *) sql_ident(a->alias);
	AssocColumn *pk = assoc_primary_key(a->source);
	const char *order = sql_ident(pk ? pk->name : a->source_key->name);
	List	   *forms = assoc_cg_side_forms(&g->src, false);
	ListCell   *lc;
	StringInfoData b;

	/* every row of the source table, by primary key */
	initStringInfo(&b);
	all_rows(&b, g, alias, order);
	assoc_cg_add_func(g, name, NIL, NIL, "SETOF pg_catalog.json", true, b.data);

	foreach(lc, forms)
	{
		Form	   *f = lfirst(lc);

		initStringInfo(&b);
		if (f->kind == FORM_ROW)

			/*
			 * The row as given, as Sequelize's instance in memory.  One call
			 * of assoc.row_loader (row_loader.c), which PostgreSQL inlines
			 * into the calling query and its planner support function
			 * replaces by the correlated subquery of included(): the page
			 * is planned as one query, as the hand-written one would be.
			 */
			appendStringInfo(&b, "SELECT assoc.row_loader(%s, %s, $1);\n",
							 g->srclit, g->aliaslit);
		else if ((a->kind == ASSOC_HAS_MANY || a->kind == ASSOC_HAS_ONE) &&
				 assoc_citus_reference_parent(a))
		{
			/*
			 * On a Citus reference table with distributed children, which
			 * refuses the correlated subquery: the instance's children
			 * grouped by foreign key, joined (citus.c); has_one's the first
			 * by key, as its subquery's ORDER BY ... LIMIT 1
			 */
			char	   *key = assoc_cg_form_expr(g, &g->src, f, 1);
			char	   *agg = a->kind == ASSOC_HAS_MANY ?
				psprintf("assoc.json_rows(t.* ORDER BY t.%s)", g->tk) :
				psprintf("(pg_catalog.array_agg(assoc.json_row(t.*) ORDER BY t.%s))[1]", g->tk);
			char	   *none = a->kind == ASSOC_HAS_MANY ?
				"COALESCE(g.j, CAST('[]' AS pg_catalog.json))" : "g.j";

			appendStringInfo(&b,
							 "SELECT assoc.json_row(x.*) FROM (SELECT s.*, %s AS %s"
							 " FROM %s s LEFT JOIN (SELECT t.%s AS k, %s AS j FROM %s t"
							 " WHERE t.%s %s %s%s GROUP BY t.%s) g ON g.k %s s.%s WHERE s.%s %s %s%s) x;\n",
							 none, alias, g->S, g->fk, agg, g->T, g->fk, g->eqF, key,
							 assoc_cg_side_filter(g, GEN_TARGET, "t"), g->fk,
							 g->eqF, g->sk, g->sk, g->eqS, key,
							 assoc_cg_side_filter(g, GEN_SOURCE, "s"));
		}
		else
			appendStringInfo(&b,
							 "SELECT assoc.json_row(x.*) FROM (SELECT s.*, %s AS %s FROM %s s WHERE s.%s %s %s%s) x;\n",
							 included(g, "s"), alias, g->S, g->sk, g->eqS,
							 assoc_cg_form_expr(g, &g->src, f, 1),
							 assoc_cg_side_filter(g, GEN_SOURCE, "s"));
		assoc_cg_add_func(g, name, list_make1(assoc_cg_param(g->src.param, f)),
						  list_make1((char *) f->argtype), "pg_catalog.json", true,
						  b.data);
	}
}

/*
 * The statement behind assoc.row_loader (row_loader.c) for an association:
 * the included value for the source row $1, the same subquery the
 * generated loaders use.  The row loader either splices the expression it
 * selects into the calling query or runs the statement with the row.
 */
char *
assoc_loader_query(Association *a)
{
	Gen			g;

	assoc_cg_init(&g, a);
	return psprintf("SELECT %s", included(&g, "($1)"));
}
