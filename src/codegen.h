/*
 * codegen.h
 *	  The SQL functions generated for an association: accessors and eager
 *	  loaders.
 */
#ifndef ASSOC_CODEGEN_H
#define ASSOC_CODEGEN_H

#include "assoc.h"

/* One generated function. */
typedef struct GenFunc
{
	char	   *name;			/* unqualified, e.g. owner_get_pugs */
	char	   *signature;		/* qualified, for regprocedure input */
	char	   *sql;			/* FUNCTION ... statement, without CREATE */
	char	   *body;			/* its text as pg_proc.prosrc keeps it */
} GenFunc;

extern char *assoc_function_prefix(AssocTable *source);
extern char *assoc_function_suffix(const char *alias_form);
extern List *assoc_codegen(Association *a);
extern void assoc_codegen_check_names(Association *a, List *funcs);
extern void assoc_codegen_run(Association *a, List *funcs, bool replace);
extern int	assoc_codegen_sync(Association *a, List *funcs, bool all_deps);
extern char *assoc_codegen_names(List *funcs);

#endif							/* ASSOC_CODEGEN_H */
