/*
 * ddl.h
 *	  Looking at tables, columns, keys, constraints and indexes, and the DDL
 *	  that gives an association its column, constraint and index.
 */
#ifndef ASSOC_DDL_H
#define ASSOC_DDL_H

#include "assoc.h"
#include "lib/stringinfo.h"

extern AssocTable *assoc_open_table(Oid relid, const char *role,
									 bool check_owner);
extern void assoc_lock_tables(Oid a, Oid b);
extern AssocColumn *assoc_find_column(Oid relid, const char *name);
extern AssocColumn *assoc_key_column(AssocTable *table, const char *name,
									 const char *argname, bool must_be_unique);
extern AssocColumn *assoc_primary_key(AssocTable *table);
extern char *assoc_column_type(AssocColumn *col);
extern char *assoc_eq_operator(Oid typid);

extern char *assoc_normalize_action(const char *action, const char *argname);

/*
 * What a declaration does to the holder table; each step either creates an
 * object (sql != NULL) or adopts an existing one (name of it in "adopted").
 */
typedef struct AssocDdlPlan
{
	List	   *statements;		/* DDL to run, in order */
	List	   *created;		/* descriptions of created objects */
	List	   *adopted;		/* descriptions of adopted objects */
	bool		column_exists;
} AssocDdlPlan;

extern AssocDdlPlan *assoc_plan_ddl(Association *a, bool on_delete_given,
									bool on_update_given);
extern void assoc_run_ddl(AssocDdlPlan *plan);

/* for belongs_to_many's through table (declare_btm.c) */
extern char *assoc_find_fkey(Oid holder, AttrNumber fk, Oid referenced,
							 AttrNumber key, const char **on_delete,
							 const char **on_update);
extern char *assoc_find_index_on(Oid relid, AttrNumber attnum);
extern void assoc_check_fk_violations(AssocTable *holder, AssocColumn *fkcol,
									  AssocTable *ref, AssocColumn *refkey);

#endif							/* ASSOC_DDL_H */
