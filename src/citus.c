/*
 * citus.c
 *	  Citus distributed tables (README, "Scaling out", "Citus"): the layout
 *	  of an association's tables, and what a declaration generates for it.
 *
 * assoc does not need Citus and does not link with it: the layout is read
 * with SPI from Citus's catalog (pg_dist_partition), and only when the
 * citus extension is installed in the database, so that a database without
 * Citus pays one catalog lookup per generated function.
 *
 * The layouts assoc supports, as the foreign-key kinds see them (the
 * holder has the foreign key, the referenced table the key):
 *   - co-located: the holder distributed by the foreign key, the referenced
 *     table by its key, in one co-location group (owners by id, pugs by
 *     "ownerId"): a single-owner read goes to one shard;
 *   - reference parent: the referenced table a reference table, the holder
 *     distributed (by any column) or a reference table too.
 * Any other mix of a Citus table with another table is refused by the
 * declaration, with a hint (Citus itself refuses the foreign key).
 *
 * What changes in what is generated: Citus refuses an SQL function that
 * PostgreSQL inlines into the calling query when it reads distributed
 * tables ("parameterized queries for SQL functions referencing distributed
 * tables are not supported"), so the readers and loaders of an association
 * whose tables are Citus tables are STRICT, which keeps PostgreSQL from
 * inlining them: each runs its statement itself, with the instance's key as
 * a parameter, which Citus routes to the shard of that key.  A NULL
 * argument gives what it gave before (no rows, NULL), except for has, which
 * gives NULL rather than false (count is not STRICT: it is never inlined).  On co-located tables the
 * foreign key is the distribution column: Citus refuses ON DELETE SET NULL
 * / SET DEFAULT and any ON UPDATE action but NO ACTION and RESTRICT on it,
 * so the declaration's defaults are ON DELETE CASCADE (NO ACTION for
 * belongs_to) and ON UPDATE NO ACTION, and asking for the others is an
 * error that says why.  A distributed table's primary key (distribution
 * column, id) identifies its rows by id (assoc_citus_row_key).
 */
#include "postgres.h"

#include "catalog/pg_type.h"
#include "commands/extension.h"
#include "common/hashfn.h"
#include "executor/spi.h"
#include "mb/pg_wchar.h"
#include "miscadmin.h"
#include "utils/builtins.h"
#include "utils/guc.h"
#include "utils/lsyscache.h"

#include "catalog.h"
#include "citus.h"
#include "ddl.h"
#include "spi_util.h"

/* One table as Citus's catalog has it. */
typedef struct CitusTable
{
	char		method;			/* pg_dist_partition.partmethod: 'h' hash
								 * distributed, 'n' none; 0: no Citus table */
	bool		reference;		/* a reference table */
	char	   *distcol;		/* the distribution column, or NULL */
	int32		colocation;
} CitusTable;

static bool
citus_installed(void)
{
	return OidIsValid(get_extension_oid("citus", true));
}

static void
citus_table(Oid relid, CitusTable *t)
{
	Oid			argtypes[1] = {OIDOID};
	Datum		values[1] = {ObjectIdGetDatum(relid)};

	MemoryContext caller = CurrentMemoryContext;

	memset(t, 0, sizeof(CitusTable));
	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "SPI_connect failed");
	assoc_spi_exec_args("SELECT p.partmethod::text, p.repmodel::text,"
						" CASE WHEN p.partkey IS NOT NULL THEN pg_catalog.column_to_column_name(p.logicalrelid, p.partkey) END,"
						" p.colocationid"
						" FROM pg_catalog.pg_dist_partition p WHERE p.logicalrelid = $1",
						1, argtypes, values, NULL, SPI_OK_SELECT);
	if (SPI_processed == 1)
	{
		t->method = assoc_spi_getstring(0, 1)[0];
		t->reference = t->method == 'n' && assoc_spi_getstring(0, 2)[0] == 't';
		if (!assoc_spi_isnull(0, 3))
			t->distcol = MemoryContextStrdup(caller, assoc_spi_getstring(0, 3));
		t->colocation = DatumGetInt32(assoc_spi_getdatum(0, 4));
	}
	SPI_finish();
}

/*
 * The table is a Citus table: find_all (fa_choose_shapes) then joins its
 * includes grouped by key, the shape Citus runs on every shard, pages too;
 * it refuses the correlated shape's lateral row of a page.
 */
bool
assoc_citus_table(Oid relid)
{
	CitusTable	t;

	if (!citus_installed())
		return false;
	citus_table(relid, &t);
	return t.method != 0;
}

static const char *
describe(AssocTable *table, CitusTable *t)
{
	if (t->method == 0)
		return psprintf("%s is not a Citus table", table->qualname);
	if (t->reference)
		return psprintf("%s is a reference table", table->qualname);
	if (t->method == 'h')
		return psprintf("%s is distributed by %s", table->qualname, quote_identifier(t->distcol));
	if (t->method == 'n')
		return psprintf("%s is a Citus local table", table->qualname);
	return psprintf("%s is distributed by %s by range or append", table->qualname,
					quote_identifier(t->distcol));
}

/*
 * The layout, or an error naming the tables and saying what Citus would
 * need; error false: ASSOC_CITUS_NONE for what assoc does not support (the
 * generator, which must not fail on a table distributed after the
 * declaration: the readers are made STRICT all the same).
 */
static AssocCitusLayout
layout(Association *a, bool error, bool *any)
{
	AssocTable *holder;
	AssocTable *ref;
	CitusTable	h,
				r;

	*any = false;
	if (!citus_installed())
		return ASSOC_CITUS_NONE;
	if (a->kind == ASSOC_BELONGS_TO_MANY)
	{
		CitusTable	s,
					t,
					th;

		citus_table(a->source->relid, &s);
		citus_table(a->target->relid, &t);
		if (a->through)
			citus_table(a->through->relid, &th);
		else
			memset(&th, 0, sizeof(th));
		*any = s.method || t.method || th.method;
		if (!*any)
			return ASSOC_CITUS_NONE;
		if (s.reference && t.reference && (th.reference || !a->through))
			return ASSOC_CITUS_REFERENCE;
		if (error)
			ereport(ERROR,
					(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
					 errmsg("belongs_to_many of Citus tables %s and %s needs reference tables",
							a->source->qualname, a->target->qualname),
					 errdetail("%s; %s%s%s.", describe(a->source, &s), describe(a->target, &t),
							   a->through ? "; " : "", a->through ? describe(a->through, &th) : ""),
					 errhint("Make %s, %s and the through table reference tables (create_reference_table), or declare has_many and belongs_to on a co-located through table.",
							 a->source->qualname, a->target->qualname)));
		return ASSOC_CITUS_NONE;
	}

	holder = assoc_holder(a);
	ref = assoc_referenced(a);
	citus_table(holder->relid, &h);
	citus_table(ref->relid, &r);
	*any = h.method || r.method;
	if (!*any)
		return ASSOC_CITUS_NONE;
	if (r.reference && (h.method == 'h' || h.reference))
		return ASSOC_CITUS_REFERENCE;
	if (h.method == 'h' && r.method == 'h' && h.colocation == r.colocation &&
		strcmp(h.distcol, a->foreign_key->name) == 0 &&
		strcmp(r.distcol, assoc_referenced_key(a)->name) == 0)
		return ASSOC_CITUS_COLOCATED;
	if (error)
		ereport(ERROR,
				(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
				 errmsg("%s association \"%s\" of Citus tables %s and %s is in a layout assoc does not support",
						assoc_kind_name(a->kind), a->alias, a->source->qualname, a->target->qualname),
				 errdetail("%s; %s%s.", describe(holder, &h), describe(ref, &r),
						   h.method == 'h' && r.method == 'h' && h.colocation != r.colocation ?
						   "; they are not co-located" : ""),
				 errhint("Distribute %s by %s and %s by %s with colocate_with => '%s', or make %s a reference table (create_reference_table).",
						 holder->qualname, quote_identifier(a->foreign_key->name),
						 ref->qualname, quote_identifier(assoc_referenced_key(a)->name),
						 ref->relname, ref->qualname)));
	return ASSOC_CITUS_NONE;
}

AssocCitusLayout
assoc_citus_layout(Association *a)
{
	bool		any;

	return layout(a, true, &any);
}

/*
 * The layout for the writers (gen_citus.c), without an error: NONE for no
 * Citus table or a layout assoc does not support (the single-node body).
 */
AssocCitusLayout
assoc_citus_writer_layout(Association *a)
{
	bool		any;

	return layout(a, false, &any);
}

/*
 * A statement on relid with column = value routes to one shard: relid is
 * a reference table, or distributed by that column.
 */
bool
assoc_citus_routed_by(Oid relid, const char *column)
{
	CitusTable	t;

	if (!citus_installed())
		return true;
	citus_table(relid, &t);
	return t.method == 0 || t.reference ||
		(t.method == 'h' && t.distcol && strcmp(t.distcol, column) == 0);
}

/*
 * The association's referenced table is a Citus reference table and its
 * holder a distributed table: Citus refuses a subquery per referenced row
 * that reads the holder (correlated subqueries are not supported when the
 * FROM clause contains a reference table), so the by-key loader joins the
 * instance's rows grouped by foreign key instead (gen_loaders.c), the shape
 * that Citus runs on every shard; find_all does the same (every include is
 * grouped on Citus, find_all_deparse.c).  Not an error: the generator.
 */
bool
assoc_citus_reference_parent(Association *a)
{
	bool		any;
	CitusTable	h;

	if (a->kind == ASSOC_BELONGS_TO_MANY || a->source == NULL ||
		a->target == NULL || a->foreign_key == NULL ||
		layout(a, false, &any) != ASSOC_CITUS_REFERENCE)
		return false;
	citus_table(assoc_holder(a)->relid, &h);
	return h.method == 'h';
}

/*
 * has for an array (owner_has_pugs(1, ARRAY[...])) on a reference parent
 * with distributed children, where Citus refuses the single-node body's
 * subquery per given key: the linked rows among the given keys, counted in
 * one statement that Citus sends to every shard ("linked": FROM ... WHERE
 * t.key = ANY (keys) AND the link), against the distinct keys given (the
 * target's key is unique).  The same answers: [] and duplicates are fine, a
 * NULL array or element is false.
 */
char *
assoc_citus_has_array(const char *keys, const char *linked)
{
	return psprintf("SELECT $2 IS NOT NULL AND pg_catalog.array_position(%s, NULL) IS NULL"
					" AND (SELECT pg_catalog.count(*) FROM %s) OPERATOR(pg_catalog.=)"
					" (SELECT pg_catalog.count(DISTINCT k.v) FROM pg_catalog.unnest(%s) AS k(v));\n",
					keys, linked, keys);
}

/* s with every "from" replaced by "to" (also gen_citus.c) */
char *
assoc_citus_replace(const char *s, const char *from, const char *to)
{
	StringInfoData b;
	const char *p;

	initStringInfo(&b);
	while ((p = strstr(s, from)) != NULL)
	{
		appendBinaryStringInfo(&b, s, p - s);
		appendStringInfoString(&b, to);
		s = p + strlen(from);
	}
	appendStringInfoString(&b, s);
	return b.data;
}

/*
 * The body of a generated function returning rettype (SQL statements, each
 * ending with ";\n"), and *language: in PL/pgSQL when a table of the
 * association is a Citus table (see the head of this file), else as given.
 * PL/pgSQL is never inlined, and gives its statements the arguments as
 * values that Citus uses to route them; the result is the SQL function's
 * for every argument, NULL included: the last statement's first row (no
 * row: NULL), or its rows for SETOF; the SELECTs before it are PERFORMed.
 * A variable and a column of one name are the column, as in SQL.
 */
const char *
assoc_citus_body(Association *a, const char *rettype, const char *body,
				 const char **language)
{
	bool		any;
	StringInfoData b;
	char	   *rest;
	char	   *end;
	char	   *unlink;
	bool		setof = strncmp(rettype, "SETOF ", 6) == 0;

	if (a->source == NULL || a->target == NULL || a->foreign_key == NULL)
		return body;
	(void) layout(a, false, &any);
	if (!any)
		return body;
	*language = "plpgsql";
	/* a PL/pgSQL body already (gen_citus.c) */
	if (strncmp(body, "#variable_conflict ", 19) == 0)
		return body;
	initStringInfo(&b);
	appendStringInfoString(&b, "#variable_conflict use_column\n");
	if (!setof)
		appendStringInfo(&b, "DECLARE r %s;\n", rettype);
	appendStringInfoString(&b, "BEGIN\n");
	/*
	 * Citus runs a subquery of no columns that it cannot push down as an
	 * intermediate result of type record, which it then cannot read: one
	 * column it can (EXISTS and count(*) do not look at it)
	 */
	rest = assoc_citus_replace(body, "(SELECT FROM ", "(SELECT 1 FROM ");

	/*
	 * On co-located tables the foreign key is NOT NULL (Citus refuses NULL
	 * in the distribution column), so assoc.require_nullable, the statement
	 * before, has made sure that an UPDATE setting it to NULL (has_one's
	 * create unlinking the previous target) changes no row; Citus refuses
	 * it when planning all the same: it is left out.
	 */
	unlink = layout(a, false, &any) == ASSOC_CITUS_COLOCATED ?
		psprintf("UPDATE %s t SET %s = NULL", assoc_holder(a)->qualname,
				 quote_identifier(a->foreign_key->name)) : NULL;
	while ((end = strstr(rest, ";\n")) != NULL)
	{
		bool		last = end[2] == '\0';

		*end = '\0';
		if (unlink && strncmp(rest, unlink, strlen(unlink)) == 0)
			;
		else if (last && setof)
			appendStringInfo(&b, "RETURN QUERY %s;\n", rest);
		else if (last)
			appendStringInfo(&b, "%s INTO r;\nRETURN r;\n", rest);
		else if (strncmp(rest, "SELECT ", 7) == 0)
			appendStringInfo(&b, "PERFORM %s;\n", rest + 7);
		else
			appendStringInfo(&b, "%s;\n", rest);
		rest = end + 2;
	}
	appendStringInfoString(&b, "END;\n");
	return b.data;
}

/*
 * The foreign key's actions on co-located tables, where it is the
 * distribution column: Sequelize's defaults (SET NULL, ON UPDATE CASCADE)
 * are refused by Citus, so the defaults become CASCADE (NO ACTION for
 * belongs_to) and NO ACTION; asking for what Citus refuses is an error.
 * *on_delete and *on_update are the actions asked for, NULL when not asked;
 * an existing constraint is adopted as it is (Citus accepted it).
 */
void
assoc_citus_fk_actions(Association *a, const char **on_delete,
					   const char **on_update)
{
	AssocTable *holder = assoc_holder(a);
	AssocColumn *col;
	const char *od,
			   *ou;

	AssocCitusLayout l = assoc_citus_layout(a);

	/*
	 * Citus creates the generated functions on the workers too (they take
	 * the tables' row types), which it does only over one connection per
	 * node when the transaction has used several: the DDL of the
	 * declaration (its foreign key, its index) would have.  SET LOCAL: for
	 * the rest of the caller's transaction, as Citus's hint says.
	 */
	if (l != ASSOC_CITUS_NONE)
		(void) set_config_option("citus.multi_shard_modify_mode", "sequential",
								 PGC_USERSET, PGC_S_SESSION, GUC_ACTION_LOCAL,
								 true, 0, false);
	if (l != ASSOC_CITUS_COLOCATED)
		return;
	if (*on_delete && (strcmp(*on_delete, "SET NULL") == 0 || strcmp(*on_delete, "SET DEFAULT") == 0))
		ereport(ERROR,
				(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
				 errmsg("foreign key %s of co-located Citus tables %s and %s cannot ON DELETE %s",
						quote_identifier(a->foreign_key->name), holder->qualname,
						assoc_referenced(a)->qualname, *on_delete),
				 errdetail("%s is the distribution column of %s: Citus refuses NULL in it, and SET NULL and SET DEFAULT on a foreign key that includes it.",
						   quote_identifier(a->foreign_key->name), holder->qualname),
				 errhint("Use on_delete => 'CASCADE', 'RESTRICT' or 'NO ACTION', or make %s a reference table and distribute %s by its own key.",
						 assoc_referenced(a)->qualname, holder->qualname)));
	if (*on_update && strcmp(*on_update, "NO ACTION") != 0 && strcmp(*on_update, "RESTRICT") != 0)
		ereport(ERROR,
				(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
				 errmsg("foreign key %s of co-located Citus tables %s and %s cannot ON UPDATE %s",
						quote_identifier(a->foreign_key->name), holder->qualname,
						assoc_referenced(a)->qualname, *on_update),
				 errdetail("%s is the distribution column of %s: Citus refuses ON UPDATE actions other than NO ACTION and RESTRICT on a foreign key that includes it.",
						   quote_identifier(a->foreign_key->name), holder->qualname),
				 errhint("Use on_update => 'NO ACTION' or 'RESTRICT' (a key of %s does not change), or make %s a reference table.",
						 assoc_referenced(a)->qualname, assoc_referenced(a)->qualname)));
	/* an existing constraint is adopted as it is */
	col = assoc_find_column(holder->relid, a->foreign_key->name);
	if (!a->constraints || col == NULL ||
		assoc_find_fkey(holder->relid, col->attnum, assoc_referenced(a)->relid,
						assoc_referenced_key(a)->attnum, &od, &ou) != NULL)
		return;
	if (*on_delete == NULL)
		*on_delete = a->kind == ASSOC_BELONGS_TO ? "NO ACTION" : "CASCADE";
	if (*on_update == NULL)
		*on_update = "NO ACTION";
}

/*
 * counter_cache and touch are kept by statement triggers on the holder
 * (counter.c), which Citus refuses on distributed and reference tables
 * ("triggers are not supported on distributed tables"): an error at
 * declaration that says so, before any DDL.
 */
void
assoc_citus_no_triggers(Association *a, bool counter_cache, bool touch)
{
	AssocTable *holder = assoc_holder(a);

	if ((!counter_cache && !touch) || !assoc_citus_table(holder->relid))
		return;
	ereport(ERROR,
			(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
			 errmsg("%s of %s association \"%s\" is not supported on Citus table %s",
					counter_cache ? "counter_cache" : "touch", assoc_kind_name(a->kind),
					a->alias, holder->qualname),
			 errdetail("assoc keeps it with statement triggers on %s, and Citus refuses triggers on distributed and reference tables.",
					   holder->qualname),
			 errhint("Declare the association without counter_cache and touch, and count with the count accessor or assoc.count.")));
}

/* The NOTICE's line on Citus, or NULL when no table is a Citus table. */
char *
assoc_citus_note(Association *a)
{
	bool		any;
	AssocCitusLayout l = layout(a, false, &any);

	if (!any)
		return NULL;
	if (l == ASSOC_CITUS_COLOCATED)
		return psprintf("co-located Citus tables (%s by %s, %s by %s): readers and loaders STRICT (not inlined), routed to the shard of the instance's key; the foreign key ON DELETE %s ON UPDATE %s",
						assoc_holder(a)->qualname, quote_identifier(a->foreign_key->name),
						assoc_referenced(a)->qualname, quote_identifier(assoc_referenced_key(a)->name),
						a->on_delete ? a->on_delete : "(none)", a->on_update ? a->on_update : "(none)");
	return psprintf("Citus reference table %s: readers and loaders STRICT (not inlined)",
					a->kind == ASSOC_BELONGS_TO_MANY ? a->target->qualname : assoc_referenced(a)->qualname);
}

/*
 * A distributed table's primary key must include its distribution column
 * (Citus refuses a unique constraint without it): pugs distributed by
 * "ownerId" has PRIMARY KEY ("ownerId", id).  assoc identifies its rows by
 * the other column, id, as it would by a single-column primary key (the
 * application keeps it unique: a sequence or identity column).  k1, k2:
 * the primary key's columns; InvalidAttrNumber when neither is the
 * distribution column of a hash-distributed table.
 */
AttrNumber
assoc_citus_row_key(Oid relid, AttrNumber k1, AttrNumber k2)
{
	CitusTable	t;
	char	   *n1,
			   *n2;

	if (!citus_installed())
		return InvalidAttrNumber;
	citus_table(relid, &t);
	if (t.method != 'h' || t.distcol == NULL)
		return InvalidAttrNumber;
	n1 = get_attname(relid, k1, false);
	n2 = get_attname(relid, k2, false);
	if (strcmp(n1, t.distcol) == 0)
		return k2;
	if (strcmp(n2, t.distcol) == 0)
		return k1;
	return InvalidAttrNumber;
}

/*
 * The name Citus gives a table's shard or intermediate copy: name_id,
 * clipped with a hash of name to fit NAMEDATALEN (Citus's
 * AppendShardIdToName).
 */
static char *
citus_name(const char *name, uint64 id)
{
	char	   *suffix = psprintf("_" UINT64_FORMAT, id);
	int			len = strlen(name);
	int			clip;

	if (len < NAMEDATALEN - (int) strlen(suffix))
		return psprintf("%s%s", name, suffix);
	clip = pg_mbcliplen(name, len, NAMEDATALEN - strlen(suffix) - 10);
	return psprintf("%.*s_%.8x%s", clip, name,
					DatumGetUInt32(hash_any((const unsigned char *) name, len)), suffix);
}

/*
 * The table Citus puts in the place of table relid, or InvalidOid:
 *   - a copy: Citus converts a Citus local table (into a distributed or
 *     reference table, undistribute_table, alter_distributed_table) by
 *     creating a new table name_<hash of name>, copying the rows, dropping
 *     the old table with CASCADE and renaming the new one to name;
 *   - a shell: Citus makes a local table with a foreign key to a new
 *     reference table a Citus local table by renaming the table itself to
 *     its shard, name_<shard id>, under a new table of its name.
 * *user: the table's name as the user knows it, qualified; *how: what
 * Citus does, for the NOTICE.
 */
static Oid
replacement(Oid relid, char **user, char **how)
{
	char	   *name = get_rel_name(relid);
	Oid			nsp = get_rel_namespace(relid);
	char	   *digits;
	Oid			to;
	Oid			argtypes[1] = {INT8OID};
	Datum		values[1];
	uint64		shard;

	if (name == NULL)
		return InvalidOid;
	to = get_relname_relid(citus_name(name, DatumGetUInt32(hash_any((const unsigned char *) name,
																	strlen(name)))), nsp);
	if (OidIsValid(to) && to != relid)
	{
		*user = quote_qualified_identifier(get_namespace_name(nsp), name);
		*how = psprintf("Citus copies table %s into a new table %s, drops the old one and gives the new one its name.",
						*user, quote_identifier(get_rel_name(to)));
		return to;
	}
	digits = strrchr(name, '_');
	if (digits == NULL || digits[1] == '\0' || strspn(digits + 1, "0123456789") != strlen(digits + 1) ||
		strlen(digits + 1) > 19)
		return InvalidOid;
	shard = strtou64(digits + 1, NULL, 10);
	values[0] = Int64GetDatum((int64) shard);
	assoc_spi_exec_args("SELECT s.logicalrelid FROM pg_catalog.pg_dist_shard s WHERE s.shardid = $1",
						1, argtypes, values, NULL, SPI_OK_SELECT);
	if (SPI_processed != 1)
		return InvalidOid;
	to = DatumGetObjectId(assoc_spi_getdatum(0, 1));
	if (to == relid || get_rel_namespace(to) != nsp ||
		strcmp(citus_name(get_rel_name(to), shard), name) != 0)
		return InvalidOid;
	*user = quote_qualified_identifier(get_namespace_name(nsp), get_rel_name(to));
	*how = psprintf("Citus makes table %s a Citus local table: the table becomes its shard %s, under a new table of its name.",
					*user, quote_identifier(name));
	return to;
}

/*
 * Citus's conversions of a table of an association, followed (README,
 * "Citus", "Distributing after declaring"): what PostgreSQL lets Citus do
 * to a table, assoc's objects follow.  Some of Citus's conversions put a
 * new table of the user's name in the place of the old one (replacement,
 * above), and would leave the association on the old one: on the shard,
 * or dropped with it (CASCADE).  Called at every DDL command's end and by
 * assoc.regenerate(): when the citus extension is installed, each table of
 * an association that Citus is replacing with a table the current user
 * owns is replaced in assoc's catalog, and the functions of its
 * associations are dropped (their argument and result types are the old
 * table's row type, and they depend on it); the caller generates them
 * again for the new table's layout (events.c).  Returns the ids of those
 * associations.  Run inside the caller's SPI connection.
 */
List *
assoc_citus_follow(void)
{
	List	   *tables = NIL;
	List	   *ids = NIL;
	ListCell   *lc;

	if (!citus_installed())
		return NIL;
	assoc_spi_exec("SELECT DISTINCT t FROM assoc.associations a,"
				   " pg_catalog.unnest(ARRAY[a.source, a.target, a.through]) AS t"
				   " WHERE t IS NOT NULL",
				   SPI_OK_SELECT);
	for (uint64 i = 0; i < SPI_processed; i++)
		tables = lappend_oid(tables, DatumGetObjectId(assoc_spi_getdatum(i, 1)));
	foreach(lc, tables)
	{
		Oid			from = lfirst_oid(lc);
		char	   *user = NULL;
		char	   *how = NULL;
		Oid			to = replacement(from, &user, &how);
		List	   *moved;
		ListCell   *lc2;
		int			n = 0;

		if (!OidIsValid(to) || !assoc_rel_is_owner(to, GetUserId()))
			continue;
		moved = assoc_catalog_repoint(from, to);
		foreach(lc2, moved)
		{
			ListCell   *lc3;

			foreach(lc3, assoc_catalog_functions(lfirst_int(lc2)))
			{
				assoc_spi_exec(psprintf("DROP FUNCTION %s", (char *) lfirst(lc3)),
							   SPI_OK_UTILITY);
				n++;
			}
		}
		CommandCounterIncrement();
		ereport(NOTICE,
				(errmsg("the associations of table %s follow it to the table Citus puts in its place",
						user),
				 errdetail("%s The %d associations of the table name the new one, and their %d functions are generated again for it.",
						   how, list_length(moved), n)));
		ids = list_concat_unique_int(ids, moved);
	}
	return ids;
}
