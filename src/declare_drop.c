/*
 * declare_drop.c
 *	  assoc.drop_association: the catalog row and the generated functions of
 *	  an association, its counter-cache and touch triggers, and with
 *	  drop_column its foreign-key column (or, for a belongs_to_many, its
 *	  through table).  A counter column is kept: it is the owner table's.
 */
#include "postgres.h"

#include "executor/spi.h"
#include "fmgr.h"
#include "lib/stringinfo.h"
#include "tcop/utility.h"
#include "utils/builtins.h"

#include "catalog.h"
#include "counter.h"
#include "declare.h"
#include "ddl.h"
#include "spi_util.h"
#include "sql_spell.h"

PG_FUNCTION_INFO_V1(assoc_drop_association);

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

	/* a write, read-only transaction or not (as a declaration: declare.c) */
	PreventCommandIfReadOnly("assoc.drop_association()");
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
						 sql_literal(table->qualname))));
	if (drop_column && !assoc_rel_is_owner(assoc_holder(a)->relid, GetUserId()))
		(void) assoc_open_table(assoc_holder(a)->relid,
								a->kind == ASSOC_BELONGS_TO_MANY ? "through" : "target",
								true);

	initStringInfo(&msg);
	appendStringInfo(&msg, "dropped association \"%s\" of table %s", alias, table->qualname);

	assoc_counter_drop_triggers(a);
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
							 holder->qualname, sql_ident(a->foreign_key->name));
		else
		{
			assoc_spi_exec(psprintf("ALTER TABLE %s DROP COLUMN %s", holder->qualname,
									sql_ident(a->foreign_key->name)),
						   SPI_OK_UTILITY);
			appendStringInfo(&msg, "; dropped column %s.%s with its constraint and index",
							 holder->qualname, sql_ident(a->foreign_key->name));
		}
	}
	ereport(NOTICE, (errmsg_internal("%s", msg.data)));

	assoc_restore_search_path(save_nestlevel);
	SPI_finish();
	PG_RETURN_VOID();
}
