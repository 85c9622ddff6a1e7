/*
 * declare.c
 *	  The SQL-callable declarations: assoc.belongs_to, assoc.has_one,
 *	  assoc.has_many and assoc.drop_association.
 *
 * A declaration derives the names Sequelize would (naming.c), works out the
 * column, constraint and index it needs (ddl.c), generates the accessors
 * (codegen.c) and records it all in the catalog (catalog.c), in the
 * caller's transaction: an error anywhere leaves nothing behind.
 */
#include "postgres.h"

#include "access/htup_details.h"
#include "catalog/pg_type.h"
#include "executor/spi.h"
#include "fmgr.h"
#include "funcapi.h"
#include "lib/stringinfo.h"
#include "storage/lmgr.h"
#include "utils/builtins.h"
#include "utils/lsyscache.h"

#include "catalog.h"
#include "codegen.h"
#include "declare.h"
#include "ddl.h"
#include "naming.h"
#include "spi_util.h"

PG_FUNCTION_INFO_V1(assoc_belongs_to);
PG_FUNCTION_INFO_V1(assoc_has_one);
PG_FUNCTION_INFO_V1(assoc_has_many);
PG_FUNCTION_INFO_V1(assoc_drop_association);

/* argument positions shared by the three declarations */
#define ARG_SOURCE			0
#define ARG_TARGET			1
#define ARG_ALIAS			2
#define ARG_FOREIGN_KEY		3
#define ARG_KEY				4	/* target_key (belongs_to), source_key */
#define ARG_ON_DELETE		5
#define ARG_ON_UPDATE		6
#define ARG_CONSTRAINTS		7
#define ARG_UNDERSCORED		8
#define ARG_CREATE_INDEX	9
#define ARG_DRY_RUN			10

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

/* "heading:" and the items, one a line, for a declaration's NOTICE. */
void
assoc_append_list(StringInfo buf, const char *heading, List *items)
{
	ListCell   *lc;

	if (items == NIL)
		return;
	appendStringInfo(buf, "\n%s:", heading);
	foreach(lc, items)
		appendStringInfo(buf, "\n  %s", (char *) lfirst(lc));
}

/* The alias is taken by another association of the source: say which. */
void
assoc_alias_taken(Association *a, Association *old)
{
	ereport(ERROR,
			(errcode(ERRCODE_DUPLICATE_OBJECT),
			 errmsg("table %s already has an association named \"%s\"",
					a->source->qualname, a->alias),
			 errdetail("It is a %s association with %s.", assoc_kind_name(old->kind),
					   old->target->qualname),
			 errhint("Give this association another alias => '...', or drop the other with assoc.drop_association(%s, %s).",
					 quote_literal_cstr(a->source->qualname),
					 quote_literal_cstr(a->alias))));
}

/* Sequelize refuses an alias that is also an attribute of the source. */
void
assoc_check_alias_not_column(Association *a)
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

/* Same alias, same meaning? */
static bool
same_association(Association *old, Association *a)
{
	return old->kind == a->kind &&
		old->target->relid == a->target->relid &&
		strcmp(old->foreign_key->name, a->foreign_key->name) == 0 &&
		strcmp(old->source_key->name, a->source_key->name) == 0 &&
		strcmp(old->target_key->name, a->target_key->name) == 0;
}

static Datum
declare(FunctionCallInfo fcinfo, AssocKind kind)
{
	MemoryContext upper = CurrentMemoryContext;
	TupleDesc	rettupdesc;
	Association *a = palloc0(sizeof(Association));
	char	   *alias_given = assoc_text_arg(fcinfo, ARG_ALIAS);
	char	   *fk_given = assoc_text_arg(fcinfo, ARG_FOREIGN_KEY);
	char	   *key_given = assoc_text_arg(fcinfo, ARG_KEY);
	char	   *on_delete = assoc_text_arg(fcinfo, ARG_ON_DELETE);
	char	   *on_update = assoc_text_arg(fcinfo, ARG_ON_UPDATE);
	bool		dry_run = assoc_bool_arg(fcinfo, ARG_DRY_RUN, false);
	const char *what = assoc_kind_name(kind);
	Association *old;
	AssocDdlPlan *plan;
	List	   *funcs;
	StringInfoData msg;
	int			save_nestlevel;
	Datum		result;

	if (PG_ARGISNULL(ARG_SOURCE) || PG_ARGISNULL(ARG_TARGET))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("%s needs a source and a target table", what)));
	if (get_call_result_type(fcinfo, NULL, &rettupdesc) != TYPEFUNC_COMPOSITE)
		elog(ERROR, "return type must be a row type");
	rettupdesc = BlessTupleDesc(rettupdesc);

	SPI_connect();
	save_nestlevel = assoc_safe_search_path();

	a->kind = kind;
	a->constraints = assoc_bool_arg(fcinfo, ARG_CONSTRAINTS, true);
	a->underscored = assoc_bool_arg(fcinfo, ARG_UNDERSCORED, assoc_underscored);
	a->create_index = assoc_bool_arg(fcinfo, ARG_CREATE_INDEX, true);
	if (on_delete)
		a->on_delete = assoc_normalize_action(on_delete, "on_delete");
	if (on_update)
		a->on_update = assoc_normalize_action(on_update, "on_update");

	/*
	 * The tables: the caller must own both.  Lock them as ADD FOREIGN KEY
	 * would, so that no row changes between our checks and the DDL, and in
	 * OID order, so that the two sides of a pair declared at once
	 * (has_many(owners, pugs), belongs_to(pugs, owners)) do not deadlock.
	 */
	assoc_lock_tables(PG_GETARG_OID(ARG_SOURCE), PG_GETARG_OID(ARG_TARGET));
	a->source = assoc_open_table(PG_GETARG_OID(ARG_SOURCE), "source", true);
	a->target = assoc_open_table(PG_GETARG_OID(ARG_TARGET), "target", true);

	/* the alias, and its singular and plural as Sequelize's options.name */
	if (alias_given != NULL && alias_given[0] == '\0')
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("alias must not be empty")));
	if (kind == ASSOC_HAS_MANY)
	{
		a->alias = alias_given ? alias_given : assoc_pluralize(a->target->model);
		a->plural = a->alias;
		/* news, sheep: one name serves both, as Sequelize's addNews (codegen.c) */
		a->singular = assoc_singularize(a->alias);
	}
	else
	{
		a->alias = alias_given ? alias_given : a->target->model;
		a->singular = a->alias;
		a->plural = assoc_pluralize(a->alias);
	}

	/* the keys */
	if (kind == ASSOC_BELONGS_TO)
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
	a->foreign_key->name = fk_given ? fk_given : derive_foreign_key(a, alias_given);
	if (strlen(a->foreign_key->name) >= NAMEDATALEN)
		ereport(ERROR,
				(errcode(ERRCODE_NAME_TOO_LONG),
				 errmsg("foreign key column name \"%s\" is longer than %d bytes",
						a->foreign_key->name, NAMEDATALEN - 1),
				 errhint("Name a shorter column with foreign_key => '...'.")));

	/* the same alias again: the same association is a no-op, else an error */
	old = assoc_catalog_find(a->source->relid, a->alias);
	if (old != NULL)
	{
		if (same_association(old, a))
		{
			ereport(NOTICE,
					(errmsg("association \"%s\" of table %s already exists, nothing to do",
							a->alias, a->source->qualname)));
			result = assoc_catalog_row(old->id, rettupdesc, upper);
			assoc_restore_search_path(save_nestlevel);
			SPI_finish();
			return result;
		}
		assoc_alias_taken(a, old);
	}
	assoc_check_alias_not_column(a);

	/* column, constraint, index */
	plan = assoc_plan_ddl(a, on_delete != NULL, on_update != NULL);
	if (!dry_run)
	{
		assoc_run_ddl(plan);
		if (!plan->column_exists)
		{
			a->foreign_key = assoc_find_column(assoc_holder(a)->relid,
											   a->foreign_key->name);
			if (a->foreign_key == NULL)
				elog(ERROR, "column created for the association is missing");
		}
	}

	/* accessors */
	a->prefix = assoc_function_prefix(a->source);
	funcs = assoc_codegen(a);
	assoc_codegen_check_names(a, funcs);
	if (!dry_run)
		assoc_codegen_run(a, funcs, false);
	{
		ListCell   *lc;

		foreach(lc, funcs)
			a->functions = lappend(a->functions, ((GenFunc *) lfirst(lc))->signature);
	}

	/* the catalog row */
	if (dry_run)
		a->functions = NIL;		/* they do not exist to be referenced */
	result = assoc_catalog_insert(a, dry_run, rettupdesc, upper);

	initStringInfo(&msg);
	if (dry_run)
	{
		appendStringInfo(&msg, "dry run of %s(%s, %s): nothing was changed", what,
						 a->source->qualname, a->target->qualname);
		assoc_append_list(&msg, "would run", plan->statements);
		assoc_append_list(&msg, "would adopt", plan->adopted);
		appendStringInfo(&msg, "\nwould create functions:\n  %s",
						 assoc_codegen_names(funcs));
	}
	else
	{
		appendStringInfo(&msg, "%s association \"%s\" of table %s with %s",
						 what, a->alias, a->source->qualname, a->target->qualname);
		assoc_append_list(&msg, "created", plan->created);
		assoc_append_list(&msg, "adopted", plan->adopted);
		appendStringInfo(&msg, "\nfunctions:\n  %s", assoc_codegen_names(funcs));
	}
	ereport(NOTICE, (errmsg_internal("%s", msg.data)));

	assoc_restore_search_path(save_nestlevel);
	SPI_finish();
	PG_RETURN_DATUM(result);
}

Datum
assoc_belongs_to(PG_FUNCTION_ARGS)
{
	return declare(fcinfo, ASSOC_BELONGS_TO);
}

Datum
assoc_has_one(PG_FUNCTION_ARGS)
{
	return declare(fcinfo, ASSOC_HAS_ONE);
}

Datum
assoc_has_many(PG_FUNCTION_ARGS)
{
	return declare(fcinfo, ASSOC_HAS_MANY);
}

/*
 * drop_column of a belongs_to_many: its through table, unless another
 * association involves that table (the mirror association, typically: then
 * it is kept, and dropping the mirror with drop_column drops it).  Both key
 * columns make the table's primary key and the mirror's keys, so dropping
 * the one column, as for the other kinds, would break both; the link rows
 * and their through values are the association's own data, as the foreign
 * key column is a has_many's.
 */
static void
drop_through_table(Association *a, AssocTable *source, StringInfo msg)
{
	AssocTable *through = a->through;
	char	   *user = assoc_catalog_other_user(a, through->relid);
	MemoryContext cxt = CurrentMemoryContext;

	if (user != NULL)
	{
		appendStringInfo(msg, "; through table %s is kept: %s uses it",
						 through->qualname, user);
		return;
	}
	PG_TRY();
	{
		assoc_spi_exec(psprintf("DROP TABLE %s", through->qualname), SPI_OK_UTILITY);
	}
	PG_CATCH();
	{
		ErrorData  *edata;

		MemoryContextSwitchTo(cxt);
		edata = CopyErrorData();
		if (edata->sqlerrcode != ERRCODE_DEPENDENT_OBJECTS_STILL_EXIST)
			PG_RE_THROW();
		FlushErrorState();
		ereport(ERROR,
				(errcode(ERRCODE_DEPENDENT_OBJECTS_STILL_EXIST),
				 errmsg("cannot drop through table %s of association \"%s\" of table %s because other objects depend on it",
						through->qualname, a->alias, source->qualname),
				 edata->detail ? errdetail_internal("%s", edata->detail) : 0,
				 errhint("Drop those objects first, or drop the association without drop_column => true, which keeps the table.")));
	}
	PG_END_TRY();
	appendStringInfo(msg, "; dropped through table %s", through->qualname);
}

/*
 * assoc.drop_association(source regclass, alias text, drop_column boolean)
 *
 * Removes the catalog row and the generated functions; with drop_column,
 * also the foreign-key column (its constraint and index go with it) unless
 * another association still uses it, or for a belongs_to_many the through
 * table (drop_through_table).
 */
Datum
assoc_drop_association(PG_FUNCTION_ARGS)
{
	Oid			source;
	char	   *alias;
	bool		drop_column = assoc_bool_arg(fcinfo, 2, false);
	Association *a;
	AssocTable *table;
	List	   *funcs;
	ListCell   *lc;
	StringInfoData msg;
	int			save_nestlevel;

	if (PG_ARGISNULL(0) || PG_ARGISNULL(1))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("drop_association needs a table and an alias")));
	source = PG_GETARG_OID(0);
	alias = text_to_cstring(PG_GETARG_TEXT_PP(1));

	SPI_connect();
	save_nestlevel = assoc_safe_search_path();

	table = assoc_open_table(source, "source", true);
	a = assoc_catalog_find(source, alias);
	if (a == NULL)
		ereport(ERROR,
				(errcode(ERRCODE_UNDEFINED_OBJECT),
				 errmsg("table %s has no association named \"%s\"", table->qualname, alias),
				 errhint("SELECT * FROM assoc.describe(%s) lists its associations.",
						 quote_literal_cstr(table->qualname))));
	if (drop_column && !assoc_rel_is_owner(assoc_holder(a)->relid, GetUserId()))
		(void) assoc_open_table(assoc_holder(a)->relid,
								a->kind == ASSOC_BELONGS_TO_MANY ? "through" : "target",
								true);

	initStringInfo(&msg);
	appendStringInfo(&msg, "dropped association \"%s\" of table %s", alias, table->qualname);

	funcs = assoc_catalog_functions(a->id);
	foreach(lc, funcs)
		assoc_spi_exec(psprintf("DROP FUNCTION %s", (char *) lfirst(lc)), SPI_OK_UTILITY);
	if (funcs != NIL)
		appendStringInfo(&msg, " and its %d functions", list_length(funcs));
	/* before the column: the sql_drop trigger must not end it a second time */
	assoc_catalog_delete(a->id);

	if (drop_column && a->kind == ASSOC_BELONGS_TO_MANY)
		drop_through_table(a, table, &msg);
	else if (drop_column)
	{
		AssocTable *holder = assoc_holder(a);

		if (assoc_catalog_column_shared(a))
			appendStringInfo(&msg, "; column %s.%s is kept: another association uses it",
							 holder->qualname, quote_identifier(a->foreign_key->name));
		else
		{
			assoc_spi_exec(psprintf("ALTER TABLE %s DROP COLUMN %s", holder->qualname,
									quote_identifier(a->foreign_key->name)),
						   SPI_OK_UTILITY);
			appendStringInfo(&msg, "; dropped column %s.%s with its constraint and index",
							 holder->qualname, quote_identifier(a->foreign_key->name));
		}
	}
	ereport(NOTICE, (errmsg_internal("%s", msg.data)));

	assoc_restore_search_path(save_nestlevel);
	SPI_finish();
	PG_RETURN_VOID();
}
