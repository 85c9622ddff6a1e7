/*
 * sql_spell.c
 *	  How assoc spells SQL text: every writer of SQL (DDL, generated
 *	  accessors and loaders, the runtime, find_all) quotes identifiers and
 *	  literals, names relations, types and operators, writes casts and the
 *	  FOREIGN KEY and CREATE INDEX clauses through these functions, and
 *	  nothing else in src/ calls quote_identifier, quote_literal_cstr or
 *	  quote_qualified_identifier.  At the bottom of the layering: it calls
 *	  only PostgreSQL.
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

/* A schema-qualified relation: public."Users" */
char *
sql_qualname(const char *nspname, const char *relname)
{
	return quote_qualified_identifier(nspname, relname);
}

/* A string literal: 'it''s' (E'...' when it holds a backslash) */
char *
sql_literal(const char *value)
{
	return quote_literal_cstr(value);
}

/*
 * A cast, always spelled CAST(expr AS type): the one spelling, which also
 * reads well around expressions that "::" would bind to only in part.
 */
char *
sql_cast(const char *expr, const char *type)
{
	return psprintf("CAST(%s AS %s)", expr, type);
}

/* A relation as a regclass constant: CAST('public.owners' AS pg_catalog.regclass) */
char *
sql_regclass(const char *qualname)
{
	return sql_cast(sql_literal(qualname), "pg_catalog.regclass");
}

/* A text[] constant of the C strings in names: CAST(ARRAY['a', 'b'] AS pg_catalog.text[]) */
char *
sql_text_array(List *names)
{
	StringInfoData buf;
	ListCell   *lc;

	if (names == NIL)
		return sql_cast("'{}'", "pg_catalog.text[]");
	initStringInfo(&buf);
	appendStringInfoString(&buf, "ARRAY[");
	foreach(lc, names)
		appendStringInfo(&buf, "%s%s", foreach_current_index(lc) > 0 ? ", " : "",
						 sql_literal((char *) lfirst(lc)));
	appendStringInfoChar(&buf, ']');
	return sql_cast(buf.data, "pg_catalog.text[]");
}

/*
 * The items of a List, joined with sep ("a, b, c"); text gives an item's
 * text, or NULL when the items are C strings.  Nothing for an empty list.
 */
void
sql_append_joined(StringInfo buf, List *items, const char *sep,
				  SqlItemText text)
{
	ListCell   *lc;

	foreach(lc, items)
	{
		if (foreach_current_index(lc) > 0)
			appendStringInfoString(buf, sep);
		appendStringInfoString(buf, text ? text(lfirst(lc)) : (char *) lfirst(lc));
	}
}

/* The same as a new string: "" for an empty list. */
char *
sql_join_list(List *items, const char *sep, SqlItemText text)
{
	StringInfoData buf;

	initStringInfo(&buf);
	sql_append_joined(&buf, items, sep, text);
	return buf.data;
}

/*
 * A foreign-key constraint as CREATE TABLE and ALTER TABLE ADD write it:
 * CONSTRAINT name FOREIGN KEY (column) REFERENCES ref(key) ON DELETE ...;
 * refqual is already qualified and quoted (sql_qualname), the actions are
 * keywords (CASCADE, SET NULL, ...).
 */
char *
sql_fkey_clause(const char *conname, const char *column, const char *refqual,
				const char *refkey, const char *on_delete, const char *on_update)
{
	return psprintf("CONSTRAINT %s FOREIGN KEY (%s) REFERENCES %s(%s) ON DELETE %s ON UPDATE %s",
					sql_ident(conname), sql_ident(column), refqual,
					sql_ident(refkey), on_delete, on_update);
}

/* CREATE INDEX name ON qual (column); qual as sql_qualname spells it */
char *
sql_create_index(const char *index, const char *qual, const char *column)
{
	return psprintf("CREATE INDEX %s ON %s (%s)", sql_ident(index), qual,
					sql_ident(column));
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
