/*
 * runtime.h
 *	  What the helpers that the generated accessors call (runtime.c,
 *	  runtime_btm.c) share.
 */
#ifndef ASSOC_RUNTIME_H
#define ASSOC_RUNTIME_H

#include "postgres.h"

#include "fmgr.h"
#include "nodes/pg_list.h"
#include "utils/array.h"

/* The input function of a key type, kept across calls (fn_extra). */
typedef struct KeyInput
{
	Oid			typid;
	Oid			ioparam;
	FmgrInfo	infunc;
	int16		typlen;
	bool		typbyval;
	char		typalign;
} KeyInput;

extern char *assoc_rel_name(Oid relid);
extern void assoc_ensure_key_helpers(void);
extern void assoc_key_input_init(KeyInput *in, Oid typid, MemoryContext mcxt);
extern bool assoc_try_convert_key(KeyInput *in, char *str, Datum *result,
								  char **problem, int *sqlerrcode);
extern void assoc_key_conversion_error(int sqlerrcode, const char *role, const char *str,
									   const char *alias, const char *source,
									   const char *problem) pg_attribute_noreturn();
extern char *assoc_key_about(const char *source, const char *alias, const char *role,
							 const char *side, const char *keycol);
extern List *assoc_text_array_items(ArrayType *arr, bool *has_null);
extern char *assoc_join_strings(List *items, const char *quote);
extern void assoc_require_args(FunctionCallInfo fcinfo, const char *func,
							   const char *const *names, int nnames);

#endif							/* ASSOC_RUNTIME_H */
