/*
 * loaders.c
 *	  The eager loaders generated for an association (SPEC §5):
 *	  pug_with_owner(pug) and owner_with_pugs(owner) return the instance as
 *	  JSON with the association included, the no-argument forms one JSON
 *	  value per row of the source table.
 *
 * The JSON is built the fastest way PostgreSQL offers: row_to_json of a row
 * whose columns are the instance's columns followed by the alias, and
 * json_agg of whole rows for arrays (json_build_object is 20-25% slower,
 * jsonb twice as slow and loses the column order).  Keys are the column
 * names in table order, then the alias; a missing belongs_to/has_one target
 * is null, an empty has_many [].
 */
#include "postgres.h"

#include "lib/stringinfo.h"
#include "utils/builtins.h"

#include "codegen.h"
#include "codegen_int.h"
#include "ddl.h"

/*
 * The included value for the source row "s" (a table alias or ($1)): a
 * scalar subquery giving the target's JSON.
 */
static char *
included(Gen *g, const char *s)
{
	Association *a = g->a;

	if (a->kind == ASSOC_BELONGS_TO_MANY)
		return assoc_btm_included(g, s);
	if (a->kind == ASSOC_HAS_MANY)
		return psprintf("COALESCE((SELECT pg_catalog.json_agg(t.* ORDER BY t.%s) FROM %s t"
						" WHERE t.%s %s %s.%s), '[]'::pg_catalog.json)",
						g->tk, g->T, g->fk, g->eqF, s, g->sk);
	if (a->kind == ASSOC_HAS_ONE)
		return psprintf("(SELECT pg_catalog.row_to_json(t.*) FROM %s t"
						" WHERE t.%s %s %s.%s ORDER BY t.%s LIMIT 1)",
						g->T, g->fk, g->eqF, s, g->sk, g->tk);
	/* belongs_to */
	return psprintf("(SELECT pg_catalog.row_to_json(t.*) FROM %s t WHERE t.%s %s %s.%s)",
					g->T, g->tk, g->eqT, s, g->fk);
}

void
assoc_gen_loaders(Gen *g)
{
	Association *a = g->a;
	char	   *name = assoc_cg_fname(g, "with", a->alias);
	char	   *alias = (char *) quote_identifier(a->alias);
	AssocColumn *pk = assoc_primary_key(a->source);
	const char *order = quote_identifier(pk ? pk->name : a->source_key->name);
	List	   *forms = assoc_cg_side_forms(&g->src, false);
	ListCell   *lc;
	StringInfoData b;

	/* every row of the source table, by primary key */
	initStringInfo(&b);
	appendStringInfo(&b,
					 "SELECT pg_catalog.row_to_json(x.*) FROM (SELECT s.*, %s AS %s FROM %s s ORDER BY s.%s) x;\n",
					 included(g, "s"), alias, g->S, order);
	assoc_cg_add_func(g, name, NIL, NIL, "SETOF pg_catalog.json", true, b.data);

	foreach(lc, forms)
	{
		Form	   *f = lfirst(lc);

		initStringInfo(&b);
		if (f->kind == FORM_ROW)
			/* the row as given, as Sequelize's instance in memory */
			appendStringInfo(&b,
							 "SELECT pg_catalog.row_to_json(x.*) FROM (SELECT ($1).*, %s AS %s) x;\n",
							 included(g, "($1)"), alias);
		else
			appendStringInfo(&b,
							 "SELECT pg_catalog.row_to_json(x.*) FROM (SELECT s.*, %s AS %s FROM %s s WHERE s.%s %s %s) x;\n",
							 included(g, "s"), alias, g->S, g->sk, g->eqS,
							 assoc_cg_form_expr(g, &g->src, f, 1));
		assoc_cg_add_func(g, name, list_make1(assoc_cg_param(g->src.param, f)),
						  list_make1((char *) f->argtype), "pg_catalog.json", true,
						  b.data);
	}
}
