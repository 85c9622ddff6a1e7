/*
 * codegen.c
 *	  The functions generated for an association (README, "Accessors" and "Eager loading"): what to
 *	  generate for each kind, creating them, and bringing them in line
 *	  with their tables after ALTER TABLE.
 *
 * The generator is layered, each file calling only the ones below it:
 *
 *	 codegen.c		  this file: dispatch, CREATE, sync, name checks
 *	 gen_fk.c		  belongs_to, has_one, has_many: the link of a foreign key
 *	 gen_btm.c		  belongs_to_many: the link of a through table
 *	 gen_loaders.c	  the eager loaders (X_with_Y), and the row loader's query
 *	 gen_accessors.c  one generator per accessor behaviour (get, count, has,
 *					  add, remove, set, create), given the link's shape
 *	 gen_toolkit.c	  Gen set-up, names, quoting, argument forms, function
 *					  assembly, key tests, the statements writers share
 *
 * gen_fk.c, gen_btm.c and gen_loaders.c do not call one another.
 *
 * All SQL text of generated functions is written by these files, with
 * every table schema-qualified, every identifier quoted with
 * sql_ident, every literal with sql_literal (sql_spell.c), every function
 * and non-keyword type qualified, and key comparisons spelled
 * OPERATOR(schema.=).
 *
 * Bodies are strings (AS $assoc$ ... $assoc$), not SQL-standard BEGIN
 * ATOMIC bodies.  A SQL-standard body records a dependency on every column
 * it reads or returns, and PostgreSQL then refuses DROP COLUMN and ALTER
 * COLUMN TYPE of any of them, and ALTER TABLE ... ADD COLUMN ... DEFAULT
 * while a body holds a value of the table's row type: the ordinary
 * migrations of every app.  A string body is parsed when it is called (or
 * inlined), under the caller's search_path; since every name in it is
 * qualified, it means the same whatever that search_path is, and
 * PostgreSQL inlines the read accessors into the calling query just the
 * same.  depend.c records what the functions depend on instead: their
 * tables and the extension.  After an ALTER TABLE, assoc_codegen_sync
 * rewrites only the functions whose text changed.
 *
 * Argument forms.  An instance or target is accepted as a row of its
 * table, as its key (in the key's type or another integer type), or as
 * text (a driver's untyped $1, a quoted literal); several targets as an
 * array of any of those, as text ('{1,2}'), or as one.  Each accessor is
 * one polymorphic function, with a text overload for an untyped target;
 * see gen_toolkit.c, "Argument forms", and runtime_key.c.
 *
 * Uncountable aliases (news, sheep: singular and plural alike) give the
 * accessors for one target and for several the same name, hub_add_news,
 * as Sequelize's addNews serves both: they are the accessors for several,
 * which take one target as well.
 */
#include "postgres.h"

#include "access/xact.h"
#include "catalog/pg_type.h"
#include "executor/spi.h"
#include "lib/stringinfo.h"
#include "utils/builtins.h"
#include "utils/regproc.h"
#include "utils/lsyscache.h"

#include "codegen.h"
#include "depend.h"
#include "gen_btm.h"
#include "gen_fk.h"
#include "gen_loaders.h"
#include "runtime.h"
#include "spi_util.h"

/*
 * All functions of an association, named and written but not yet created.
 */
List *
assoc_codegen(Association *a)
{
	Gen			g;

	assoc_cg_init(&g, a);
	switch (a->kind)
	{
		case ASSOC_BELONGS_TO:
			assoc_gen_belongs_to(&g);
			break;
		case ASSOC_HAS_ONE:
			assoc_gen_has_one(&g);
			break;
		case ASSOC_HAS_MANY:
			assoc_gen_has_many(&g);
			break;
		case ASSOC_BELONGS_TO_MANY:
			assoc_gen_belongs_to_many(&g);
			break;
	}
	assoc_gen_loaders(&g);
	return g.funcs;
}

/* Distinct function names, comma-separated, in generation order. */
char *
assoc_codegen_names(List *funcs)
{
	StringInfoData buf;
	List	   *seen = NIL;
	ListCell   *lc;

	initStringInfo(&buf);
	foreach(lc, funcs)
	{
		GenFunc    *fn = lfirst(lc);

		if (list_member(seen, makeString(fn->name)))
			continue;
		seen = lappend(seen, makeString(fn->name));
		appendStringInfo(&buf, "%s%s", buf.len > 0 ? ", " : "", fn->name);
	}
	return buf.data;
}

/*
 * A generated name must not be taken by a function that is not ours: say
 * which, rather than fail on CREATE FUNCTION or replace someone's function.
 */
void
assoc_codegen_check_names(Association *a, List *funcs)
{
	ListCell   *lc;
	Oid			nsp = get_rel_namespace(a->source->relid);
	List	   *seen = NIL;

	foreach(lc, funcs)
	{
		GenFunc    *fn = lfirst(lc);
		Oid			argtypes[2] = {TEXTOID, OIDOID};
		Datum		values[2];

		if (list_member(seen, makeString(fn->name)))
			continue;
		seen = lappend(seen, makeString(fn->name));
		values[0] = CStringGetTextDatum(fn->name);
		values[1] = ObjectIdGetDatum(nsp);
		assoc_spi_exec_args("SELECT CAST(CAST(p.oid AS pg_catalog.regprocedure) AS pg_catalog.text)"
							"  FROM pg_catalog.pg_proc p"
							" WHERE p.proname = $1 AND p.pronamespace = $2"
							" ORDER BY p.oid LIMIT 1",
							2, argtypes, values, NULL, SPI_OK_SELECT);
		if (SPI_processed > 0)
			ereport(ERROR,
					(errcode(ERRCODE_DUPLICATE_FUNCTION),
					 errmsg("function %s already exists", assoc_spi_getstring(0, 1)),
					 errdetail("Association \"%s\" of table %s would generate functions named %s.",
							   a->alias, a->source->qualname, fn->name),
					 errhint("Drop or rename that function, or declare the association with another alias => '...'.")));
	}
}

/* The OID of a function, by its signature; InvalidOid when there is none. */
static Oid
function_oid(const char *signature)
{
	Oid			argtypes[1] = {TEXTOID};
	Datum		values[1];

	values[0] = CStringGetTextDatum(signature);
	assoc_spi_exec_args("SELECT CAST(pg_catalog.to_regprocedure($1) AS pg_catalog.oid)",
						1, argtypes, values, NULL, SPI_OK_SELECT);
	if (SPI_processed != 1 || assoc_spi_isnull(0, 1))
		return InvalidOid;
	return DatumGetObjectId(assoc_spi_getdatum(0, 1));
}

/* What assoc records for one generated function (depend.c). */
static void
record_deps(Association *a, Oid fnoid)
{
	assoc_record_function_deps(fnoid, a->source->relid, a->target->relid,
							   a->through ? a->through->relid : InvalidOid);
}

/* Replace (or create) one function of a stored association, with its dependencies. */
static void
replace_function(Association *a, GenFunc *fn)
{
	Oid			fnoid;

	assoc_spi_exec(psprintf("CREATE OR REPLACE %s", fn->sql), SPI_OK_UTILITY);
	fnoid = function_oid(fn->signature);
	if (!OidIsValid(fnoid))
		elog(ERROR, "generated function %s is missing", fn->signature);
	record_deps(a, fnoid);
	CommandCounterIncrement();
}

/*
 * Create the functions of a new association.  Their dependencies are
 * recorded when its catalog row is inserted, which a declaration does next
 * (the catalog's trigger, depend.c: the same as for a row pg_restore loads).
 */
void
assoc_codegen_run(List *funcs)
{
	ListCell   *lc;

	assoc_ensure_key_helpers();
	foreach(lc, funcs)
		assoc_spi_exec(psprintf("CREATE %s", ((GenFunc *) lfirst(lc))->sql),
					   SPI_OK_UTILITY);
}

/*
 * Bring the existing functions of a stored association in line with funcs,
 * what the association generates for its tables as they are now: create the
 * functions that are missing, replace those whose body changed, and drop
 * those no longer generated (a key whose type changed changes the argument
 * types).  Functions whose text is unchanged are left alone, so that an
 * ALTER TABLE that does not change what assoc writes (ADD COLUMN, a column
 * type, a constraint) costs one catalog query.  With all_deps, the
 * dependencies of the functions left alone are recorded again too (after an
 * upgrade: 0.1.0 recorded one on the foreign-key column).  Returns how many
 * functions were created, replaced or dropped.
 */
int
assoc_codegen_sync(Association *a, List *funcs, bool all_deps)
{
	Oid			argtypes[1] = {INT4OID};
	Datum		values[1];
	List	   *old_oids = NIL;
	List	   *old_srcs = NIL;
	List	   *kept = NIL;
	List	   *stale = NIL;
	ListCell   *lc;
	int			changed = 0;

	assoc_ensure_key_helpers();
	values[0] = Int32GetDatum(a->id);
	assoc_spi_exec_args("SELECT p.oid, p.prosrc"
						"  FROM assoc.associations a, pg_catalog.unnest(a.functions) f,"
						"       pg_catalog.pg_proc p"
						" WHERE a.id = $1 AND p.oid = f",
						1, argtypes, values, NULL, SPI_OK_SELECT);
	for (uint64 i = 0; i < SPI_processed; i++)
	{
		old_oids = lappend_oid(old_oids, DatumGetObjectId(assoc_spi_getdatum(i, 1)));
		/* a SQL-standard body (from assoc 0.1.0) has no prosrc text */
		old_srcs = lappend(old_srcs, assoc_spi_isnull(i, 2) ? "" : assoc_spi_getstring(i, 2));
	}

	/* the OIDs of the functions as generated now, in one query */
	{
		int			n = list_length(funcs);
		List	   *signatures = NIL;
		Oid			sigtypes[1] = {TEXTARRAYOID};
		Datum		sigs[1];

		foreach(lc, funcs)
			signatures = lappend(signatures, ((GenFunc *) lfirst(lc))->signature);
		sigs[0] = assoc_text_array_datum(signatures);
		assoc_spi_exec_args("SELECT CAST(pg_catalog.to_regprocedure(s) AS pg_catalog.oid)"
							"  FROM pg_catalog.unnest($1) WITH ORDINALITY AS u(s, i)"
							" ORDER BY u.i",
							1, sigtypes, sigs, NULL, SPI_OK_SELECT);
		if (SPI_processed != (uint64) n)
			elog(ERROR, "signature lookup returned " UINT64_FORMAT " rows for %d functions",
				 SPI_processed, n);
	}
	foreach(lc, funcs)
	{
		GenFunc    *fn = lfirst(lc);
		int			row = foreach_current_index(lc);
		Oid			fnoid = assoc_spi_isnull(row, 1) ? InvalidOid :
			DatumGetObjectId(assoc_spi_getdatum(row, 1));
		int			k = -1;
		ListCell   *lc2;

		if (!OidIsValid(fnoid))
		{
			stale = lappend(stale, fn);
			continue;
		}
		foreach(lc2, old_oids)
			if (lfirst_oid(lc2) == fnoid)
				k = foreach_current_index(lc2);
		if (k < 0)
			ereport(ERROR,
					(errcode(ERRCODE_DUPLICATE_FUNCTION),
					 errmsg("function %s already exists", format_procedure(fnoid)),
					 errdetail("Association \"%s\" of table %s now generates a function of that name and arguments.",
							   a->alias, a->source->qualname),
					 errhint("Drop or rename that function, then run the statement again.")));
		kept = lappend_oid(kept, fnoid);
		if (strcmp((char *) list_nth(old_srcs, k), fn->body) != 0)
			stale = lappend(stale, fn);
		else if (all_deps)
			record_deps(a, fnoid);
	}

	/* the old functions no longer generated go first: no overload is ambiguous */
	foreach(lc, old_oids)
	{
		Oid			fnoid = lfirst_oid(lc);

		if (list_member_oid(kept, fnoid))
			continue;
		assoc_spi_exec(psprintf("DROP FUNCTION %s", format_procedure_qualified(fnoid)),
					   SPI_OK_UTILITY);
		changed++;
	}
	foreach(lc, stale)
	{
		replace_function(a, (GenFunc *) lfirst(lc));
		changed++;
	}
	return changed;
}
