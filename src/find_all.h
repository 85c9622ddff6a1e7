/*
 * find_all.h
 *	  assoc.find_all: Sequelize's findAll options, parsed and checked into a
 *	  tree of includes (find_all_options.c and the files it uses, see
 *	  find_all_int.h), then written as one SQL statement
 *	  (find_all_deparse.c).
 *
 * The tree is all the deparser needs: every table, column, association and
 * operator in it is resolved, every value is checked against its column's
 * type, so that deparsing cannot fail on user input and never looks at the
 * options JSON again.
 */
#ifndef ASSOC_FIND_ALL_H
#define ASSOC_FIND_ALL_H

#include "assoc.h"
#include "utils/jsonb.h"

/* Comparison operators of where, as Sequelize names them ($eq, $gt, ...). */
typedef enum FaOp
{
	FA_OP_EQ,
	FA_OP_NE,
	FA_OP_GT,
	FA_OP_GTE,
	FA_OP_LT,
	FA_OP_LTE,
	FA_OP_IN,
	FA_OP_NOT_IN,
	FA_OP_LIKE,
	FA_OP_NOT_LIKE,
	FA_OP_ILIKE,
	FA_OP_NOT_ILIKE,
	FA_OP_BETWEEN,
	FA_OP_NOT_BETWEEN,
	FA_OP_IS,					/* IS NULL, IS TRUE, IS FALSE */
	FA_OP_IS_NOT				/* IS NOT NULL, IS NOT TRUE, IS NOT FALSE */
} FaOp;

typedef enum FaCondKind
{
	FA_COND_AND,
	FA_COND_OR,
	FA_COND_NOT,
	FA_COND_CONST,				/* true or false */
	FA_COND_COMPARE
} FaCondKind;

/* What IS and IS NOT compare with. */
typedef enum FaIsWhat
{
	FA_IS_NULL,
	FA_IS_TRUE,
	FA_IS_FALSE
} FaIsWhat;

/*
 * An aggregate over an association's rows, per row of the node it belongs
 * to (find_all_agg.c): fn of column in the rows reached through chain.
 */
typedef struct FaAgg
{
	const char *fn;				/* "count", "sum", "min", "max", "avg" */
	List	   *chain;			/* struct FaNode *: the associations, the
								 * first one's parent the aggregated node;
								 * no child of it (never loaded) unless the
								 * include with "count" */
	AssocColumn *column;		/* of llast(chain); NULL: count(*) */
	AssocColumn *result;		/* made up: its name says the aggregate in
								 * messages, its type is the result's */
	char	   *key;			/* an attribute's JSON key; NULL otherwise */
	bool		distinct;		/* of the column's distinct values */
} FaAgg;

/* A where condition on the columns of one table. */
typedef struct FaCond
{
	FaCondKind	kind;
	List	   *args;			/* AND, OR, NOT: FaCond * (NOT has one) */
	bool		constval;		/* CONST */
	/* COMPARE */
	AssocColumn *column;
	FaOp		op;
	Oid			opno;			/* the operator; BETWEEN: the lower bound's */
	Oid			opno2;			/* BETWEEN: the upper bound's */
	List	   *values;			/* char *, input text for the column's type;
								 * NULL pointer for JSON null */
	FaIsWhat	is_what;		/* IS, IS NOT */
	FaAgg	   *agg;			/* COMPARE of an aggregate, not of column
								 * (then agg->result) */
	struct FaNode *node;		/* COMPARE of a column of this level, not of
								 * the where's own: a $nested.column$ key
								 * that fa_resolve_where() took */
} FaCond;

struct FaNode;

/*
 * One key of an ordering: a column of the ordered node itself (path NIL)
 * or of an included node below it, reached through path; with "through",
 * a column of the through table of that node (a belongs_to_many include).
 */
typedef struct FaSortKey
{
	List	   *path;			/* struct FaNode *, each a child of the one
								 * before, the first a child of the ordered
								 * node; the last holds the column */
	AssocColumn *column;
	bool		through;		/* column of the last node's through table */
	const char *direction;		/* "", " ASC", " DESC NULLS LAST", ... */
	FaAgg	   *agg;			/* a key on an aggregate (path NIL, column
								 * agg->result) */
} FaSortKey;

/* How an include is joined in, chosen by fa_choose_shapes(). */
typedef enum FaShape
{
	FA_SHAPE_GROUPED,			/* all rows aggregated by key, joined back */
	FA_SHAPE_CORRELATED			/* a subquery per parent row */
} FaShape;

/*
 * The top level (assoc == NULL) or one include.
 */
typedef struct FaNode
{
	AssocTable *table;
	Association *assoc;			/* NULL at the top level */
	struct FaNode *parent;
	char	   *label;			/* "find_all options", "include \"pugs.toys\"" */
	char	   *path;			/* "pugs.toys"; NULL at the top level */
	List	   *columns;		/* AssocColumn *: the attributes, output order */
	List	   *aggs;			/* FaAgg *: aggregate attributes, after them */
	char	   *count_key;		/* include with "count": the key of its
								 * count in the parent (not loaded) */
	List	   *all_columns;	/* AssocColumn *: every column of the table */
	bool		emit;			/* false: attributes [], no key in the JSON */
	FaCond	   *where;			/* NULL: none */

	/*
	 * A where that compares columns of other levels (fa_resolve_where()):
	 * cross, the includes below this node that it names and those between
	 * (FaNode *); cross_up, it names a level above.  cross_of: the levels
	 * above (FaNode *) whose where names this node or one below it, and
	 * holds for each of this node's rows with some row of the join of
	 * their cross.
	 */
	List	   *cross;
	bool		cross_up;
	List	   *cross_of;
	bool		required;		/* parents without a match are left out */
	bool		separate;		/* Sequelize's separate (or implied by limit) */
	List	   *order;			/* FaSortKey *: the option "order" of this
								 * level, paths relative to this node */
	List	   *sortkeys;		/* FaSortKey *: every key that orders the rows
								 * of this node, see assign_sort_keys() */
	List	   *pkey;			/* AssocColumn *: primary key, the last tie
								 * breaker of every ordering */
	int64		limit;			/* -1: none */
	int64		offset;			/* top level only; 0: none */
	List	   *children;		/* FaNode * */
	FaShape		shape;			/* includes only */
	bool		page;			/* top level: limit or offset given */
	bool		with_deleted;	/* "paranoid": false: a paranoid model's
								 * soft-deleted rows too */

	/*
	 * Top level, for assoc.count and find_and_count_all: Sequelize's "col"
	 * (NULL: every row) and "distinct" (count the distinct values of col).
	 */
	AssocColumn *count_col;
	bool		distinct;

	/* while "having" is parsed: its keys are aggregates (find_all_where.c) */
	bool		in_having;

	/*
	 * Top level: the condition of "after" (keyset pagination), the rows
	 * after the given last row of the previous page under the order; a
	 * condition of the rows, not of the count.  NULL: none.
	 */
	FaCond	   *keyset;

	/*
	 * Top level, "cursor": true: the result is {"rows": [...], "next":
	 * cursor or null}, the cursor of the page's last row for these keys
	 * (FaSortKey *, fa_keyset_keys()) and this order signature
	 * (find_all_cursor.c).  NIL: no cursor.
	 */
	List	   *cursor_keys;
	char	   *cursor_order;

	/*
	 * belongs_to_many: the through table's row of each target, a node of its
	 * own that is not a child (no includes, no order): its table, its
	 * attributes ("through": {"attributes"}: columns and emit) and its
	 * where ("through": {"where"}), which filters the links.
	 */
	struct FaNode *through;

	/*
	 * Includes of polymorphic associations (FaPoly, find_all_poly.c): not
	 * children, since no single table holds their rows.
	 */
	List	   *polys;
} FaNode;

/*
 * An include of a polymorphic association (assoc.polymorphic): per row of
 * the parent, the row of the table its type column names, found by its
 * primary key through the id column, or null.
 */
typedef struct FaPoly
{
	char	   *name;			/* the association, the JSON key */
	AssocColumn *id_column;		/* of the parent's table */
	AssocColumn *type_column;	/* of the parent's table */
	List	   *values;			/* char *: the type value of each target */
	List	   *targets;		/* FaNode *: each target table's row, a
								 * belongs_to include on id_column */
	bool		required;		/* parents without a target are left out */
	int			position;		/* how many children precede its key */
	FaShape		shape;			/* as an include's: grouped, one join per
								 * target, or correlated */
} FaPoly;

/* A table as find_all knows it (find_all_cache.c keeps these). */
typedef struct FaTable
{
	AssocTable *table;
	List	   *columns;		/* AssocColumn *, by column number */
	List	   *pkey;			/* AssocColumn *, primary key */
	List	   *assocs;			/* Association * of which it is the source */
	bool		assocs_loaded;
} FaTable;

/* find_all_cache.c */
extern void fa_cache_begin(void);
extern uint64 fa_cache_generation(void);
extern FaTable *fa_cache_model(Oid relid);
extern FaTable *fa_cache_table(AssocTable *table);
extern List *fa_cache_associations(FaTable *ft);
extern bool fa_column_in(List *columns, AssocColumn *col);

/* find_all_options.c */
extern FaNode *fa_parse_options(Oid model, Jsonb *options);

/* What the statement of fa_deparse() returns. */
typedef enum FaResult
{
	FA_RESULT_ROWS,				/* find_all: a row of json per instance */
	FA_RESULT_COUNT,			/* count: one bigint */
	FA_RESULT_AND_COUNT			/* find_and_count_all: one json */
} FaResult;

/* find_all_deparse.c */
extern void fa_choose_shapes(FaNode *root);
extern char *fa_deparse(FaNode *root, FaResult result);

#endif							/* ASSOC_FIND_ALL_H */
