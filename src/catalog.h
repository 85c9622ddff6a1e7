/*
 * catalog.h
 *	  Reading and writing assoc.associations.
 */
#ifndef ASSOC_CATALOG_H
#define ASSOC_CATALOG_H

#include "assoc.h"
#include "access/tupdesc.h"
#include "model.h"

extern Datum assoc_catalog_insert(Association *a, bool dry_run,
								  TupleDesc rettupdesc, MemoryContext upper);
extern Datum assoc_catalog_row(int32 id, TupleDesc rettupdesc,
							   MemoryContext upper);
extern void assoc_catalog_delete(int32 id);
extern Association *assoc_catalog_find(Oid source, const char *alias);
extern Association *assoc_catalog_by_id(int32 id);
extern List *assoc_catalog_for_table(Oid relid);
extern List *assoc_catalog_all(void);
extern List *assoc_catalog_functions(int32 id);
extern bool assoc_catalog_column_shared(Association *a);
extern char *assoc_catalog_other_user(Association *a, Oid relid);
extern char *assoc_catalog_counter_user(Oid owner, const char *column);
extern void assoc_catalog_refresh(Association *a);
extern void assoc_catalog_confirm_version(int32 id);
extern List *assoc_catalog_repoint(Oid from, Oid to);
extern List *assoc_catalog_with_alias(const char *alias);
extern uint64 assoc_catalog_fingerprint(void);
extern Datum assoc_catalog_model_write(Oid relid, ModelOptions *mo,
									   TupleDesc rettupdesc, MemoryContext upper);

#endif							/* ASSOC_CATALOG_H */
