/*
 * gen_fk.c
 *	  The accessors of the foreign-key kinds (README, "Accessors"): the shape of their
 *	  link, for gen_accessors.c to write the accessors with.
 *
 * has_many and has_one: the foreign key is a column of the target, "t".
 * Linking a target sets its foreign key to the instance's key, unlinking
 * sets it to NULL (refused, naming the targets, when the column is NOT
 * NULL); the targets are locked in key order first, so that writers never
 * deadlock.  A has_one links one target: set and create unlink the one
 * linked before, and set returns the target, as Sequelize's setProfile.
 *
 * belongs_to: the foreign key is a column of the instance, "s", naming its
 * one target by key.
 */
#include "postgres.h"

#include "lib/stringinfo.h"

#include "gen_accessors.h"
#include "gen_fk.h"
#include "scope.h"

/* ---- foreign key on the target: has_many, has_one ---- */

/*
 * t.fk = I: the target is linked to the instance, in its scope, and there
 * (not soft-deleted: as Sequelize, set and remove leave soft-deleted
 * targets linked, and readers do not see them)
 */
static char *
linked_to(Gen *g, const char *I)
{
	return psprintf("t.%s %s %s%s", g->fk, g->eqF, I,
					assoc_cg_side_filter(g, GEN_TARGET, "t"));
}

/* what linking a target writes besides updatedAt: the key, the scope */
static char *
link_sets(Gen *g, const char *I)
{
	return psprintf("%s = %s%s", g->fk, I, assoc_scope_sets(g->a->scope));
}

/* t.tk, the column the key tests look at */
static char *
target_key(Gen *g)
{
	return psprintf("t.%s", g->tk);
}

static char *
target_fk_linked(Link *l, Form *f, const char *I)
{
	return psprintf("%s t WHERE %s", l->g->T, linked_to(l->g, I));
}

static char *
target_fk_linked_key(Link *l, const char *I, const char *X)
{
	Gen		   *g = l->g;

	return psprintf("%s t WHERE t.%s %s %s AND %s", g->T, g->tk, g->eqT, X,
					linked_to(g, I));
}

/* The (locked) targets "where" lose their link. */
static void
unlink_where(StringInfo b, Gen *g, const char *where)
{
	assoc_cg_nullable(b, g, &g->tgt, where);
	appendStringInfo(b, "UPDATE %s t SET %s = NULL%s WHERE %s;\n",
					 g->T, g->fk, g->upd, where);
}

static void
target_fk_add(StringInfo b, Link *l, const char *I, KeyTest *kt)
{
	Gen		   *g = l->g;
	char	   *match = assoc_cg_key_match(g, target_key(g), kt);

	assoc_cg_lock_targets(b, g, match);
	appendStringInfo(b, "UPDATE %s t SET %s%s WHERE %s;\n",
					 g->T, link_sets(g, I), g->upd, match);
}

/*
 * The others lose the link, then the given ones not yet linked get it.
 * With a scope, only the linked ones in the scope lose it, and a given one
 * linked but outside the scope is linked again with the scope's values, as
 * Sequelize's setPugs does (it reads the old links with the scope).
 */
static void
target_fk_replace(StringInfo b, Link *l, const char *I, KeyTest *kt)
{
	Gen		   *g = l->g;
	char	   *linked = linked_to(g, I);
	char	   *match = assoc_cg_key_match(g, target_key(g), kt);

	assoc_cg_lock_targets(b, g, psprintf("%s OR %s", linked, match));
	unlink_where(b, g, psprintf("%s AND %s", linked,
								assoc_cg_key_nomatch(g, target_key(g), kt)));
	appendStringInfo(b, "UPDATE %s t SET %s%s WHERE %s AND (t.%s IS NULL OR NOT %s(%s%s));\n",
					 g->T, link_sets(g, I), g->upd, match, g->fk,
					 g->a->scope ? "COALESCE" : "", linked,
					 g->a->scope ? ", false" : "");
}

/* kt NULL: every linked target */
static void
target_fk_remove(StringInfo b, Link *l, const char *I, KeyTest *kt)
{
	Gen		   *g = l->g;
	char	   *where = linked_to(g, I);

	if (kt)
		where = psprintf("%s AND %s", where, assoc_cg_key_match(g, target_key(g), kt));
	assoc_cg_lock_targets(b, g, where);
	unlink_where(b, g, where);
}

/* has_one: the new target replaces the linked one, as set does */
static void
target_fk_create(StringInfo b, Link *l, const char *I)
{
	Gen		   *g = l->g;

	if (!l->many)
		target_fk_remove(b, l, I, NULL);
	appendStringInfo(b, "SELECT n.* FROM %s;\n",
					 assoc_cg_insert_json(g, g->a->target, "$2",
										  psprintf("%s%spg_catalog.jsonb_build_object(%s, %s)",
												   g->a->scope ? assoc_scope_jsonb_literal(g->a->scope) : "",
												   g->a->scope ? " OPERATOR(pg_catalog.||) " : "",
												   sql_literal(g->a->foreign_key->name), I),
										  "n"));
}

static const LinkOps target_fk_ops = {
	.linked = target_fk_linked,
	.linked_key = target_fk_linked_key,
	.add = target_fk_add,
	.replace = target_fk_replace,
	.remove = target_fk_remove,
	.create = target_fk_create,
};

static void
gen_target_fk(Gen *g, bool many)
{
	Link		l = {.g = g, .ops = &target_fk_ops, .many = many,
	.set_returns_target = !many};

	assoc_gen_accessors(&l);
}

void
assoc_gen_has_many(Gen *g)
{
	gen_target_fk(g, true);
}

void
assoc_gen_has_one(Gen *g)
{
	gen_target_fk(g, false);
}

/* ---- foreign key on the source: belongs_to ---- */

/*
 * A row brings its own foreign key, a key is looked up: assoc.if_row, which
 * the planner replaces by the branch the argument's type takes.
 */
static char *
source_fk_linked(Link *l, Form *f, const char *I)
{
	Gen		   *g = l->g;
	Side		own = g->src;

	own.key = g->a->foreign_key;
	return psprintf("%s t WHERE t.%s %s assoc.if_row($1, %s, %s, (SELECT s.%s FROM %s s WHERE s.%s %s %s))%s",
					g->T, g->tk, g->eqT, sql_regclass(g->S),
					assoc_cg_form_expr(g, &own, f, 1),
					g->fk, g->S, g->sk, g->eqS, I,
					assoc_cg_side_filter(g, GEN_TARGET, "t"));
}

/*
 * As Sequelize's setOwner, which saves only a changed foreign key: the
 * same owner again (or NULL when already NULL) writes nothing and leaves
 * updatedAt alone.  The row is returned either way.
 */
static void
source_fk_replace(StringInfo b, Link *l, const char *I, KeyTest *kt)
{
	Gen		   *g = l->g;
	const char *J = kt->expr;

	Assert(!kt->array);
	assoc_cg_nullable(b, g, &g->src,
					  psprintf("%s IS NULL AND t.%s %s %s", J, g->sk, g->eqS, I));
	appendStringInfo(b, "UPDATE %s s SET %s = %s%s WHERE s.%s %s %s"
					 " AND NOT COALESCE(s.%s %s %s, s.%s IS NULL AND %s IS NULL);\n",
					 g->S, g->fk, J, g->upd, g->sk, g->eqS, I,
					 g->fk, g->eqF, J, g->fk, J);
}

/* insert the target, point the instance at it */
static void
source_fk_create(StringInfo b, Link *l, const char *I)
{
	Gen		   *g = l->g;

	appendStringInfo(b,
					 "WITH n AS (SELECT x.* FROM %s),"
					 " u AS (UPDATE %s s SET %s = n.%s%s FROM n WHERE s.%s %s %s)"
					 " SELECT n.* FROM n;\n",
					 assoc_cg_insert_json(g, g->a->target, "$2", "CAST('{}' AS pg_catalog.jsonb)", "x"),
					 g->S, g->fk, g->tk, g->upd, g->sk, g->eqS, I);
}

static const LinkOps source_fk_ops = {
	.linked = source_fk_linked,
	.replace = source_fk_replace,
	.create = source_fk_create,
};

void
assoc_gen_belongs_to(Gen *g)
{
	Link		l = {.g = g, .ops = &source_fk_ops, .by_key = true};

	assoc_gen_accessors(&l);
}
