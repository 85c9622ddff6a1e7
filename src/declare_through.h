/*
 * declare_through.h
 *	  A belongs_to_many's through table: where it is, and the DDL that
 *	  creates it or makes an existing one fit (declare_through.c), for the
 *	  declaration (declare_btm.c).
 */
#ifndef ASSOC_DECLARE_THROUGH_H
#define ASSOC_DECLARE_THROUGH_H

#include "assoc.h"
#include "ddl.h"

/* The through table as named, found or still to be created. */
typedef struct ThroughName
{
	char	   *nspname;
	char	   *relname;
	Oid			nspid;
	Oid			relid;			/* InvalidOid when it does not exist */
	bool		qualified;		/* the name said which schema */
} ThroughName;

extern ThroughName *assoc_resolve_through(const char *through, AssocTable *source);
extern AssocColumn *assoc_through_key_column(AssocTable *through, const char *name,
											 AssocTable *ref, AssocColumn *refkey,
											 const char *argname);
extern AssocDdlPlan *assoc_plan_new_through(Association *a, ThroughName *tn,
											const char *on_delete,
											const char *on_update);
extern AssocDdlPlan *assoc_plan_existing_through(Association *a,
												 const char *on_delete,
												 const char *on_update);

#endif							/* ASSOC_DECLARE_THROUGH_H */
