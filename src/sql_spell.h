/*
 * sql_spell.h
 *	  The one place SQL text is spelled: identifiers, literals, operators.
 */
#ifndef ASSOC_SQL_SPELL_H
#define ASSOC_SQL_SPELL_H

#include "postgres.h"

extern const char *sql_ident(const char *name);
extern char *sql_literal(const char *value);
extern char *sql_type(Oid typid, int32 typmod);
extern char *sql_operator(Oid opno);
extern Oid	sql_eq_operator_oid(Oid typid);
extern char *assoc_eq_operator(Oid typid);

#endif							/* ASSOC_SQL_SPELL_H */
