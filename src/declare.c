/*
 * declare.c
 *	  The skeleton every declaration follows (assoc.belongs_to, has_one,
 *	  has_many: declare_fk.c; belongs_to_many: declare_btm.c), each kind
 *	  giving it only what differs (an AssocDeclKind, declare.h).
 *
 * The steps, in order: argument checks; SPI and a safe search_path; the
 * tables, owned by the caller and locked in OID order; the alias and its
 * rules; the keys; the same alias declared before (a no-op when it is the
 * same association, else an error); the DDL plan; the DDL; the generated
 * functions; the catalog row; the NOTICE.  All in the caller's transaction:
 * an error anywhere leaves nothing behind.
 *
 * dry_run does the same steps, the DDL and the functions included, in a
 * subtransaction that is rolled back, error or not: the notice shows what
 * would be done, to the functions' names, even when the functions need
 * objects that do not exist yet (a through table to create), and nothing is
 * left behind.  The returned row is the one that would be stored, without
 * an id, functions, or a through table that does not exist.
 */
#include "postgres.h"

#include "access/xact.h"
#include "executor/spi.h"
#include "fmgr.h"
#include "funcapi.h"
#include "lib/stringinfo.h"
#include "tcop/utility.h"
#include "utils/builtins.h"
#include "utils/resowner.h"

#include "catalog.h"
#include "citus.h"
#include "codegen.h"
#include "counter.h"
#include "declare.h"
#include "ddl.h"
#include "naming.h"
#include "scope.h"
#include "spi_util.h"
#include "sql_spell.h"

/* A text argument, NULL when SQL NULL. */
char *
assoc_text_arg(FunctionCallInfo fcinfo, int n)
{
	if (PG_ARGISNULL(n))
		return NULL;
	return text_to_cstring(PG_GETARG_TEXT_PP(n));
}

/* A boolean argument, dflt when SQL NULL. */
bool
assoc_bool_arg(FunctionCallInfo fcinfo, int n, bool dflt)
{
	return PG_ARGISNULL(n) ? dflt : PG_GETARG_BOOL(n);
}

/*
 * A scope argument (scope, through_scope) read, NIL when the kind has none
 * or the function is 0.1.0's, which has no such argument.
 */
static List *
scope_arg(FunctionCallInfo fcinfo, int n, const char *argname)
{
	if (n == 0 || n >= PG_NARGS() || PG_ARGISNULL(n))
		return NIL;
	return assoc_scope_read(PG_GETARG_JSONB_P(n), argname);
}

/* The association is declared already with another scope: an error. */
static void
check_same_scope(Association *a, Association *old, List *given, List *stored,
				 const char *argname)
{
	char	   *json = assoc_scope_json(stored);

	if (assoc_scope_equal(given, stored))
		return;
	ereport(ERROR,
			(errcode(ERRCODE_DUPLICATE_OBJECT),
			 errmsg("association \"%s\" of table %s already exists with %s => %s",
					a->alias, a->source->qualname, argname,
					json ? sql_literal(json) : "NULL"),
			 errhint("To change it, drop the association with assoc.drop_association(%s, %s) and declare it again; two scopes of one pair are two aliases.",
					 sql_literal(a->source->qualname), sql_literal(a->alias))));
}

/* The alias is taken by another association of the source: say which. */
static void
alias_taken(Association *a, Association *old)
{
	ereport(ERROR,
			(errcode(ERRCODE_DUPLICATE_OBJECT),
			 errmsg("table %s already has an association named \"%s\"",
					a->source->qualname, a->alias),
			 errdetail("It is a %s association with %s.", assoc_kind_name(old->kind),
					   old->target->qualname),
			 errhint("Give this association another alias => '...', or drop the other with assoc.drop_association(%s, %s).",
					 sql_literal(a->source->qualname),
					 sql_literal(a->alias))));
}

/* Sequelize refuses an alias that is also an attribute of the source. */
static void
check_alias_not_column(Association *a)
{
	if (assoc_find_column(a->source->relid, a->alias) != NULL)
		ereport(ERROR,
				(errcode(ERRCODE_DUPLICATE_COLUMN),
				 errmsg("alias \"%s\" collides with column \"%s\" of table %s",
						a->alias, a->alias, a->source->qualname),
				 errdetail("Eager-loaded JSON would have two keys \"%s\".", a->alias),
				 errhint("Give the association another alias => '...'.")));
}

/*
 * The alias, and its singular and plural as Sequelize's options.name.  One
 * that names the targets defaults to the plural of the target model; news,
 * sheep: then one name serves both, as Sequelize's addNews (codegen.c).
 */
static void
choose_alias(AssocDecl *d)
{
	Association *a = d->a;

	if (d->alias_given != NULL && d->alias_given[0] == '\0')
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("alias must not be empty")));
	if (d->kind->check_alias)
		d->kind->check_alias(d);
	if (d->kind->plural_alias)
	{
		a->alias = d->alias_given ? d->alias_given : a->target->plural;
		a->plural = a->alias;
		/* Sequelize: the target's singular name, else singular(as) */
		a->singular = d->alias_given ? assoc_singularize(a->alias) : a->target->model;
	}
	else
	{
		a->alias = d->alias_given ? d->alias_given : a->target->model;
		a->singular = a->alias;
		a->plural = d->alias_given ? assoc_pluralize(a->alias) : a->target->plural;
	}
}

/*
 * The association declared before under this alias is the same but for
 * counter_cache or touch: an error, rather than a no-op that would ignore
 * them (changing them is dropping the association and declaring it again).
 */
static void
check_same_options(AssocDecl *d, Association *old)
{
	Association *a = d->a;
	const char *was = old->counter_cache ? old->counter_cache->name : NULL;
	const char *now = d->counter_given;

	if ((was == NULL) == (now == NULL) && (was == NULL || strcmp(was, now) == 0) &&
		old->touch == a->touch)
		return;
	ereport(ERROR,
			(errcode(ERRCODE_DUPLICATE_OBJECT),
			 errmsg("association \"%s\" of table %s already exists with other options",
					a->alias, a->source->qualname),
			 errdetail("It was declared with counter_cache => %s, touch => %s.",
					   was ? sql_literal(was) : "NULL", old->touch ? "true" : "false"),
			 errhint("Drop it with assoc.drop_association(%s, %s) and declare it again.",
					 sql_literal(a->source->qualname), sql_literal(a->alias))));
}

/*
 * The association declared before under this alias: the same one?  The
 * same but for its scope is an error: declaring again does not change it.
 */
static bool
same_association(AssocDecl *d, Association *old)
{
	Association *a = d->a;

	if (!(old->kind == a->kind &&
		  old->target->relid == a->target->relid &&
		  strcmp(old->foreign_key->name, a->foreign_key->name) == 0 &&
		  strcmp(old->source_key->name, a->source_key->name) == 0 &&
		  strcmp(old->target_key->name, a->target_key->name) == 0 &&
		  (d->kind->same == NULL || d->kind->same(d, old))))
		return false;
	check_same_scope(a, old, a->scope, old->scope, "scope");
	check_same_scope(a, old, a->through_scope, old->through_scope, "through_scope");
	return true;
}

/*
 * The steps that change things: the DDL, the functions, the catalog row
 * (which a dry run only shows).  Returns the row; *funcs the functions.
 */
static Datum
make_changes(AssocDecl *d, TupleDesc rettupdesc, MemoryContext upper,
			 List **funcs)
{
	Association *a = d->a;
	ListCell   *lc;
	Datum		row;

	d->plan = d->kind->plan(d);
	assoc_counter_plan(d);
	assoc_run_ddl(d->plan);
	CommandCounterIncrement();
	d->kind->resolve(d);
	/* the through table may have been created just now */
	if (a->through)
		assoc_scope_resolve(a->through_scope, a->through, a, "through_scope");
	assoc_counter_resolve(d);

	a->prefix = assoc_function_prefix(a->source);
	*funcs = assoc_codegen(a);
	assoc_codegen_check_names(a, *funcs);
	assoc_codegen_run(*funcs);
	foreach(lc, *funcs)
		a->functions = lappend(a->functions, ((GenFunc *) lfirst(lc))->signature);

	if (d->dry_run)
	{
		AssocTable *through = a->through;

		/* the row names nothing that the rollback takes away */
		a->functions = NIL;
		if (!d->plan->column_exists)
			a->through = NULL;
		row = assoc_catalog_insert(a, true, rettupdesc, upper);
		a->through = through;
		assoc_counter_install(a, d->plan, true);
		return row;
	}
	row = assoc_catalog_insert(a, false, rettupdesc, upper);
	if (a->counter_cache != NULL || a->touch)
		assoc_counter_install(assoc_catalog_find(a->source->relid, a->alias),
							  d->plan, false);
	return row;
}

/* make_changes in a subtransaction that is rolled back, error or not. */
static Datum
make_changes_rolled_back(AssocDecl *d, TupleDesc rettupdesc,
						 MemoryContext upper, List **funcs)
{
	MemoryContext cxt = CurrentMemoryContext;
	ResourceOwner owner = CurrentResourceOwner;
	volatile Datum row = (Datum) 0;

	BeginInternalSubTransaction(NULL);
	MemoryContextSwitchTo(cxt);
	PG_TRY();
	{
		row = make_changes(d, rettupdesc, upper, funcs);
	}
	PG_CATCH();
	{
		ErrorData  *edata;

		MemoryContextSwitchTo(cxt);
		edata = CopyErrorData();
		FlushErrorState();
		RollbackAndReleaseCurrentSubTransaction();
		MemoryContextSwitchTo(cxt);
		CurrentResourceOwner = owner;
		ReThrowError(edata);
	}
	PG_END_TRY();
	RollbackAndReleaseCurrentSubTransaction();
	MemoryContextSwitchTo(cxt);
	CurrentResourceOwner = owner;
	return row;
}

/* "heading:" and the items, one a line, for a declaration's NOTICE. */
static void
append_list(StringInfo buf, const char *heading, List *items)
{
	if (items == NIL)
		return;
	appendStringInfo(buf, "\n%s:\n  ", heading);
	sql_append_joined(buf, items, "\n  ", NULL);
}

/* The NOTICE: what was (or would be) created and adopted. */
static void
report(AssocDecl *d, List *funcs)
{
	Association *a = d->a;
	const char *what = assoc_kind_name(a->kind);
	StringInfoData msg;

	initStringInfo(&msg);
	if (d->dry_run)
	{
		appendStringInfo(&msg, "dry run of %s(%s, %s", what,
						 a->source->qualname, a->target->qualname);
		if (a->through)
			appendStringInfo(&msg, ", through => %s", a->through->qualname);
		appendStringInfoString(&msg, "): nothing was changed");
		append_list(&msg, "would run", d->plan->statements);
		append_list(&msg, "would adopt", d->plan->adopted);
		appendStringInfo(&msg, "\nwould create functions:\n  %s",
						 assoc_codegen_names(funcs));
	}
	else
	{
		appendStringInfo(&msg, "%s association \"%s\" of table %s with %s",
						 what, a->alias, a->source->qualname, a->target->qualname);
		if (a->through)
			appendStringInfo(&msg, " through %s", a->through->qualname);
		append_list(&msg, "created", d->plan->created);
		append_list(&msg, "adopted", d->plan->adopted);
		if (assoc_citus_note(a))
			appendStringInfo(&msg, "\ncitus:\n  %s", assoc_citus_note(a));
		appendStringInfo(&msg, "\nfunctions:\n  %s", assoc_codegen_names(funcs));
	}
	ereport(NOTICE, (errmsg_internal("%s", msg.data)));
}

/* A declaration of the given kind, called with the kind's SQL arguments. */
Datum
assoc_declare(FunctionCallInfo fcinfo, const AssocDeclKind *kind)
{
	const AssocDeclArgs *args = &kind->args;
	MemoryContext upper = CurrentMemoryContext;
	TupleDesc	rettupdesc;
	AssocDecl  *d = palloc0(sizeof(AssocDecl));
	Association *a = palloc0(sizeof(Association));
	char	   *on_delete = assoc_text_arg(fcinfo, args->on_delete);
	char	   *on_update = assoc_text_arg(fcinfo, args->on_update);
	Association *old;
	List	   *funcs;
	int			save_nestlevel;
	Datum		result;

	/*
	 * A declaration writes (tables, functions, the catalog), even when it
	 * finds nothing to do or is a dry run: refused in a read-only
	 * transaction and on a hot standby with PostgreSQL's own error, before
	 * the tables are locked (a standby refuses the lock with another one)
	 */
	PreventCommandIfReadOnly(psprintf("assoc.%s()", assoc_kind_name(kind->kind)));

	d->fcinfo = fcinfo;
	d->kind = kind;
	d->a = a;
	d->alias_given = assoc_text_arg(fcinfo, args->alias);
	d->dry_run = assoc_bool_arg(fcinfo, args->dry_run, false);
	a->scope = scope_arg(fcinfo, args->scope, "scope");
	a->through_scope = scope_arg(fcinfo, args->through_scope, "through_scope");

	if (PG_ARGISNULL(args->source) || PG_ARGISNULL(args->target))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("%s needs a source and a target table",
						assoc_kind_name(kind->kind))));
	if (kind->check_args)
		kind->check_args(d);
	if (get_call_result_type(fcinfo, NULL, &rettupdesc) != TYPEFUNC_COMPOSITE)
		elog(ERROR, "return type must be a row type");
	rettupdesc = BlessTupleDesc(rettupdesc);

	SPI_connect();
	save_nestlevel = assoc_safe_search_path();

	a->kind = kind->kind;
	a->constraints = assoc_bool_arg(fcinfo, args->constraints, true);
	a->underscored = assoc_bool_arg(fcinfo, args->underscored, assoc_underscored);
	a->create_index = assoc_bool_arg(fcinfo, args->create_index, true);
	if (on_delete)
		d->on_delete = assoc_normalize_action(on_delete, "on_delete");
	if (on_update)
		d->on_update = assoc_normalize_action(on_update, "on_update");

	/*
	 * The tables: the caller must own both.  Lock them as ADD FOREIGN KEY
	 * would, so that no row changes between our checks and the DDL, and in
	 * OID order, so that the two sides of a pair declared at once
	 * (has_many(owners, pugs), belongs_to(pugs, owners)) do not deadlock.
	 */
	assoc_lock_tables(PG_GETARG_OID(args->source), PG_GETARG_OID(args->target));
	a->source = assoc_open_table(PG_GETARG_OID(args->source), "source", true);
	a->target = assoc_open_table(PG_GETARG_OID(args->target), "target", true);
	if (kind->open)
		kind->open(d);
	/* underscored not given: the holder's model option, else the GUC */
	if (PG_ARGISNULL(args->underscored))
	{
		AssocTable *holder = a->kind == ASSOC_BELONGS_TO_MANY ?
			(a->through ? a->through : a->source) : assoc_holder(a);

		if (holder->underscored >= 0)
			a->underscored = holder->underscored == 1;
	}

	choose_alias(d);
	kind->keys(d);
	/*
	 * not there while the SQL objects are 0.1.0's (before ALTER EXTENSION
	 * assoc UPDATE), whose declarations have no such arguments
	 */
	if (args->counter_cache && PG_NARGS() > args->counter_cache)
		d->counter_given = assoc_counter_name(d, assoc_text_arg(fcinfo, args->counter_cache));
	if (args->touch && PG_NARGS() > args->touch)
		a->touch = assoc_bool_arg(fcinfo, args->touch, false);

	/* the same alias again: the same association is a no-op, else an error */
	old = assoc_catalog_find(a->source->relid, a->alias);
	if (old != NULL)
	{
		if (same_association(d, old))
		{
			check_same_options(d, old);
			ereport(NOTICE,
					(errmsg("association \"%s\" of table %s already exists, nothing to do",
							a->alias, a->source->qualname)));
			result = assoc_catalog_row(old->id, rettupdesc, upper);
			assoc_restore_search_path(save_nestlevel);
			SPI_finish();
			PG_RETURN_DATUM(result);
		}
		alias_taken(a, old);
	}
	check_alias_not_column(a);
	if (kind->check)
		kind->check(d);
	assoc_scope_resolve(a->scope, a->target, a, "scope");

	if (d->dry_run)
		result = make_changes_rolled_back(d, rettupdesc, upper, &funcs);
	else
		result = make_changes(d, rettupdesc, upper, &funcs);
	report(d, funcs);

	assoc_restore_search_path(save_nestlevel);
	SPI_finish();
	PG_RETURN_DATUM(result);
}
