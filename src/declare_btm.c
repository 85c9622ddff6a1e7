/*
 * declare_btm.c
 *	  assoc.belongs_to_many: a many-to-many association through a junction
 *	  ("through") table, as Sequelize's belongsToMany, as the declaration
 *	  skeleton (declare.c) needs it.  The through table's creation or
 *	  adoption is declare_through.c's.
 *
 * timestamps shapes a through table that is created, and says whether the
 * accessors fill createdAt/updatedAt (or created_at/updated_at) when the
 * through table has them: with timestamps => false they are columns like
 * the others, left to their defaults unless through values give them
 * (Sequelize's through model has no timestamp attributes then).  Each side
 * of a pair has its own.  Declaring the mirror side (courses -> students
 * through the same table) adopts the table its pair created.
 *
 * Names are Sequelize's (lib/associations/belongs-to-many.js):
 *   foreign key  camelize(singular(source model) + "_" + source key)
 *   other key    camelize(target model, or singular(alias) for a
 *                self-association, + "_" + target key)
 * where the keys are those named (source_key, target_key) or else the
 * primary keys, and underscored snake-cases them.  As Sequelize pairs two
 * belongsToMany through the same model, the mirror side takes its pair's
 * keys: its foreign key defaults to the pair's other key and the other way
 * round, and likewise the key columns they reference.  When the source's
 * schema has no through table of the name given but the mirror association
 * goes through a table of that name, that table is the through table.
 */
#include "postgres.h"

#include "fmgr.h"
#include "storage/lmgr.h"
#include "utils/builtins.h"
#include "utils/lsyscache.h"

#include "catalog.h"
#include "citus.h"
#include "declare.h"
#include "ddl.h"
#include "declare_through.h"
#include "naming.h"
#include "sql_spell.h"

PG_FUNCTION_INFO_V1(assoc_belongs_to_many);

#define BARG_THROUGH		2
#define BARG_FOREIGN_KEY	4
#define BARG_OTHER_KEY		5
#define BARG_SOURCE_KEY		6
#define BARG_TARGET_KEY		7
#define BARG_TIMESTAMPS		8

/* What belongs_to_many keeps along the declaration. */
typedef struct BtmState
{
	char	   *through_given;
	char	   *fk_given;
	char	   *ok_given;
	char	   *sk_given;
	char	   *tk_given;
	bool		self;			/* source and target are one table */
	ThroughName *tn;
	char	   *fk;				/* the through table's key columns */
	char	   *ok;
} BtmState;

/* through is required; the other arguments of this kind */
static void
btm_check_args(AssocDecl *d)
{
	BtmState   *st = palloc0(sizeof(BtmState));

	d->state = st;
	st->through_given = assoc_text_arg(d->fcinfo, BARG_THROUGH);
	st->fk_given = assoc_text_arg(d->fcinfo, BARG_FOREIGN_KEY);
	st->ok_given = assoc_text_arg(d->fcinfo, BARG_OTHER_KEY);
	st->sk_given = assoc_text_arg(d->fcinfo, BARG_SOURCE_KEY);
	st->tk_given = assoc_text_arg(d->fcinfo, BARG_TARGET_KEY);
	d->a->timestamps = assoc_bool_arg(d->fcinfo, BARG_TIMESTAMPS, true);
	if (st->through_given == NULL || st->through_given[0] == '\0')
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("belongs_to_many needs a through table"),
				 errdetail("As in Sequelize, whose belongsToMany requires the through option."),
				 errhint("Name the junction table with through => '...'; it is created when missing.")));
}

/* the through table, locked as the two others when it exists */
static void
btm_open(AssocDecl *d)
{
	BtmState   *st = d->state;
	Association *a = d->a;

	st->self = a->source->relid == a->target->relid;
	st->tn = assoc_resolve_through(st->through_given, a->source);
	if (OidIsValid(st->tn->relid))
		LockRelationOid(st->tn->relid, ShareRowExclusiveLock);
}

/* Sequelize: "'as' must be defined for many-to-many self-associations" */
static void
btm_check_alias(AssocDecl *d)
{
	BtmState   *st = d->state;

	if (st->self && d->alias_given == NULL)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("belongs_to_many of table %s with itself needs an alias",
						d->a->source->qualname),
				 errdetail("As in Sequelize (\"'as' must be defined for many-to-many self-associations\"): the other key is named after the alias."),
				 errhint("Give alias => '...', such as alias => 'followers'.")));
}

/*
 * The mirror of this association, as Sequelize pairs them: a
 * belongs_to_many of the target to the source through the same table (for
 * a self-association, another alias through it).  When the through table is
 * not in the source's schema, the pair's through table of that name counts.
 */
static Association *
find_pair(Association *a, ThroughName *tn)
{
	List	   *candidates = assoc_catalog_for_table(a->target->relid);
	ListCell   *lc;

	foreach(lc, candidates)
	{
		Association *p = lfirst(lc);

		if (p->kind != ASSOC_BELONGS_TO_MANY || p->through == NULL ||
			p->source->relid != a->target->relid ||
			p->target->relid != a->source->relid)
			continue;
		if (p->source->relid == a->source->relid && strcmp(p->alias, a->alias) == 0)
			continue;			/* this very association, declared again */
		if (OidIsValid(tn->relid) ? p->through->relid == tn->relid :
			(!tn->qualified && strcmp(p->through->relname, tn->relname) == 0))
			return p;
	}
	return NULL;
}

/* A key column of the through table as Sequelize names it. */
static char *
derive_key(Association *a, const char *model, AssocColumn *key)
{
	char	   *name = assoc_camelize(psprintf("%s_%s", assoc_singularize(model),
											   key->name));

	return a->underscored ? assoc_underscore(name) : name;
}

/* The keys the through table references and its two key columns. */
static void
btm_keys(AssocDecl *d)
{
	BtmState   *st = d->state;
	Association *a = d->a;
	ThroughName *tn = st->tn;
	Association *pair;
	char	   *sk_given = st->sk_given;
	char	   *tk_given = st->tk_given;
	char	   *fk;
	char	   *ok;

	/* the pair, whose keys the mirror side takes by default */
	pair = find_pair(a, tn);
	if (pair != NULL && !OidIsValid(tn->relid))
	{
		tn->relid = pair->through->relid;
		tn->nspname = pair->through->nspname;
		tn->relname = pair->through->relname;
		tn->nspid = get_rel_namespace(tn->relid);
		LockRelationOid(tn->relid, ShareRowExclusiveLock);
	}

	/* the keys the through table references */
	if (sk_given == NULL && pair != NULL)
		sk_given = pair->target_key->name;
	if (tk_given == NULL && pair != NULL)
		tk_given = pair->source_key->name;
	a->source_key = assoc_key_column(a->source, sk_given, "source_key", true);
	a->target_key = assoc_key_column(a->target, tk_given, "target_key", true);

	/* the through table's two keys */
	if (st->fk_given != NULL)
		fk = st->fk_given;
	else if (pair != NULL)
		fk = pair->other_key->name;
	else
		fk = derive_key(a, a->source->model, a->source_key);
	if (st->ok_given != NULL)
		ok = st->ok_given;
	else if (pair != NULL)
		ok = pair->foreign_key->name;
	else
		ok = derive_key(a, st->self ? a->alias : a->target->model, a->target_key);
	if (fk[0] == '\0' || ok[0] == '\0')
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s must not be empty", fk[0] == '\0' ? "foreign_key" : "other_key")));
	if (strcmp(fk, ok) == 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("foreign_key and other_key of association \"%s\" are both \"%s\"",
						a->alias, fk),
				 errdetail("The through table needs one column for %s and another for %s%s.",
						   a->source->qualname, a->target->qualname,
						   st->self ? ", even when they are the same table" : ""),
				 st->self && st->fk_given == NULL && st->ok_given == NULL ?
				 errhint("Give an alias whose singular is not \"%s\" (alias => 'followers' makes other_key \"followerId\"), or name the columns with foreign_key => '...' and other_key => '...'.",
						 a->source->model) :
				 errhint("Name the columns with foreign_key => '...' and other_key => '...'.")));
	st->fk = fk;
	st->ok = ok;
	a->foreign_key = palloc0(sizeof(AssocColumn));
	a->foreign_key->name = fk;
	a->other_key = palloc0(sizeof(AssocColumn));
	a->other_key->name = ok;
}

/*
 * The same through table and other key too?  Then the same but for
 * timestamps is an error: declaring again does not change it.
 */
static bool
btm_same(AssocDecl *d, Association *old)
{
	BtmState   *st = d->state;
	Association *a = d->a;

	if (old->through == NULL || old->through->relid != st->tn->relid ||
		strcmp(old->other_key->name, a->other_key->name) != 0)
		return false;
	if (old->timestamps != a->timestamps)
		ereport(ERROR,
				(errcode(ERRCODE_DUPLICATE_OBJECT),
				 errmsg("association \"%s\" of table %s already exists with timestamps => %s",
						a->alias, a->source->qualname,
						old->timestamps ? "true" : "false"),
				 errhint("To change it, drop the association with assoc.drop_association(%s, %s) and declare it again.",
						 sql_literal(a->source->qualname),
						 sql_literal(a->alias))));
	return true;
}

/* the through model's name, and an existing through table's key columns */
static void
btm_check(AssocDecl *d)
{
	ThroughName *tn = ((BtmState *) d->state)->tn;
	/* an existing table's model name (assoc.model), else its singular */
	char	   *through_model = OidIsValid(tn->relid) ?
		assoc_open_table(tn->relid, "through", false)->model_name :
		assoc_singularize(tn->relname);
	BtmState   *st = d->state;
	Association *a = d->a;

	/*
	 * Each loaded target carries its through row under the through model's
	 * name; a target column of that name would make two keys.
	 */
	if (assoc_find_column(a->target->relid, through_model) != NULL)
		ereport(ERROR,
				(errcode(ERRCODE_DUPLICATE_COLUMN),
				 errmsg("through model name \"%s\" collides with column \"%s\" of table %s",
						through_model, through_model, a->target->qualname),
				 errdetail("Eager-loaded targets carry their row of %s under the key \"%s\", as in Sequelize, and would have two keys \"%s\".",
						   sql_qualname(tn->nspname, tn->relname),
						   through_model, through_model),
				 errhint("Rename the column or use another through table.")));

	/* an existing through table: the caller must own it, its keys must fit */
	if (!OidIsValid(tn->relid))
		return;
	a->through = assoc_open_table(tn->relid, "through", true);
	if (tn->relid == a->source->relid || tn->relid == a->target->relid)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("through table %s is the %s table of the association",
						a->through->qualname,
						tn->relid == a->source->relid ? "source" : "target"),
				 errhint("Name a junction table of its own with through => '...'.")));
	a->foreign_key = assoc_through_key_column(a->through, st->fk, a->source,
											  a->source_key, "foreign_key");
	a->other_key = assoc_through_key_column(a->through, st->ok, a->target,
											a->target_key, "other_key");
	/* Citus tables: reference tables only, else an error (citus.c) */
	(void) assoc_citus_layout(a);
}

/* the through table: created, or adopted and completed */
static AssocDdlPlan *
btm_plan(AssocDecl *d)
{
	BtmState   *st = d->state;

	if (OidIsValid(st->tn->relid))
		return assoc_plan_existing_through(d->a, d->on_delete, d->on_update);
	return assoc_plan_new_through(d->a, st->tn, d->on_delete, d->on_update);
}

/* the through table as it now is */
static void
btm_resolve(AssocDecl *d)
{
	BtmState   *st = d->state;
	Association *a = d->a;
	ThroughName *tn = st->tn;

	if (!OidIsValid(tn->relid))
		tn->relid = get_relname_relid(tn->relname, tn->nspid);
	a->through = assoc_open_table(tn->relid, "through", false);
	a->foreign_key = assoc_find_column(tn->relid, st->fk);
	a->other_key = assoc_find_column(tn->relid, st->ok);
}

static const AssocDeclKind belongs_to_many = {
	.kind = ASSOC_BELONGS_TO_MANY,
	.args = {.source = 0, .target = 1, .alias = 3, .on_delete = 9,
		.on_update = 10, .constraints = 11, .underscored = 12,
	.create_index = 13, .dry_run = 14, .scope = 15, .through_scope = 16},
	.plural_alias = true,
	.check_args = btm_check_args,
	.open = btm_open,
	.check_alias = btm_check_alias,
	.keys = btm_keys,
	.same = btm_same,
	.check = btm_check,
	.plan = btm_plan,
	.resolve = btm_resolve,
};

/*
 * assoc.belongs_to_many(source regclass, target regclass, through text,
 *     alias, foreign_key, other_key, source_key, target_key, timestamps,
 *     on_delete, on_update, constraints, underscored, create_index, dry_run,
 *     scope, through_scope)
 *     RETURNS assoc.associations
 */
Datum
assoc_belongs_to_many(PG_FUNCTION_ARGS)
{
	return assoc_declare(fcinfo, &belongs_to_many);
}
