/*
 * gen_btm.c
 *	  The accessors of a belongs_to_many association: Sequelize's
 *	  ten methods against the through table, as the shape of the link for
 *	  gen_accessors.c to write them with.
 *
 * With a student -> courses association through enrollments("studentId",
 * "courseId"):
 *   student_get_courses, student_count_courses, student_has_course(s)
 *	   read the links joined to the courses (as Sequelize's INNER JOIN);
 *   student_add_course(s)
 *	   INSERT the missing links, in key order, ON CONFLICT on the pair:
 *	   an existing link is left alone unless through values are given that
 *	   differ from its own, then those columns and updatedAt are updated
 *	   (Sequelize compares and updates only changed links);
 *   student_set_courses
 *	   DELETE the links not in the list, then the same INSERT, an existing
 *	   link being updated whenever through values are given (Sequelize's
 *	   setCourses updates kept links without comparing);
 *   student_remove_course(s)
 *	   DELETE the links;
 *   student_create_course
 *	   INSERT the course (assoc.insert_json) and its link.
 * Writers lock the student FOR NO KEY UPDATE first, so that writers on one
 * student serialize; the links they delete are locked in key order.  A
 * writer of the mirror side (course_add_students) locks the course the
 * same way, which the foreign-key checks of links (FOR KEY SHARE) do not
 * conflict with; a student's writer and a course's writer share at most
 * one link, so they cannot deadlock on links either.
 *
 * Through values: an optional trailing jsonb whose keys are columns of the
 * through table other than its two keys (assoc.check_through says which
 * when one is not).  The columns a link is inserted with are listed in the
 * generated INSERT, each taking the value given or else the column's
 * default, written into the body (the body is written again when the
 * through table changes); identity and generated columns are left to the
 * table and cannot be given.  Timestamps as Sequelize's bulkCreate and
 * update: createdAt/updatedAt of a new link are now() unless given,
 * updatedAt of an updated link is now(); declared with timestamps =>
 * false, the association leaves them to their defaults (declare_btm.c).
 */
#include "postgres.h"

#include "access/htup_details.h"
#include "access/table.h"
#include "catalog/pg_attribute.h"
#include "executor/spi.h"
#include "lib/stringinfo.h"
#include "utils/builtins.h"
#include "utils/lsyscache.h"
#include "utils/rel.h"

#include "gen_accessors.h"
#include "gen_btm.h"
#include "scope.h"
#include "spi_util.h"
#include "sql_spell.h"

/* A column of the through table that through values may set. */
typedef struct ThroughCol
{
	char	   *name;			/* quoted */
	char	   *lit;			/* as a text literal */
	char	   *dflt;			/* default expression, or NULL */
	AttrNumber	attnum;
	bool		created_at;
	bool		updated_at;
	bool		deleted_at;		/* a paranoid through table's */
} ThroughCol;

/* What the bodies of one association share, besides Gen. */
typedef struct Btm
{
	Gen		   *g;
	char	   *H;				/* through table, qualified */
	const char *ok;				/* other key, quoted */
	char	   *Hlit;			/* through table as a regclass literal */
	List	   *cols;			/* ThroughCol, in table order */
	char	   *rdefs;			/* their column definition list, or NULL */
	char	   *allowed;		/* text[] of their names */
	char	   *keys;			/* text[] of the two keys */
	char	   *check;			/* the statement checking through values $3 */
} Btm;

/* The default of a column, as SQL text under the safe search_path. */
static char *
column_default(Oid relid, AttrNumber attnum)
{
	Oid			argtypes[2] = {OIDOID, INT2OID};
	Datum		values[2];

	values[0] = ObjectIdGetDatum(relid);
	values[1] = Int16GetDatum(attnum);
	assoc_spi_exec_args("SELECT pg_catalog.pg_get_expr(d.adbin, d.adrelid)"
						"  FROM pg_catalog.pg_attrdef d"
						" WHERE d.adrelid = $1 AND d.adnum = $2",
						2, argtypes, values, NULL, SPI_OK_SELECT);
	if (SPI_processed == 0)
		return NULL;
	return assoc_spi_getstring(0, 1);
}

static void
btm_init(Btm *m, Gen *g)
{
	Association *a = g->a;
	AssocTable *h = a->through;
	Relation	rel;
	TupleDesc	desc;
	List	   *names = NIL;
	List	   *defaults = NIL;
	StringInfoData rdefs;

	memset(m, 0, sizeof(Btm));
	initStringInfo(&rdefs);
	m->g = g;
	m->H = h->qualname;
	m->ok = sql_ident(a->other_key->name);
	m->Hlit = sql_regclass(h->qualname);

	rel = table_open(h->relid, AccessShareLock);
	desc = RelationGetDescr(rel);
	for (int i = 0; i < desc->natts; i++)
	{
		Form_pg_attribute att = TupleDescAttr(desc, i);
		ThroughCol *c;

		/* through_scope columns take the scope's values, not given ones */
		if (att->attisdropped || att->attnum == a->foreign_key->attnum ||
			att->attnum == a->other_key->attnum ||
			att->attgenerated != '\0' || att->attidentity != '\0' ||
			assoc_scope_value_of(a->through_scope, att->attnum) != NULL)
			continue;
		c = palloc0(sizeof(ThroughCol));
		c->name = pstrdup(sql_ident(NameStr(att->attname)));
		c->lit = sql_literal(NameStr(att->attname));
		c->attnum = att->attnum;
		/* timestamps => false: ordinary columns, their defaults fill them */
		c->created_at = a->timestamps && h->created_at &&
			h->created_at->attnum == att->attnum;
		c->updated_at = a->timestamps && h->updated_at &&
			h->updated_at->attnum == att->attnum;
		c->deleted_at = h->deleted_at && h->deleted_at->attnum == att->attnum;
		m->cols = lappend(m->cols, c);
		names = lappend(names, pstrdup(NameStr(att->attname)));
		appendStringInfo(&rdefs, "%s%s %s", rdefs.len > 0 ? ", " : "", c->name,
						 sql_type(att->atttypid, att->atttypmod));
		if (att->atthasdef)
			defaults = lappend(defaults, c);
	}
	table_close(rel, AccessShareLock);

	/* defaults read after the relation is closed: SPI opens the catalog */
	{
		ListCell   *lc;

		foreach(lc, defaults)
		{
			ThroughCol *c = lfirst(lc);

			c->dflt = column_default(h->relid, c->attnum);
		}
	}
	m->rdefs = rdefs.len > 0 ? rdefs.data : NULL;
	m->allowed = sql_text_array(names);
	m->keys = sql_text_array(list_make2(a->foreign_key->name, a->other_key->name));
	/* through values name settable columns only */
	m->check = psprintf("SELECT assoc.check_through($3, %s, %s, %s, %s, %s);\n",
						m->allowed, g->srclit, g->aliaslit, m->Hlit, m->keys);
}

/* ---- statements ---- */

/*
 * DELETE the instance's links to targets matching cond (on x.O), in key
 * order.  A paranoid through table's links are soft-deleted, as
 * Sequelize's destroy of its through rows does (deletedAt = now()), and
 * those soft-deleted already are left alone.
 */
static void
stmt_delete_links(StringInfo b, Btm *m, const char *I, const char *cond)
{
	Gen		   *g = m->g;
	char	   *live = assoc_cg_side_filter(g, GEN_THROUGH, "x");
	AssocColumn *deleted = g->a->through->deleted_at;

	/* only the links the readers see: live, in the scopes */
	if (g->a->scope != NIL)
		live = psprintf("%s AND EXISTS (SELECT FROM %s t WHERE t.%s %s x.%s%s)",
						live, g->T, g->tk, g->eqT, m->ok,
						assoc_cg_scope_filter(g, g->a->target, "t"));
	if (deleted)
		appendStringInfo(b, "UPDATE %s h SET %s = pg_catalog.now()", m->H,
						 sql_ident(deleted->name));
	else
		appendStringInfo(b, "DELETE FROM %s h", m->H);
	appendStringInfo(b,
					 " WHERE h.%s %s %s AND h.%s %s ANY (ARRAY("
					 "SELECT x.%s FROM %s x WHERE x.%s %s %s%s AND %s ORDER BY x.%s FOR UPDATE OF x));\n",
					 g->fk, g->eqF, I, m->ok, g->eqT,
					 m->ok, m->H, g->fk, g->eqF, I, live, cond, m->ok);
}

/* Do the through values, parameter paramno, give column c? */
static char *
given(ThroughCol *c, int paramno)
{
	return psprintf("$%d OPERATOR(pg_catalog.?) %s", paramno, c->lit);
}

/* What an INSERT of links does with a link that is already there. */
typedef enum OnConflict
{
	CONFLICT_NONE,				/* none can be (create: a new target) */
	CONFLICT_IF_CHANGED,		/* add: update when given values differ */
	CONFLICT_IF_GIVEN			/* set: update when values are given */
} OnConflict;

/*
 * INSERT (without the terminating ";") the links from the instance I to
 * the keys "key" that the FROM item "from" yields, in key order when
 * "ordered", with the through values of parameter V: the columns given take
 * their values, the others their defaults, timestamps now() unless given.
 * ON CONFLICT on the pair, an existing link is updated as on_conflict says:
 * the columns given and updatedAt = now(), as Sequelize's update does.
 */
static void
stmt_insert_links(StringInfo b, Btm *m, const char *I, const char *key,
				  const char *from, int V, OnConflict on_conflict, bool ordered)
{
	Gen		   *g = m->g;
	StringInfoData cols;
	StringInfoData vals;
	StringInfoData sets;
	StringInfoData changed;
	StringInfoData ssets;
	char	   *out_of_scope = NULL;
	ListCell   *lc;
	bool		update = false;
	AssocColumn *deleted = g->a->through->deleted_at;
	/* a soft-deleted link given again is updated whatever the values */
	char	   *revive = deleted ? psprintf("h.%s IS NOT NULL OR ", sql_ident(deleted->name)) : "";

	initStringInfo(&ssets);
	initStringInfo(&cols);
	initStringInfo(&vals);
	initStringInfo(&sets);
	initStringInfo(&changed);
	appendStringInfo(&cols, "%s, %s", g->fk, m->ok);
	appendStringInfo(&vals, "%s, %s", I, key);
	foreach(lc, g->a->through_scope)
	{
		AssocScopeValue *sv = lfirst(lc);

		appendStringInfo(&cols, ", %s", sql_ident(sv->column->name));
		appendStringInfo(&vals, ", %s", assoc_scope_value_of(g->a->through_scope,
														   sv->column->attnum));
		appendStringInfo(&ssets, ", %s = EXCLUDED.%s", sql_ident(sv->column->name),
						 sql_ident(sv->column->name));
	}
	/* an existing link outside the through scope is brought into it */
	if (g->a->through_scope != NIL)
		out_of_scope = psprintf("NOT COALESCE(true%s, false)",
								assoc_cg_scope_filter(g, g->a->through, "h"));
	foreach(lc, m->cols)
	{
		ThroughCol *c = lfirst(lc);
		char	   *has = given(c, V);

		appendStringInfo(&cols, ", %s", c->name);
		if (c->deleted_at)
		{
			/* a new link is there; a soft-deleted one is linked again */
			appendStringInfoString(&vals, ", NULL");
			appendStringInfo(&sets, "%s%s = NULL", sets.len > 0 ? ", " : "", c->name);
			appendStringInfo(&changed, "%sh.%s IS NOT NULL", changed.len > 0 ? " OR " : "",
							 c->name);
			update = true;
			continue;
		}
		if (c->created_at || c->updated_at)
			appendStringInfo(&vals, ", COALESCE(CASE WHEN %s THEN r.%s END, pg_catalog.now())",
							 has, c->name);
		else if (c->dflt)
			appendStringInfo(&vals, ", CASE WHEN %s THEN r.%s ELSE %s END",
							 has, c->name, c->dflt);
		else
			appendStringInfo(&vals, ", CASE WHEN %s THEN r.%s END", has, c->name);

		if (c->updated_at)
			appendStringInfo(&sets, "%s%s = pg_catalog.now()",
							 sets.len > 0 ? ", " : "", c->name);
		else
			appendStringInfo(&sets, "%s%s = CASE WHEN %s THEN EXCLUDED.%s ELSE h.%s END",
							 sets.len > 0 ? ", " : "", c->name, has, c->name, c->name);
		appendStringInfo(&changed,
						 "%s(%s AND pg_catalog.to_jsonb(h.%s) IS DISTINCT FROM pg_catalog.to_jsonb(EXCLUDED.%s))",
						 changed.len > 0 ? " OR " : "", has, c->name, c->name);
		update = true;
	}

	/*
	 * The through values as a record r of the settable columns' types
	 * (jsonb_to_record with a column definition list rather than
	 * jsonb_populate_record of the table's row type: a function using the
	 * row type would keep ALTER TABLE ... ADD COLUMN ... DEFAULT from
	 * running on the through table).
	 */
	appendStringInfo(b, "INSERT INTO %s AS h (%s) SELECT %s FROM %s",
					 m->H, cols.data, vals.data, from);
	if (m->rdefs)
		appendStringInfo(b,
						 ", pg_catalog.jsonb_to_record(COALESCE($%d, CAST('{}' AS pg_catalog.jsonb))) AS r(%s)",
						 V, m->rdefs);
	if (ordered)
		appendStringInfo(b, " ORDER BY %s", key);
	if (out_of_scope != NULL && on_conflict != CONFLICT_NONE)
	{
		/* the scope's columns, and what the kind of conflict updates */
		if (!update)
			appendStringInfo(b, " ON CONFLICT (%s, %s) DO UPDATE SET %s WHERE %s",
							 g->fk, m->ok, ssets.data + 2, out_of_scope);
		else
			appendStringInfo(b, " ON CONFLICT (%s, %s) DO UPDATE SET %s%s WHERE %s OR ($%d IS NOT NULL AND %s)",
							 g->fk, m->ok, sets.data, ssets.data, out_of_scope, V,
							 on_conflict == CONFLICT_IF_CHANGED ? psprintf("(%s)", changed.data) :
							 psprintf("$%d OPERATOR(pg_catalog.<>) CAST('{}' AS pg_catalog.jsonb)", V));
		return;
	}
	switch (on_conflict)
	{
		case CONFLICT_NONE:
			break;
		case CONFLICT_IF_CHANGED:
			if (!update)
				appendStringInfo(b, " ON CONFLICT (%s, %s) DO NOTHING", g->fk, m->ok);
			else
				appendStringInfo(b, " ON CONFLICT (%s, %s) DO UPDATE SET %s WHERE %s$%d IS NOT NULL AND (%s)",
								 g->fk, m->ok, sets.data, revive, V, changed.data);
			break;
		case CONFLICT_IF_GIVEN:
			if (!update)
				appendStringInfo(b, " ON CONFLICT (%s, %s) DO NOTHING", g->fk, m->ok);
			else
				appendStringInfo(b, " ON CONFLICT (%s, %s) DO UPDATE SET %s"
								 " WHERE %s$%d IS NOT NULL AND $%d OPERATOR(pg_catalog.<>) CAST('{}' AS pg_catalog.jsonb)",
								 g->fk, m->ok, sets.data, revive, V, V);
			break;
	}
}

/* the distinct keys of an array, as n.k */
static char *
distinct_keys(const char *arr)
{
	return psprintf("(SELECT DISTINCT u.k FROM pg_catalog.unnest(%s) u(k)) n", arr);
}

/* ---- the link ---- */

/* the links of the instance, joined to their targets */
static char *
through_linked(Link *l, Form *f, const char *I)
{
	Gen		   *g = l->g;
	Btm		   *m = l->shape;

	return psprintf("%s t, %s h WHERE h.%s %s %s AND t.%s %s h.%s%s%s",
					g->T, m->H, g->fk, g->eqF, I, g->tk, g->eqT, m->ok,
					assoc_cg_side_filter(g, GEN_THROUGH, "h"),
					assoc_cg_side_filter(g, GEN_TARGET, "t"));
}

static char *
through_linked_key(Link *l, const char *I, const char *X)
{
	Btm		   *m = l->shape;

	return psprintf("%s AND h.%s %s %s", through_linked(l, NULL, I), m->ok,
					l->g->eqT, X);
}

/* the column of the links the key tests look at */
static char *
other_key(Btm *m)
{
	return psprintf("x.%s", m->ok);
}

/* INSERT the missing links to the targets of kt */
static void
insert_given(StringInfo b, Btm *m, const char *I, KeyTest *kt, OnConflict on_conflict)
{
	stmt_insert_links(b, m, I, "n.k", distinct_keys(kt->expr), 3, on_conflict, true);
	appendStringInfoString(b, ";\n");
}

static void
through_add(StringInfo b, Link *l, const char *I, KeyTest *kt)
{
	insert_given(b, l->shape, I, kt, CONFLICT_IF_CHANGED);
}

static void
through_replace(StringInfo b, Link *l, const char *I, KeyTest *kt)
{
	Btm		   *m = l->shape;

	stmt_delete_links(b, m, I, assoc_cg_key_nomatch(l->g, other_key(m), kt));
	insert_given(b, m, I, kt, CONFLICT_IF_GIVEN);
}

static void
through_remove(StringInfo b, Link *l, const char *I, KeyTest *kt)
{
	Btm		   *m = l->shape;

	stmt_delete_links(b, m, I, assoc_cg_key_match(l->g, other_key(m), kt));
}

/* the target, then its link */
static void
through_create(StringInfo b, Link *l, const char *I)
{
	Gen		   *g = l->g;

	appendStringInfo(b,
					 "WITH n AS (SELECT x.* FROM %s), l AS (",
					 assoc_cg_insert_json(g, g->a->target, "$2",
										  g->a->scope ? assoc_scope_jsonb_literal(g->a->scope) :
										  "CAST('{}' AS pg_catalog.jsonb)", "x"));
	stmt_insert_links(b, l->shape, I, psprintf("n.%s", g->tk), "n", 3, CONFLICT_NONE, false);
	appendStringInfoString(b, ") SELECT n.* FROM n;\n");
}

static const LinkOps through_ops = {
	.linked = through_linked,
	.linked_key = through_linked_key,
	.add = through_add,
	.replace = through_replace,
	.remove = through_remove,
	.create = through_create,
};

void
assoc_gen_belongs_to_many(Gen *g)
{
	Btm			m;
	Link		l;

	btm_init(&m, g);
	l = (Link) {
		.g = g, .ops = &through_ops, .many = true, .shape = &m,
		.values_param = "through jsonb DEFAULT NULL", .values_check = m.check,
	};
	assoc_gen_accessors(&l);
}
