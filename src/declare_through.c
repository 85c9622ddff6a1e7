/*
 * declare_through.c
 *	  A belongs_to_many's through table: where it is, and the DDL that
 *	  creates it or makes an existing one fit.
 *
 * The through table is created when missing, as Sequelize's sync creates
 * it: the timestamps first (unless timestamps => false), then the key to
 * the source and the key to the target, a composite primary key on the two
 * keys, and a foreign key on each, ON DELETE CASCADE ON UPDATE CASCADE
 * unless told otherwise.  assoc adds an index on the second key (the
 * primary key serves lookups by the first).  An existing table is adopted:
 * its two key columns must be there with the types of the keys they
 * reference; a missing foreign key, unique key on the pair or index is
 * added (a primary key on the pair when the table has none, else a unique
 * constraint named as Sequelize names it).
 *
 * The through table is named as Sequelize takes a string "through": as it
 * is, case kept ('Enrollment' is the table "Enrollment"), in the source
 * table's schema; a name with a dot or double quotes is read as SQL reads a
 * qualified name ('school.enrollments').
 */
#include "postgres.h"

#include "access/table.h"
#include "catalog/namespace.h"
#include "catalog/pg_constraint.h"
#include "commands/defrem.h"
#include "lib/stringinfo.h"
#include "nodes/makefuncs.h"
#include "utils/builtins.h"
#include "utils/lsyscache.h"
#include "utils/rel.h"
#include "utils/relcache.h"
#include "utils/regproc.h"

#include "ddl.h"
#include "declare_through.h"
#include "sql_spell.h"

ThroughName *
assoc_resolve_through(const char *through, AssocTable *source)
{
	ThroughName *tn = palloc0(sizeof(ThroughName));

	if (strchr(through, '.') != NULL || strchr(through, '"') != NULL)
	{
		List	   *names;
		RangeVar   *rv;

#if PG_VERSION_NUM >= 160000
		names = stringToQualifiedNameList(through, NULL);
#else
		names = stringToQualifiedNameList(through);
#endif
		rv = makeRangeVarFromNameList(names);
		if (rv->catalogname != NULL)
			ereport(ERROR,
					(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
					 errmsg("through table name \"%s\" names a database", through),
					 errhint("Name the through table as table or schema.table.")));
		tn->qualified = rv->schemaname != NULL;
		tn->nspname = rv->schemaname ? rv->schemaname : source->nspname;
		tn->relname = rv->relname;
	}
	else
	{
		tn->nspname = source->nspname;
		tn->relname = pstrdup(through);
	}
	if (strlen(tn->relname) >= NAMEDATALEN)
		ereport(ERROR,
				(errcode(ERRCODE_NAME_TOO_LONG),
				 errmsg("through table name \"%s\" is longer than %d bytes",
						tn->relname, NAMEDATALEN - 1)));
	tn->nspid = get_namespace_oid(tn->nspname, false);
	tn->relid = get_relname_relid(tn->relname, tn->nspid);
	return tn;
}

/* A key column of the through table must exist with the referenced type. */
AssocColumn *
assoc_through_key_column(AssocTable *through, const char *name, AssocTable *ref,
						 AssocColumn *refkey, const char *argname)
{
	AssocColumn *col = assoc_find_column(through->relid, name);

	if (col == NULL)
		ereport(ERROR,
				(errcode(ERRCODE_UNDEFINED_COLUMN),
				 errmsg("through table %s has no column %s", through->qualname,
						sql_ident(name)),
				 errdetail("The association links rows of %s through that column, which references %s(%s).",
						   ref->qualname, ref->qualname, sql_ident(refkey->name)),
				 errhint("Add it (ALTER TABLE %s ADD COLUMN %s %s), or name the column to use with %s => '...'.",
						 through->qualname, sql_ident(name),
						 assoc_column_type(refkey), argname)));
	if (col->typid != refkey->typid)
		ereport(ERROR,
				(errcode(ERRCODE_DATATYPE_MISMATCH),
				 errmsg("column %s of through table %s is of type %s, but the key it would reference, %s(%s), is of type %s",
						sql_ident(name), through->qualname,
						format_type_be(col->typid), ref->qualname,
						sql_ident(refkey->name), format_type_be(refkey->typid)),
				 errhint("Change the column's type to %s, or name another column with %s => '...'.",
						 format_type_be(refkey->typid), argname)));
	return col;
}

/* A foreign key of the through table, as the notice lists it. */
static char *
fkey_desc(const char *conname, const char *col, AssocTable *ref,
		  AssocColumn *refkey, const char *on_delete, const char *on_update)
{
	return psprintf("foreign key %s (%s) REFERENCES %s(%s) ON DELETE %s ON UPDATE %s",
					sql_ident(conname), sql_ident(col), ref->qualname,
					sql_ident(refkey->name), on_delete, on_update);
}

/* The key columns of a link are NOT NULL: no SET NULL action on them. */
static void
refuse_set_null(const char *action, const char *col, const char *through)
{
	if (strcmp(action, "SET NULL") == 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("column %s of through table %s is NOT NULL, so its foreign key cannot SET NULL",
						sql_ident(col), through),
				 errdetail("A link of a through table is its two keys: it is deleted, not set to NULL."),
				 errhint("Use CASCADE, RESTRICT or NO ACTION.")));
}

/*
 * The foreign key of an existing through table's key column: adopted when
 * there, else planned.  The actions given must match an adopted one.
 */
static void
plan_existing_fkey(AssocDdlPlan *plan, AssocTable *through, AssocColumn *col,
				   AssocTable *ref, AssocColumn *refkey,
				   const char *on_delete, const char *on_update,
				   char **out_delete, char **out_update)
{
	const char *old_delete = NULL;
	const char *old_update = NULL;
	char	   *conname;

	conname = assoc_find_fkey(through->relid, col->attnum, ref->relid,
							  refkey->attnum, &old_delete, &old_update);
	if (conname != NULL)
	{
		assoc_check_adopted_actions(conname, through, old_delete, old_update,
									on_delete, on_update);
		*out_delete = pstrdup(old_delete);
		*out_update = pstrdup(old_update);
		plan->adopted = lappend(plan->adopted,
								fkey_desc(conname, col->name, ref, refkey,
										  old_delete, old_update));
		return;
	}

	*out_delete = pstrdup(on_delete ? on_delete : "CASCADE");
	*out_update = pstrdup(on_update ? on_update : "CASCADE");
	if (col->notnull)
	{
		refuse_set_null(*out_delete, col->name, through->qualname);
		refuse_set_null(*out_update, col->name, through->qualname);
	}
	assoc_check_fk_violations(through, col, ref, refkey);
	conname = assoc_plan_add_fkey(plan, through, col->name, ref, refkey,
								  *out_delete, *out_update);
	plan->created = lappend(plan->created,
							fkey_desc(conname, col->name, ref, refkey,
									  *out_delete, *out_update));
}

/*
 * The through table does not exist: create it as Sequelize's sync does,
 * with an index on the other key.
 */
AssocDdlPlan *
assoc_plan_new_through(Association *a, ThroughName *tn, const char *on_delete,
					   const char *on_update)
{
	AssocDdlPlan *plan = palloc0(sizeof(AssocDdlPlan));
	const char *fk = a->foreign_key->name;
	const char *ok = a->other_key->name;
	bool		timestamps = a->timestamps;
	char	   *qual = sql_qualname(tn->nspname, tn->relname);
	const char *fkq = sql_ident(fk);
	const char *okq = sql_ident(ok);
	char	   *pkname;
	char	   *fk1 = NULL;
	char	   *fk2 = NULL;
	StringInfoData sql;

	a->on_delete = pstrdup(on_delete ? on_delete : "CASCADE");
	a->on_update = pstrdup(on_update ? on_update : "CASCADE");
	if (a->constraints)
	{
		/* the keys make the primary key: NOT NULL */
		refuse_set_null(a->on_delete, fk, qual);
		refuse_set_null(a->on_update, fk, qual);
	}

	pkname = ChooseRelationName(tn->relname, NULL, "pkey", tn->nspid, true);
	initStringInfo(&sql);
	appendStringInfo(&sql, "CREATE TABLE %s (", qual);
	if (timestamps)
		appendStringInfo(&sql,
						 "%s timestamp with time zone NOT NULL, %s timestamp with time zone NOT NULL, ",
						 a->underscored ? "created_at" : "\"createdAt\"",
						 a->underscored ? "updated_at" : "\"updatedAt\"");
	appendStringInfo(&sql, "%s %s, %s %s, CONSTRAINT %s PRIMARY KEY (%s, %s)",
					 fkq, assoc_column_type(a->source_key),
					 okq, assoc_column_type(a->target_key),
					 sql_ident(pkname), fkq, okq);
	if (a->constraints)
	{
		fk1 = ChooseConstraintName(tn->relname, fk, "fkey", tn->nspid, NIL);
		fk2 = ChooseConstraintName(tn->relname, ok, "fkey", tn->nspid,
								   list_make1(fk1));
		appendStringInfo(&sql, ", %s, %s",
						 sql_fkey_clause(fk1, fk, a->source->qualname,
										 a->source_key->name, a->on_delete,
										 a->on_update),
						 sql_fkey_clause(fk2, ok, a->target->qualname,
										 a->target_key->name, a->on_delete,
										 a->on_update));
	}
	appendStringInfoChar(&sql, ')');
	plan->statements = lappend(plan->statements, sql.data);

	plan->created = lappend(plan->created, psprintf("table %s", qual));
	if (timestamps)
		plan->created = lappend(plan->created,
								psprintf("columns %s, %s timestamp with time zone NOT NULL",
										 a->underscored ? "created_at" : "\"createdAt\"",
										 a->underscored ? "updated_at" : "\"updatedAt\""));
	plan->created = lappend(plan->created,
							psprintf("column %s %s", fkq, assoc_column_type(a->source_key)));
	plan->created = lappend(plan->created,
							psprintf("column %s %s", okq, assoc_column_type(a->target_key)));
	plan->created = lappend(plan->created,
							psprintf("primary key %s (%s, %s)",
									 sql_ident(pkname), fkq, okq));
	if (a->constraints)
	{
		plan->created = lappend(plan->created,
								fkey_desc(fk1, fk, a->source, a->source_key,
										  a->on_delete, a->on_update));
		plan->created = lappend(plan->created,
								fkey_desc(fk2, ok, a->target, a->target_key,
										  a->on_delete, a->on_update));
	}
	else
	{
		a->on_delete = NULL;
		a->on_update = NULL;
	}

	/* the primary key leads with the foreign key; index the other one */
	if (a->create_index)
		assoc_plan_index(plan, qual, tn->relname, tn->nspid, ok);
	return plan;
}

/*
 * The through table exists: check its key columns, adopt or add the
 * foreign keys, the unique key on the pair and the indexes.
 */
AssocDdlPlan *
assoc_plan_existing_through(Association *a, const char *on_delete,
							const char *on_update)
{
	AssocDdlPlan *plan = palloc0(sizeof(AssocDdlPlan));
	AssocTable *h = a->through;
	AssocColumn *f = a->foreign_key;
	AssocColumn *o = a->other_key;
	const char *fq = sql_ident(f->name);
	const char *oq = sql_ident(o->name);
	char	   *unique;
	bool		primary = false;
	bool		first_indexed = false;

	plan->column_exists = true;
	plan->adopted = lappend(plan->adopted, psprintf("table %s", h->qualname));
	plan->adopted = lappend(plan->adopted,
							psprintf("column %s %s", fq, assoc_column_type(f)));
	plan->adopted = lappend(plan->adopted,
							psprintf("column %s %s", oq, assoc_column_type(o)));

	/* one link per pair: what ON CONFLICT needs */
	unique = assoc_find_pair_unique(h->relid, f->attnum, o->attnum, &primary);
	if (unique != NULL)
		plan->adopted = lappend(plan->adopted,
								psprintf("%s %s", primary ? "primary key" : "unique index",
										 sql_ident(unique)));
	else
	{
		Relation	rel = table_open(h->relid, AccessShareLock);
		bool		has_pk = OidIsValid(RelationGetPrimaryKeyIndex(rel));

		table_close(rel, AccessShareLock);
		if (!has_pk)
		{
			unique = ChooseRelationName(h->relname, NULL, "pkey",
										get_rel_namespace(h->relid), true);
			/* ADD PRIMARY KEY makes them NOT NULL */
			f->notnull = o->notnull = true;
		}
		else
		{
			/* Sequelize's name for it: <table>_<fk>_<ok>_unique */
			unique = psprintf("%s_%s_%s_unique", h->relname, f->name, o->name);
			if (strlen(unique) >= NAMEDATALEN ||
				OidIsValid(get_relname_relid(unique, get_rel_namespace(h->relid))))
				unique = ChooseRelationName(h->relname, psprintf("%s_%s", f->name, o->name),
											"key", get_rel_namespace(h->relid), false);
		}
		plan->statements = lappend(plan->statements,
								   psprintf("ALTER TABLE %s ADD CONSTRAINT %s %s (%s, %s)",
											h->qualname, sql_ident(unique),
											has_pk ? "UNIQUE" : "PRIMARY KEY", fq, oq));
		plan->created = lappend(plan->created,
								psprintf("%s %s (%s, %s)",
										 has_pk ? "unique constraint" : "primary key",
										 sql_ident(unique), fq, oq));
		first_indexed = true;
	}

	if (a->constraints)
	{
		char	   *d1,
				   *u1,
				   *d2,
				   *u2;

		plan_existing_fkey(plan, h, f, a->source, a->source_key, on_delete,
						   on_update, &d1, &u1);
		plan_existing_fkey(plan, h, o, a->target, a->target_key, on_delete,
						   on_update, &d2, &u2);
		/* the catalog records the actions of the key to the source */
		a->on_delete = d1;
		a->on_update = u1;
	}
	else
	{
		a->on_delete = NULL;
		a->on_update = NULL;
	}

	/* an index leading with each key: lookups from both sides, cascades */
	if (!first_indexed)
		assoc_plan_index_on(plan, h, f, a->create_index);
	assoc_plan_index_on(plan, h, o, a->create_index);
	return plan;
}
