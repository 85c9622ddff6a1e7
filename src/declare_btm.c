/*
 * declare_btm.c
 *	  assoc.belongs_to_many: a many-to-many association through a junction
 *	  ("through") table, as Sequelize's belongsToMany.
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
 * constraint named as Sequelize names it).  timestamps shapes a table that
 * is created, and says whether the accessors fill createdAt/updatedAt (or
 * created_at/updated_at) when the through table has them: with timestamps
 * => false they are columns like the others, left to their defaults unless
 * through values give them (Sequelize's through model has no timestamp
 * attributes then).  Each side of a pair has its own.  Declaring the mirror
 * side (courses -> students through the same table) adopts the table its
 * pair created.
 *
 * Names are Sequelize's (lib/associations/belongs-to-many.js):
 *   foreign key  camelize(singular(source model) + "_" + source key)
 *   other key    camelize(target model, or singular(alias) for a
 *                self-association, + "_" + target key)
 * where the keys are those named (source_key, target_key) or else the
 * primary keys, and underscored snake-cases them.  As Sequelize pairs two
 * belongsToMany through the same model, the mirror side takes its pair's
 * keys: its foreign key defaults to the pair's other key and the other way
 * round, and likewise the key columns they reference.
 *
 * The through table is named as Sequelize takes a string "through": as it
 * is, case kept ('Enrollment' is the table "Enrollment"), in the source
 * table's schema; a name with a dot or double quotes is read as SQL reads a
 * qualified name ('school.enrollments').  When the source's schema has no
 * such table but the mirror association goes through a table of that name,
 * that table is the through table.
 *
 * dry_run runs the whole declaration in a subtransaction that is rolled
 * back, so that the notice shows what would be done, to the functions'
 * names, even when the through table does not exist yet.
 */
#include "postgres.h"

#include "access/genam.h"
#include "access/htup_details.h"
#include "access/table.h"
#include "access/xact.h"
#include "catalog/namespace.h"
#include "catalog/pg_constraint.h"
#include "catalog/pg_index.h"
#include "commands/defrem.h"
#include "executor/spi.h"
#include "fmgr.h"
#include "funcapi.h"
#include "lib/stringinfo.h"
#include "nodes/makefuncs.h"
#include "storage/lmgr.h"
#include "utils/builtins.h"
#include "utils/lsyscache.h"
#include "utils/rel.h"
#include "utils/relcache.h"
#include "utils/resowner.h"
#include "utils/syscache.h"
#include "utils/regproc.h"

#include "catalog.h"
#include "codegen.h"
#include "declare.h"
#include "ddl.h"
#include "naming.h"
#include "spi_util.h"

PG_FUNCTION_INFO_V1(assoc_belongs_to_many);

#define BARG_SOURCE			0
#define BARG_TARGET			1
#define BARG_THROUGH		2
#define BARG_ALIAS			3
#define BARG_FOREIGN_KEY	4
#define BARG_OTHER_KEY		5
#define BARG_SOURCE_KEY		6
#define BARG_TARGET_KEY		7
#define BARG_TIMESTAMPS		8
#define BARG_ON_DELETE		9
#define BARG_ON_UPDATE		10
#define BARG_CONSTRAINTS	11
#define BARG_UNDERSCORED	12
#define BARG_CREATE_INDEX	13
#define BARG_DRY_RUN		14

/* The through table as named, found or still to be created. */
typedef struct ThroughName
{
	char	   *nspname;
	char	   *relname;
	Oid			nspid;
	Oid			relid;			/* InvalidOid when it does not exist */
	bool		qualified;		/* the name said which schema */
} ThroughName;


/* Where the through table is, or would be created. */
static ThroughName *
resolve_through(const char *through, AssocTable *source)
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

/*
 * A unique index on exactly the two key columns, usable by ON CONFLICT
 * (valid, immediate, not partial, no expressions): its name, or NULL.
 */
static char *
find_pair_unique(Oid relid, AttrNumber k1, AttrNumber k2, bool *primary)
{
	Relation	rel = table_open(relid, AccessShareLock);
	List	   *indexes = RelationGetIndexList(rel);
	ListCell   *lc;
	char	   *found = NULL;

	foreach(lc, indexes)
	{
		HeapTuple	tup = SearchSysCache1(INDEXRELID, ObjectIdGetDatum(lfirst_oid(lc)));
		Form_pg_index idx;

		if (!HeapTupleIsValid(tup))
			continue;
		idx = (Form_pg_index) GETSTRUCT(tup);
		if (idx->indisunique && idx->indisvalid && idx->indimmediate &&
			idx->indnkeyatts == 2 &&
			heap_attisnull(tup, Anum_pg_index_indpred, NULL) &&
			heap_attisnull(tup, Anum_pg_index_indexprs, NULL) &&
			((idx->indkey.values[0] == k1 && idx->indkey.values[1] == k2) ||
			 (idx->indkey.values[0] == k2 && idx->indkey.values[1] == k1)))
		{
			found = get_rel_name(idx->indexrelid);
			*primary = idx->indisprimary;
		}
		ReleaseSysCache(tup);
		if (found)
			break;
	}
	list_free(indexes);
	table_close(rel, AccessShareLock);
	return found;
}

/* Same alias, same meaning? */
static bool
same_association(Association *old, Association *a, ThroughName *tn)
{
	return old->kind == ASSOC_BELONGS_TO_MANY &&
		old->target->relid == a->target->relid &&
		old->through != NULL && old->through->relid == tn->relid &&
		strcmp(old->foreign_key->name, a->foreign_key->name) == 0 &&
		strcmp(old->other_key->name, a->other_key->name) == 0 &&
		strcmp(old->source_key->name, a->source_key->name) == 0 &&
		strcmp(old->target_key->name, a->target_key->name) == 0;
}

/* A key column of the through table must exist with the referenced type. */
static AssocColumn *
through_key_column(AssocTable *through, const char *name, AssocTable *ref,
				   AssocColumn *refkey, const char *argname)
{
	AssocColumn *col = assoc_find_column(through->relid, name);

	if (col == NULL)
		ereport(ERROR,
				(errcode(ERRCODE_UNDEFINED_COLUMN),
				 errmsg("through table %s has no column %s", through->qualname,
						quote_identifier(name)),
				 errdetail("The association links rows of %s through that column, which references %s(%s).",
						   ref->qualname, ref->qualname, quote_identifier(refkey->name)),
				 errhint("Add it (ALTER TABLE %s ADD COLUMN %s %s), or name the column to use with %s => '...'.",
						 through->qualname, quote_identifier(name),
						 assoc_column_type(refkey), argname)));
	if (col->typid != refkey->typid)
		ereport(ERROR,
				(errcode(ERRCODE_DATATYPE_MISMATCH),
				 errmsg("column %s of through table %s is of type %s, but the key it would reference, %s(%s), is of type %s",
						quote_identifier(name), through->qualname,
						format_type_be(col->typid), ref->qualname,
						quote_identifier(refkey->name), format_type_be(refkey->typid)),
				 errhint("Change the column's type to %s, or name another column with %s => '...'.",
						 format_type_be(refkey->typid), argname)));
	return col;
}

static char *
fkey_desc(const char *conname, const char *col, AssocTable *ref,
		  AssocColumn *refkey, const char *on_delete, const char *on_update)
{
	return psprintf("foreign key %s (%s) REFERENCES %s(%s) ON DELETE %s ON UPDATE %s",
					quote_identifier(conname), quote_identifier(col), ref->qualname,
					quote_identifier(refkey->name), on_delete, on_update);
}

static void
refuse_set_null(const char *action, const char *col, const char *through)
{
	if (strcmp(action, "SET NULL") == 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("column %s of through table %s is NOT NULL, so its foreign key cannot SET NULL",
						quote_identifier(col), through),
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
		if (on_delete && strcmp(on_delete, old_delete) != 0)
			ereport(ERROR,
					(errcode(ERRCODE_DUPLICATE_OBJECT),
					 errmsg("foreign key %s on table %s has ON DELETE %s, not %s",
							quote_identifier(conname), through->qualname,
							old_delete, on_delete),
					 errhint("Leave on_delete out to adopt the constraint as it is, or drop it first.")));
		if (on_update && strcmp(on_update, old_update) != 0)
			ereport(ERROR,
					(errcode(ERRCODE_DUPLICATE_OBJECT),
					 errmsg("foreign key %s on table %s has ON UPDATE %s, not %s",
							quote_identifier(conname), through->qualname,
							old_update, on_update),
					 errhint("Leave on_update out to adopt the constraint as it is, or drop it first.")));
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
	conname = ChooseConstraintName(through->relname, col->name, "fkey",
								   get_rel_namespace(through->relid), NIL);
	plan->statements = lappend(plan->statements,
							   psprintf("ALTER TABLE %s ADD CONSTRAINT %s FOREIGN KEY (%s) REFERENCES %s(%s) ON DELETE %s ON UPDATE %s",
										through->qualname, quote_identifier(conname),
										quote_identifier(col->name), ref->qualname,
										quote_identifier(refkey->name),
										*out_delete, *out_update));
	plan->created = lappend(plan->created,
							fkey_desc(conname, col->name, ref, refkey,
									  *out_delete, *out_update));
}

/*
 * The through table does not exist: create it as Sequelize's sync does,
 * with an index on the other key.
 */
static AssocDdlPlan *
plan_new_through(Association *a, ThroughName *tn, const char *fk,
				 const char *ok, bool timestamps,
				 const char *on_delete, const char *on_update)
{
	AssocDdlPlan *plan = palloc0(sizeof(AssocDdlPlan));
	char	   *qual = quote_qualified_identifier(tn->nspname, tn->relname);
	const char *fkq = quote_identifier(fk);
	const char *okq = quote_identifier(ok);
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
					 quote_identifier(pkname), fkq, okq);
	if (a->constraints)
	{
		fk1 = ChooseConstraintName(tn->relname, fk, "fkey", tn->nspid, NIL);
		fk2 = ChooseConstraintName(tn->relname, ok, "fkey", tn->nspid,
								   list_make1(fk1));
		appendStringInfo(&sql,
						 ", CONSTRAINT %s FOREIGN KEY (%s) REFERENCES %s(%s) ON DELETE %s ON UPDATE %s"
						 ", CONSTRAINT %s FOREIGN KEY (%s) REFERENCES %s(%s) ON DELETE %s ON UPDATE %s",
						 quote_identifier(fk1), fkq, a->source->qualname,
						 quote_identifier(a->source_key->name), a->on_delete, a->on_update,
						 quote_identifier(fk2), okq, a->target->qualname,
						 quote_identifier(a->target_key->name), a->on_delete, a->on_update);
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
									 quote_identifier(pkname), fkq, okq));
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
	{
		char	   *index = ChooseRelationName(tn->relname, ok, "idx", tn->nspid, false);

		plan->statements = lappend(plan->statements,
								   psprintf("CREATE INDEX %s ON %s (%s)",
											quote_identifier(index), qual, okq));
		plan->created = lappend(plan->created,
								psprintf("index %s ON %s (%s)",
										 quote_identifier(index), qual, okq));
	}
	return plan;
}

/*
 * The through table exists: check its key columns, adopt or add the
 * foreign keys, the unique key on the pair and the indexes.
 */
static AssocDdlPlan *
plan_existing_through(Association *a, const char *on_delete,
					  const char *on_update)
{
	AssocDdlPlan *plan = palloc0(sizeof(AssocDdlPlan));
	AssocTable *h = a->through;
	AssocColumn *f = a->foreign_key;
	AssocColumn *o = a->other_key;
	const char *fq = quote_identifier(f->name);
	const char *oq = quote_identifier(o->name);
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
	unique = find_pair_unique(h->relid, f->attnum, o->attnum, &primary);
	if (unique != NULL)
		plan->adopted = lappend(plan->adopted,
								psprintf("%s %s", primary ? "primary key" : "unique index",
										 quote_identifier(unique)));
	else
	{
		Relation	rel = table_open(h->relid, AccessShareLock);
		bool		has_pk = OidIsValid(RelationGetPrimaryKeyIndex(rel));

		table_close(rel, AccessShareLock);
		if (!has_pk)
		{
			unique = ChooseRelationName(h->relname, NULL, "pkey",
										get_rel_namespace(h->relid), true);
			plan->statements = lappend(plan->statements,
									   psprintf("ALTER TABLE %s ADD CONSTRAINT %s PRIMARY KEY (%s, %s)",
												h->qualname, quote_identifier(unique), fq, oq));
			plan->created = lappend(plan->created,
									psprintf("primary key %s (%s, %s)",
											 quote_identifier(unique), fq, oq));
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
			plan->statements = lappend(plan->statements,
									   psprintf("ALTER TABLE %s ADD CONSTRAINT %s UNIQUE (%s, %s)",
												h->qualname, quote_identifier(unique), fq, oq));
			plan->created = lappend(plan->created,
									psprintf("unique constraint %s (%s, %s)",
											 quote_identifier(unique), fq, oq));
		}
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
	for (int i = 0; i < 2; i++)
	{
		AssocColumn *col = i == 0 ? f : o;
		char	   *index;

		if (i == 0 && first_indexed)
			continue;
		index = assoc_find_index_on(h->relid, col->attnum);
		if (index != NULL)
			plan->adopted = lappend(plan->adopted,
									psprintf("index %s", quote_identifier(index)));
		else if (a->create_index)
		{
			index = ChooseRelationName(h->relname, col->name, "idx",
									   get_rel_namespace(h->relid), false);
			plan->statements = lappend(plan->statements,
									   psprintf("CREATE INDEX %s ON %s (%s)",
												quote_identifier(index), h->qualname,
												quote_identifier(col->name)));
			plan->created = lappend(plan->created,
									psprintf("index %s ON %s (%s)", quote_identifier(index),
											 h->qualname, quote_identifier(col->name)));
		}
	}
	return plan;
}

/*
 * assoc.belongs_to_many(source regclass, target regclass, through text,
 *     alias, foreign_key, other_key, source_key, target_key, timestamps,
 *     on_delete, on_update, constraints, underscored, create_index, dry_run)
 *     RETURNS assoc.associations
 */
Datum
assoc_belongs_to_many(PG_FUNCTION_ARGS)
{
	MemoryContext upper = CurrentMemoryContext;
	TupleDesc	rettupdesc;
	Association *a = palloc0(sizeof(Association));
	char	   *through_given = assoc_text_arg(fcinfo, BARG_THROUGH);
	char	   *alias_given = assoc_text_arg(fcinfo, BARG_ALIAS);
	char	   *fk_given = assoc_text_arg(fcinfo, BARG_FOREIGN_KEY);
	char	   *ok_given = assoc_text_arg(fcinfo, BARG_OTHER_KEY);
	char	   *sk_given = assoc_text_arg(fcinfo, BARG_SOURCE_KEY);
	char	   *tk_given = assoc_text_arg(fcinfo, BARG_TARGET_KEY);
	char	   *on_delete = assoc_text_arg(fcinfo, BARG_ON_DELETE);
	char	   *on_update = assoc_text_arg(fcinfo, BARG_ON_UPDATE);
	bool		timestamps = assoc_bool_arg(fcinfo, BARG_TIMESTAMPS, true);
	bool		dry_run = assoc_bool_arg(fcinfo, BARG_DRY_RUN, false);
	bool		self;
	ThroughName *tn;
	Association *pair;
	Association *old;
	AssocDdlPlan *plan;
	List	   *funcs;
	ListCell   *lc;
	char	   *fk;
	char	   *ok;
	char	   *through_model;
	StringInfoData msg;
	int			save_nestlevel;
	Datum		result;
	MemoryContext cxt = NULL;
	ResourceOwner owner = NULL;

	if (PG_ARGISNULL(BARG_SOURCE) || PG_ARGISNULL(BARG_TARGET))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("belongs_to_many needs a source and a target table")));
	if (through_given == NULL || through_given[0] == '\0')
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("belongs_to_many needs a through table"),
				 errdetail("As in Sequelize, whose belongsToMany requires the through option."),
				 errhint("Name the junction table with through => '...'; it is created when missing.")));
	if (get_call_result_type(fcinfo, NULL, &rettupdesc) != TYPEFUNC_COMPOSITE)
		elog(ERROR, "return type must be a row type");
	rettupdesc = BlessTupleDesc(rettupdesc);

	SPI_connect();
	save_nestlevel = assoc_safe_search_path();

	a->kind = ASSOC_BELONGS_TO_MANY;
	a->constraints = assoc_bool_arg(fcinfo, BARG_CONSTRAINTS, true);
	a->underscored = assoc_bool_arg(fcinfo, BARG_UNDERSCORED, assoc_underscored);
	a->create_index = assoc_bool_arg(fcinfo, BARG_CREATE_INDEX, true);
	a->timestamps = timestamps;
	if (on_delete)
		on_delete = assoc_normalize_action(on_delete, "on_delete");
	if (on_update)
		on_update = assoc_normalize_action(on_update, "on_update");

	/*
	 * the tables: the caller must own them, locked as ADD FOREIGN KEY does,
	 * in OID order (the mirror declaration locks the same two)
	 */
	assoc_lock_tables(PG_GETARG_OID(BARG_SOURCE), PG_GETARG_OID(BARG_TARGET));
	a->source = assoc_open_table(PG_GETARG_OID(BARG_SOURCE), "source", true);
	a->target = assoc_open_table(PG_GETARG_OID(BARG_TARGET), "target", true);
	self = a->source->relid == a->target->relid;

	tn = resolve_through(through_given, a->source);
	if (OidIsValid(tn->relid))
		LockRelationOid(tn->relid, ShareRowExclusiveLock);

	/* the alias, its singular and plural */
	if (alias_given != NULL && alias_given[0] == '\0')
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("alias must not be empty")));
	if (self && alias_given == NULL)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("belongs_to_many of table %s with itself needs an alias",
						a->source->qualname),
				 errdetail("As in Sequelize (\"'as' must be defined for many-to-many self-associations\"): the other key is named after the alias."),
				 errhint("Give alias => '...', such as alias => 'followers'.")));
	a->alias = alias_given ? alias_given : assoc_pluralize(a->target->model);
	a->plural = a->alias;
	/* sheep: one name serves both, as Sequelize's addSheep (codegen.c) */
	a->singular = assoc_singularize(a->alias);

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
	if (fk_given != NULL)
		fk = fk_given;
	else if (pair != NULL)
		fk = pair->other_key->name;
	else
	{
		fk = assoc_camelize(psprintf("%s_%s", assoc_singularize(a->source->model),
									 a->source_key->name));
		if (a->underscored)
			fk = assoc_underscore(fk);
	}
	if (ok_given != NULL)
		ok = ok_given;
	else if (pair != NULL)
		ok = pair->foreign_key->name;
	else
	{
		ok = assoc_camelize(psprintf("%s_%s",
									 self ? assoc_singularize(a->alias) :
									 assoc_singularize(a->target->model),
									 a->target_key->name));
		if (a->underscored)
			ok = assoc_underscore(ok);
	}
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
						   self ? ", even when they are the same table" : ""),
				 self && fk_given == NULL && ok_given == NULL ?
				 errhint("Give an alias whose singular is not \"%s\" (alias => 'followers' makes other_key \"followerId\"), or name the columns with foreign_key => '...' and other_key => '...'.",
						 a->source->model) :
				 errhint("Name the columns with foreign_key => '...' and other_key => '...'.")));
	a->foreign_key = palloc0(sizeof(AssocColumn));
	a->foreign_key->name = fk;
	a->other_key = palloc0(sizeof(AssocColumn));
	a->other_key->name = ok;

	/* the same alias again: the same association is a no-op, else an error */
	old = assoc_catalog_find(a->source->relid, a->alias);
	if (old != NULL)
	{
		if (same_association(old, a, tn) && old->timestamps != a->timestamps)
			ereport(ERROR,
					(errcode(ERRCODE_DUPLICATE_OBJECT),
					 errmsg("association \"%s\" of table %s already exists with timestamps => %s",
							a->alias, a->source->qualname,
							old->timestamps ? "true" : "false"),
					 errhint("To change it, drop the association with assoc.drop_association(%s, %s) and declare it again.",
							 quote_literal_cstr(a->source->qualname),
							 quote_literal_cstr(a->alias))));
		if (same_association(old, a, tn))
		{
			ereport(NOTICE,
					(errmsg("association \"%s\" of table %s already exists, nothing to do",
							a->alias, a->source->qualname)));
			result = assoc_catalog_row(old->id, rettupdesc, upper);
			assoc_restore_search_path(save_nestlevel);
			SPI_finish();
			PG_RETURN_DATUM(result);
		}
		assoc_alias_taken(a, old);
	}
	assoc_check_alias_not_column(a);

	/*
	 * Each loaded target carries its through row under the through model's
	 * name; a target column of that name would make two keys.
	 */
	through_model = assoc_singularize(tn->relname);
	if (assoc_find_column(a->target->relid, through_model) != NULL)
		ereport(ERROR,
				(errcode(ERRCODE_DUPLICATE_COLUMN),
				 errmsg("through model name \"%s\" collides with column \"%s\" of table %s",
						through_model, through_model, a->target->qualname),
				 errdetail("Eager-loaded targets carry their row of %s under the key \"%s\", as in Sequelize, and would have two keys \"%s\".",
						   quote_qualified_identifier(tn->nspname, tn->relname),
						   through_model, through_model),
				 errhint("Rename the column or use another through table.")));

	/* an existing through table: the caller must own it, its keys must fit */
	if (OidIsValid(tn->relid))
	{
		a->through = assoc_open_table(tn->relid, "through", true);
		if (tn->relid == a->source->relid || tn->relid == a->target->relid)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("through table %s is the %s table of the association",
							a->through->qualname,
							tn->relid == a->source->relid ? "source" : "target"),
					 errhint("Name a junction table of its own with through => '...'.")));
		a->foreign_key = through_key_column(a->through, fk, a->source,
											a->source_key, "foreign_key");
		a->other_key = through_key_column(a->through, ok, a->target,
										  a->target_key, "other_key");
	}

	/*
	 * From here on the declaration changes things; a dry run does them in a
	 * subtransaction that is rolled back.
	 */
	if (dry_run)
	{
		cxt = CurrentMemoryContext;
		owner = CurrentResourceOwner;
		BeginInternalSubTransaction(NULL);
		MemoryContextSwitchTo(cxt);
	}

	if (OidIsValid(tn->relid))
		plan = plan_existing_through(a, on_delete, on_update);
	else
		plan = plan_new_through(a, tn, fk, ok, timestamps, on_delete, on_update);
	assoc_run_ddl(plan);
	CommandCounterIncrement();

	/* the through table as it now is */
	if (!OidIsValid(tn->relid))
		tn->relid = get_relname_relid(tn->relname, tn->nspid);
	a->through = assoc_open_table(tn->relid, "through", false);
	a->foreign_key = assoc_find_column(tn->relid, fk);
	a->other_key = assoc_find_column(tn->relid, ok);

	/* accessors and loaders */
	a->prefix = assoc_function_prefix(a->source);
	funcs = assoc_codegen(a);
	assoc_codegen_check_names(a, funcs);
	assoc_codegen_run(a, funcs, false);
	foreach(lc, funcs)
		a->functions = lappend(a->functions, ((GenFunc *) lfirst(lc))->signature);

	if (dry_run)
	{
		AssocTable *through = a->through;

		/* the functions and perhaps the table are not kept */
		a->functions = NIL;
		if (!plan->column_exists)
			a->through = NULL;
		result = assoc_catalog_insert(a, true, rettupdesc, upper);
		a->through = through;

		RollbackAndReleaseCurrentSubTransaction();
		MemoryContextSwitchTo(cxt);
		CurrentResourceOwner = owner;
	}
	else
		result = assoc_catalog_insert(a, false, rettupdesc, upper);

	initStringInfo(&msg);
	if (dry_run)
	{
		appendStringInfo(&msg, "dry run of belongs_to_many(%s, %s, through => %s): nothing was changed",
						 a->source->qualname, a->target->qualname,
						 a->through->qualname);
		assoc_append_list(&msg, "would run", plan->statements);
		assoc_append_list(&msg, "would adopt", plan->adopted);
		appendStringInfo(&msg, "\nwould create functions:\n  %s",
						 assoc_codegen_names(funcs));
	}
	else
	{
		appendStringInfo(&msg, "belongs_to_many association \"%s\" of table %s with %s through %s",
						 a->alias, a->source->qualname, a->target->qualname,
						 a->through->qualname);
		assoc_append_list(&msg, "created", plan->created);
		assoc_append_list(&msg, "adopted", plan->adopted);
		appendStringInfo(&msg, "\nfunctions:\n  %s", assoc_codegen_names(funcs));
	}
	ereport(NOTICE, (errmsg_internal("%s", msg.data)));

	assoc_restore_search_path(save_nestlevel);
	SPI_finish();
	PG_RETURN_DATUM(result);
}
