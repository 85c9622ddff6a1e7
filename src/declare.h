/*
 * declare.h
 *	  Argument, message and alias checks shared by the declarations (declare.c,
 *	  declare_btm.c).
 */
#ifndef ASSOC_DECLARE_H
#define ASSOC_DECLARE_H

#include "assoc.h"
#include "fmgr.h"
#include "lib/stringinfo.h"
#include "nodes/pg_list.h"

extern char *assoc_text_arg(FunctionCallInfo fcinfo, int n);
extern bool assoc_bool_arg(FunctionCallInfo fcinfo, int n, bool dflt);
extern void assoc_append_list(StringInfo buf, const char *heading, List *items);
extern void assoc_alias_taken(Association *a, Association *old) pg_attribute_noreturn();
extern void assoc_check_alias_not_column(Association *a);

#endif							/* ASSOC_DECLARE_H */
