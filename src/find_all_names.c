/*
 * find_all_names.c
 *	  The names in find_all's options: columns, associations and models,
 *	  looked up in find_all's cache of tables (find_all_cache.c).
 *
 * A name that does not resolve is an error that says where it was named
 * and what the valid names are; an association of another table says
 * which table has it and, when the parent reaches that table, how to
 * include it.
 */
#include "postgres.h"

#include "lib/stringinfo.h"

#include "catalog.h"
#include "find_all_int.h"
#include "naming.h"

char *
fa_column_names(FaTable *ti)
{
	StringInfoData buf;
	ListCell   *lc;

	initStringInfo(&buf);
	foreach(lc, ti->columns)
		appendStringInfo(&buf, "%s%s", buf.len > 0 ? ", " : "",
						 ((AssocColumn *) lfirst(lc))->name);
	return buf.data;
}

static char *
assoc_names(List *assocs)
{
	StringInfoData buf;
	ListCell   *lc;

	initStringInfo(&buf);
	foreach(lc, assocs)
		appendStringInfo(&buf, "%s%s", buf.len > 0 ? ", " : "",
						 ((Association *) lfirst(lc))->alias);
	return buf.data;
}

/* The table's column of that name, or NULL. */
AssocColumn *
fa_lookup_column(FaTable *ti, const char *name)
{
	ListCell   *lc;

	foreach(lc, ti->columns)
		if (strcmp(((AssocColumn *) lfirst(lc))->name, name) == 0)
			return lfirst(lc);
	return NULL;
}

bool
fa_has_column(FaTable *ti, const char *name)
{
	return fa_lookup_column(ti, name) != NULL;
}

/* A column of the node's table; "where" says where it was named. */
AssocColumn *
fa_find_column(FaNode *node, const char *name, const char *where)
{
	FaTable    *ti = fa_cache_table(node->table);
	AssocColumn *col = fa_lookup_column(ti, name);

	if (col != NULL)
		return col;
	ereport(ERROR,
			(errcode(ERRCODE_UNDEFINED_COLUMN),
			 errmsg("column \"%s\" of table %s does not exist", name,
					node->table->qualname),
			 errdetail("It is named in %s of %s.", where, node->label),
			 errhint("Columns of %s are: %s.", node->table->qualname,
					 fa_column_names(ti))));
	return NULL;				/* keep compiler quiet */
}

/* Does a model name given by the caller name this table? */
bool
fa_model_matches(AssocTable *t, const char *name)
{
	return strcmp(t->relname, name) == 0 ||
		strcmp(t->model, name) == 0 ||
		strcmp(t->model_name, name) == 0 ||
		pg_strcasecmp(t->model, name) == 0 ||
		pg_strcasecmp(t->model_name, name) == 0 ||
		pg_strcasecmp(t->relname, name) == 0 ||
		strcmp(t->qualname, name) == 0 ||
		strcmp(psprintf("%s.%s", t->nspname, t->relname), name) == 0;
}

/* Was the alias derived (Sequelize: declared without "as")? */
bool
fa_alias_is_default(Association *a)
{
	if (a->kind == ASSOC_HAS_MANY || a->kind == ASSOC_BELONGS_TO_MANY)
		return strcmp(a->alias, a->target->plural) == 0;
	return strcmp(a->alias, a->target->model) == 0;
}

/*
 * The hint listing the associations of the parent's table (assocs), for an
 * association that is not one of them; "more" follows "has no
 * associations" when there are none.
 */
static int
errhint_associations(FaNode *parent, List *assocs, const char *more)
{
	if (assocs == NIL)
		return errhint("Table %s has no associations%s.",
					   parent->table->qualname, more);
	return errhint("Associations of %s are: %s.", parent->table->qualname,
				   assoc_names(assocs));
}

/* The association of the parent named alias, or an error that helps. */
Association *
fa_find_association(FaNode *parent, const char *alias,
				 const char *where)
{
	FaTable    *ti = fa_cache_table(parent->table);
	List	   *assocs = fa_cache_associations(ti);
	List	   *others;
	Association *other = NULL;
	Association *via = NULL;
	ListCell   *lc;
	ListCell   *lc2;

	foreach(lc, assocs)
	{
		Association *a = lfirst(lc);

		if (strcmp(a->alias, alias) == 0)
			return a;
	}

	/*
	 * An association of another table: say which, and how to reach it.
	 * Prefer a table the parent reaches in one step, then one in the same
	 * schema.
	 */
	others = assoc_catalog_with_alias(alias);
	foreach(lc, others)
	{
		Association *o = lfirst(lc);

		foreach(lc2, assocs)
		{
			Association *a = lfirst(lc2);

			if (via == NULL && a->target->relid == o->source->relid)
			{
				other = o;
				via = a;
			}
		}
	}
	foreach(lc, others)
	{
		Association *o = lfirst(lc);

		if (other == NULL && strcmp(o->source->nspname, parent->table->nspname) == 0)
			other = o;
	}
	if (other == NULL && others != NIL)
		other = linitial(others);
	fa_refuse_polymorphic(parent, alias, where);
	if (other != NULL)
		ereport(ERROR,
				(errcode(ERRCODE_UNDEFINED_OBJECT),
				 errmsg("table %s has no association \"%s\"",
						parent->table->qualname, alias),
				 errdetail("\"%s\" is an association of table %s, named in %s of %s.",
						   alias, other->source->qualname, where, parent->label),
				 via != NULL ?
				 errhint("Include it inside include \"%s\": {\"association\": \"%s\", \"include\": [\"%s\"]}.",
						 via->alias, via->alias, alias) :
				 errhint_associations(parent, assocs, "")));
	ereport(ERROR,
			(errcode(ERRCODE_UNDEFINED_OBJECT),
			 errmsg("table %s has no association \"%s\"",
					parent->table->qualname, alias),
			 errdetail("It is named in %s of %s.", where, parent->label),
			 errhint_associations(parent, assocs,
								  ": declare one with assoc.has_many, assoc.has_one or assoc.belongs_to")));
	return NULL;				/* keep compiler quiet */
}

/* The association of the parent with the table a model name names. */
Association *
fa_find_association_by_model(FaNode *parent, const char *model,
						  const char *where)
{
	FaTable    *ti = fa_cache_table(parent->table);
	List	   *assocs = fa_cache_associations(ti);
	List	   *found = NIL;
	ListCell   *lc;

	foreach(lc, assocs)
	{
		Association *a = lfirst(lc);

		if (fa_model_matches(a->target, model))
			found = lappend(found, a);
	}
	if (list_length(found) == 1)
		return linitial(found);
	if (found == NIL)
		ereport(ERROR,
				(errcode(ERRCODE_UNDEFINED_OBJECT),
				 errmsg("table %s has no association with model \"%s\"",
						parent->table->qualname, model),
				 errdetail("It is named in %s of %s.", where, parent->label),
				 errhint_associations(parent, assocs, "")));
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("table %s has several associations with model \"%s\"",
					parent->table->qualname, model),
			 errdetail("They are: %s; %s names the model only.",
					   assoc_names(found), where),
			 errhint("Name one of them with \"association\" (or \"as\").")));
	return NULL;				/* keep compiler quiet */
}
