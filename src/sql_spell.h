/*
 * sql_spell.h
 *	  The one place SQL text is spelled: identifiers, literals, relations,
 *	  types, operators, casts, FOREIGN KEY and CREATE INDEX clauses.
 */
#ifndef ASSOC_SQL_SPELL_H
#define ASSOC_SQL_SPELL_H

#include "postgres.h"

#include "lib/stringinfo.h"
#include "nodes/pg_list.h"

extern const char *sql_ident(const char *name);
extern char *sql_qualname(const char *nspname, const char *relname);
extern char *sql_literal(const char *value);
extern char *sql_cast(const char *expr, const char *type);
extern char *sql_regclass(const char *qualname);
extern char *sql_text_array(List *names);
extern char *sql_type(Oid typid, int32 typmod);
extern char *sql_operator(Oid opno);
extern Oid	sql_eq_operator_oid(Oid typid);
extern char *assoc_eq_operator(Oid typid);

/* an item's SQL text, for lists of other things than C strings */
typedef const char *(*SqlItemText) (void *item);
extern void sql_append_joined(StringInfo buf, List *items, const char *sep,
							  SqlItemText text);
extern char *sql_join_list(List *items, const char *sep, SqlItemText text);
extern char *sql_fkey_clause(const char *conname, const char *column,
							 const char *refqual, const char *refkey,
							 const char *on_delete, const char *on_update);
extern char *sql_create_index(const char *index, const char *qual,
							  const char *column);

#endif							/* ASSOC_SQL_SPELL_H */
