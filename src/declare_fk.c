/*
 * declare_fk.c
 *	  assoc.belongs_to, assoc.has_one and assoc.has_many: the kinds whose
 *	  foreign-key column is on one of the two tables (the source for
 *	  belongs_to, the target for the others), as the declaration skeleton
 *	  (declare.c) needs them.
 *
 * A declaration derives the names Sequelize would (naming.c) and works out
 * the column, constraint and index it needs (ddl.c); the skeleton does the
 * rest.
 */
#include "postgres.h"

#include "fmgr.h"

#include "citus.h"
#include "declare.h"
#include "ddl.h"
#include "naming.h"

PG_FUNCTION_INFO_V1(assoc_belongs_to);
PG_FUNCTION_INFO_V1(assoc_has_one);
PG_FUNCTION_INFO_V1(assoc_has_many);

/* argument positions shared by the three declarations */
#define ARG_FOREIGN_KEY		3
#define ARG_KEY				4	/* target_key (belongs_to), source_key */

#define FK_ARGS(counter, touch_, scope_arg) { \
	.source = 0, .target = 1, .alias = 2, .on_delete = 5, .on_update = 6, \
	.constraints = 7, .underscored = 8, .create_index = 9, .dry_run = 10, \
	.counter_cache = (counter), .touch = (touch_), \
	.scope = (scope_arg) }

/*
 * The foreign key Sequelize derives (README, "Names"), before underscored.  Like
 * Sequelize 6, it is built from the primary key of the referenced model even
 * when another key is named (target_key, source_key); a table without a
 * single-column primary key uses the named key.
 *   belongs_to: camelize(alias + "_" + target primary key)
 *   has_many:   camelize(singular(source model) + "_" + source primary key)
 *   has_one:    camelize(singular(alias given, else source model) + "_"
 *               + source primary key)
 */
static char *
derive_foreign_key(Association *a, const char *alias_given)
{
	AssocTable *ref = assoc_referenced(a);
	AssocColumn *pk = assoc_primary_key(ref);
	const char *key = pk ? pk->name : assoc_referenced_key(a)->name;
	char	   *base;

	switch (a->kind)
	{
		case ASSOC_BELONGS_TO:
			base = psprintf("%s_%s", a->alias, key);
			break;
		case ASSOC_HAS_MANY:
			base = psprintf("%s_%s", assoc_singularize(a->source->model), key);
			break;
		default:
			base = psprintf("%s_%s",
							assoc_singularize(alias_given ? alias_given : a->source->model),
							key);
			break;
	}
	base = assoc_camelize(base);
	if (a->underscored)
		base = assoc_underscore(base);
	return base;
}

/* The keys: the referenced one as named, else the primary keys. */
static void
fk_keys(AssocDecl *d)
{
	Association *a = d->a;
	char	   *fk_given = assoc_text_arg(d->fcinfo, ARG_FOREIGN_KEY);
	char	   *key_given = assoc_text_arg(d->fcinfo, ARG_KEY);

	if (a->kind == ASSOC_BELONGS_TO)
	{
		a->target_key = assoc_key_column(a->target, key_given, "target_key", true);
		a->source_key = assoc_key_column(a->source, NULL, NULL, false);
	}
	else
	{
		a->source_key = assoc_key_column(a->source, key_given, "source_key", true);
		a->target_key = assoc_key_column(a->target, NULL, NULL, false);
	}

	a->foreign_key = palloc0(sizeof(AssocColumn));
	a->foreign_key->name = fk_given ? fk_given : derive_foreign_key(a, d->alias_given);
	if (strlen(a->foreign_key->name) >= NAMEDATALEN)
		ereport(ERROR,
				(errcode(ERRCODE_NAME_TOO_LONG),
				 errmsg("foreign key column name \"%s\" is longer than %d bytes",
						a->foreign_key->name, NAMEDATALEN - 1),
				 errhint("Name a shorter column with foreign_key => '...'.")));
}

/* column, constraint, index */
static AssocDdlPlan *
fk_plan(AssocDecl *d)
{
	const char *on_delete = d->on_delete;
	const char *on_update = d->on_update;

	/* Citus tables: the layout, and the actions Citus accepts */
	assoc_citus_fk_actions(d->a, &on_delete, &on_update);
	assoc_citus_no_triggers(d->a, d->counter_given != NULL, d->a->touch);
	return assoc_plan_ddl(d->a, on_delete, on_update);
}

/* the column as created */
static void
fk_resolve(AssocDecl *d)
{
	Association *a = d->a;

	if (d->plan->column_exists)
		return;
	a->foreign_key = assoc_find_column(assoc_holder(a)->relid, a->foreign_key->name);
	if (a->foreign_key == NULL)
		elog(ERROR, "column created for the association is missing");
}

#define FK_KIND(k, plural, counter, touch_, scope_arg) { \
	.kind = (k), .args = FK_ARGS(counter, touch_, scope_arg), .plural_alias = (plural), \
	.keys = fk_keys, .plan = fk_plan, .resolve = fk_resolve }

/*
 * counter_cache (belongs_to, has_many) and touch (belongs_to) come last,
 * then scope (has_one, has_many, as in Sequelize); 0: none
 */
static const AssocDeclKind belongs_to = FK_KIND(ASSOC_BELONGS_TO, false, 11, 12, 0);
static const AssocDeclKind has_one = FK_KIND(ASSOC_HAS_ONE, false, 0, 0, 11);
static const AssocDeclKind has_many = FK_KIND(ASSOC_HAS_MANY, true, 11, 0, 12);

Datum
assoc_belongs_to(PG_FUNCTION_ARGS)
{
	return assoc_declare(fcinfo, &belongs_to);
}

Datum
assoc_has_one(PG_FUNCTION_ARGS)
{
	return assoc_declare(fcinfo, &has_one);
}

Datum
assoc_has_many(PG_FUNCTION_ARGS)
{
	return assoc_declare(fcinfo, &has_many);
}
