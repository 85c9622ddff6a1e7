/*
 * citus.h
 *	  What assoc knows of Citus (citus.c): the layout of an association's
 *	  tables, read from Citus's catalog when the citus extension is
 *	  installed, and what the generator and the declarations change for it.
 */
#ifndef ASSOC_CITUS_H
#define ASSOC_CITUS_H

#include "assoc.h"

typedef enum AssocCitusLayout
{
	ASSOC_CITUS_NONE,			/* no Citus, or no Citus table */
	ASSOC_CITUS_COLOCATED,		/* the holder distributed by the foreign key,
								 * the referenced table by its key, co-located */
	ASSOC_CITUS_REFERENCE		/* the referenced table a reference table,
								 * the holder distributed or a reference table */
} AssocCitusLayout;

extern bool assoc_citus_table(Oid relid);
extern AssocCitusLayout assoc_citus_layout(Association *a);
extern AssocCitusLayout assoc_citus_writer_layout(Association *a);
extern bool assoc_citus_routed_by(Oid relid, const char *column);
extern bool assoc_citus_reference_parent(Association *a);
extern char *assoc_citus_has_array(const char *keys, const char *linked);
extern char *assoc_citus_replace(const char *s, const char *from, const char *to);
extern const char *assoc_citus_body(Association *a, const char *rettype,
									const char *body, const char **language);
extern void assoc_citus_fk_actions(Association *a, const char **on_delete,
								   const char **on_update);
extern char *assoc_citus_note(Association *a);
extern void assoc_citus_no_triggers(Association *a, bool counter_cache, bool touch);
extern List *assoc_citus_follow(void);
extern AttrNumber assoc_citus_row_key(Oid relid, AttrNumber k1, AttrNumber k2);

#endif							/* ASSOC_CITUS_H */
