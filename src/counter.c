/*
 * counter.c
 *	  Counter caches and touch (README, "Counter caches and touch"): the
 *	  declaration's part (the counter column, created or adopted, and the
 *	  triggers), the statement-level trigger that keeps the owners' counters
 *	  exact and bumps their updated-at column, assoc.recount, and the
 *	  removal of the triggers with the association.
 *
 * An association with counter_cache or touch has four triggers on its
 * holder table (the table with the foreign key: pugs), all calling
 * assoc.counter_touch_trigger(id), the association's catalog id being the argument:
 *	 assoc_<id>_insert	 AFTER INSERT, FOR EACH STATEMENT, NEW TABLE
 *	 assoc_<id>_update	 AFTER UPDATE, FOR EACH STATEMENT, OLD and NEW TABLE
 *	 assoc_<id>_delete	 AFTER DELETE, FOR EACH STATEMENT, OLD TABLE
 *	 assoc_<id>_truncate BEFORE TRUNCATE, FOR EACH STATEMENT
 * COPY and MERGE fire the same triggers.  The trigger reads the keys of
 * the rows the statement inserted (+1) and deleted (-1) from the
 * transition tables, sums them per owner, sorts the owners by key and
 * updates each owner once, in that order:
 *	 UPDATE owners SET "pugsCount" = "pugsCount" + $2, "updatedAt" = now()
 *	  WHERE id = $1
 * Incrementing under the row lock of the UPDATE is exact under
 * concurrency (READ COMMITTED re-reads the row a concurrent writer
 * committed; REPEATABLE READ and SERIALIZABLE fail with a serialization
 * error, as for any write of the same row), writers of different owners
 * never wait for one another, and the key order means two statements
 * touching the same owners lock them in the same order: no deadlock within
 * statements.  The row lock (FOR NO KEY UPDATE) does not conflict with the
 * foreign-key checks of other inserts (FOR KEY SHARE).  The statement runs
 * as the owner of the owners' table, as PostgreSQL's own foreign-key
 * triggers do: whoever may insert a pug keeps the counter right without
 * UPDATE privilege on owners.
 *
 * Everything about the association is read from the catalog, and the SQL
 * text from the tables' current names, so the triggers follow renames of
 * the tables and columns without being written again; the catalog
 * records the counter column's name and number (catalog.c), and the event
 * trigger records a renamed one (events.c).  pg_dump dumps the triggers
 * with the holder table (post-data, after the rows, so a restore does not
 * count twice) and the catalog with its ids, so they work after a restore.
 *
 * Soft delete (paranoid models, being added as a model option): rows that
 * are soft-deleted must not be counted.  The hooks are marked "paranoid"
 * below: collect_keys() must skip the transition-table rows whose
 * deletedAt is not NULL (then an UPDATE that sets deletedAt moves the row
 * out of the count as a DELETE does, and one that clears it back in), and
 * assoc_counter_recount() and owners_truncated() must count only the rows
 * whose deletedAt IS NULL.  Until model options exist, every row counts.
 */
#include "postgres.h"

#include "access/htup_details.h"
#include "catalog/pg_class.h"
#include "catalog/pg_type.h"
#include "commands/trigger.h"
#include "executor/executor.h"
#include "executor/spi.h"
#include "executor/tuptable.h"
#include "fmgr.h"
#include "miscadmin.h"
#include "tcop/utility.h"
#include "utils/builtins.h"
#include "utils/datum.h"
#include "utils/hsearch.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"
#include "utils/rel.h"
#include "utils/syscache.h"
#include "utils/tuplestore.h"
#include "utils/typcache.h"

#include "catalog.h"
#include "counter.h"
#include "ddl.h"
#include "declare.h"
#include "naming.h"
#include "spi_util.h"
#include "sql_spell.h"

PG_FUNCTION_INFO_V1(assoc_counter_touch_trigger);
PG_FUNCTION_INFO_V1(assoc_recount);

static const char *const trigger_events[] = {"insert", "update", "delete", "truncate"};

/* ---- the declaration ---- */

/* The counter column's default name: pugsCount, pugs_count. */
static char *
default_counter_name(Association *a)
{
	const char *counted = a->kind == ASSOC_HAS_MANY ? a->alias :
		assoc_pluralize(a->source->model);
	char	   *name = assoc_camelize(psprintf("%s_count", counted));

	return a->underscored ? assoc_underscore(name) : name;
}

/*
 * counter_cache as given: the column's name, or 'true' for the default
 * name (pugsCount), as Rails takes counter_cache: true or a name; NULL or
 * 'false' for none.
 */
char *
assoc_counter_name(AssocDecl *d, char *name)
{
	if (name == NULL || strcmp(name, "false") == 0)
		return NULL;
	if (name[0] == '\0')
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("counter_cache must not be empty"),
				 errhint("Name the counter column, or pass 'true' for the default name %s.",
						 sql_ident(default_counter_name(d->a)))));
	if (strcmp(name, "true") == 0)
		name = default_counter_name(d->a);
	if (strlen(name) >= NAMEDATALEN)
		ereport(ERROR,
				(errcode(ERRCODE_NAME_TOO_LONG),
				 errmsg("counter column name \"%s\" is longer than %d bytes",
						name, NAMEDATALEN - 1),
				 errhint("Name a shorter column with counter_cache => '...'.")));
	return name;
}

/*
 * Check touch and plan the counter column: created as integer NOT NULL
 * DEFAULT 0, or an integer column adopted.
 */
void
assoc_counter_plan(AssocDecl *d)
{
	Association *a = d->a;
	AssocTable *owner = assoc_referenced(a);
	char	   *name = d->counter_given;
	AssocColumn *col;
	char	   *other;

	if (a->touch && owner->updated_at == NULL)
		ereport(ERROR,
				(errcode(ERRCODE_UNDEFINED_COLUMN),
				 errmsg("touch needs an updated-at column on table %s", owner->qualname),
				 errdetail("touch => true bumps the %s's \"updatedAt\" (or \"updated_at\") when one of its %s changes.",
						   owner->model, assoc_pluralize(a->source->model)),
				 errhint("Add the column (ALTER TABLE %s ADD COLUMN \"updatedAt\" timestamptz NOT NULL DEFAULT now()), or declare without touch.",
						 owner->qualname)));
	if (name == NULL)
		return;

	col = assoc_find_column(owner->relid, name);
	if (col != NULL && col->attnum == assoc_referenced_key(a)->attnum)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("counter column %s of table %s is the key of the association",
						sql_ident(name), owner->qualname),
				 errhint("Name another column with counter_cache => '...'.")));
	if (col != NULL && col->typid != INT4OID && col->typid != INT8OID &&
		col->typid != INT2OID)
		ereport(ERROR,
				(errcode(ERRCODE_DATATYPE_MISMATCH),
				 errmsg("counter column %s of table %s is of type %s, not an integer type",
						sql_ident(name), owner->qualname, format_type_be(col->typid)),
				 errdetail("A counter cache counts into an integer, bigint or smallint column."),
				 errhint("Name another column with counter_cache => '...', or change the column's type to integer.")));
	other = assoc_catalog_counter_user(owner->relid, name);
	if (other != NULL)
		ereport(ERROR,
				(errcode(ERRCODE_DUPLICATE_COLUMN),
				 errmsg("column %s of table %s is already the counter cache of %s",
						sql_ident(name), owner->qualname, other),
				 errhint("Name another column with counter_cache => '...'.")));

	a->counter_cache = palloc0(sizeof(AssocColumn));
	a->counter_cache->name = name;
	if (col != NULL)
	{
		d->plan->adopted = lappend(d->plan->adopted,
								   psprintf("counter column %s.%s %s", owner->qualname,
											sql_ident(name), assoc_column_type(col)));
		return;
	}
	d->plan->statements = lappend(d->plan->statements,
								  psprintf("ALTER TABLE %s ADD COLUMN %s integer NOT NULL DEFAULT 0",
										   owner->qualname, sql_ident(name)));
	d->plan->created = lappend(d->plan->created,
							   psprintf("counter column %s.%s integer NOT NULL DEFAULT 0",
										owner->qualname, sql_ident(name)));
}

/* Once the DDL ran: the counter column as it now is. */
void
assoc_counter_resolve(AssocDecl *d)
{
	Association *a = d->a;

	if (a->counter_cache == NULL)
		return;
	a->counter_cache = assoc_find_column(assoc_referenced(a)->relid, a->counter_cache->name);
	if (a->counter_cache == NULL)
		elog(ERROR, "counter column created for the association is missing");
}

/* What the triggers keep, for the NOTICE. */
static char *
triggers_description(Association *a)
{
	AssocTable *owner = assoc_referenced(a);
	StringInfoData buf;

	initStringInfo(&buf);
	appendStringInfo(&buf, "statement triggers on %s (INSERT, UPDATE, DELETE, TRUNCATE) keeping ",
					 assoc_holder(a)->qualname);
	if (a->counter_cache)
		appendStringInfo(&buf, "%s.%s", owner->qualname, sql_ident(a->counter_cache->name));
	if (a->counter_cache && a->touch)
		appendStringInfoString(&buf, " and ");
	if (a->touch)
		appendStringInfo(&buf, "%s.%s", owner->qualname, sql_ident(owner->updated_at->name));
	return buf.data;
}

/*
 * The stored association (a->id known): its triggers, and the counts of
 * the rows already there.  A dry run only tells.
 */
void
assoc_counter_install(Association *a, AssocDdlPlan *plan, bool dry_run)
{
	AssocTable *holder = assoc_holder(a);

	if (a->counter_cache == NULL && !a->touch)
		return;
	if (dry_run)
	{
		plan->statements = lappend(plan->statements,
								   psprintf("CREATE TRIGGER ... %s", triggers_description(a)));
		return;
	}
	for (int i = 0; i < (int) lengthof(trigger_events); i++)
	{
		const char *ev = trigger_events[i];
		const char *when;
		const char *referencing;

		switch (i)
		{
			case 0:
				when = "AFTER INSERT";
				referencing = " REFERENCING NEW TABLE AS assoc_new";
				break;
			case 1:
				when = "AFTER UPDATE";
				referencing = " REFERENCING OLD TABLE AS assoc_old NEW TABLE AS assoc_new";
				break;
			case 2:
				when = "AFTER DELETE";
				referencing = " REFERENCING OLD TABLE AS assoc_old";
				break;
			default:
				when = "BEFORE TRUNCATE";
				referencing = "";
				break;
		}
		assoc_spi_exec(psprintf("CREATE TRIGGER %s %s ON %s%s FOR EACH STATEMENT"
								" EXECUTE FUNCTION assoc.counter_touch_trigger(%s)",
								sql_ident(psprintf("assoc_%d_%s", a->id, ev)),
								when, holder->qualname, referencing,
								sql_literal(psprintf("%d", a->id))),
					   SPI_OK_UTILITY);
	}
	plan->created = lappend(plan->created, triggers_description(a));
	if (a->counter_cache)
		(void) assoc_counter_recount(a);
}

/* assoc.drop_association: the association's triggers, if any. */
void
assoc_counter_drop_triggers(Association *a)
{
	if (a->counter_cache == NULL && !a->touch)
		return;
	for (int i = 0; i < (int) lengthof(trigger_events); i++)
		assoc_spi_exec(psprintf("DROP TRIGGER IF EXISTS %s ON %s",
								sql_ident(psprintf("assoc_%d_%s", a->id, trigger_events[i])),
								assoc_holder(a)->qualname),
					   SPI_OK_UTILITY);
}

/* ---- recount ---- */

/* key = fk, with the key type's equality, the foreign key cast if need be */
static char *
key_equals(AssocColumn *key, const char *keyexpr, AssocColumn *fk, const char *fkexpr)
{
	const char *f = fkexpr;

	if (fk->typid != key->typid)
		f = sql_cast(fkexpr, sql_type(key->typid, key->typmod));
	return psprintf("%s %s %s", keyexpr, assoc_eq_operator(key->typid), f);
}

/*
 * The counter of every owner set to the number of its rows; returns how
 * many counters changed.  The holder table is locked against writes
 * meanwhile (SHARE), so that no trigger counts at the same time.
 */
int64
assoc_counter_recount(Association *a)
{
	AssocTable *owner = assoc_referenced(a);
	AssocTable *holder = assoc_holder(a);
	AssocColumn *key = assoc_referenced_key(a);
	const char *cnt = sql_ident(a->counter_cache->name);
	const char *k = sql_ident(key->name);

	assoc_spi_exec(psprintf("LOCK TABLE %s IN SHARE MODE", holder->qualname), SPI_OK_UTILITY);
	/* paranoid holders: AND h."deletedAt" IS NULL in the join (see the top) */
	assoc_spi_exec(psprintf("UPDATE %s o SET %s = s.n"
							"  FROM (SELECT k.%s AS key, pg_catalog.count(h.%s) AS n"
							"          FROM %s k LEFT JOIN %s h ON %s"
							"         GROUP BY k.%s) s"
							" WHERE %s AND o.%s IS DISTINCT FROM s.n",
							owner->qualname, cnt,
							k, sql_ident(a->foreign_key->name),
							owner->qualname, holder->qualname,
							key_equals(key, psprintf("k.%s", k), a->foreign_key,
									   psprintf("h.%s", sql_ident(a->foreign_key->name))),
							k,
							key_equals(key, psprintf("o.%s", k), key, "s.key"), cnt),
				   SPI_OK_UPDATE);
	return (int64) SPI_processed;
}

/*
 * assoc.recount(tab regclass) RETURNS bigint: the counters of every
 * association with counter_cache whose owner (the table with the counter)
 * or counted table is tab, rebuilt from the rows; returns how many counters
 * were wrong.  The caller must own the table with the counter.
 */
Datum
assoc_recount(PG_FUNCTION_ARGS)
{
	Oid			tab;
	List	   *assocs;
	ListCell   *lc;
	int64		changed = 0;
	bool		found = false;
	int			save_nestlevel;
	AssocTable *table;

	/* a write: refused up front in a read-only transaction, as regenerate */
	PreventCommandIfReadOnly("assoc.recount()");
	if (PG_ARGISNULL(0))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("recount needs a table")));
	tab = PG_GETARG_OID(0);

	SPI_connect();
	save_nestlevel = assoc_safe_search_path();
	table = assoc_open_table(tab, "table", false);
	assocs = assoc_catalog_for_table(tab);
	foreach(lc, assocs)
	{
		Association *a = lfirst(lc);

		if (a->counter_cache == NULL ||
			(assoc_referenced(a)->relid != tab && assoc_holder(a)->relid != tab))
			continue;
		if (!assoc_rel_is_owner(assoc_referenced(a)->relid, GetUserId()))
			ereport(ERROR,
					(errcode(ERRCODE_INSUFFICIENT_PRIVILEGE),
					 errmsg("must be owner of table %s to recount its counter %s",
							assoc_referenced(a)->qualname, sql_ident(a->counter_cache->name)),
					 errhint("Run assoc.recount as the owner of the table.")));
		found = true;
		changed += assoc_counter_recount(a);
	}
	if (!found)
		ereport(ERROR,
				(errcode(ERRCODE_UNDEFINED_OBJECT),
				 errmsg("table %s has no counter cache", table->qualname),
				 errhint("Declare one with counter_cache => 'true' on assoc.has_many or assoc.belongs_to.")));

	assoc_restore_search_path(save_nestlevel);
	SPI_finish();
	PG_RETURN_INT64(changed);
}

/* ---- the trigger ---- */

/* What the trigger knows of an association, kept for the session. */
typedef struct OwnerCache
{
	int32		id;				/* hash key */
	uint64		fingerprint;	/* of the catalog when loaded */
	Oid			owner;			/* the table with the counter */
	Oid			holder;			/* the table with the foreign key */
	AttrNumber	fk;				/* in holder */
	AttrNumber	key;			/* in owner */
	AttrNumber	counter;		/* in owner, 0 without counter_cache */
	AttrNumber	updated;		/* in owner, 0 without touch */
	Oid			fktype;
	Oid			keytype;
	char	   *sql;			/* the UPDATE as last prepared */
	SPIPlanPtr	plan;
} OwnerCache;

static HTAB *owner_caches = NULL;

/* the ids of the associations whose trigger is running (self-references) */
#define MAX_RUNNING 32
static int32 running[MAX_RUNNING];
static int	nrunning = 0;

/* One key of the rows a statement changed, and how the count moves. */
typedef struct KeyDelta
{
	Datum		key;
	int32		delta;
} KeyDelta;

/* The key type's btree comparison, with the foreign key's collation. */
typedef struct KeyOrder
{
	FmgrInfo   *cmp;
	Oid			collation;
} KeyOrder;

static int
compare_key_deltas(const void *x, const void *y, void *arg)
{
	KeyOrder   *order = arg;

	return DatumGetInt32(FunctionCall2Coll(order->cmp, order->collation,
										   ((const KeyDelta *) x)->key,
										   ((const KeyDelta *) y)->key));
}

static Oid
rel_owner(Oid relid)
{
	HeapTuple	tup = SearchSysCache1(RELOID, ObjectIdGetDatum(relid));
	Oid			owner;

	if (!HeapTupleIsValid(tup))
		elog(ERROR, "cache lookup failed for relation %u", relid);
	owner = ((Form_pg_class) GETSTRUCT(tup))->relowner;
	ReleaseSysCache(tup);
	return owner;
}

/* The entry of association id, loaded again when the catalog changed. */
static OwnerCache *
owner_cache_entry(int32 id, TriggerData *trigdata)
{
	OwnerCache *e;
	bool		found;
	uint64		fingerprint = assoc_catalog_fingerprint();
	Association *a;
	int			save_nestlevel;

	if (owner_caches == NULL)
	{
		HASHCTL		ctl;

		ctl.keysize = sizeof(int32);
		ctl.entrysize = sizeof(OwnerCache);
		owner_caches = hash_create("assoc owner caches", 16, &ctl, HASH_ELEM | HASH_BLOBS);
	}
	e = hash_search(owner_caches, &id, HASH_ENTER, &found);
	if (found && e->fingerprint == fingerprint)
		return e;
	if (found && e->plan != NULL)
		SPI_freeplan(e->plan);
	if (found && e->sql != NULL)
		pfree(e->sql);
	memset(((char *) e) + sizeof(int32), 0, sizeof(OwnerCache) - sizeof(int32));

	save_nestlevel = assoc_safe_search_path();
	a = assoc_catalog_by_id(id);
	assoc_restore_search_path(save_nestlevel);
	if (a == NULL || assoc_holder(a)->relid != RelationGetRelid(trigdata->tg_relation))
	{
		(void) hash_search(owner_caches, &id, HASH_REMOVE, NULL);
		ereport(ERROR,
				(errcode(ERRCODE_UNDEFINED_OBJECT),
				 errmsg("trigger %s of table %s belongs to association %d, which does not exist",
						trigdata->tg_trigger->tgname,
						RelationGetRelationName(trigdata->tg_relation), id),
				 errhint("Drop the trigger, or declare the association again.")));
	}
	e->fingerprint = fingerprint;
	e->owner = assoc_referenced(a)->relid;
	e->holder = assoc_holder(a)->relid;
	e->fk = a->foreign_key->attnum;
	e->fktype = a->foreign_key->typid;
	e->key = assoc_referenced_key(a)->attnum;
	e->keytype = assoc_referenced_key(a)->typid;
	e->counter = a->counter_cache ? a->counter_cache->attnum : 0;
	e->updated = a->touch && assoc_referenced(a)->updated_at ?
		assoc_referenced(a)->updated_at->attnum : 0;
	return e;
}

/* The UPDATE of one owner, from the tables' current names. */
static char *
owner_update_sql(OwnerCache *e)
{
	StringInfoData buf;
	const char *key = sql_ident(get_attname(e->owner, e->key, false));
	const char *param = "$1";

	initStringInfo(&buf);
	appendStringInfo(&buf, "UPDATE %s o SET ",
					 sql_qualname(get_namespace_name(get_rel_namespace(e->owner)),
								  get_rel_name(e->owner)));
	if (e->counter)
	{
		const char *c = sql_ident(get_attname(e->owner, e->counter, false));

		appendStringInfo(&buf, "%s = COALESCE(o.%s, 0) OPERATOR(pg_catalog.+) $2",
						 c, c);
	}
	if (e->updated)
		appendStringInfo(&buf, "%s%s = pg_catalog.now()", e->counter ? ", " : "",
						 sql_ident(get_attname(e->owner, e->updated, false)));
	if (e->fktype != e->keytype)
		param = sql_cast("$1", sql_type(e->keytype, -1));
	appendStringInfo(&buf, " WHERE o.%s %s %s", key, assoc_eq_operator(e->keytype), param);
	return buf.data;
}

/* Append the keys of a transition table's rows, each with delta. */
static void
collect_keys(Tuplestorestate *ts, TupleDesc tupdesc, AttrNumber attnum,
			 int32 delta, KeyDelta **keys, int *n, int *size)
{
	TupleTableSlot *slot = MakeSingleTupleTableSlot(tupdesc, &TTSOpsMinimalTuple);
	Form_pg_attribute att = TupleDescAttr(tupdesc, attnum - 1);
	int			ptr = tuplestore_alloc_read_pointer(ts, EXEC_FLAG_REWIND);

	tuplestore_copy_read_pointer(ts, 0, ptr);
	tuplestore_select_read_pointer(ts, ptr);
	tuplestore_rescan(ts);
	while (tuplestore_gettupleslot(ts, true, false, slot))
	{
		bool		isnull;
		Datum		v = slot_getattr(slot, attnum, &isnull);

		/* paranoid holders: skip the rows whose deletedAt is not NULL here */
		if (isnull)
			continue;
		if (*n >= *size)
		{
			*size *= 2;
			*keys = repalloc(*keys, sizeof(KeyDelta) * *size);
		}
		(*keys)[*n].key = datumCopy(v, att->attbyval, att->attlen);
		(*keys)[*n].delta = delta;
		(*n)++;
	}
	tuplestore_select_read_pointer(ts, 0);
	ExecDropSingleTupleTableSlot(slot);
}

/* BEFORE TRUNCATE: every owner with rows back to 0, touched. */
static void
owners_truncated(OwnerCache *e)
{
	StringInfoData buf;
	const char *key = sql_ident(get_attname(e->owner, e->key, false));
	const char *fk = sql_ident(get_attname(e->holder, e->fk, false));

	initStringInfo(&buf);
	appendStringInfo(&buf, "UPDATE %s o SET ",
					 sql_qualname(get_namespace_name(get_rel_namespace(e->owner)),
								  get_rel_name(e->owner)));
	if (e->counter)
		appendStringInfo(&buf, "%s = 0", sql_ident(get_attname(e->owner, e->counter, false)));
	if (e->updated)
		appendStringInfo(&buf, "%s%s = pg_catalog.now()", e->counter ? ", " : "",
						 sql_ident(get_attname(e->owner, e->updated, false)));
	appendStringInfo(&buf, " WHERE o.%s IN (SELECT h.%s FROM %s h)", key,
					 e->fktype != e->keytype ?
					 sql_cast(psprintf("h.%s", fk), sql_type(e->keytype, -1)) : fk,
					 sql_qualname(get_namespace_name(get_rel_namespace(e->holder)),
								  get_rel_name(e->holder)));
	assoc_spi_exec(buf.data, SPI_OK_UPDATE);
}

/* Update the owners of the sorted, summed keys, one UPDATE each. */
static void
update_owners(OwnerCache *e, KeyDelta *keys, int n)
{
	char	   *sql = owner_update_sql(e);
	Oid			argtypes[2] = {e->fktype, INT4OID};

	if (e->plan == NULL || strcmp(sql, e->sql) != 0)
	{
		SPIPlanPtr	plan;
		int			save_nestlevel = assoc_safe_search_path();

		plan = SPI_prepare(sql, 2, argtypes);
		assoc_restore_search_path(save_nestlevel);
		if (plan == NULL)
			elog(ERROR, "SPI_prepare failed for \"%s\": %s", sql,
				 SPI_result_code_string(SPI_result));
		if (SPI_keepplan(plan) != 0)
			elog(ERROR, "SPI_keepplan failed");
		if (e->plan != NULL)
			SPI_freeplan(e->plan);
		if (e->sql != NULL)
			pfree(e->sql);
		e->plan = plan;
		e->sql = MemoryContextStrdup(TopMemoryContext, sql);
	}
	for (int i = 0; i < n; i++)
	{
		Datum		values[2] = {keys[i].key, Int32GetDatum(keys[i].delta)};
		int			rc;

		/* a counter alone needs no UPDATE where the count does not move */
		if (keys[i].delta == 0 && !e->updated)
			continue;
		rc = SPI_execute_plan(e->plan, values, NULL, false, 0);
		if (rc != SPI_OK_UPDATE)
			elog(ERROR, "owner update failed: %s", SPI_result_code_string(rc));
	}
}

/*
 * assoc.counter_touch_trigger(): the statement trigger of an association with
 * counter_cache or touch; its argument is the association's id.
 */
Datum
assoc_counter_touch_trigger(PG_FUNCTION_ARGS)
{
	TriggerData *trigdata = (TriggerData *) fcinfo->context;
	int32		id;
	OwnerCache *e;
	KeyDelta   *keys;
	int			n = 0;
	int			size = 16;
	Oid			save_userid;
	int			save_sec_context;

	if (!CALLED_AS_TRIGGER(fcinfo) || !TRIGGER_FIRED_FOR_STATEMENT(trigdata->tg_event) ||
		trigdata->tg_trigger->tgnargs != 1)
		ereport(ERROR,
				(errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
				 errmsg("assoc.counter_touch_trigger() is a statement trigger of an association, with its id as argument")));
	id = pg_strtoint32(trigdata->tg_trigger->tgargs[0]);

	/* the owner's UPDATE fires this trigger again on a self-association */
	for (int i = 0; i < nrunning; i++)
		if (running[i] == id)
			return PointerGetDatum(NULL);
	if (nrunning >= MAX_RUNNING)
		elog(ERROR, "assoc.counter_touch_trigger() nested too deeply");

	SPI_connect();
	e = owner_cache_entry(id, trigdata);

	keys = palloc(sizeof(KeyDelta) * size);
	if (!TRIGGER_FIRED_BY_TRUNCATE(trigdata->tg_event))
	{
		TupleDesc	tupdesc = RelationGetDescr(trigdata->tg_relation);

		if (trigdata->tg_newtable)
			collect_keys(trigdata->tg_newtable, tupdesc, e->fk, 1, &keys, &n, &size);
		if (trigdata->tg_oldtable)
			collect_keys(trigdata->tg_oldtable, tupdesc, e->fk, -1, &keys, &n, &size);
		if (n == 0)
		{
			SPI_finish();
			return PointerGetDatum(NULL);
		}
		/* by key, summed: one UPDATE per owner, in key order */
		{
			TypeCacheEntry *tc = lookup_type_cache(e->fktype, TYPECACHE_CMP_PROC_FINFO);
			KeyOrder	order;
			int			m = 0;

			if (!OidIsValid(tc->cmp_proc_finfo.fn_oid))
				ereport(ERROR,
						(errcode(ERRCODE_UNDEFINED_FUNCTION),
						 errmsg("could not identify a comparison function for type %s",
								format_type_be(e->fktype))));
			order.cmp = &tc->cmp_proc_finfo;
			order.collation = TupleDescAttr(tupdesc, e->fk - 1)->attcollation;
			qsort_arg(keys, n, sizeof(KeyDelta), compare_key_deltas, &order);
			for (int i = 0; i < n; i++)
			{
				if (m > 0 && compare_key_deltas(&keys[m - 1], &keys[i], &order) == 0)
					keys[m - 1].delta += keys[i].delta;
				else
					keys[m++] = keys[i];
			}
			n = m;
		}
	}

	GetUserIdAndSecContext(&save_userid, &save_sec_context);
	SetUserIdAndSecContext(rel_owner(e->owner),
						   save_sec_context | SECURITY_LOCAL_USERID_CHANGE |
						   SECURITY_NOFORCE_RLS);
	running[nrunning++] = id;
	PG_TRY();
	{
		if (TRIGGER_FIRED_BY_TRUNCATE(trigdata->tg_event))
			owners_truncated(e);
		else
			update_owners(e, keys, n);
	}
	PG_FINALLY();
	{
		nrunning--;
	}
	PG_END_TRY();
	SetUserIdAndSecContext(save_userid, save_sec_context);

	SPI_finish();
	return PointerGetDatum(NULL);
}
