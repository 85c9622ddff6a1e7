/*
 * ddl.c
 *	  Looking at the tables an association joins (kind, owner, columns, keys,
 *	  constraints, indexes) and planning the DDL that gives it its
 *	  foreign-key column, constraint and index, or adopts existing ones.
 *
 * In order: tables and columns; indexes (one walk over a table's indexes,
 * find_index, with a test for each question asked of them); keys; foreign
 * keys; the plan.  The SQL text itself (FOREIGN KEY and CREATE INDEX
 * clauses, joined lists) is spelled by sql_spell.c.
 */
#include "postgres.h"

#include "access/htup_details.h"
#include "access/table.h"
#include "catalog/namespace.h"
#include "catalog/pg_attribute.h"
#include "catalog/pg_class.h"
#include "catalog/pg_constraint.h"
#include "catalog/pg_index.h"
#include "catalog/pg_operator.h"
#include "commands/defrem.h"
#include "executor/spi.h"
#include "lib/stringinfo.h"
#include "miscadmin.h"
#include "storage/lmgr.h"
#include "utils/acl.h"
#include "utils/builtins.h"
#include "utils/lsyscache.h"
#include "utils/rel.h"
#include "utils/relcache.h"
#include "utils/syscache.h"
#include "utils/typcache.h"

#include "citus.h"
#include "ddl.h"
#include "model.h"
#include "naming.h"
#include "spi_util.h"
#include "sql_spell.h"

/*
 * Lock the two tables of a declaration in SHARE ROW EXCLUSIVE mode, as ADD
 * FOREIGN KEY does, always in OID order: the two sides of a pair declared
 * at the same time lock the same two tables and must not take them in
 * opposite orders (a deadlock).
 */
void
assoc_lock_tables(Oid a, Oid b)
{
	if (b < a)
	{
		Oid			swap = a;

		a = b;
		b = swap;
	}
	LockRelationOid(a, ShareRowExclusiveLock);
	if (b != a)
		LockRelationOid(b, ShareRowExclusiveLock);
}

/*
 * Resolve a table the association joins and check that the caller may
 * declare on it: it must be an ordinary or partitioned table and, with
 * check_owner, the caller its owner.  "role" names the argument in messages
 * ("source", "target").
 */
AssocTable *
assoc_open_table(Oid relid, const char *role, bool check_owner)
{
	AssocTable *t;
	HeapTuple	tup;
	Form_pg_class cls;

	tup = SearchSysCache1(RELOID, ObjectIdGetDatum(relid));
	if (!HeapTupleIsValid(tup))
		ereport(ERROR,
				(errcode(ERRCODE_UNDEFINED_TABLE),
				 errmsg("%s table with OID %u does not exist", role, relid)));
	cls = (Form_pg_class) GETSTRUCT(tup);

	t = palloc0(sizeof(AssocTable));
	t->relid = relid;
	t->relname = pstrdup(NameStr(cls->relname));
	t->nspname = get_namespace_name(cls->relnamespace);
	t->qualname = sql_qualname(t->nspname, t->relname);

	if (cls->relkind != RELKIND_RELATION &&
		cls->relkind != RELKIND_PARTITIONED_TABLE)
	{
		const char *what;
		const char *hint = "Name an ordinary or partitioned table.";

		switch (cls->relkind)
		{
			case RELKIND_VIEW:
				what = "a view";
				hint = "Declare the association on the table the view reads from.";
				break;
			case RELKIND_MATVIEW:
				what = "a materialized view";
				hint = "Declare the association on the table the view reads from.";
				break;
			case RELKIND_FOREIGN_TABLE:
				what = "a foreign table";
				hint = "Declare the association on the table the foreign table reads from.";
				break;
			case RELKIND_INDEX:
			case RELKIND_PARTITIONED_INDEX:
				what = "an index";
				hint = "Name the table the index is on.";
				break;
			case RELKIND_SEQUENCE:
				what = "a sequence";
				hint = "Name the table whose column the sequence numbers.";
				break;
			default:
				what = "not a table";
				break;
		}
		ReleaseSysCache(tup);
		ereport(ERROR,
				(errcode(ERRCODE_WRONG_OBJECT_TYPE),
				 errmsg("%s \"%s\" is %s", role, t->relname, what),
				 errdetail("Associations join ordinary tables: assoc adds a foreign-key column, a constraint and an index to them."),
				 errhint("%s", hint)));
	}
	ReleaseSysCache(tup);

	if (check_owner && !assoc_rel_is_owner(relid, GetUserId()))
		ereport(ERROR,
				(errcode(ERRCODE_INSUFFICIENT_PRIVILEGE),
				 errmsg("must be owner of table %s to declare or drop its associations",
						sql_ident(t->relname)),
				 errdetail("Role \"%s\" does not own %s table %s.",
						   GetUserNameFromId(GetUserId(), false), role,
						   t->qualname),
				 errhint("Run the declaration as the owner of the table.")));

	/* the model name, timestamps and deleted-at (model.c) */
	{
		ModelOptions mo;

		assoc_model_read(relid, &mo);
		assoc_model_apply(t, &mo, false);
	}
	return t;
}

/* A user column of a table by name, or NULL. */
AssocColumn *
assoc_find_column(Oid relid, const char *name)
{
	HeapTuple	tup;
	Form_pg_attribute att;
	AssocColumn *col;

	tup = SearchSysCacheAttName(relid, name);
	if (!HeapTupleIsValid(tup))
		return NULL;
	att = (Form_pg_attribute) GETSTRUCT(tup);
	if (att->attnum <= 0)
	{
		ReleaseSysCache(tup);
		return NULL;
	}
	col = palloc0(sizeof(AssocColumn));
	col->attnum = att->attnum;
	col->name = pstrdup(NameStr(att->attname));
	col->typid = att->atttypid;
	col->typmod = att->atttypmod;
	col->notnull = att->attnotnull;
	ReleaseSysCache(tup);
	return col;
}

static AssocColumn *
column_by_attnum(Oid relid, AttrNumber attnum)
{
	char	   *name = get_attname(relid, attnum, false);

	return assoc_find_column(relid, name);
}

/* A test of one index of a table, given its pg_index row. */
typedef bool (*IndexTest) (Form_pg_index idx, HeapTuple tup, void *arg);

/* The first index of the table that passes the test: its OID, or InvalidOid. */
static Oid
find_index(Oid relid, IndexTest test, void *arg)
{
	Relation	rel = table_open(relid, AccessShareLock);
	List	   *indexes = RelationGetIndexList(rel);
	ListCell   *lc;
	Oid			found = InvalidOid;

	foreach(lc, indexes)
	{
		HeapTuple	tup = SearchSysCache1(INDEXRELID, ObjectIdGetDatum(lfirst_oid(lc)));

		if (!HeapTupleIsValid(tup))
			continue;
		if (test((Form_pg_index) GETSTRUCT(tup), tup, arg))
			found = lfirst_oid(lc);
		ReleaseSysCache(tup);
		if (OidIsValid(found))
			break;
	}
	list_free(indexes);
	table_close(rel, AccessShareLock);
	return found;
}

/*
 * A unique index that a foreign key may reference and ON CONFLICT may use:
 * valid, immediate, not partial, not on an expression.
 */
static bool
index_is_plain_unique(Form_pg_index idx, HeapTuple tup)
{
	return idx->indisunique && idx->indisvalid && idx->indimmediate &&
		heap_attisnull(tup, Anum_pg_index_indpred, NULL) &&
		heap_attisnull(tup, Anum_pg_index_indexprs, NULL);
}

/* find_index test: the column (arg) alone is the key of a plain unique index */
static bool
unique_on_column(Form_pg_index idx, HeapTuple tup, void *arg)
{
	return index_is_plain_unique(idx, tup) && idx->indnkeyatts == 1 &&
		idx->indkey.values[0] == *(AttrNumber *) arg;
}

static bool
column_is_unique(Oid relid, AttrNumber attnum)
{
	return OidIsValid(find_index(relid, unique_on_column, &attnum));
}

/* find_index test: a valid, not partial index leading with the column (arg) */
static bool
leading_with_column(Form_pg_index idx, HeapTuple tup, void *arg)
{
	return idx->indisvalid && idx->indkey.values[0] == *(AttrNumber *) arg &&
		heap_attisnull(tup, Anum_pg_index_indpred, NULL);
}

/* An index whose leading column is attnum (valid, not partial), or NULL. */
char *
assoc_find_index_on(Oid relid, AttrNumber attnum)
{
	Oid			index = find_index(relid, leading_with_column, &attnum);

	return OidIsValid(index) ? get_rel_name(index) : NULL;
}

/* the two columns whose pair find_index looks for, and what it found */
typedef struct KeyPair
{
	AttrNumber	k1;
	AttrNumber	k2;
	bool		primary;
} KeyPair;

/* find_index test: a plain unique index on exactly the pair, in either order */
static bool
unique_on_pair(Form_pg_index idx, HeapTuple tup, void *arg)
{
	KeyPair    *pair = arg;

	if (!index_is_plain_unique(idx, tup) || idx->indnkeyatts != 2 ||
		!((idx->indkey.values[0] == pair->k1 && idx->indkey.values[1] == pair->k2) ||
		  (idx->indkey.values[0] == pair->k2 && idx->indkey.values[1] == pair->k1)))
		return false;
	pair->primary = idx->indisprimary;
	return true;
}

/*
 * A unique index on exactly the two key columns, usable by ON CONFLICT: its
 * name (and whether it is the primary key), or NULL.
 */
char *
assoc_find_pair_unique(Oid relid, AttrNumber k1, AttrNumber k2, bool *primary)
{
	KeyPair		pair = {k1, k2, false};
	Oid			index = find_index(relid, unique_on_pair, &pair);

	if (!OidIsValid(index))
		return NULL;
	*primary = pair.primary;
	return get_rel_name(index);
}

/*
 * The primary key of a table as one column; errors when there is none or it
 * has several columns.  argname is the declaration argument that names a
 * key instead (NULL when there is none).
 */
static AssocColumn *
primary_key_column(AssocTable *table, const char *argname, bool missing_ok)
{
	Relation	rel = table_open(table->relid, AccessShareLock);
	Oid			pkoid = RelationGetPrimaryKeyIndex(rel);
	HeapTuple	tup;
	Form_pg_index idx;
	AttrNumber	attnum = InvalidAttrNumber;
	AttrNumber	other = InvalidAttrNumber;
	int			natts;

	table_close(rel, AccessShareLock);

	if (!OidIsValid(pkoid) && missing_ok)
		return NULL;
	if (!OidIsValid(pkoid))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_TABLE_DEFINITION),
				 errmsg("table %s has no primary key", table->qualname),
				 argname ?
				 errhint("Add a primary key to %s, or name a unique key column with %s => '...'.",
						 table->qualname, argname) :
				 errhint("assoc identifies rows of %s by their primary key: add one.",
						 table->qualname)));

	tup = SearchSysCache1(INDEXRELID, ObjectIdGetDatum(pkoid));
	if (!HeapTupleIsValid(tup))
		elog(ERROR, "cache lookup failed for index %u", pkoid);
	idx = (Form_pg_index) GETSTRUCT(tup);
	natts = idx->indnkeyatts;
	if (natts <= 2)
	{
		attnum = idx->indkey.values[0];
		other = natts == 2 ? idx->indkey.values[1] : InvalidAttrNumber;
	}
	ReleaseSysCache(tup);
	/* a Citus table's (distribution column, key): the key (citus.c) */
	if (natts == 2 &&
		(attnum = assoc_citus_row_key(table->relid, attnum, other)) != InvalidAttrNumber)
		natts = 1;

	if (natts != 1 && missing_ok)
		return NULL;
	if (natts != 1)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_TABLE_DEFINITION),
				 errmsg("table %s has a composite primary key", table->qualname),
				 errdetail("An association joins on a single key column."),
				 argname ?
				 errhint("Name a unique key column with %s => '...'.", argname) :
				 errhint("Give %s a single-column primary key.", table->qualname)));

	return column_by_attnum(table->relid, attnum);
}

/*
 * The key column of a table for an association: the named one (which must
 * exist and, if must_be_unique, be unique by itself) or the primary key.
 */
AssocColumn *
assoc_key_column(AssocTable *table, const char *name, const char *argname,
				 bool must_be_unique)
{
	AssocColumn *col;

	if (name == NULL)
		return primary_key_column(table, argname, false);

	col = assoc_find_column(table->relid, name);
	if (col == NULL)
		ereport(ERROR,
				(errcode(ERRCODE_UNDEFINED_COLUMN),
				 errmsg("column \"%s\" of table %s does not exist", name, table->qualname),
				 errhint("%s must name a column of %s.", argname, table->qualname)));
	if (must_be_unique && !column_is_unique(table->relid, col->attnum))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_FOREIGN_KEY),
				 errmsg("column \"%s\" of table %s is not unique", name, table->qualname),
				 errdetail("A foreign key must reference a column with a primary key or unique constraint of its own."),
				 errhint("Add a unique constraint on %s(%s), or name another column with %s.",
						 table->qualname, sql_ident(name), argname)));
	return col;
}

/* The single-column primary key of a table, or NULL. */
AssocColumn *
assoc_primary_key(AssocTable *table)
{
	return primary_key_column(table, NULL, true);
}

/* The SQL type of a column, with its modifier: integer, character varying(20) */
char *
assoc_column_type(AssocColumn *col)
{
	return format_type_with_typemod(col->typid, col->typmod);
}

/*
 * Foreign-key actions as SQL writes them.  Sequelize spells them the same
 * way; underscores and case are forgiven ("set_null", "cascade").
 */
char *
assoc_normalize_action(const char *action, const char *argname)
{
	static const char *const actions[] = {
		"CASCADE", "SET NULL", "SET DEFAULT", "RESTRICT", "NO ACTION"
	};
	StringInfoData buf;
	const char *p;
	bool		space = false;

	initStringInfo(&buf);
	for (p = action; *p; p++)
	{
		char		c = *p;

		if (c == '_' || c == ' ' || c == '\t' || c == '\n')
		{
			space = buf.len > 0;
			continue;
		}
		if (space)
			appendStringInfoChar(&buf, ' ');
		space = false;
		appendStringInfoChar(&buf, pg_ascii_toupper((unsigned char) c));
	}
	for (int i = 0; i < (int) lengthof(actions); i++)
		if (strcmp(buf.data, actions[i]) == 0)
			return buf.data;
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("invalid %s action \"%s\"", argname, action),
			 errhint("Use one of CASCADE, SET NULL, SET DEFAULT, RESTRICT or NO ACTION.")));
	return NULL;				/* keep compiler quiet */
}

static const char *
action_from_code(char code)
{
	switch (code)
	{
		case FKCONSTR_ACTION_CASCADE:
			return "CASCADE";
		case FKCONSTR_ACTION_SETNULL:
			return "SET NULL";
		case FKCONSTR_ACTION_SETDEFAULT:
			return "SET DEFAULT";
		case FKCONSTR_ACTION_RESTRICT:
			return "RESTRICT";
		default:
			return "NO ACTION";
	}
}

/*
 * An existing foreign key from holder(fk) to referenced(key): its name and
 * actions, or NULL.
 */
char *
assoc_find_fkey(Oid holder, AttrNumber fk, Oid referenced, AttrNumber key,
				const char **on_delete, const char **on_update)
{
	Oid			argtypes[4] = {OIDOID, OIDOID, INT2OID, INT2OID};
	Datum		args[4];
	char	   *name = NULL;

	args[0] = ObjectIdGetDatum(holder);
	args[1] = ObjectIdGetDatum(referenced);
	args[2] = Int16GetDatum(fk);
	args[3] = Int16GetDatum(key);
	assoc_spi_exec_args("SELECT CAST(conname AS pg_catalog.text),"
						"       CAST(confdeltype AS pg_catalog.text),"
						"       CAST(confupdtype AS pg_catalog.text)"
						"  FROM pg_catalog.pg_constraint"
						" WHERE conrelid = $1 AND contype = 'f' AND confrelid = $2"
						"   AND conkey = ARRAY[$3] AND confkey = ARRAY[$4]"
						" ORDER BY oid LIMIT 1",
						4, argtypes, args, NULL, SPI_OK_SELECT);
	if (SPI_processed > 0)
	{
		name = assoc_spi_getstring(0, 1);
		*on_delete = action_from_code(assoc_spi_getstring(0, 2)[0]);
		*on_update = action_from_code(assoc_spi_getstring(0, 3)[0]);
	}
	return name;
}

/* One action of an adopted foreign key: the one asked for (if any) must be it. */
static void
check_adopted_action(const char *conname, AssocTable *holder, const char *event,
					 const char *argname, const char *old, const char *asked)
{
	if (asked && strcmp(asked, old) != 0)
		ereport(ERROR,
				(errcode(ERRCODE_DUPLICATE_OBJECT),
				 errmsg("foreign key %s on table %s has ON %s %s, not %s",
						sql_ident(conname), holder->qualname, event,
						old, asked),
				 errhint("Leave %s out to adopt the constraint as it is, or drop it first.",
						 argname)));
}

/*
 * An existing foreign key is adopted as it is: the actions asked for (NULL
 * when not asked) must be its own.
 */
void
assoc_check_adopted_actions(const char *conname, AssocTable *holder,
							const char *old_delete, const char *old_update,
							const char *on_delete, const char *on_update)
{
	check_adopted_action(conname, holder, "DELETE", "on_delete", old_delete, on_delete);
	check_adopted_action(conname, holder, "UPDATE", "on_update", old_update, on_update);
}

/*
 * Before adding the constraint: rows whose foreign key matches nothing make
 * ALTER TABLE fail with a message that shows one key but not how many; say
 * both, and show the whole row (the least of them as text).  Aggregates,
 * not a LIMIT: with LIMIT 1 the planner expects an orphan at once and
 * probes the referenced key's index for every row, which on a table
 * without orphans (the usual case) read all of it that way: 9.9 s for 2M
 * rows, where the anti join of hashes takes 2.4 s, as ALTER TABLE's own
 * check does next.
 */
void
assoc_check_fk_violations(AssocTable *holder, AssocColumn *fkcol,
						  AssocTable *ref, AssocColumn *refkey)
{
	StringInfoData sql;
	const char *fk = sql_ident(fkcol->name);
	int64		count;

	initStringInfo(&sql);
	appendStringInfo(&sql,
					 "SELECT pg_catalog.count(*), pg_catalog.min(CAST(h AS pg_catalog.text))"
					 "  FROM %s h WHERE h.%s IS NOT NULL AND NOT EXISTS"
					 " (SELECT FROM %s r WHERE r.%s %s h.%s)",
					 holder->qualname, fk, ref->qualname,
					 sql_ident(refkey->name),
					 assoc_eq_operator(refkey->typid), fk);
	assoc_spi_exec(sql.data, SPI_OK_SELECT);
	count = DatumGetInt64(assoc_spi_getdatum(0, 1));
	if (count == 0)
		return;
	ereport(ERROR,
			(errcode(ERRCODE_FOREIGN_KEY_VIOLATION),
			 errmsg("%lld %s of table %s %s a %s that matches no row of %s",
					(long long) count, count == 1 ? "row" : "rows",
					holder->qualname, count == 1 ? "has" : "have", fk,
					ref->qualname),
			 errdetail("One of them is %s; %s has no row with %s equal to its %s.",
					   assoc_spi_getstring(0, 2), ref->qualname,
					   sql_ident(refkey->name), fk),
			 errhint("Correct or delete those rows, set their %s to NULL, or declare with constraints => false.",
					 fk)));
}

/*
 * The plan: what the association needs on the holder table and what is
 * already there.
 */

/* CREATE INDEX on table(column), named as PostgreSQL names it. */
void
assoc_plan_index(AssocDdlPlan *plan, const char *qualname, const char *relname,
				 Oid nspid, const char *column)
{
	char	   *index = ChooseRelationName(relname, column, "idx", nspid, false);

	plan->statements = lappend(plan->statements,
							   sql_create_index(index, qualname, column));
	plan->created = lappend(plan->created,
							psprintf("index %s ON %s (%s)", sql_ident(index),
									 qualname, sql_ident(column)));
}

/*
 * ALTER TABLE ADD of a foreign key from holder(column) to ref(refkey), named
 * as PostgreSQL names it; returns the name.  The caller says what it adds.
 */
char *
assoc_plan_add_fkey(AssocDdlPlan *plan, AssocTable *holder, const char *column,
					AssocTable *ref, AssocColumn *refkey,
					const char *on_delete, const char *on_update)
{
	char	   *conname = ChooseConstraintName(holder->relname, column, "fkey",
											   get_rel_namespace(holder->relid),
											   NIL);

	plan->statements = lappend(plan->statements,
							   psprintf("ALTER TABLE %s ADD %s", holder->qualname,
										sql_fkey_clause(conname, column, ref->qualname,
														refkey->name, on_delete,
														on_update)));
	return conname;
}

/*
 * An index leading with the column (attnum 0: a column still to be added):
 * adopted when there is one, else created if asked to.
 */
void
assoc_plan_index_on(AssocDdlPlan *plan, AssocTable *table, AssocColumn *col,
					bool create)
{
	char	   *index = NULL;

	if (col->attnum > 0)
		index = assoc_find_index_on(table->relid, col->attnum);
	if (index != NULL)
		plan->adopted = lappend(plan->adopted,
								psprintf("index %s", sql_ident(index)));
	else if (create)
		assoc_plan_index(plan, table->qualname, table->relname,
						 get_rel_namespace(table->relid), col->name);
}

/*
 * Resolves a->foreign_key (an existing column or the one to create) and
 * a->on_delete/on_update (the actions of the constraint to create or of the
 * one adopted); on_delete and on_update are the actions asked for, NULL
 * when not asked.
 */
AssocDdlPlan *
assoc_plan_ddl(Association *a, const char *on_delete, const char *on_update)
{
	AssocDdlPlan *plan = palloc0(sizeof(AssocDdlPlan));
	AssocTable *holder = assoc_holder(a);
	AssocTable *ref = assoc_referenced(a);
	AssocColumn *refkey = assoc_referenced_key(a);
	AssocColumn *col = assoc_find_column(holder->relid, a->foreign_key->name);
	const char *fkq = sql_ident(a->foreign_key->name);
	char	   *refdesc = psprintf("%s(%s)", ref->qualname, sql_ident(refkey->name));
	const char *old_delete = NULL;
	const char *old_update = NULL;
	char	   *conname = NULL;

	/* the column */
	if (col != NULL)
	{
		if (col->typid != refkey->typid)
			ereport(ERROR,
					(errcode(ERRCODE_DATATYPE_MISMATCH),
					 errmsg("column %s of table %s is of type %s, but the key it would reference, %s, is of type %s",
							fkq, holder->qualname, format_type_be(col->typid),
							refdesc, format_type_be(refkey->typid)),
					 errhint("Change the column's type to %s, or name another column with foreign_key => '...'.",
							 format_type_be(refkey->typid))));
		a->foreign_key = col;
		plan->column_exists = true;
		plan->adopted = lappend(plan->adopted,
								psprintf("column %s.%s %s", holder->qualname, fkq,
										 assoc_column_type(col)));
	}
	else
	{
		a->foreign_key->typid = refkey->typid;
		a->foreign_key->typmod = refkey->typmod;
		a->foreign_key->notnull = false;
		plan->statements = lappend(plan->statements,
								   psprintf("ALTER TABLE %s ADD COLUMN %s %s",
											holder->qualname, fkq,
											assoc_column_type(refkey)));
		plan->created = lappend(plan->created,
								psprintf("column %s.%s %s", holder->qualname, fkq,
										 assoc_column_type(refkey)));
	}

	/* the constraint */
	a->on_delete = NULL;
	a->on_update = NULL;
	if (a->constraints && col != NULL)
		conname = assoc_find_fkey(holder->relid, col->attnum, ref->relid,
								  refkey->attnum, &old_delete, &old_update);
	if (a->constraints && conname != NULL)
	{
		assoc_check_adopted_actions(conname, holder, old_delete, old_update,
									on_delete, on_update);
		a->on_delete = pstrdup(old_delete);
		a->on_update = pstrdup(old_update);
		plan->adopted = lappend(plan->adopted,
								psprintf("foreign key %s REFERENCES %s ON DELETE %s ON UPDATE %s",
										 sql_ident(conname), refdesc,
										 a->on_delete, a->on_update));
	}
	else if (a->constraints)
	{
		bool		notnull = a->foreign_key->notnull;

		/* Sequelize's defaults */
		a->on_update = pstrdup(on_update ? on_update : "CASCADE");
		a->on_delete = pstrdup(on_delete ? on_delete :
							   !notnull ? "SET NULL" :
							   a->kind == ASSOC_BELONGS_TO ? "NO ACTION" : "CASCADE");
		if (notnull && (strcmp(a->on_delete, "SET NULL") == 0 ||
						strcmp(a->on_update, "SET NULL") == 0))
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("column %s of table %s is NOT NULL, so its foreign key cannot SET NULL",
							fkq, holder->qualname),
					 errhint("Use CASCADE, RESTRICT or NO ACTION, or drop the NOT NULL constraint.")));
		if (col != NULL)
			assoc_check_fk_violations(holder, col, ref, refkey);
		conname = assoc_plan_add_fkey(plan, holder, a->foreign_key->name, ref,
									  refkey, a->on_delete, a->on_update);
		plan->created = lappend(plan->created,
								psprintf("foreign key %s REFERENCES %s ON DELETE %s ON UPDATE %s",
										 sql_ident(conname), refdesc,
										 a->on_delete, a->on_update));
	}

	/* the index */
	assoc_plan_index_on(plan, holder, a->foreign_key, a->create_index);
	return plan;
}

void
assoc_run_ddl(AssocDdlPlan *plan)
{
	ListCell   *lc;

	foreach(lc, plan->statements)
		assoc_spi_exec((char *) lfirst(lc), SPI_OK_UTILITY);
}
