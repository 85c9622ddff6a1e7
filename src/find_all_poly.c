/*
 * find_all_poly.c
 *	  find_all's include of a polymorphic association (assoc.polymorphic,
 *	  README "Polymorphic associations"): {"include": ["commentable"]} gives
 *	  each comment the row of the image or the video its type names.
 *
 * assoc.polymorphic keeps no catalog row: the declaration is the argument
 * list of its AFTER trigger on the source table (name, id column, its
 * type, type column, then per target its type value, qualified table name
 * and key column), which pg_dump carries; it is read here from the
 * relcache's trigger descriptor, each call (cheap: no query).
 *
 * The include becomes an FaPoly (find_all.h) beside the node's children,
 * with one node per target: a belongs_to include of that table on the id
 * column, with the table's own attributes in table order and its soft
 * delete filter, as an include of that table elsewhere in find_all.  The
 * deparser picks the one the type names with a CASE over the type column,
 * each target joined as a belongs_to include is: in a page a correlated
 * subquery through the target's primary key, in a full scan a join of the
 * target's rows by key where the type names it (1.4x faster over 300k
 * comments, measured).
 *
 * What it takes: "required" (only the rows whose target exists) and
 * "paranoid" (false: soft-deleted targets too), and the options that
 * change nothing in one statement.  The others are per table (attributes,
 * where, order, nested includes) or per has_many (limit, separate) and are
 * refused with an error that names them: include a target's own
 * association for those.  {"all": true} does not add it (Sequelize has no
 * such association to add).
 */
#include "postgres.h"

#include "access/table.h"
#include "catalog/namespace.h"
#include "catalog/pg_trigger.h"
#include "commands/trigger.h"
#include "lib/stringinfo.h"
#include "nodes/makefuncs.h"
#include "utils/lsyscache.h"
#include "utils/rel.h"
#include "utils/regproc.h"

#include "find_all_int.h"

/* A declaration, as the trigger's arguments give it. */
typedef struct PolyDecl
{
	char	   *name;
	char	   *id_column;
	char	   *type_column;
	List	   *values;			/* char *, per target */
	List	   *tables;			/* char *: qualified names */
	List	   *keys;			/* char *: the targets' key columns */
} PolyDecl;

/* Is the function assoc.polymorphic_check()? */
static bool
is_polymorphic_check(Oid foid)
{
	char	   *name = get_func_name(foid);
	Oid			nsp = get_namespace_oid("assoc", true);

	return name != NULL && strcmp(name, "polymorphic_check") == 0 &&
		OidIsValid(nsp) && get_func_namespace(foid) == nsp;
}

/* The polymorphic association of the table called name, or NULL. */
static PolyDecl *
find_declaration(AssocTable *table, const char *name)
{
	Relation	rel = table_open(table->relid, AccessShareLock);
	TriggerDesc *td = rel->trigdesc;
	PolyDecl   *d = NULL;

	for (int i = 0; td != NULL && i < td->numtriggers && d == NULL; i++)
	{
		Trigger    *tg = &td->triggers[i];

		/* the AFTER one of the two (both carry the declaration) */
		if (!TRIGGER_FOR_AFTER(tg->tgtype) || tg->tgnargs < 7 ||
			(tg->tgnargs - 4) % 3 != 0 || strcmp(tg->tgargs[0], name) != 0 ||
			!is_polymorphic_check(tg->tgfoid))
			continue;
		d = palloc0(sizeof(PolyDecl));
		d->name = pstrdup(tg->tgargs[0]);
		d->id_column = pstrdup(tg->tgargs[1]);
		d->type_column = pstrdup(tg->tgargs[3]);
		for (int j = 4; j + 2 < tg->tgnargs; j += 3)
		{
			d->values = lappend(d->values, pstrdup(tg->tgargs[j]));
			d->tables = lappend(d->tables, pstrdup(tg->tgargs[j + 1]));
			d->keys = lappend(d->keys, pstrdup(tg->tgargs[j + 2]));
		}
	}
	table_close(rel, AccessShareLock);
	return d;
}

/* Does the table have a (catalog) association of that alias? */
static bool
has_association(FaNode *parent, const char *alias)
{
	ListCell   *lc;

	foreach(lc, fa_cache_associations(fa_cache_table(parent->table)))
		if (strcmp(((Association *) lfirst(lc))->alias, alias) == 0)
			return true;
	return false;
}

/* "table a or table b", for messages. */
static char *
target_names(List *targets)
{
	StringInfoData buf;
	ListCell   *lc;

	initStringInfo(&buf);
	foreach(lc, targets)
		appendStringInfo(&buf, "%s%s",
						 lc == list_head(targets) ? "" :
						 lnext(targets, lc) == NULL ? " or " : ", ",
						 ((FaNode *) lfirst(lc))->table->qualname);
	return buf.data;
}

/*
 * A column the declaration names, or an error: renamed or dropped since
 * (the trigger's arguments do not follow).
 */
static AssocColumn *
declared_column(AssocTable *table, PolyDecl *d, AssocTable *source,
				const char *column)
{
	AssocColumn *col = fa_lookup_column(fa_cache_table(table), column);

	if (col == NULL)
		ereport(ERROR,
				(errcode(ERRCODE_UNDEFINED_COLUMN),
				 errmsg("column \"%s\" of table %s does not exist", column,
						table->qualname),
				 errdetail("Polymorphic association \"%s\" of table %s was declared with it.",
						   d->name, source->qualname),
				 errhint("Declare the association again with assoc.polymorphic.")));
	return col;
}

/* The node of one target table: a belongs_to include on the id column. */
static FaNode *
target_node(FaNode *parent, PolyDecl *d, FaPoly *poly, const char *path,
			const char *qualname, const char *key, const char *value)
{
	List	   *names = stringToQualifiedNameList(qualname);
	Oid			relid = RangeVarGetRelid(makeRangeVarFromNameList(names),
										 AccessShareLock, true);
	Association *a;
	FaNode	   *n;

	if (!OidIsValid(relid))
		ereport(ERROR,
				(errcode(ERRCODE_UNDEFINED_TABLE),
				 errmsg("polymorphic association \"%s\" of table %s names table %s, which does not exist",
						d->name, parent->table->qualname, qualname),
				 errdetail("Its target of type '%s' is that table; the declaration does not follow a renamed table.",
						   value),
				 errhint("Declare the association again with assoc.polymorphic.")));
	a = palloc0(sizeof(Association));
	a->kind = ASSOC_BELONGS_TO;
	a->source = parent->table;
	a->target = fa_cache_model(relid)->table;
	a->alias = poly->name;
	a->foreign_key = poly->id_column;
	a->target_key = declared_column(a->target, d, parent->table, key);
	n = fa_new_node(a->target, parent, a, pstrdup(path),
					psprintf("include \"%s\" (table %s)", path, a->target->qualname));
	n->shape = FA_SHAPE_CORRELATED;
	return n;
}

/*
 * If name is a polymorphic association of the parent's table (and no
 * association of the catalog has that alias, which comes first), adds its
 * include with the options of the include's object (pairs, NIL for a
 * name alone) and returns true; otherwise returns false.
 */
bool
fa_add_polymorphic(FaNode *parent, const char *name, List *pairs)
{
	static const char *const taken[] = {"association", "as", "required",
	"paranoid", "duplicating", NULL};
	PolyDecl   *d;
	FaPoly	   *poly;
	char	   *path;
	char	   *label;
	JsonbValue *v;
	ListCell   *lc;
	ListCell   *lc2;
	ListCell   *lc3;
	bool		with_deleted = false;

	if (has_association(parent, name) ||
		(d = find_declaration(parent->table, name)) == NULL)
		return false;

	path = parent->path ? psprintf("%s.%s", parent->path, name) : pstrdup(name);
	label = psprintf("include \"%s\"", path);
	poly = palloc0(sizeof(FaPoly));
	poly->name = d->name;
	poly->id_column = declared_column(parent->table, d, parent->table, d->id_column);
	poly->type_column = declared_column(parent->table, d, parent->table, d->type_column);
	poly->position = list_length(parent->children);
	forthree(lc, d->values, lc2, d->tables, lc3, d->keys)
	{
		poly->values = lappend(poly->values, lfirst(lc));
		poly->targets = lappend(poly->targets,
								target_node(parent, d, poly, path, lfirst(lc2),
											lfirst(lc3), lfirst(lc)));
	}

	/* what it takes (fa_check_options has checked the names) */
	foreach(lc, pairs)
	{
		JPair	   *p = lfirst(lc);
		bool		ok = false;

		for (int i = 0; taken[i] != NULL; i++)
			if (strcmp(p->key, taken[i]) == 0)
				ok = true;
		if (!ok)
			ereport(ERROR,
					(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
					 errmsg("option \"%s\" in %s is not supported for a polymorphic association",
							p->key, label),
					 errdetail("\"%s\" of table %s is a row of %s, as column \"%s\" says; each table has its own columns and associations.",
							   name, parent->table->qualname,
							   target_names(poly->targets), poly->type_column->name),
					 errhint("Include \"%s\" with \"required\" or \"paranoid\" only; for \"%s\", include the association of one target table on column \"%s\" instead.",
							 name, p->key, poly->id_column->name)));
	}
	if ((v = fa_option(pairs, FA_OPT_INCLUDE, "required", label)) != NULL)
		poly->required = v->val.boolean;
	if ((v = fa_option(pairs, FA_OPT_INCLUDE, "paranoid", label)) != NULL)
		with_deleted = !v->val.boolean;
	(void) fa_option(pairs, FA_OPT_INCLUDE, "duplicating", label);
	foreach(lc, poly->targets)
		((FaNode *) lfirst(lc))->with_deleted = with_deleted;

	/* its key in the parent's JSON: once, and no column's */
	foreach(lc, parent->polys)
		if (strcmp(((FaPoly *) lfirst(lc))->name, name) == 0)
			ereport(ERROR,
					(errcode(ERRCODE_DUPLICATE_OBJECT),
					 errmsg("association \"%s\" is included twice in %s",
							name, parent->label),
					 errhint("Include it once, with all its options.")));
	foreach(lc, parent->columns)
		if (strcmp(((AssocColumn *) lfirst(lc))->name, name) == 0)
			ereport(ERROR,
					(errcode(ERRCODE_DUPLICATE_COLUMN),
					 errmsg("association \"%s\" collides with column \"%s\" of table %s",
							name, name, parent->table->qualname),
					 errdetail("The JSON of %s would have two keys \"%s\".",
							   parent->label, name),
					 errhint("Leave the column out with \"attributes\": {\"exclude\": [\"%s\"]}.",
							 name)));
	parent->polys = lappend(parent->polys, poly);
	return true;
}

/*
 * For an association name that the parent's table does not have: when it
 * names a polymorphic association, the error that says it can only be
 * included (where, order and aggregates name one table's columns).
 */
void
fa_refuse_polymorphic(FaNode *parent, const char *name, const char *where)
{
	PolyDecl   *d = find_declaration(parent->table, name);

	if (d == NULL)
		return;
	ereport(ERROR,
			(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
			 errmsg("polymorphic association \"%s\" of table %s cannot be used in %s of %s",
					name, parent->table->qualname, where, parent->label),
			 errdetail("Its row is of a table that column \"%s\" names, one per row; find_all can only include it.",
					   d->type_column),
			 errhint("Write {\"include\": [\"%s\"]}; to filter, order or aggregate by a target's columns, use the association of that table on column \"%s\".",
					 name, d->id_column)));
}
