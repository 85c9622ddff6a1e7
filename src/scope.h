/*
 * scope.h
 *	  Association scopes (scope.c): Sequelize's scope and through.scope.
 */
#ifndef ASSOC_SCOPE_H
#define ASSOC_SCOPE_H

#include "assoc.h"
#include "utils/jsonb.h"

extern char *assoc_json_scalar_text(JsonbValue *v);
extern List *assoc_scope_read(Jsonb *scope, const char *argname);
extern void assoc_scope_resolve(List *scope, AssocTable *table, Association *a,
								const char *argname);
extern char *assoc_scope_json(List *scope);
extern char *assoc_scope_attnums(List *scope);
extern bool assoc_scope_equal(List *a, List *b);
extern char *assoc_scope_cond(List *scope, const char *alias);
extern char *assoc_scope_sets(List *scope);
extern char *assoc_scope_value_of(List *scope, AttrNumber attnum);
extern char *assoc_scope_jsonb_literal(List *scope);
extern List *assoc_scope_copy(List *scope);

#endif							/* ASSOC_SCOPE_H */
