/*
 * find_all_cache.c
 *	  What find_all knows of the tables it reads and of their associations,
 *	  kept in the backend from one call to the next.
 *
 * Loading a table's associations from the catalog costs a query and, for
 * every row, the inflection rules that name the model of each table: paid
 * on every call and at every level of includes, it was as much as the rest
 * of a page of owners with their pugs.  So it is kept, in a memory context
 * of its own, and dropped whole
 *   - when a row of assoc.associations changes: a fingerprint of the rows
 *     (assoc_catalog_fingerprint, a hash of their versions) is compared at
 *     the start of every call;
 *   - when a relcache invalidation concerns a table in the cache (a column
 *     added, dropped, renamed or retyped, the table renamed or dropped, an
 *     index changed), or all tables; this also covers a transaction that
 *     changed a table and rolled back;
 *   - when a schema is renamed (qualified names are cached).
 * The callbacks only mark the cache stale: a call in progress keeps using
 * what it has looked up, and the next call starts afresh.
 */
#include "postgres.h"

#include "access/htup_details.h"
#include "access/table.h"
#include "catalog/pg_index.h"
#include "utils/catcache.h"
#include "utils/inval.h"
#include "utils/memutils.h"
#include "utils/rel.h"
#include "utils/syscache.h"

#include "catalog.h"
#include "citus.h"
#include "ddl.h"
#include "find_all.h"
#include "scope.h"

static MemoryContext cache_cxt = NULL;
static List *cached_tables = NIL;	/* FaTable * */
static List *watched = NIL;		/* Oid of every table the cache describes */
static uint64 fingerprint = 0;
static bool stale = true;
static uint64 generation = 0;	/* times the cache was dropped */
static bool callbacks_registered = false;

static void
relcache_callback(Datum arg, Oid relid)
{
	if (!OidIsValid(relid) || list_member_oid(watched, relid))
		stale = true;
}

static void
namespace_callback(Datum arg, int cacheid, uint32 hashvalue)
{
	stale = true;
}

/*
 * At the start of each call (SPI connected): drop the cache if it is stale.
 */
void
fa_cache_begin(void)
{
	uint64		fp;

	if (!callbacks_registered)
	{
		CacheRegisterRelcacheCallback(relcache_callback, (Datum) 0);
		CacheRegisterSyscacheCallback(NAMESPACEOID, namespace_callback, (Datum) 0);
		callbacks_registered = true;
	}
	fp = assoc_catalog_fingerprint();
	if (!stale && fp == fingerprint)
		return;

	if (cache_cxt == NULL)
		cache_cxt = AllocSetContextCreate(CacheMemoryContext,
										  "assoc find_all cache",
										  ALLOCSET_SMALL_SIZES);
	else
		MemoryContextReset(cache_cxt);
	cached_tables = NIL;
	watched = NIL;
	fingerprint = fp;
	stale = false;
	generation++;
}

/*
 * Which cache fa_cache_begin() left: what was derived from the cache (the
 * statements find_all.c keeps) holds while this does not change.
 */
uint64
fa_cache_generation(void)
{
	return generation;
}

/* Copies into the current memory context (the cache's). */
static AssocColumn *
copy_column(AssocColumn *c)
{
	AssocColumn *n;

	if (c == NULL)
		return NULL;
	n = palloc(sizeof(AssocColumn));
	*n = *c;
	n->name = pstrdup(c->name);
	return n;
}

static AssocTable *
copy_table(AssocTable *t)
{
	AssocTable *n;

	if (t == NULL)
		return NULL;
	n = palloc0(sizeof(AssocTable));
	n->relid = t->relid;
	n->nspname = pstrdup(t->nspname);
	n->relname = pstrdup(t->relname);
	n->qualname = pstrdup(t->qualname);
	n->model = pstrdup(t->model);
	n->plural = pstrdup(t->plural);
	n->model_name = pstrdup(t->model_name);
	n->created_at = copy_column(t->created_at);
	n->updated_at = copy_column(t->updated_at);
	n->deleted_at = copy_column(t->deleted_at);
	n->underscored = t->underscored;
	watched = lappend_oid(watched, t->relid);
	return n;
}

/* Only the fields find_all reads: a field added later stays zero. */
static Association *
copy_association(Association *a)
{
	Association *n = palloc0(sizeof(Association));

	n->id = a->id;
	n->kind = a->kind;
	n->source = copy_table(a->source);
	n->target = copy_table(a->target);
	n->alias = pstrdup(a->alias);
	n->singular = a->singular ? pstrdup(a->singular) : NULL;
	n->plural = a->plural ? pstrdup(a->plural) : NULL;
	n->foreign_key = copy_column(a->foreign_key);
	n->source_key = copy_column(a->source_key);
	n->target_key = copy_column(a->target_key);
	n->through = copy_table(a->through);
	n->other_key = copy_column(a->other_key);
	n->scope = assoc_scope_copy(a->scope);
	n->through_scope = assoc_scope_copy(a->through_scope);
	return n;
}

static AssocColumn *
column_from_att(Form_pg_attribute att)
{
	AssocColumn *col = palloc0(sizeof(AssocColumn));

	col->attnum = att->attnum;
	col->name = pstrdup(NameStr(att->attname));
	col->typid = att->atttypid;
	col->typmod = att->atttypmod;
	col->notnull = att->attnotnull;
	return col;
}

/* Columns (by number) and primary key of a table, into the cache. */
static FaTable *
load_table(AssocTable *table)
{
	FaTable    *ft = palloc0(sizeof(FaTable));
	Relation	rel;
	TupleDesc	desc;
	Oid			pkoid;

	ft->table = copy_table(table);
	rel = table_open(table->relid, AccessShareLock);
	desc = RelationGetDescr(rel);
	for (int i = 0; i < desc->natts; i++)
	{
		Form_pg_attribute att = TupleDescAttr(desc, i);

		if (!att->attisdropped)
			ft->columns = lappend(ft->columns, column_from_att(att));
	}
	pkoid = RelationGetPrimaryKeyIndex(rel);
	if (OidIsValid(pkoid))
	{
		HeapTuple	tup = SearchSysCache1(INDEXRELID, ObjectIdGetDatum(pkoid));
		Form_pg_index idx;

		if (!HeapTupleIsValid(tup))
			elog(ERROR, "cache lookup failed for index %u", pkoid);
		idx = (Form_pg_index) GETSTRUCT(tup);
		for (int i = 0; i < idx->indnkeyatts; i++)
			ft->pkey = lappend(ft->pkey,
							   column_from_att(TupleDescAttr(desc, idx->indkey.values[i] - 1)));
		ReleaseSysCache(tup);
	}
	/* a Citus table's (distribution column, key): the key, as assoc's (citus.c) */
	if (list_length(ft->pkey) == 2)
	{
		AssocColumn *k1 = linitial(ft->pkey);
		AssocColumn *k2 = lsecond(ft->pkey);
		AttrNumber	key = assoc_citus_row_key(table->relid, k1->attnum, k2->attnum);

		if (key != InvalidAttrNumber)
			ft->pkey = list_make1(key == k1->attnum ? k1 : k2);
	}
	/* keep the lock until the end of the transaction, as the parser does */
	table_close(rel, NoLock);
	return ft;
}

static FaTable *
find_cached(Oid relid)
{
	ListCell   *lc;

	foreach(lc, cached_tables)
	{
		FaTable    *ft = lfirst(lc);

		if (ft->table->relid == relid)
			return ft;
	}
	return NULL;
}

/*
 * A table as find_all sees it.  "table" describes it already (a model
 * opened by the caller, an association's target); it is copied.
 */
FaTable *
fa_cache_table(AssocTable *table)
{
	FaTable    *ft = find_cached(table->relid);
	MemoryContext old;

	if (ft != NULL)
		return ft;
	old = MemoryContextSwitchTo(cache_cxt);
	ft = load_table(table);
	cached_tables = lappend(cached_tables, ft);
	MemoryContextSwitchTo(old);
	return ft;
}

/* The model of find_all, checked to be a table. */
FaTable *
fa_cache_model(Oid relid)
{
	FaTable    *ft = find_cached(relid);

	if (ft != NULL)
		return ft;
	return fa_cache_table(assoc_open_table(relid, "model", false));
}

/* The associations of which the table is the source, by id. */
List *
fa_cache_associations(FaTable *ft)
{
	if (!ft->assocs_loaded)
	{
		List	   *loaded = assoc_catalog_for_table(ft->table->relid);
		MemoryContext old = MemoryContextSwitchTo(cache_cxt);
		ListCell   *lc;

		foreach(lc, loaded)
		{
			Association *a = lfirst(lc);

			if (a->source->relid == ft->table->relid)
				ft->assocs = lappend(ft->assocs, copy_association(a));
		}
		ft->assocs_loaded = true;
		MemoryContextSwitchTo(old);
	}
	return ft->assocs;
}

/* Is col (a column of a table) one of columns (of the same table)? */
bool
fa_column_in(List *columns, AssocColumn *col)
{
	ListCell   *lc;

	foreach(lc, columns)
		if (((AssocColumn *) lfirst(lc))->attnum == col->attnum)
			return true;
	return false;
}
