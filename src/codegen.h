/*
 * codegen.h
 *	  The SQL functions generated for an association (codegen.c): accessors
 *	  and eager loaders, written, created and kept in line with their
 *	  tables.
 */
#ifndef ASSOC_CODEGEN_H
#define ASSOC_CODEGEN_H

#include "assoc.h"
#include "gen_toolkit.h"		/* GenFunc, assoc_function_prefix */

extern List *assoc_codegen(Association *a);
extern void assoc_codegen_check_names(Association *a, List *funcs);
extern void assoc_codegen_run(List *funcs);
extern int	assoc_codegen_sync(Association *a, List *funcs, bool all_deps);
extern char *assoc_codegen_names(List *funcs);

#endif							/* ASSOC_CODEGEN_H */
