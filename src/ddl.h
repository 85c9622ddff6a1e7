/*
 * ddl.h
 *	  Looking at tables, columns, keys, constraints and indexes, and the DDL
 *	  that gives an association its column, constraint and index.
 */
#ifndef ASSOC_DDL_H
#define ASSOC_DDL_H

#include "assoc.h"
#include "lib/stringinfo.h"
#include "sql_spell.h"

/* tables, columns, keys */
extern AssocTable *assoc_open_table(Oid relid, const char *role,
									 bool check_owner);
extern void assoc_lock_tables(Oid a, Oid b);
extern AssocColumn *assoc_find_column(Oid relid, const char *name);
extern AssocColumn *assoc_key_column(AssocTable *table, const char *name,
									 const char *argname, bool must_be_unique);
extern AssocColumn *assoc_primary_key(AssocTable *table);
extern char *assoc_column_type(AssocColumn *col);

/* indexes and foreign keys already there */
extern char *assoc_find_index_on(Oid relid, AttrNumber attnum);
extern char *assoc_find_pair_unique(Oid relid, AttrNumber k1, AttrNumber k2,
									bool *primary);
extern char *assoc_find_fkey(Oid holder, AttrNumber fk, Oid referenced,
							 AttrNumber key, const char **on_delete,
							 const char **on_update);
extern char *assoc_normalize_action(const char *action, const char *argname);
extern void assoc_check_adopted_actions(const char *conname, AssocTable *holder,
										const char *old_delete,
										const char *old_update,
										const char *on_delete,
										const char *on_update);
extern void assoc_check_fk_violations(AssocTable *holder, AssocColumn *fkcol,
									  AssocTable *ref, AssocColumn *refkey);

/*
 * What a declaration does to the holder table; each step either creates an
 * object (sql != NULL) or adopts an existing one (name of it in "adopted").
 */
typedef struct AssocDdlPlan
{
	List	   *statements;		/* DDL to run, in order */
	List	   *created;		/* descriptions of created objects */
	List	   *adopted;		/* descriptions of adopted objects */
	bool		column_exists;	/* the foreign-key column was there (for
								 * belongs_to_many: the through table) */
} AssocDdlPlan;

extern AssocDdlPlan *assoc_plan_ddl(Association *a, const char *on_delete,
									const char *on_update);
extern char *assoc_plan_add_fkey(AssocDdlPlan *plan, AssocTable *holder,
								 const char *column, AssocTable *ref,
								 AssocColumn *refkey, const char *on_delete,
								 const char *on_update);
extern void assoc_plan_index(AssocDdlPlan *plan, const char *qualname,
							 const char *relname, Oid nspid, const char *column);
extern void assoc_plan_index_on(AssocDdlPlan *plan, AssocTable *table,
								AssocColumn *col, bool create);
extern void assoc_run_ddl(AssocDdlPlan *plan);

#endif							/* ASSOC_DDL_H */
