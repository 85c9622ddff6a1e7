/*
 * runtime.h
 *	  What the helpers that the generated accessors call (runtime.c,
 *	  runtime_btm.c) share.
 */
#ifndef ASSOC_RUNTIME_H
#define ASSOC_RUNTIME_H

#include "postgres.h"

#include "fmgr.h"

extern char *assoc_rel_name(Oid relid);
extern void assoc_require_args(FunctionCallInfo fcinfo, const char *func,
							   const char *const *names, int nnames);

#endif							/* ASSOC_RUNTIME_H */
