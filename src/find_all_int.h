/*
 * find_all_int.h
 *	  What the files that parse find_all's options share; private to them
 *	  (find_all.h is the interface to the rest of assoc).
 *
 * The parser is layered, each file calling only the ones below it:
 *
 *	 find_all_options.c   the top level: one level's options (the top or an
 *						  include), attributes, "through"
 *	 find_all_include.c   the include tree: include lists, {"all": ...}
 *	 find_all_poly.c      an include of a polymorphic association
 *	 find_all_where.c     where, compiled into FaCond
 *	 find_all_order.c     order, into FaSortKey
 *	 find_all_agg.c       aggregates over associations
 *	 find_all_cursor.c    the keys of "after", cursor strings
 *	 find_all_names.c     columns, associations and models by name
 *	 find_all_json.c      reading JSON; the table of options
 *
 * An include is a level of its own: find_all_include.c calls back the
 * level parser of find_all_options.c through FaParse.
 */
#ifndef ASSOC_FIND_ALL_INT_H
#define ASSOC_FIND_ALL_INT_H

#include "find_all.h"

/* A key and its value in a JSON object. */
typedef struct JPair
{
	char	   *key;
	JsonbValue *value;
} JPair;

/* The state of one parse. */
typedef struct FaParse
{
	int			nnodes;			/* includes so far, "all" expansions too */
	/* the levels whose where fa_resolve_where() takes at the end, and
	 * those wheres (FaNode *, JsonbValue *) */
	List	   *deferred_nodes;
	List	   *deferred_wheres;
	/* parses a level's options into node: find_all_options.c */
	void		(*parse_level) (struct FaParse *ps, FaNode *node, List *pairs);
} FaParse;

/*
 * The objects whose keys are options (find_all_json.c has the table of
 * which options each takes, and of their JSON types).
 */
typedef enum FaOptContext
{
	FA_OPT_TOP = 1 << 0,		/* the find_all options */
	FA_OPT_INCLUDE = 1 << 1,	/* an element of "include" */
	FA_OPT_ALL = 1 << 2,		/* an element {"all": ...} of "include" */
	FA_OPT_THROUGH = 1 << 3,	/* "through" of an include */
	FA_OPT_ATTRIBUTES = 1 << 4, /* "attributes": {"exclude": ...} */
	FA_OPT_ORDER_ITEM = 1 << 5	/* {"association": ...} in an order item */
} FaOptContext;

/* find_all_json.c */
extern bool fa_json_is_object(JsonbValue *v);
extern bool fa_json_is_array(JsonbValue *v);
extern bool fa_json_is_scalar(JsonbValue *v);
extern char *fa_json_scalar_text(JsonbValue *v);
extern char *fa_json_describe(JsonbValue *v);
extern List *fa_json_pairs(JsonbValue *v);
extern List *fa_json_elements(JsonbValue *v);
extern JsonbValue *fa_pair_value(List *pairs, const char *key);
extern char *fa_join_names(const char *const *names);
extern void fa_check_options(List *pairs, FaOptContext context,
							 const char *label);
extern JsonbValue *fa_option(List *pairs, FaOptContext context,
							 const char *name, const char *label);
extern void fa_wrong_type(const char *option, const char *label,
						  const char *expected, JsonbValue *v);
extern int64 fa_json_count(JsonbValue *v, const char *option,
						   const char *label);

/* find_all_names.c */
extern AssocColumn *fa_lookup_column(FaTable *ti, const char *name);
extern bool fa_has_column(FaTable *ti, const char *name);
extern char *fa_column_names(FaTable *ti);
extern AssocColumn *fa_find_column(FaNode *node, const char *name,
								   const char *where);
extern bool fa_model_matches(AssocTable *t, const char *name);
extern bool fa_alias_is_default(Association *a);
extern Association *fa_find_association(FaNode *parent, const char *alias,
										const char *where);
extern Association *fa_find_association_by_model(FaNode *parent,
												 const char *model,
												 const char *where);

/* find_all_where.c */
extern FaCond *fa_parse_where(FaNode *node, JsonbValue *v, bool *deferred);
extern FaCond *fa_parse_top_where(FaNode *node, JsonbValue *v, List **nested,
								  bool *deferred);
extern void fa_resolve_where(FaNode *node, JsonbValue *v);
extern void fa_apply_having(FaNode *node, JsonbValue *v);
extern void fa_apply_nested_where(FaNode *root, List *nested);
extern FaCond *fa_keyset_condition(FaNode *node, JsonbValue *after);

/* find_all_order.c */
extern List *fa_parse_order(FaNode *node, JsonbValue *v);
extern void fa_assign_sort_keys(FaNode *node);

/* find_all_agg.c */
extern bool fa_is_agg_reference(const char *key);
extern FaAgg *fa_agg_reference(FaNode *node, const char *key,
							   const char *option, bool from_includes);
extern FaAgg *fa_agg_object(FaNode *node, JsonbValue *v, const char *where);
extern FaAgg *fa_agg_of_include(FaNode *inc, char *key);

/* find_all_cursor.c */
extern List *fa_keyset_keys(FaNode *node, const char *option);
extern char *fa_cursor_signature(FaNode *node, List *keys);
extern List *fa_cursor_values(FaNode *node, const char *text,
							  const char *signature);

/* find_all_include.c */
extern FaNode *fa_new_node(AssocTable *table, FaNode *parent, Association *a,
						   char *path, char *label);
extern void fa_parse_includes(FaParse *ps, FaNode *node, JsonbValue *v);

/* find_all_poly.c */
extern bool fa_add_polymorphic(FaNode *parent, const char *name, List *pairs);
extern void fa_refuse_polymorphic(FaNode *parent, const char *name,
								  const char *where);

#endif							/* ASSOC_FIND_ALL_INT_H */
