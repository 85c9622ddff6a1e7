/*
 * sql_spell.c
 *	  How assoc spells SQL text: every writer of SQL (DDL, generated
 *	  accessors and loaders, the runtime, find_all) quotes identifiers and
 *	  literals and names operators through these functions, and nothing
 *	  else in src/ calls quote_identifier or quote_literal_cstr.  At the
 *	  bottom of the layering: it calls only PostgreSQL.
 */
#include "postgres.h"

#include "access/htup_details.h"
#include "catalog/pg_operator.h"
#include "utils/builtins.h"
#include "utils/lsyscache.h"
#include "utils/syscache.h"
#include "utils/typcache.h"

#include "sql_spell.h"

/* An identifier, double-quoted when it must be: "Users", "order", id */
const char *
sql_ident(const char *name)
{
	return quote_identifier(name);
}

/* A string literal: 'it''s' (E'...' when it holds a backslash) */
char *
sql_literal(const char *value)
{
	return quote_literal_cstr(value);
}

/*
 * A type's name: qualified, except the types SQL spells as keywords
 * (integer; text is not one: pg_catalog.text); typmod -1 for none
 * (character varying, not character varying(20)).
 */
char *
sql_type(Oid typid, int32 typmod)
{
	return format_type_extended(typid, typmod,
								FORMAT_TYPE_FORCE_QUALIFY |
								(typmod >= 0 ? FORMAT_TYPE_TYPEMOD_GIVEN : 0));
}

/*
 * An operator by OID, schema-qualified: OPERATOR(pg_catalog.=).  Writing it
 * qualified keeps an operator that another role puts on the search_path
 * from being picked.
 */
char *
sql_operator(Oid opno)
{
	HeapTuple	tup = SearchSysCache1(OPEROID, ObjectIdGetDatum(opno));
	Form_pg_operator opr;
	char	   *result;

	if (!HeapTupleIsValid(tup))
		elog(ERROR, "cache lookup failed for operator %u", opno);
	opr = (Form_pg_operator) GETSTRUCT(tup);
	result = psprintf("OPERATOR(%s.%s)",
					  quote_identifier(get_namespace_name(opr->oprnamespace)),
					  NameStr(opr->oprname));
	ReleaseSysCache(tup);
	return result;
}

/* The default equality operator of a type; an error if it has none */
Oid
sql_eq_operator_oid(Oid typid)
{
	TypeCacheEntry *tce = lookup_type_cache(typid, TYPECACHE_EQ_OPR);

	if (!OidIsValid(tce->eq_opr))
		ereport(ERROR,
				(errcode(ERRCODE_UNDEFINED_FUNCTION),
				 errmsg("key type %s has no default equality operator",
						format_type_be(typid)),
				 errhint("Use a key column of a type with a btree or hash operator class.")));
	return tce->eq_opr;
}

/* The default equality operator of a type, spelled as sql_operator does */
char *
assoc_eq_operator(Oid typid)
{
	return sql_operator(sql_eq_operator_oid(typid));
}
