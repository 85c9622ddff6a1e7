/*
 * counter.h
 *	  Counter caches and touch (counter.c): the declaration's part, recount
 *	  and the removal of the triggers.
 */
#ifndef ASSOC_COUNTER_H
#define ASSOC_COUNTER_H

#include "assoc.h"
#include "ddl.h"
#include "declare.h"

extern char *assoc_counter_name(AssocDecl *d, char *name);
extern void assoc_counter_plan(AssocDecl *d);
extern void assoc_counter_resolve(AssocDecl *d);
extern void assoc_counter_install(Association *a, AssocDdlPlan *plan, bool dry_run);
extern void assoc_counter_drop_triggers(Association *a);
extern int64 assoc_counter_recount(Association *a);

#endif							/* ASSOC_COUNTER_H */
