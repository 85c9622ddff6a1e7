/*
 * find_all_deparse.c
 *	  The SQL statement of assoc.find_all, written from the tree that
 *	  find_all_options.c built, and the choice of its shape.
 *
 * All of find_all's SQL text is written here, as postgres_fdw writes its
 * own in deparse.c: tables schema-qualified, identifiers through
 * sql_ident, values through sql_literal (sql_spell.c) inside an explicit
 * CAST to the column's type (without its typmod, so that a long string is
 * not cut to a varchar(n) and then matched), operators as
 * OPERATOR(schema.op) taken from the type's operator classes, functions
 * and types as pg_catalog.f.  Table aliases are generated (t1, x1, g1) and
 * never come from the caller.  The statement means the same under any
 * search_path: find_all_sql's text can be run or EXPLAINed anywhere.
 *
 * Every JSON object is assoc.json_row (or assoc.json_rows, the aggregate)
 * of a whole row x<n> (CROSS JOIN LATERAL (SELECT <attributes>, <includes>
 * AS "alias") x<n>): its column names are the keys, in order.  These give
 * the text of row_to_json and json_agg, faster (src/json_build.c); whole
 * rows are 20-25 % faster than json_build_object, and json keeps the keys'
 * order where jsonb would not.
 *
 * Two shapes, chosen per include by fa_choose_shapes():
 *
 * grouped: each include's rows are aggregated by the join key once, and
 *   joined back; the fastest for full scans (nested GROUP BY wins at two
 *   levels).  A has_many below a has_many carries its grandparent's key
 *   (o, see outer_key()), so that every level is merged in one order and
 *   no JSON is sorted or hashed.  owners -> pugs -> toys:
 *
 *   SELECT assoc.json_row(x0) FROM public.owners t0
 *     LEFT JOIN (SELECT s1.k, assoc.json_rows(s1.x) AS j
 *                  FROM (SELECT t1."ownerId" AS k, x1 AS x
 *                          FROM public.pugs t1
 *                          LEFT JOIN (SELECT s2.o, s2.k, ...
 *                                       FROM (SELECT o2."ownerId" AS o, t2."pugId" AS k, x2 AS x
 *                                               FROM public.toys t2
 *                                               JOIN public.pugs o2 ON o2.id OPERATOR(pg_catalog.=) t2."pugId"
 *                                               ... ORDER BY o2."ownerId", t2."pugId", t2.id) s2
 *                                      GROUP BY s2.o, s2.k) g2
 *                                 ON g2.k OPERATOR(pg_catalog.=) t1.id
 *                                AND g2.o OPERATOR(pg_catalog.=) t1."ownerId"
 *                          CROSS JOIN LATERAL (SELECT t1.id, t1.name, ...,
 *                                 COALESCE(g2.j, CAST('[]' AS pg_catalog.json)) AS toys) x1
 *                         WHERE t1."ownerId" IS NOT NULL
 *                         ORDER BY t1."ownerId", t1.id) s1
 *                 GROUP BY s1.k) g1
 *            ON g1.k OPERATOR(pg_catalog.=) t0.id
 *     CROSS JOIN LATERAL (SELECT t0.id, t0.name, ...,
 *            COALESCE(g1.j, CAST('[]' AS pg_catalog.json)) AS pugs) x0
 *    ORDER BY t0.id
 *
 * correlated: a subquery per parent row, through the foreign-key index;
 *   for a page the parents are limited first:
 *
 *   SELECT assoc.json_row(x0)
 *     FROM (SELECT t0.id, t0.name, ... FROM public.owners t0
 *            ORDER BY t0.id LIMIT 20) t0
 *     CROSS JOIN LATERAL (SELECT t0.id, t0.name, ...,
 *            (SELECT COALESCE(assoc.json_rows(x1 ORDER BY t1.id),
 *                             CAST('[]' AS pg_catalog.json))
 *               FROM public.pugs t1 CROSS JOIN LATERAL (SELECT t1.id, ...) x1
 *              WHERE t1."ownerId" OPERATOR(pg_catalog.=) t0.id) AS pugs) x0
 *    ORDER BY t0.id
 *
 * belongs_to_many: an include's rows are its links h<n> joined with their
 *   targets t<n>; the join key is the link's column to the parent, the
 *   through row a lateral y<n> (its "through" attributes) that the target's
 *   row carries after its attributes and before its nested includes, under
 *   the through table's model name.  Grouped:
 *
 *     LEFT JOIN (SELECT s1.k, assoc.json_rows(s1.x) AS j
 *                  FROM (SELECT h1."studentId" AS k, x1 AS x
 *                          FROM public.enrollments h1
 *                          JOIN public.courses t1 ON t1.id OPERATOR(pg_catalog.=) h1."courseId"
 *                          CROSS JOIN LATERAL (SELECT h1."createdAt", ...) y1
 *                          CROSS JOIN LATERAL (SELECT t1.id, t1.title, ...,
 *                                 assoc.json_row(y1) AS enrollment) x1
 *                         WHERE h1."studentId" IS NOT NULL
 *                         ORDER BY h1."studentId", t1.id) s1
 *                 GROUP BY s1.k) g1
 *            ON g1.k OPERATOR(pg_catalog.=) t0.id
 *
 *   correlated: the same FROM, WHERE h1."studentId" OPERATOR(pg_catalog.=)
 *   t0.id.  "through" where is a condition on h<n> beside the include's
 *   own where on t<n>.
 *
 * A required include filters its parents: an inner join in the grouped
 * shape, EXISTS (...) otherwise (in a page, before the LIMIT), or for a
 * top-level has_many with a where its array, computed once in a LATERAL
 * l<n>(j) and required to be there (carried_include()).  A where that
 * names other levels ($nested.column$ keys in $or, $not or an include's
 * where) reads their rows in scope, or joins those below in an EXISTS as
 * Sequelize joins them (append_cross()).  An order key
 * on an include's column is the value of that include's first row under the
 * keys that reach into it: a correlated "(SELECT ... ORDER BY ... LIMIT 1)".
 * A key on a through table's column is the column of the link, h<n>.
 */
#include "postgres.h"

#include "access/htup_details.h"
#include "catalog/pg_operator.h"
#include "catalog/pg_proc.h"
#include "lib/stringinfo.h"
#include "utils/builtins.h"
#include "utils/lsyscache.h"
#include "utils/syscache.h"
#include "utils/typcache.h"

#include "citus.h"
#include "ddl.h"
#include "find_all.h"
#include "scope.h"
#include "sql_spell.h"

typedef struct Deparse
{
	int			nalias;			/* next table alias number */
	bool		keyset;			/* the top level's rows take its "after" */
	bool		one_more;		/* the top level's page takes one row more
								 * than its limit (has_next_page()) */
	List	   *carried;		/* Carried *: the top level's includes read
								 * in a LATERAL, see carried_include() */
	List	   *bound;			/* TreeAlias *: the levels whose row is in
								 * scope, the innermost last (see bind()) */
	List	   *in_cross;		/* FaNode *: the levels whose cross where is
								 * being written (see append_cross()) */
	bool		citus;			/* a Citus table: each row x<n> OFFSET 0 */
	int			page_cte;		/* Citus: the top level's page is the CTE
								 * p<n>, n + 1 (0: none); see append_rows() */
	const char *page_set;		/* Citus: the keys of the page's rows that
								 * the include append_grouped() writes next
								 * joins to, an array expression (NULL:
								 * all rows); see append_page_keys() */
	const char *rows_set;		/* that, of the include whose own includes
								 * append_grouped_joins() writes next */
} Deparse;

/* One key of an ORDER BY, written out. */
typedef struct KeyExpr
{
	char	   *expr;
	const char *direction;
	bool		computed;		/* a subquery: carried as a column in pages */
	char	   *carried;		/* the name of that column */
	char	   *join;			/* Citus: the LEFT JOIN that expr reads, or
								 * NULL (citus_order_join()) */
} KeyExpr;

/* An include joined in the grouped shape, and the alias of its subquery. */
typedef struct GroupedJoin
{
	FaNode	   *node;
	int			alias;
} GroupedJoin;

/*
 * An include of the top level whose array a LATERAL l<alias>(j) computes
 * once, and what the top level's row writes for it (l3.j, or t0._j1 once
 * carried out of a page's subquery).
 */
typedef struct Carried
{
	FaNode	   *node;
	int			alias;
	char	   *expr;
} Carried;

/* A node of an order key's path and its alias in the key's subquery. */
typedef struct TreeAlias
{
	FaNode	   *node;
	int			alias;
} TreeAlias;

static void append_row(Deparse *dp, StringInfo buf, FaNode *node, int alias,
					   List *grouped);
static void append_filter(Deparse *dp, StringInfo buf, FaNode *node, int alias,
						  List *joined, const char **sep);
static void append_page_keys(StringInfo buf, FaNode *node, int c, const char *set,
							 const char **sep);
static List *append_grouped_joins(Deparse *dp, StringInfo buf, FaNode *node,
								  int alias);
static void append_correlated(Deparse *dp, StringInfo buf, FaNode *node, int p,
							  bool coalesce);
static void append_cross(Deparse *dp, StringInfo buf, FaNode *node);
static int	tree_alias(List *tree, FaNode *node);
static void append_tree_joins(Deparse *dp, StringInfo buf, FaNode *x, List *tree);
static void append_poly(Deparse *dp, StringInfo buf, FaPoly *poly, int p,
						List *grouped, bool exists);

/* ---------------------------------------------------------------------
 * The shape: the one place where it is chosen
 * ---------------------------------------------------------------------
 */

/* A polymorphic include is joined as its parent's includes are. */
static void
choose_poly_shapes(FaNode *node, bool correlated)
{
	ListCell   *lc;

	foreach(lc, node->polys)
		((FaPoly *) lfirst(lc))->shape =
			correlated ? FA_SHAPE_CORRELATED : FA_SHAPE_GROUPED;
}

static void
choose_shape(FaNode *node, bool correlated)
{
	ListCell   *lc;

	/* a limit per parent needs a subquery per parent */
	if (node->limit >= 0)
		correlated = true;
	node->shape = correlated ? FA_SHAPE_CORRELATED : FA_SHAPE_GROUPED;
	choose_poly_shapes(node, correlated);
	foreach(lc, node->children)
		choose_shape(lfirst(lc), correlated);
}

/*
 * Measured on PostgreSQL 15 (make bench): over all owners, grouping each
 * include by its key and joining back is as fast as a subquery per row for
 * one level and wins at two (LATERAL 1.5x); for a page of owners the
 * grouped shape aggregates whole tables for 20 rows (20-4000x slower), so
 * pages limit the owners first and take each one's rows through the
 * foreign-key index.  A where on the model is treated like a page: a
 * selective one leaves few owners, and a subquery per owner reads only
 * theirs.  Below a correlated include everything is correlated: a grouped
 * subquery inside it would run once per row.
 */
/* Has the level, or one below it, a where that names other levels? */
static bool
has_cross(FaNode *node)
{
	ListCell   *lc;

	if (node->cross != NIL || node->cross_up)
		return true;
	foreach(lc, node->children)
		if (has_cross(lfirst(lc)))
			return true;
	return false;
}

/*
 * A where that names other levels reads their rows where it is written,
 * which only subqueries per row have in scope: then every include is
 * correlated.
 */
void
fa_choose_shapes(FaNode *root)
{
	bool		correlated = root->page || root->where != NULL ||
		root->keyset != NULL || has_cross(root);
	ListCell   *lc;

	/* Citus refuses the correlated shape's lateral row (citus.c) */
	if (correlated && assoc_citus_table(root->table->relid))
		correlated = false;

	choose_poly_shapes(root, correlated);
	foreach(lc, root->children)
		choose_shape(lfirst(lc), correlated);
}

/* ---------------------------------------------------------------------
 * Names, values, operators
 * ---------------------------------------------------------------------
 */

static int
next_alias(Deparse *dp)
{
	return dp->nalias++;
}

/* A column of table rel<alias>: t3.name, or h3."courseId" (through). */
static void
append_rel_column(StringInfo buf, char rel, int alias, AssocColumn *col)
{
	appendStringInfo(buf, "%c%d.%s", rel, alias, sql_ident(col->name));
}

static void
append_column(StringInfo buf, int alias, AssocColumn *col)
{
	append_rel_column(buf, 't', alias, col);
}

/* The column of an order key, in the rows (alias) of the node holding it. */
static void
append_key_column(StringInfo buf, int alias, FaSortKey *key)
{
	append_rel_column(buf, key->through ? 'h' : 't', alias, key->column);
}

static void
append_operator(StringInfo buf, Oid opno)
{
	appendStringInfo(buf, " %s ", sql_operator(opno));
}

/*
 * A value as a literal of the column's type: CAST('5' AS integer); NULL for
 * SQL NULL.  PostgreSQL converts such a literal when it parses the
 * statement; when the type's input depends on settings (timestamptz and
 * date on TimeZone and DateStyle, an enum on its labels: the input function
 * is not immutable), the literal is text converted when the statement runs,
 * CAST(CAST('2020-01-01' AS pg_catalog.text) AS timestamp with time zone),
 * so that a plan find_all keeps for the statement gives what a new one
 * would.
 */
static void
append_value(Deparse *dp, StringInfo buf, const char *value, AssocColumn *col)
{
	Oid			infunc;
	Oid			ioparam;

	appendStringInfoString(buf, "CAST(");
	if (value == NULL)
		appendStringInfoString(buf, "NULL");
	else
	{
		getTypeInputInfo(col->typid, &infunc, &ioparam);
		if (func_volatile(infunc) == PROVOLATILE_IMMUTABLE)
			appendStringInfoString(buf, sql_literal(value));
		else
			appendStringInfo(buf, "CAST(%s AS pg_catalog.text)",
							 sql_literal(value));
	}
	appendStringInfoString(buf, " AS ");
	appendStringInfoString(buf, sql_type(col->typid, -1));
	appendStringInfoChar(buf, ')');
}

/* ---------------------------------------------------------------------
 * where
 * ---------------------------------------------------------------------
 */

static void append_agg(Deparse *dp, StringInfo buf, FaAgg *g, int p);

/*
 * The levels whose rows are in scope where the SQL being written is: a
 * where naming other levels (FaCond.node) reads their row there.  bind()
 * adds one and returns what unbind() takes to drop it, and those bound
 * after it.
 */
static int
bind(Deparse *dp, FaNode *node, int alias)
{
	TreeAlias  *ta = palloc(sizeof(TreeAlias));
	int			len = list_length(dp->bound);

	ta->node = node;
	ta->alias = alias;
	dp->bound = lappend(dp->bound, ta);
	return len;
}

static void
unbind(Deparse *dp, int len)
{
	dp->bound = list_truncate(dp->bound, len);
}

/* The alias of the level's row in scope; -1: none. */
static int
bound_alias(Deparse *dp, FaNode *node)
{
	for (int i = list_length(dp->bound) - 1; i >= 0; i--)
	{
		TreeAlias  *ta = list_nth(dp->bound, i);

		if (ta->node == node)
			return ta->alias;
	}
	return -1;
}

/* Does the condition compare a column of another level (FaCond.node)? */
static bool
names_other_levels(FaCond *c)
{
	ListCell   *lc;

	if (c == NULL)
		return false;
	if (c->kind == FA_COND_COMPARE)
		return c->node != NULL;
	foreach(lc, c->args)
		if (names_other_levels(lfirst(lc)))
			return true;
	return false;
}

/* What a comparison compares: a column of rel<alias>, or an aggregate. */
static void
append_operand(Deparse *dp, StringInfo buf, FaCond *c, char rel, int alias)
{
	if (c->agg != NULL)
		append_agg(dp, buf, c->agg, alias);
	else if (c->node != NULL)
	{
		int			a = bound_alias(dp, c->node);

		if (a < 0)
			elog(ERROR, "find_all: %s is not in scope for a where", c->node->label);
		append_column(buf, a, c->column);
	}
	else
		append_rel_column(buf, rel, alias, c->column);
}

static void
append_compare(Deparse *dp, StringInfo buf, FaCond *c, char rel, int alias)
{
	ListCell   *lc;

	appendStringInfoChar(buf, '(');
	switch (c->op)
	{
		case FA_OP_IS:
		case FA_OP_IS_NOT:
			append_operand(dp, buf, c, rel, alias);
			appendStringInfo(buf, " IS %s%s", c->op == FA_OP_IS_NOT ? "NOT " : "",
							 c->is_what == FA_IS_NULL ? "NULL" :
							 c->is_what == FA_IS_TRUE ? "TRUE" : "FALSE");
			break;
		case FA_OP_IN:
		case FA_OP_NOT_IN:
			/* = ANY (ARRAY[...]): one index scan, IN's NULL semantics */
			if (c->values == NIL)
				appendStringInfoString(buf, c->op == FA_OP_IN ? "false" : "true");
			else if (OidIsValid(get_array_type(c->column->typid)))
			{
				append_operand(dp, buf, c, rel, alias);
				append_operator(buf, c->opno);
				appendStringInfoString(buf, c->op == FA_OP_IN ? "ANY (ARRAY[" : "ALL (ARRAY[");
				foreach(lc, c->values)
				{
					if (lc != list_head(c->values))
						appendStringInfoString(buf, ", ");
					append_value(dp, buf, lfirst(lc), c->column);
				}
				appendStringInfoString(buf, "])");
			}
			else
			{
				foreach(lc, c->values)
				{
					if (lc != list_head(c->values))
						appendStringInfoString(buf, c->op == FA_OP_IN ? " OR " : " AND ");
					append_operand(dp, buf, c, rel, alias);
					append_operator(buf, c->opno);
					append_value(dp, buf, lfirst(lc), c->column);
				}
			}
			break;
		case FA_OP_BETWEEN:
		case FA_OP_NOT_BETWEEN:
			/* BETWEEN would look its operators up on the search_path */
			append_operand(dp, buf, c, rel, alias);
			append_operator(buf, c->opno);
			append_value(dp, buf, linitial(c->values), c->column);
			appendStringInfoString(buf, c->op == FA_OP_BETWEEN ? " AND " : " OR ");
			append_operand(dp, buf, c, rel, alias);
			append_operator(buf, c->opno2);
			append_value(dp, buf, lsecond(c->values), c->column);
			break;
		default:
			append_operand(dp, buf, c, rel, alias);
			append_operator(buf, c->opno);
			append_value(dp, buf, linitial(c->values), c->column);
			break;
	}
	appendStringInfoChar(buf, ')');
}

static void
append_cond(Deparse *dp, StringInfo buf, FaCond *c, char rel, int alias)
{
	ListCell   *lc;

	switch (c->kind)
	{
		case FA_COND_AND:
		case FA_COND_OR:
			appendStringInfoChar(buf, '(');
			foreach(lc, c->args)
			{
				if (lc != list_head(c->args))
					appendStringInfoString(buf, c->kind == FA_COND_AND ? " AND " : " OR ");
				append_cond(dp, buf, lfirst(lc), rel, alias);
			}
			appendStringInfoChar(buf, ')');
			break;
		case FA_COND_NOT:
			appendStringInfoString(buf, "(NOT ");
			append_cond(dp, buf, linitial(c->args), rel, alias);
			appendStringInfoChar(buf, ')');
			break;
		case FA_COND_CONST:
			appendStringInfoString(buf, c->constval ? "true" : "false");
			break;
		case FA_COND_COMPARE:
			append_compare(dp, buf, c, rel, alias);
			break;
	}
}

/* ---------------------------------------------------------------------
 * Joins between a node and its parent
 * ---------------------------------------------------------------------
 */

/*
 * The columns an include joins on: of the parent's table (parent), or of
 * the include's table that the parent's key matches; of a belongs_to_many,
 * the include's is a column of the through table (see child_rel()).
 */
static AssocColumn *
join_key(FaNode *node, bool parent)
{
	Association *a = node->assoc;

	switch (a->kind)
	{
		case ASSOC_BELONGS_TO:
			return parent ? a->foreign_key : a->target_key;
		case ASSOC_HAS_ONE:
		case ASSOC_HAS_MANY:
		case ASSOC_BELONGS_TO_MANY:
			return parent ? a->source_key : a->foreign_key;
	}
	elog(ERROR, "find_all cannot join %s associations", assoc_kind_name(a->kind));
	return NULL;
}

#define child_key(node) join_key(node, false)
#define parent_key(node) join_key(node, true)

/* The table holding child_key(): the through table h<n>, or t<n>. */
static char
child_rel(FaNode *node)
{
	return node->assoc->kind == ASSOC_BELONGS_TO_MANY ? 'h' : 't';
}

/* The include's join key, for the include's rows of alias c. */
static void
append_child_key(StringInfo buf, FaNode *node, int c)
{
	append_rel_column(buf, child_rel(node), c, child_key(node));
}

/* Row (alias c) of the include belongs to row (alias p) of its parent. */
static void
append_join_cond(StringInfo buf, FaNode *node, int c, int p)
{
	append_child_key(buf, node, c);
	append_operator(buf, sql_eq_operator_oid(child_key(node)->typid));
	append_column(buf, p, parent_key(node));
}

/*
 * The rows of the include (alias c), for a FROM or a JOIN: its table t<c>,
 * or for belongs_to_many the links h<c> joined with their targets t<c>.
 */
static void
append_from(StringInfo buf, FaNode *node, int c)
{
	if (node->through == NULL)
	{
		appendStringInfo(buf, "%s t%d", node->table->qualname, c);
		return;
	}
	appendStringInfo(buf, "%s h%d JOIN %s t%d ON ",
					 node->through->table->qualname, c, node->table->qualname, c);
	append_column(buf, c, node->assoc->target_key);
	append_operator(buf, sql_eq_operator_oid(node->assoc->target_key->typid));
	append_rel_column(buf, 'h', c, node->assoc->other_key);
}

/*
 * EXISTS: the parent row (alias p) has a row of the include.  Under a Citus
 * reference table with distributed children, which refuses the correlated
 * subquery, the same test uncorrelated: COALESCE(parent key IN (the
 * children's non-NULL foreign keys), false), true and false where EXISTS
 * is (also under NOT: never NULL).
 */
static void
append_exists(Deparse *dp, StringInfo buf, FaNode *node, int p)
{
	int			e = next_alias(dp);
	const char *sep = " AND ";
	bool		in = dp->citus && node->through == NULL && node->assoc != NULL &&
		node->assoc->kind != ASSOC_BELONGS_TO &&
		assoc_citus_reference_parent(node->assoc);

	if (in)
	{
		appendStringInfoString(buf, "COALESCE(");
		append_column(buf, p, parent_key(node));
		appendStringInfoString(buf, " IN (SELECT ");
		append_child_key(buf, node, e);
		appendStringInfoString(buf, " FROM ");
		append_from(buf, node, e);
		appendStringInfoString(buf, " WHERE ");
		append_child_key(buf, node, e);
		appendStringInfoString(buf, " IS NOT NULL");
	}
	else
	{
		appendStringInfoString(buf, "EXISTS (SELECT 1 FROM ");
		append_from(buf, node, e);
		appendStringInfoString(buf, " WHERE ");
		append_join_cond(buf, node, e, p);
	}
	append_filter(dp, buf, node, e, NIL, &sep);
	appendStringInfoString(buf, in ? "), false)" : ")");
}

/*
 * A paranoid level's soft-deleted rows of table rel<alias> are left out
 * unless "paranoid": false.  Sequelize adds it to the level's where,
 * without making an include required.
 */
static void
append_not_deleted(StringInfo buf, FaNode *node, char rel, int alias,
				   const char **sep)
{
	if (node->table->deleted_at != NULL && !node->with_deleted)
	{
		appendStringInfoString(buf, *sep);
		*sep = " AND ";
		append_rel_column(buf, rel, alias, node->table->deleted_at);
		appendStringInfoString(buf, " IS NULL");
	}
}

/*
 * The conditions a level puts on its rows (alias) that its options do not
 * give, in one place: soft delete on the rows t<alias> and on the through
 * rows h<alias>, the include's association's scope on t<alias> and its
 * through scope on h<alias>.
 */
static void
append_level_conditions(StringInfo buf, FaNode *node, int alias,
						const char **sep)
{
	char	   *conds;

	append_not_deleted(buf, node, 't', alias, sep);
	if (node->through != NULL)
		append_not_deleted(buf, node->through, 'h', alias, sep);
	if (node->assoc == NULL)
		return;
	conds = psprintf("%s%s",
					 assoc_scope_cond(node->assoc->scope, psprintf("t%d", alias)),
					 node->through == NULL ? "" :
					 assoc_scope_cond(node->assoc->through_scope, psprintf("h%d", alias)));
	if (conds[0] == '\0')
		return;
	/* without the first " AND " */
	appendStringInfo(buf, "%s%s", *sep, conds + strlen(" AND "));
	*sep = " AND ";
}

/*
 * The conditions on the node's rows (alias): its level's conditions, its
 * where, and for each required include not in "joined" (inner-joined
 * already), an EXISTS.  Each condition is preceded by *sep, which then
 * becomes " AND ".  Every row of every level is filtered here.
 */
static void
append_filter(Deparse *dp, StringInfo buf, FaNode *node, int alias,
			  List *joined, const char **sep)
{
	int			len = bind(dp, node, alias);
	ListCell   *lc;

	append_level_conditions(buf, node, alias, sep);
	if (node->where != NULL)
	{
		appendStringInfoString(buf, *sep);
		*sep = " AND ";
		if (node->cross != NIL)
			append_cross(dp, buf, node);
		else
			append_cond(dp, buf, node->where, 't', alias);
	}
	/* the where of a level above that names this one */
	foreach(lc, node->cross_of)
	{
		FaNode	   *n = lfirst(lc);

		if (bound_alias(dp, n) < 0 || list_member_ptr(dp->in_cross, n))
			continue;
		appendStringInfoString(buf, *sep);
		*sep = " AND ";
		append_cross(dp, buf, n);
	}
	if (node->keyset != NULL && dp->keyset)
	{
		appendStringInfoString(buf, *sep);
		*sep = " AND ";
		append_cond(dp, buf, node->keyset, 't', alias);
	}
	/* belongs_to_many: the links, h<alias> */
	if (node->through != NULL && node->through->where != NULL)
	{
		appendStringInfoString(buf, *sep);
		*sep = " AND ";
		append_cond(dp, buf, node->through->where, 'h', alias);
	}
	foreach(lc, node->children)
	{
		FaNode	   *c = lfirst(lc);

		if (!c->required || list_member_ptr(joined, c))
			continue;
		appendStringInfoString(buf, *sep);
		*sep = " AND ";
		append_exists(dp, buf, c, alias);
	}
	foreach(lc, node->polys)
	{
		FaPoly	   *poly = lfirst(lc);

		if (!poly->required)
			continue;
		appendStringInfoString(buf, *sep);
		*sep = " AND ";
		append_poly(dp, buf, poly, alias, NIL, true);
	}
	unbind(dp, len);
}

/*
 * The where of node, which names includes below it (node->cross), for its
 * row or for a row of one of those includes (bound, with the rows of those
 * between): it holds for some row of Sequelize's join of the includes not
 * bound, LEFT or inner as each is required, in parentheses below an
 * optional one (a null row for none, as Sequelize's LEFT JOIN):
 *
 *   EXISTS (SELECT 1 FROM (SELECT) d5
 *            LEFT JOIN public.pugs t5 ON t5."ownerId" OPERATOR(pg_catalog.=) t0.id
 *           WHERE ((t0.name ...) OR (t5.name ...)))
 *
 * or the where itself when every level it names is bound.
 */
static void
append_cross(Deparse *dp, StringInfo buf, FaNode *node)
{
	int			len = list_length(dp->bound);
	List	   *tree = NIL;
	List	   *attach;
	ListCell   *lc;

	dp->in_cross = lappend(dp->in_cross, node);
	foreach(lc, node->cross)
	{
		FaNode	   *n = lfirst(lc);

		if (bound_alias(dp, n) < 0)
		{
			TreeAlias  *ta = palloc(sizeof(TreeAlias));

			ta->node = n;
			ta->alias = next_alias(dp);
			tree = lappend(tree, ta);
		}
	}
	if (tree == NIL)
		append_cond(dp, buf, node->where, 't', bound_alias(dp, node));
	else
	{
		appendStringInfo(buf, "EXISTS (SELECT 1 FROM (SELECT) d%d", next_alias(dp));
		foreach(lc, tree)
			(void) bind(dp, ((TreeAlias *) lfirst(lc))->node,
						((TreeAlias *) lfirst(lc))->alias);
		/* the joins below node and below each bound include */
		attach = list_make1(node);
		foreach(lc, node->cross)
			if (tree_alias(tree, lfirst(lc)) < 0)
				attach = lappend(attach, lfirst(lc));
		foreach(lc, attach)
		{
			FaNode	   *x = lfirst(lc);
			TreeAlias  *ta = palloc(sizeof(TreeAlias));

			ta->node = x;
			ta->alias = bound_alias(dp, x);
			append_tree_joins(dp, buf, x, lappend(list_copy(tree), ta));
		}
		appendStringInfoString(buf, " WHERE ");
		append_cond(dp, buf, node->where, 't', bound_alias(dp, node));
		appendStringInfoChar(buf, ')');
	}
	unbind(dp, len);
	dp->in_cross = list_delete_last(dp->in_cross);
}

/*
 * An aggregate of the rows of row p's associations, a scalar subquery:
 * (SELECT pg_catalog.count(t2.id) FROM public.pugs t1, public.toys t2
 *   WHERE t1."ownerId" OPERATOR(pg_catalog.=) t0.id
 *     AND t2."pugId" OPERATOR(pg_catalog.=) t1.id)
 * with each association's where (an include's, or its own); count is 0
 * and the others null for a row without associated rows.
 */
static void
append_agg(Deparse *dp, StringInfo buf, FaAgg *g, int p)
{
	List	   *aliases = NIL;
	const char *sep = " WHERE ";
	int			prev = p;
	ListCell   *lc;
	ListCell   *lc2;

	foreach(lc, g->chain)
	{
		FaNode	   *n = lfirst(lc);

		if (names_other_levels(n->where))
			ereport(ERROR,
					(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
					 errmsg("aggregate %s of %s is not supported: the include's where has a $nested.column$ key",
							g->result->name, n->path),
					 errdetail("An aggregate over an include counts the rows its own where keeps; a where that names other levels is a condition on a join."),
					 errhint("Aggregate with a where of the include's own columns, or filter by the aggregate in the top level's where.")));
		aliases = lappend_int(aliases, next_alias(dp));
	}
	appendStringInfo(buf, "(SELECT pg_catalog.%s(%s", g->fn,
					 g->distinct ? "DISTINCT " : "");
	if (g->column != NULL)
		append_column(buf, llast_int(aliases), g->column);
	else
		appendStringInfoChar(buf, '*');
	appendStringInfoString(buf, ") FROM ");
	forboth(lc, g->chain, lc2, aliases)
	{
		if (lc != list_head(g->chain))
			appendStringInfoString(buf, ", ");
		append_from(buf, lfirst(lc), lfirst_int(lc2));
	}
	forboth(lc, g->chain, lc2, aliases)
	{
		appendStringInfoString(buf, sep);
		sep = " AND ";
		append_join_cond(buf, lfirst(lc), lfirst_int(lc2), prev);
		append_filter(dp, buf, lfirst(lc), lfirst_int(lc2), NIL, &sep);
		prev = lfirst_int(lc2);
	}
	appendStringInfoChar(buf, ')');
}

/* ---------------------------------------------------------------------
 * Order
 * ---------------------------------------------------------------------
 */

static int
tree_alias(List *tree, FaNode *node)
{
	ListCell   *lc;

	foreach(lc, tree)
	{
		TreeAlias  *ta = lfirst(lc);

		if (ta->node == node)
			return ta->alias;
	}
	return -1;
}

/* Joins of the tree's nodes below x: LEFT, or inner when required. */
static void
append_tree_joins(Deparse *dp, StringInfo buf, FaNode *x, List *tree)
{
	ListCell   *lc;

	foreach(lc, x->children)
	{
		FaNode	   *y = lfirst(lc);
		int			ay = tree_alias(tree, y);
		bool		nested = false;
		List	   *joined = NIL;
		const char *sep = " AND ";
		ListCell   *lc2;

		if (ay < 0)
			continue;
		foreach(lc2, y->children)
		{
			if (tree_alias(tree, lfirst(lc2)) >= 0)
			{
				nested = true;
				joined = lappend(joined, lfirst(lc2));
			}
		}
		appendStringInfoString(buf, y->required ? " JOIN " : " LEFT JOIN ");
		if (y->through != NULL)
			nested = true;
		if (nested)
			appendStringInfoChar(buf, '(');
		append_from(buf, y, ay);
		append_tree_joins(dp, buf, y, tree);
		if (nested)
			appendStringInfoChar(buf, ')');
		appendStringInfoString(buf, " ON ");
		append_join_cond(buf, y, ay, tree_alias(tree, x));
		append_filter(dp, buf, y, ay, joined, &sep);
	}
}

/*
 * An order key of the node (alias) on a column of an include below it:
 * the value in the include's first joined row, as Sequelize orders parents
 * by their first joined row.  The first row is taken under all the node's
 * keys that go through the same include, in order, then primary keys.
 *
 * The value is a subquery per parent row, or with *join (Citus, see
 * citus_order_join()) the column of a LEFT JOIN written into *join: the
 * include's rows grouped by their foreign key, each group's first value
 * in the same order, (pg_catalog.array_agg(v ORDER BY ...))[1], joined to
 * the parent by its key: "f<n>.v", NULL for a parent without rows, as the
 * subquery's.
 */
static char *
first_row_subquery(Deparse *dp, FaNode *node, int alias, FaSortKey *key,
				   char **join)
{
	FaNode	   *head = linitial(key->path);
	List	   *group = NIL;
	List	   *tree = NIL;
	List	   *joined = NIL;
	StringInfoData buf;
	const char *sep = " AND ";
	int			ahead;
	ListCell   *lc;
	ListCell   *lc2;
	bool		first = true;
	int			len;

	foreach(lc, node->sortkeys)
	{
		FaSortKey  *k = lfirst(lc);

		if (k->path == NIL || linitial(k->path) != head)
			continue;
		group = lappend(group, k);
		foreach(lc2, k->path)
		{
			if (tree_alias(tree, lfirst(lc2)) < 0)
			{
				TreeAlias  *ta = palloc(sizeof(TreeAlias));

				ta->node = lfirst(lc2);
				ta->alias = next_alias(dp);
				tree = lappend(tree, ta);
			}
		}
	}
	ahead = tree_alias(tree, head);
	foreach(lc, head->children)
		if (tree_alias(tree, lfirst(lc)) >= 0)
			joined = lappend(joined, lfirst(lc));
	len = list_length(dp->bound);
	foreach(lc, tree)
		(void) bind(dp, ((TreeAlias *) lfirst(lc))->node, ((TreeAlias *) lfirst(lc))->alias);

	initStringInfo(&buf);
	if (join)
	{
		appendStringInfoString(&buf, " LEFT JOIN (SELECT ");
		append_child_key(&buf, head, ahead);
		appendStringInfoString(&buf, " AS k, (pg_catalog.array_agg(");
	}
	else
		appendStringInfoString(&buf, "(SELECT ");
	append_key_column(&buf, tree_alias(tree, llast(key->path)), key);
	if (join)
		appendStringInfoString(&buf, " ORDER BY ");
	else
	{
		appendStringInfoString(&buf, " FROM ");
		append_from(&buf, head, ahead);
		append_tree_joins(dp, &buf, head, tree);
		appendStringInfoString(&buf, " WHERE ");
		append_join_cond(&buf, head, ahead, alias);
		append_filter(dp, &buf, head, ahead, joined, &sep);
		appendStringInfoString(&buf, " ORDER BY ");
	}
	foreach(lc, group)
	{
		FaSortKey  *k = lfirst(lc);

		if (!first)
			appendStringInfoString(&buf, ", ");
		first = false;
		append_key_column(&buf, tree_alias(tree, llast(k->path)), k);
		appendStringInfoString(&buf, k->direction);
	}
	foreach(lc, tree)
	{
		TreeAlias  *ta = lfirst(lc);

		foreach(lc2, ta->node->pkey)
		{
			appendStringInfoString(&buf, ", ");
			append_column(&buf, ta->alias, lfirst(lc2));
		}
	}
	if (join)
	{
		appendStringInfoString(&buf, "))[1] AS v FROM ");
		append_from(&buf, head, ahead);
		append_tree_joins(dp, &buf, head, tree);
		appendStringInfoString(&buf, " WHERE ");
		append_child_key(&buf, head, ahead);
		appendStringInfoString(&buf, " IS NOT NULL");
		append_filter(dp, &buf, head, ahead, joined, &sep);
		appendStringInfoString(&buf, " GROUP BY ");
		append_child_key(&buf, head, ahead);
		appendStringInfo(&buf, ") f%d ON f%d.k", ahead, ahead);
		append_operator(&buf, sql_eq_operator_oid(child_key(head)->typid));
		append_column(&buf, alias, parent_key(head));
		*join = buf.data;
		unbind(dp, len);
		return psprintf("f%d.v", ahead);
	}
	appendStringInfoString(&buf, " LIMIT 1)");
	unbind(dp, len);
	return buf.data;
}

/*
 * On a Citus reference table whose include (has_many, has_one) is a
 * distributed table, Citus refuses the order key's subquery per parent
 * row (correlated subqueries are not supported when the FROM clause
 * contains a reference table): the top level's key on the include's
 * column is a LEFT JOIN of its first values grouped by foreign key
 * (first_row_subquery()), which Citus runs over the shards first, with the
 * same value per parent.  Not for a where that names other levels (it
 * reads the parent's row) nor for an array column (array_agg would nest
 * it): those keep the subquery, which Citus refuses.
 */
static bool
citus_order_join(Deparse *dp, FaNode *node, FaSortKey *key)
{
	FaNode	   *head = linitial(key->path);

	if (!dp->citus || node->assoc != NULL || head->assoc == NULL ||
		head->assoc->kind == ASSOC_BELONGS_TO || head->through != NULL ||
		type_is_array(key->column->typid) ||
		!assoc_citus_reference_parent(head->assoc))
		return false;
	return !has_cross(head);
}

/*
 * A column name prefix<n> that the node's table does not have, for a value
 * a subquery carries out beside the table's columns (*n: the last number
 * taken).
 */
static char *
unused_column_name(FaNode *node, const char *prefix, int *n)
{
	char	   *name;
	bool		clash;
	ListCell   *lc;

	do
	{
		name = psprintf("%s%d", prefix, ++*n);
		clash = false;
		foreach(lc, node->all_columns)
			if (strcmp(((AssocColumn *) lfirst(lc))->name, name) == 0)
				clash = true;
	} while (clash);
	return name;
}

/* The keys ordering the node's rows (alias): its sort keys, then its
 * primary key. */
static List *
sort_exprs(Deparse *dp, FaNode *node, int alias)
{
	List	   *result = NIL;
	List	   *direct = NIL;
	ListCell   *lc;
	int			ncarried = 0;

	foreach(lc, node->sortkeys)
	{
		FaSortKey  *k = lfirst(lc);
		KeyExpr    *ke = palloc0(sizeof(KeyExpr));

		ke->direction = k->direction;
		if (k->agg == NULL && k->path == NIL)
		{
			StringInfoData buf;

			initStringInfo(&buf);
			append_key_column(&buf, alias, k);
			ke->expr = buf.data;
			if (!k->through)
				direct = lappend(direct, k->column);
		}
		else
		{
			if (k->agg != NULL)
			{
				StringInfoData buf;

				initStringInfo(&buf);
				append_agg(dp, &buf, k->agg, alias);
				ke->expr = buf.data;
			}
			else if (citus_order_join(dp, node, k))
				ke->expr = first_row_subquery(dp, node, alias, k, &ke->join);
			else
				ke->expr = first_row_subquery(dp, node, alias, k, NULL);
			ke->computed = true;
			ke->carried = unused_column_name(node, "_s", &ncarried);
		}
		result = lappend(result, ke);
	}
	foreach(lc, node->pkey)
	{
		AssocColumn *col = lfirst(lc);
		KeyExpr    *ke;
		StringInfoData buf;

		if (fa_column_in(direct, col))
			continue;
		ke = palloc0(sizeof(KeyExpr));
		initStringInfo(&buf);
		append_column(&buf, alias, col);
		ke->expr = buf.data;
		ke->direction = "";
		result = lappend(result, ke);
	}
	return result;
}

/* How append_order_by writes a computed key. */
typedef enum KeyForm
{
	KEY_EXPR,					/* the subquery itself */
	KEY_OUTPUT,					/* the output column carrying it: _s1 */
	KEY_CARRIED					/* that column, read from outside: t1._s1 */
} KeyForm;

/* " ORDER BY ..." of keys; computed keys as form says. */
static void
append_order_by(StringInfo buf, List *keys, int alias, KeyForm form)
{
	ListCell   *lc;

	foreach(lc, keys)
	{
		KeyExpr    *ke = lfirst(lc);

		appendStringInfoString(buf, lc == list_head(keys) ? " ORDER BY " : ", ");
		if (form == KEY_CARRIED && ke->computed)
			appendStringInfo(buf, "t%d.%s", alias, sql_ident(ke->carried));
		else if (form == KEY_OUTPUT && ke->computed)
			appendStringInfoString(buf, sql_ident(ke->carried));
		else
			appendStringInfoString(buf, ke->expr);
		appendStringInfoString(buf, ke->direction);
	}
}

/* The LEFT JOINs the keys read (Citus, citus_order_join()), after a FROM. */
static void
append_order_joins(StringInfo buf, List *keys)
{
	ListCell   *lc;

	foreach(lc, keys)
		if (((KeyExpr *) lfirst(lc))->join)
			appendStringInfoString(buf, ((KeyExpr *) lfirst(lc))->join);
}

static List *
add_column(List *columns, AssocColumn *col)
{
	return fa_column_in(columns, col) ? columns : lappend(columns, col);
}

/*
 * Is the include's array computed once, in a LATERAL beside the top
 * level's rows, and those rows filtered by its being there: a required
 * has_many or belongs_to_many include of the correlated shape (a page, a
 * where, a $nested$ condition) with a where of its own.  The EXISTS that
 * would filter the rows otherwise reads the include's rows that its array
 * reads again (a $nested$ page took 1.13-1.35 of the hand-written
 * LATERAL); without a where the EXISTS is an index-only probe, which the
 * planner may also merge with the parents' scan, and stays.  json_rows of
 * no rows is NULL: a row without rows of the include is left out, and one
 * kept never has an empty array.
 */
static bool
carried_include(FaNode *c)
{
	return c->emit && c->required && c->shape == FA_SHAPE_CORRELATED &&
		c->limit < 0 && !c->separate &&
		(c->where != NULL || (c->through != NULL && c->through->where != NULL)) &&
		(c->assoc->kind == ASSOC_HAS_MANY ||
		 c->assoc->kind == ASSOC_BELONGS_TO_MANY);
}

/*
 * The carried includes of the top level (rows of alias a), in dp->carried;
 * in a page they are columns of its subquery t<a> (see append_limited()).
 */
static void
choose_carried(Deparse *dp, FaNode *root, int a)
{
	int			n = 0;
	ListCell   *lc;

	dp->carried = NIL;
	foreach(lc, root->children)
	{
		FaNode	   *c = lfirst(lc);
		Carried    *cr;

		if (!carried_include(c))
			continue;
		cr = palloc(sizeof(Carried));
		cr->node = c;
		cr->alias = next_alias(dp);
		if (root->page)
			cr->expr = psprintf("t%d.%s", a,
								sql_ident(unused_column_name(root, "_j", &n)));
		else
			cr->expr = psprintf("l%d.j", cr->alias);
		dp->carried = lappend(dp->carried, cr);
	}
}

/* What the top level's row writes for a carried include; NULL: not one. */
static const char *
carried_expr(Deparse *dp, FaNode *node)
{
	ListCell   *lc;

	foreach(lc, dp->carried)
		if (((Carried *) lfirst(lc))->node == node)
			return ((Carried *) lfirst(lc))->expr;
	return NULL;
}

static List *
carried_nodes(Deparse *dp)
{
	List	   *result = NIL;
	ListCell   *lc;

	foreach(lc, dp->carried)
		result = lappend(result, ((Carried *) lfirst(lc))->node);
	return result;
}

/* The LATERALs of the carried includes, for the rows of alias a. */
static void
append_carried_joins(Deparse *dp, StringInfo buf, int a)
{
	ListCell   *lc;

	foreach(lc, dp->carried)
	{
		Carried    *cr = lfirst(lc);

		appendStringInfoString(buf, " CROSS JOIN LATERAL ");
		append_correlated(dp, buf, cr->node, a, false);
		appendStringInfo(buf, " l%d(j)", cr->alias);
	}
}

/* Each carried include is there: the filter of its required include. */
static void
append_carried_filter(Deparse *dp, StringInfo buf, const char **sep)
{
	ListCell   *lc;

	foreach(lc, dp->carried)
	{
		appendStringInfo(buf, "%sl%d.j IS NOT NULL", *sep,
						 ((Carried *) lfirst(lc))->alias);
		*sep = " AND ";
	}
}

/*
 * The columns of the where's own level that cond reads (the join key of
 * an aggregate's first association), added to columns.
 */
static List *
cond_columns(List *columns, FaCond *c)
{
	ListCell   *lc;

	if (c == NULL)
		return columns;
	if (c->kind == FA_COND_COMPARE && c->node == NULL)
		return add_column(columns, c->agg != NULL ?
						  parent_key(linitial(c->agg->chain)) : c->column);
	foreach(lc, c->args)
		columns = cond_columns(columns, lfirst(lc));
	return columns;
}

/*
 * The node's rows (alias) in a subquery that limits them, with the columns
 * used outside it (not t1.*: a caller with SELECT on some columns only may
 * ask for those) and the computed order keys:
 * SELECT t1.a, ..., (...) AS _s1 FROM ... ORDER BY ... LIMIT.  With
 * parent >= 0, only the rows of that parent row.
 */
static void
append_limited(Deparse *dp, StringInfo buf, FaNode *node, int alias,
			   List *keys, int parent)
{
	const char *sep = " WHERE ";
	const char *comma = "";
	List	   *columns = list_copy(node->columns);
	bool		top = node->assoc == NULL;
	ListCell   *lc;

	foreach(lc, node->sortkeys)
	{
		FaSortKey  *k = lfirst(lc);

		/* (a through column is never one: no page or limit has a through) */
		if (k->path == NIL && !k->through && k->agg == NULL)
			columns = add_column(columns, k->column);
	}
	foreach(lc, node->aggs)
		columns = add_column(columns,
							 parent_key(linitial(((FaAgg *) lfirst(lc))->chain)));
	foreach(lc, node->pkey)
		columns = add_column(columns, lfirst(lc));
	foreach(lc, node->children)
	{
		FaNode	   *c = lfirst(lc);

		if (c->emit)
			columns = add_column(columns, parent_key(c));
	}
	foreach(lc, node->polys)
	{
		FaPoly	   *poly = lfirst(lc);

		columns = add_column(columns, poly->type_column);
		columns = add_column(columns, poly->id_column);
	}
	/* its where, read again by the includes it names (cross_of) */
	if (node->cross != NIL)
		columns = cond_columns(columns, node->where);

	appendStringInfoString(buf, "SELECT ");
	foreach(lc, columns)
	{
		appendStringInfoString(buf, comma);
		comma = ", ";
		append_column(buf, alias, lfirst(lc));
	}
	foreach(lc, keys)
	{
		KeyExpr    *ke = lfirst(lc);

		if (ke->computed)
		{
			appendStringInfo(buf, "%s%s AS %s", comma, ke->expr,
							 sql_ident(ke->carried));
			comma = ", ";
		}
	}
	/* the top level's carried includes: l3.j AS _j1, read as t0._j1 */
	if (top)
		foreach(lc, dp->carried)
		{
			Carried    *cr = lfirst(lc);

			appendStringInfo(buf, "%sl%d.j AS %s", comma, cr->alias,
							 strchr(cr->expr, '.') + 1);
			comma = ", ";
		}
	appendStringInfoString(buf, " FROM ");
	append_from(buf, node, alias);
	append_order_joins(buf, keys);
	if (top)
		append_carried_joins(dp, buf, alias);
	if (parent >= 0)
	{
		appendStringInfoString(buf, sep);
		sep = " AND ";
		append_join_cond(buf, node, alias, parent);
	}
	append_filter(dp, buf, node, alias, top ? carried_nodes(dp) : NIL, &sep);
	if (top)
		append_carried_filter(dp, buf, &sep);
	append_order_by(buf, keys, alias, KEY_OUTPUT);
	if (node->limit >= 0)
		appendStringInfo(buf, " LIMIT " INT64_FORMAT,
						 node->limit + (parent < 0 && dp->one_more ? 1 : 0));
	if (node->offset > 0)
		appendStringInfo(buf, " OFFSET " INT64_FORMAT, node->offset);
}

/* ---------------------------------------------------------------------
 * Includes
 * ---------------------------------------------------------------------
 */

static List *
joined_nodes(List *grouped)
{
	List	   *result = NIL;
	ListCell   *lc;

	foreach(lc, grouped)
	{
		GroupedJoin *gj = lfirst(lc);

		if (gj->node->required)
			result = lappend(result, gj->node);
	}
	return result;
}

/* ", key DIR, ..." of keys: the include's order after a leading key. */
static void
append_more_keys(StringInfo buf, List *keys)
{
	ListCell   *lc;

	foreach(lc, keys)
	{
		KeyExpr    *ke = lfirst(lc);

		appendStringInfo(buf, ", %s%s", ke->expr, ke->direction);
	}
}

/*
 * The outer key of a grouped include: its parent's own join key, when the
 * include (toys) is a has_many of a has_many include (pugs of owners), both
 * grouped, through the parent's single-column primary key; NULL otherwise.
 *
 * The parent's rows are sorted by their join key ("ownerId", id) before
 * they are grouped.  Joined with the include's arrays by pugs.id alone, the
 * planner hashes them (800k arrays of toys for 1M pugs, 300 MB) or joins
 * them in id order, and then sorts the pugs with their toys' JSON by
 * ("ownerId", id): a sort of the whole output, 360 MB written to disk at
 * work_mem 256MB, and a copy of each JSON value into the sort and the hash
 * (perf: heap_form_minimal_tuple's memset and page faults, a third of the
 * time).  With the outer key, each toy gets its pug's "ownerId" (a lookup
 * join o<n> on the pugs' primary key: one row or none), the toys are
 * grouped by ("ownerId", "pugId") and joined on both keys: a merge join of
 * the pugs sorted by ("ownerId", id) with the toys' arrays in the same
 * order, and then the GroupAggregate by "ownerId", with no sort or hash of
 * any JSON (EXPLAIN: two sorts of narrow rows, no temporary file for the
 * JSON; 0.75 of the backend's CPU time at 100k owners, README,
 * "Performance").  The extra condition holds for every pair the first
 * joins, so the rows are the same.
 */
static AssocColumn *
outer_key(Deparse *dp, FaNode *node)
{
	FaNode	   *p = node->parent;
	AssocColumn *pk;

	if (dp->citus || node->assoc->kind != ASSOC_HAS_MANY ||
		node->shape != FA_SHAPE_GROUPED || p == NULL || p->assoc == NULL ||
		p->assoc->kind != ASSOC_HAS_MANY || p->through != NULL ||
		p->shape != FA_SHAPE_GROUPED)
		return NULL;
	pk = assoc_primary_key(p->table);
	if (pk == NULL || pk->attnum != parent_key(node)->attnum)
		return NULL;
	return child_key(p);
}

/*
 * The rows (alias c) of a has_many, belongs_to_many or has_one include of
 * the grouped shape, after their FROM: their own grouped includes and JSON
 * row, those with a join key, in the order of its outer key (okey, of o<c>)
 * if any, join key, then keys.
 */
static void
append_keyed_rows(Deparse *dp, StringInfo buf, FaNode *node, int c, List *keys,
				  const char *set, AssocColumn *okey)
{
	List	   *grouped;
	const char *sep = " AND ";

	dp->rows_set = set;
	grouped = append_grouped_joins(dp, buf, node, c);
	append_row(dp, buf, node, c, grouped);
	appendStringInfoString(buf, " WHERE ");
	append_child_key(buf, node, c);
	appendStringInfoString(buf, " IS NOT NULL");
	append_page_keys(buf, node, c, set, &sep);
	append_filter(dp, buf, node, c, joined_nodes(grouped), &sep);
	appendStringInfoString(buf, " ORDER BY ");
	if (okey != NULL)
	{
		append_rel_column(buf, 'o', c, okey);
		appendStringInfoString(buf, ", ");
	}
	append_child_key(buf, node, c);
	append_more_keys(buf, keys);
}

/*
 * On Citus, an include of the top level's page reads only the rows of the
 * page's instances (set: the keys it joins to, NULL none): "AND
 * t1."ownerId" = ANY (ARRAY(SELECT p.id FROM p0 p))", which Citus sends to
 * the shards with the page's keys, where the rows are found by an index on
 * the foreign key (an array, not IN, which would be a hash join over the
 * whole shard), rather than the include's whole table (README, "Citus").
 * An include below reads only the rows of those rows (nested_set()).
 */
static void
append_page_keys(StringInfo buf, FaNode *node, int c, const char *set,
				 const char **sep)
{
	if (set == NULL)
		return;
	appendStringInfoString(buf, *sep);
	*sep = " AND ";
	append_child_key(buf, node, c);
	appendStringInfo(buf, " OPERATOR(pg_catalog.=) ANY (%s)", set);
}

/*
 * The keys that include c of node joins to, on Citus, as an array
 * expression (NULL: all rows): of the top level's page (page: p<n>'s
 * n + 1), or of node's rows that its own keys (set) restrict to: "ARRAY(
 * SELECT q.id FROM pugs q WHERE q."ownerId" = ANY (set))", which Citus
 * computes first, as an intermediate result (a superset of the rows
 * joined: node's where is left out).  Not under a through table, whose
 * rows have the keys.
 */
static const char *
nested_set(FaNode *node, FaNode *c, int page, const char *set)
{
	if (page)
		return psprintf("ARRAY(SELECT p.%s FROM p%d p)", sql_ident(parent_key(c)->name),
						page - 1);
	if (set == NULL || node->through != NULL || node->assoc == NULL)
		return NULL;
	/* the same column: the same keys */
	if (parent_key(c)->attnum == child_key(node)->attnum)
		return set;
	return psprintf("ARRAY(SELECT q.%s FROM %s q WHERE q.%s OPERATOR(pg_catalog.=) ANY (%s))",
					sql_ident(parent_key(c)->name), node->table->qualname,
					sql_ident(child_key(node)->name), set);
}

/*
 * On Citus, the head of a has_many or belongs_to_many include of the
 * grouped shape (up to its FROM): each row's JSON (a json, not the
 * anonymous record x<n>, which Citus cannot read back from an intermediate
 * result when the parent is a reference table and the rows come from every
 * shard), with the include's order keys o1, ..., which the aggregate takes
 * explicitly: Citus merges the shards' rows, so that their order in the
 * subquery is not kept.  string_agg with json_rows' separator, ", \n ":
 * Citus computes json_agg in parts and joins them with ", ".
 */
static void
append_citus_grouped_head(StringInfo buf, FaNode *node, int c, List *keys)
{
	ListCell   *lc;
	int			i = 0;

	appendStringInfo(buf, "SELECT s%d.k, CAST('[' OPERATOR(pg_catalog.||) pg_catalog.string_agg(s%d.x, E', \\n '", c, c);
	foreach(lc, keys)
	{
		i++;
		appendStringInfo(buf, "%s s%d.o%d%s", i > 1 ? "," : " ORDER BY", c, i,
						 ((KeyExpr *) lfirst(lc))->direction);
	}
	appendStringInfoString(buf, ") OPERATOR(pg_catalog.||) ']' AS pg_catalog.json) AS j FROM (SELECT ");
	append_child_key(buf, node, c);
	appendStringInfo(buf, " AS k, CAST(assoc.json_row(x%d) AS pg_catalog.text) AS x", c);
	i = 0;
	foreach(lc, keys)
		appendStringInfo(buf, ", %s AS o%d", ((KeyExpr *) lfirst(lc))->expr, ++i);
	appendStringInfoString(buf, " FROM ");
}

/* An include of the grouped shape: its rows by join key, as g<n>(k, j). */
static void
append_grouped(Deparse *dp, StringInfo buf, FaNode *node, int c)
{
	AssocColumn *ck = child_key(node);
	List	   *keys = sort_exprs(dp, node, c);
	List	   *grouped;
	AssocColumn *okey;
	const char *sep = " AND ";
	const char *set = dp->page_set;

	dp->page_set = NULL;

	switch (node->assoc->kind)
	{
		case ASSOC_HAS_MANY:
		case ASSOC_BELONGS_TO_MANY:

			/*
			 * belongs_to_many: the links h<c> with their targets t<c>.
			 *
			 * The rows are sorted once, by join key and then by the
			 * include's order, in a subquery (which PostgreSQL does not
			 * pull up, because of its ORDER BY), and json_rows takes them
			 * in that order: json_rows(x ORDER BY ...) would sort every
			 * group again (PostgreSQL 15), 5-10 % of a full load.  The
			 * sorted input reaches the aggregate directly (GroupAggregate
			 * over the sorted rows, or HashAggregate, which keeps each
			 * group's rows in input order); json_rows has no partial
			 * (parallel) form that could mix them.
			 */
			/* NULL on Citus (see outer_key()) */
			okey = outer_key(dp, node);
			if (dp->citus)
				append_citus_grouped_head(buf, node, c, keys);
			else if (okey == NULL)
				appendStringInfo(buf, "SELECT s%d.k, assoc.json_rows(s%d.x) AS j FROM (SELECT ",
								 c, c);
			else
			{
				/* the parent's own key o (see outer_key()) */
				appendStringInfo(buf, "SELECT s%d.o, s%d.k, assoc.json_rows(s%d.x) AS j FROM (SELECT ",
								 c, c, c);
				append_rel_column(buf, 'o', c, okey);
				appendStringInfoString(buf, " AS o, ");
			}
			if (!dp->citus)
			{
				append_child_key(buf, node, c);
				appendStringInfo(buf, " AS k, x%d AS x FROM ", c);
			}
			append_from(buf, node, c);
			if (okey != NULL)
			{
				appendStringInfo(buf, " JOIN %s o%d ON ",
								 node->parent->table->qualname, c);
				append_rel_column(buf, 'o', c, parent_key(node));
				append_operator(buf, sql_eq_operator_oid(parent_key(node)->typid));
				append_child_key(buf, node, c);
			}
			append_keyed_rows(dp, buf, node, c, keys, set, okey);
			if (okey == NULL)
				appendStringInfo(buf, ") s%d GROUP BY s%d.k", c, c);
			else
				appendStringInfo(buf, ") s%d GROUP BY s%d.o, s%d.k", c, c, c);
			break;
		case ASSOC_HAS_ONE:
			/* several rows for one parent: the first by the include's order */
			appendStringInfoString(buf, "SELECT DISTINCT ON (");
			append_column(buf, c, ck);
			appendStringInfoString(buf, ") ");
			append_column(buf, c, ck);
			appendStringInfo(buf, " AS k, assoc.json_row(x%d) AS j FROM %s t%d",
							 c, node->table->qualname, c);
			append_keyed_rows(dp, buf, node, c, keys, set, NULL);
			break;
		case ASSOC_BELONGS_TO:
			appendStringInfoString(buf, "SELECT ");
			append_column(buf, c, ck);
			appendStringInfo(buf, " AS k, assoc.json_row(x%d) AS j FROM %s t%d",
							 c, node->table->qualname, c);
			dp->rows_set = set;
			grouped = append_grouped_joins(dp, buf, node, c);
			append_row(dp, buf, node, c, grouped);
			sep = " WHERE ";
			append_page_keys(buf, node, c, set, &sep);
			append_filter(dp, buf, node, c, joined_nodes(grouped), &sep);
			break;
	}
}

/*
 * Joins of the node's (alias) grouped includes that have a key in the
 * JSON: LEFT, or inner when required.  Returns them, with their aliases.
 */
static List *
append_grouped_joins(Deparse *dp, StringInfo buf, FaNode *node, int alias)
{
	List	   *grouped = NIL;
	ListCell   *lc;
	int			page = dp->page_cte;
	const char *set = dp->rows_set;

	dp->page_cte = 0;			/* for the top level's includes only */
	dp->rows_set = NULL;

	foreach(lc, node->children)
	{
		FaNode	   *c = lfirst(lc);
		GroupedJoin *gj;
		int			g;

		if (!c->emit || c->shape != FA_SHAPE_GROUPED)
			continue;
		g = next_alias(dp);
		appendStringInfoString(buf, c->required ? " JOIN (" : " LEFT JOIN (");
		dp->page_set = nested_set(node, c, page, set);
		append_grouped(dp, buf, c, g);
		appendStringInfo(buf, ") g%d ON g%d.k", g, g);
		append_operator(buf, sql_eq_operator_oid(child_key(c)->typid));
		append_column(buf, alias, parent_key(c));
		if (outer_key(dp, c) != NULL)
		{
			appendStringInfo(buf, " AND g%d.o", g);
			append_operator(buf, sql_eq_operator_oid(child_key(node)->typid));
			append_column(buf, alias, child_key(node));
		}
		gj = palloc(sizeof(GroupedJoin));
		gj->node = c;
		gj->alias = g;
		grouped = lappend(grouped, gj);
	}

	/*
	 * A polymorphic include: each target's rows by key (a belongs_to
	 * include's), joined where the type names that target.
	 */
	foreach(lc, node->polys)
	{
		FaPoly	   *poly = lfirst(lc);
		ListCell   *lc2;
		ListCell   *lc3;

		if (poly->shape != FA_SHAPE_GROUPED)
			continue;
		forboth(lc2, poly->targets, lc3, poly->values)
		{
			FaNode	   *t = lfirst(lc2);
			GroupedJoin *gj;
			int			g = next_alias(dp);

			appendStringInfoString(buf, " LEFT JOIN (");
			append_grouped(dp, buf, t, g);
			appendStringInfo(buf, ") g%d ON ", g);
			append_column(buf, alias, poly->type_column);
			append_operator(buf, sql_eq_operator_oid(poly->type_column->typid));
			append_value(dp, buf, lfirst(lc3), poly->type_column);
			appendStringInfo(buf, " AND g%d.k", g);
			append_operator(buf, sql_eq_operator_oid(child_key(t)->typid));
			append_column(buf, alias, poly->id_column);
			gj = palloc(sizeof(GroupedJoin));
			gj->node = t;
			gj->alias = g;
			grouped = lappend(grouped, gj);
		}
	}
	return grouped;
}

/*
 * An include of the correlated shape: a subquery for the parent row p.  An
 * array is [] for a row without rows of the include, or with coalesce
 * false NULL (a carried include, see carried_include()).
 */
static void
append_correlated(Deparse *dp, StringInfo buf, FaNode *node, int p,
				  bool coalesce)
{
	int			c = next_alias(dp);
	int			len = bind(dp, node, c);
	List	   *keys = sort_exprs(dp, node, c);
	const char *sep = " AND ";
	const char *empty = coalesce ? ", CAST('[]' AS pg_catalog.json))" : "";

	switch (node->assoc->kind)
	{
		case ASSOC_HAS_MANY:
		case ASSOC_BELONGS_TO_MANY:
			appendStringInfo(buf, "(SELECT %sassoc.json_rows(x%d",
							 coalesce ? "COALESCE(" : "", c);
			/* only has_many takes a limit (find_all_options.c) */
			if (node->limit >= 0)
			{
				/* the parent's first rows, then their JSON */
				append_order_by(buf, keys, c, KEY_CARRIED);
				appendStringInfo(buf, ")%s FROM (", empty);
				append_limited(dp, buf, node, c, keys, p);
				appendStringInfo(buf, ") t%d", c);
				append_row(dp, buf, node, c, NIL);
			}
			else
			{
				append_order_by(buf, keys, c, KEY_EXPR);
				appendStringInfo(buf, ")%s FROM ", empty);
				append_from(buf, node, c);
				append_row(dp, buf, node, c, NIL);
				appendStringInfoString(buf, " WHERE ");
				append_join_cond(buf, node, c, p);
				append_filter(dp, buf, node, c, NIL, &sep);
			}
			appendStringInfoChar(buf, ')');
			break;
		case ASSOC_HAS_ONE:
		case ASSOC_BELONGS_TO:
			appendStringInfo(buf, "(SELECT assoc.json_row(x%d) FROM %s t%d",
							 c, node->table->qualname, c);
			append_row(dp, buf, node, c, NIL);
			appendStringInfoString(buf, " WHERE ");
			append_join_cond(buf, node, c, p);
			append_filter(dp, buf, node, c, NIL, &sep);
			/* has_one: several rows for one parent, the first */
			if (node->assoc->kind == ASSOC_HAS_ONE)
			{
				append_order_by(buf, keys, c, KEY_EXPR);
				appendStringInfoString(buf, " LIMIT 1");
			}
			appendStringInfoChar(buf, ')');
			break;
	}
	unbind(dp, len);
}

/* The grouped join of the parent's row of include node, or NULL. */
static GroupedJoin *
grouped_join(List *grouped, FaNode *node)
{
	ListCell   *lc;

	foreach(lc, grouped)
		if (((GroupedJoin *) lfirst(lc))->node == node)
			return lfirst(lc);
	return NULL;
}

/*
 * A polymorphic include of the parent row p: the row of the target whose
 * type value the type column holds, null for a NULL or unknown type; each
 * target's from its grouped join (append_grouped_joins) or a correlated
 * subquery through its primary key (a belongs_to include of its own):
 *   CASE WHEN t0."commentableType" OPERATOR(pg_catalog.=) CAST('image' AS ...)
 *        THEN (SELECT assoc.json_row(x1) FROM public.images t1 ...
 *               WHERE t1.id OPERATOR(pg_catalog.=) t0."commentableId") ... END
 * With exists, whether that row exists (a required include).
 */
static void
append_poly(Deparse *dp, StringInfo buf, FaPoly *poly, int p, List *grouped,
			bool exists)
{
	ListCell   *lc;
	ListCell   *lc2;

	appendStringInfoString(buf, "CASE");
	forboth(lc, poly->targets, lc2, poly->values)
	{
		GroupedJoin *gj = grouped_join(grouped, lfirst(lc));

		appendStringInfoString(buf, " WHEN ");
		append_column(buf, p, poly->type_column);
		append_operator(buf, sql_eq_operator_oid(poly->type_column->typid));
		append_value(dp, buf, lfirst(lc2), poly->type_column);
		appendStringInfoString(buf, " THEN ");
		if (exists)
			append_exists(dp, buf, lfirst(lc), p);
		else if (gj != NULL)
			appendStringInfo(buf, "g%d.j", gj->alias);
		else
			append_correlated(dp, buf, lfirst(lc), p, true);
	}
	appendStringInfoString(buf, exists ? " ELSE false END" : " END");
}

/*
 * The polymorphic includes of the node whose key comes after the first
 * "position" children (find_all_poly.c), in the row x<alias>.
 */
static void
append_polys_at(Deparse *dp, StringInfo buf, FaNode *node, int alias,
				List *grouped, int position, bool *first)
{
	ListCell   *lc;

	foreach(lc, node->polys)
	{
		FaPoly	   *poly = lfirst(lc);

		if (poly->position != position)
			continue;
		if (!*first)
			appendStringInfoString(buf, ", ");
		*first = false;
		append_poly(dp, buf, poly, alias, grouped, false);
		appendStringInfo(buf, " AS %s", sql_ident(poly->name));
	}
}

/*
 * The node's JSON object as row x<alias>: its attributes in order, then
 * each include that has a key, from its grouped join or a subquery.
 */
static void
append_row(Deparse *dp, StringInfo buf, FaNode *node, int alias, List *grouped)
{
	bool		first = true;
	bool		through = node->through != NULL && node->through->emit;
	ListCell   *lc;

	/* belongs_to_many: the through row of the link h<alias>, as y<alias> */
	if (through)
	{
		appendStringInfoString(buf, " CROSS JOIN LATERAL (SELECT ");
		foreach(lc, node->through->columns)
		{
			if (lc != list_head(node->through->columns))
				appendStringInfoString(buf, ", ");
			append_rel_column(buf, 'h', alias, lfirst(lc));
		}
		appendStringInfo(buf, ") y%d", alias);
	}

	appendStringInfoString(buf, " CROSS JOIN LATERAL (SELECT ");
	foreach(lc, node->columns)
	{
		if (!first)
			appendStringInfoString(buf, ", ");
		first = false;
		append_column(buf, alias, lfirst(lc));
	}

	/*
	 * The through row after the attributes and before the nested includes,
	 * where Sequelize puts it.
	 */
	if (through)
	{
		appendStringInfo(buf, "%sassoc.json_row(y%d) AS %s",
						 first ? "" : ", ", alias,
						 sql_ident(node->through->table->model_name));
		first = false;
	}
	foreach(lc, node->aggs)
	{
		FaAgg	   *g = lfirst(lc);

		if (!first)
			appendStringInfoString(buf, ", ");
		first = false;
		append_agg(dp, buf, g, alias);
		appendStringInfo(buf, " AS %s", sql_ident(g->key));
	}
	foreach(lc, node->children)
	{
		FaNode	   *c = lfirst(lc);
		GroupedJoin *gj = grouped_join(grouped, c);

		append_polys_at(dp, buf, node, alias, grouped, foreach_current_index(lc), &first);
		if (!c->emit)
			continue;
		if (!first)
			appendStringInfoString(buf, ", ");
		first = false;
		if (carried_expr(dp, c) != NULL)
			appendStringInfoString(buf, carried_expr(dp, c));
		else if (gj == NULL)
			append_correlated(dp, buf, c, alias, true);
		else if (c->assoc->kind == ASSOC_HAS_MANY ||
				 c->assoc->kind == ASSOC_BELONGS_TO_MANY)
			appendStringInfo(buf, "COALESCE(g%d.j, CAST('[]' AS pg_catalog.json))", gj->alias);
		else
			appendStringInfo(buf, "g%d.j", gj->alias);
		appendStringInfo(buf, " AS %s", sql_ident(c->assoc->alias));
	}
	append_polys_at(dp, buf, node, alias, grouped, list_length(node->children), &first);

	/*
	 * On Citus, not pulled up: the worker's query would make x<n> a ROW()
	 * of anonymous columns, {"f1": ...} (citus.c)
	 */
	appendStringInfo(buf, "%s) x%d", dp->citus ? " OFFSET 0" : "", alias);
}

/*
 * The cursor of the row (alias) of the top level: base64url of
 * {"after": [its values of the cursor's keys], "order": signature}, as
 * find_all_cursor.c reads it back.  Each value is its to_jsonb, which
 * gives dates and times in ISO 8601 whatever DateStyle says, numbers as
 * numbers; an array or a composite value goes as its text (input again
 * when the cursor comes back).
 */
static void
append_cursor(StringInfo buf, FaNode *root, int alias)
{
	ListCell   *lc;

	appendStringInfoString(buf, "pg_catalog.translate(pg_catalog.encode(pg_catalog.convert_to("
						   "CAST(pg_catalog.jsonb_build_object(CAST('after' AS pg_catalog.text), "
						   "pg_catalog.jsonb_build_array(");
	foreach(lc, root->cursor_keys)
	{
		AssocColumn *col = ((FaSortKey *) lfirst(lc))->column;
		bool		as_text = type_is_array(col->typid) ||
			get_typtype(getBaseType(col->typid)) == TYPTYPE_COMPOSITE;

		if (lc != list_head(root->cursor_keys))
			appendStringInfoString(buf, ", ");
		appendStringInfoString(buf, "pg_catalog.to_jsonb(");
		if (as_text)
			appendStringInfoString(buf, "CAST(");
		append_column(buf, alias, col);
		if (as_text)
			appendStringInfoString(buf, " AS pg_catalog.text)");
		appendStringInfoChar(buf, ')');
	}
	appendStringInfo(buf, "), CAST('order' AS pg_catalog.text), CAST(%s AS pg_catalog.text)) "
					 "AS pg_catalog.text), 'UTF8'), 'base64'), E'+/=\\n', '-_')",
					 sql_literal(root->cursor_order));
}

/*
 * With "cursor": true and a limit, the page is read with one row more
 * than the limit, whose presence says that a next page exists.
 */
static bool
has_next_page(FaNode *root)
{
	return root->cursor_keys != NIL && root->limit >= 0;
}

/*
 * The rows: one row of json per instance of the model; with dp->one_more,
 * each with its cursor as a second column.
 */
static void
append_rows(Deparse *dp, StringInfo buf, FaNode *root)
{
	List	   *keys;
	List	   *grouped;
	const char *sep = " WHERE ";
	int			a;

	a = next_alias(dp);
	(void) bind(dp, root, a);
	keys = sort_exprs(dp, root, a);
	dp->keyset = true;
	choose_carried(dp, root, a);

	/*
	 * On Citus, a page's includes are grouped (fa_choose_shapes()): the
	 * page is a CTE p<a>, which Citus computes first, and the includes read
	 * only its instances' rows (append_page_keys())
	 */
	if (root->page && dp->citus)
	{
		appendStringInfo(buf, "WITH p%d AS MATERIALIZED (", a);
		append_limited(dp, buf, root, a, keys, -1);
		appendStringInfoString(buf, ") ");
		dp->page_cte = a + 1;
	}
	appendStringInfo(buf, "SELECT assoc.json_row(x%d)", a);
	if (dp->one_more)
	{
		appendStringInfoString(buf, ", ");
		append_cursor(buf, root, a);
	}
	appendStringInfoString(buf, " FROM ");
	if (root->page)
	{
		/* the page's instances first, then their includes */
		if (dp->page_cte)
			appendStringInfo(buf, "p%d t%d", a, a);
		else
		{
			appendStringInfoChar(buf, '(');
			append_limited(dp, buf, root, a, keys, -1);
			appendStringInfo(buf, ") t%d", a);
		}
		grouped = append_grouped_joins(dp, buf, root, a);
		dp->page_cte = 0;
		Assert(grouped == NIL || dp->citus);
		append_row(dp, buf, root, a, grouped);
		append_order_by(buf, keys, a, KEY_CARRIED);
	}
	else
	{
		appendStringInfo(buf, "%s t%d", root->table->qualname, a);
		append_order_joins(buf, keys);
		append_carried_joins(dp, buf, a);
		grouped = append_grouped_joins(dp, buf, root, a);
		append_row(dp, buf, root, a, grouped);
		append_filter(dp, buf, root, a,
					  list_concat(joined_nodes(grouped), carried_nodes(dp)), &sep);
		append_carried_filter(dp, buf, &sep);
		append_order_by(buf, keys, a, KEY_EXPR);
	}
	dp->carried = NIL;
	dp->bound = NIL;
}

/*
 * The count of the instances the rows would be without limit and offset:
 * each row of the model that passes its where and has a row of each
 * required include (the EXISTS of append_filter, never a join that would
 * count a parent once per child), or with "col" the rows where that column
 * is not null, with "distinct" its distinct values, as COUNT(col) and
 * COUNT(DISTINCT col) in Sequelize.
 */
static void
append_count(Deparse *dp, StringInfo buf, FaNode *root)
{
	const char *sep = " WHERE ";
	int			a = next_alias(dp);

	dp->keyset = false;			/* the count is of every page */
	appendStringInfoString(buf, "SELECT pg_catalog.count(");
	if (root->count_col == NULL)
		appendStringInfoChar(buf, '*');
	else
	{
		if (root->distinct)
			appendStringInfoString(buf, "DISTINCT ");
		append_column(buf, a, root->count_col);
	}
	appendStringInfo(buf, ") FROM %s t%d", root->table->qualname, a);
	append_filter(dp, buf, root, a, NIL, &sep);
}

/*
 * "cursor": true: the rows in one json array, "rows", and the cursor of
 * the page's last row, "next", null without a next page (the limit's row
 * after the page is not there) or without a limit.
 */
static void
append_cursor_page(Deparse *dp, StringInfo buf, FaNode *root)
{
	if (!has_next_page(root))
	{
		appendStringInfoString(buf, "SELECT COALESCE(pg_catalog.json_agg(f.j), CAST('[]' AS pg_catalog.json)) AS rows, "
							   "CAST(NULL AS pg_catalog.text) AS next FROM (");
		append_rows(dp, buf, root);
		appendStringInfoString(buf, ") f(j)");
		return;
	}
	appendStringInfo(buf, "SELECT COALESCE(pg_catalog.json_agg(f.j ORDER BY f.n) "
					 "FILTER (WHERE f.n OPERATOR(pg_catalog.<=) " INT64_FORMAT "), "
					 "CAST('[]' AS pg_catalog.json)) AS rows, "
					 "CASE WHEN pg_catalog.count(*) OPERATOR(pg_catalog.>) " INT64_FORMAT
					 " THEN pg_catalog.max(f.c) FILTER (WHERE f.n OPERATOR(pg_catalog.=) "
					 INT64_FORMAT ") END AS next "
					 "FROM (SELECT p.j, p.c, pg_catalog.row_number() OVER () AS n FROM (",
					 root->limit, root->limit, root->limit);
	dp->one_more = true;
	append_rows(dp, buf, root);
	dp->one_more = false;
	appendStringInfoString(buf, ") p(j, c)) f");
}

/*
 * The statement of find_all (a row of json per instance), of count (one
 * bigint) or of find_and_count_all: one json {"count": N, "rows": [...]},
 * both parts in one statement and so one snapshot.  json_agg takes the
 * rows in the order of the subquery's ORDER BY (an aggregate over a sorted
 * subquery reads it in order; nothing between them reorders).
 */
char *
fa_deparse(FaNode *root, FaResult result)
{
	Deparse		dp;
	StringInfoData buf;

	memset(&dp, 0, sizeof(dp));
	dp.citus = assoc_citus_table(root->table->relid);
	initStringInfo(&buf);
	switch (result)
	{
		case FA_RESULT_ROWS:
			if (root->cursor_keys == NIL)
				append_rows(&dp, &buf, root);
			else
			{
				appendStringInfoString(&buf, "SELECT assoc.json_row(r) FROM (");
				append_cursor_page(&dp, &buf, root);
				appendStringInfoString(&buf, ") r");
			}
			break;
		case FA_RESULT_COUNT:
			append_count(&dp, &buf, root);
			break;
		case FA_RESULT_AND_COUNT:
			appendStringInfoString(&buf, "SELECT assoc.json_row(r) FROM (SELECT (");
			append_count(&dp, &buf, root);
			if (root->cursor_keys != NIL)
			{
				appendStringInfoString(&buf, ") AS count, p.rows, p.next FROM (");
				append_cursor_page(&dp, &buf, root);
				appendStringInfoString(&buf, ") p) r");
				break;
			}
			appendStringInfoString(&buf, ") AS count, (SELECT COALESCE(pg_catalog.json_agg(f.j), CAST('[]' AS pg_catalog.json)) FROM (");
			append_rows(&dp, &buf, root);
			appendStringInfoString(&buf, ") f(j)) AS rows) r");
			break;
	}
	return buf.data;
}
