/*
 * scope.c
 *	  Association scopes, as Sequelize's scope and through.scope options: a
 *	  set of column = value pairs that the rows an association sees have,
 *	  and that its writers give the rows they link.
 *
 * A scope is given as a JSON object {"column": value, ...} whose values are
 * scalars (a string, number or boolean; null means IS NULL and writes
 * NULL).  It is read once from the argument (assoc_scope_read), then its
 * columns are looked up in the table it applies to and each value is
 * checked by the column type's input function (assoc_scope_resolve), so
 * that a bad scope is an error at declaration, naming the column, rather
 * than in every accessor.  The catalog keeps it in the association's
 * options as it was given, with the column numbers beside it, so that a
 * renamed column is followed (catalog.c).
 *
 * The SQL pieces: the conjunction the rows of a table alias must satisfy
 * (assoc_scope_cond), the SET list that gives rows the scope's values
 * (assoc_scope_sets), and the scope as a jsonb literal for assoc.insert_json.
 * Object-valued scopes (Sequelize's operators, {"$gt": 5}) are refused:
 * writers could not write them.
 */
#include "postgres.h"

#include "fmgr.h"
#include "lib/stringinfo.h"
#include "utils/builtins.h"
#include "utils/json.h"
#include "utils/jsonb.h"
#include "utils/lsyscache.h"

#include "ddl.h"
#include "scope.h"
#include "sql_spell.h"

/*
 * The text a JSON scalar (string, number, boolean) stands for, as a
 * column's input takes it; NULL for anything else.  find_all reads its
 * options' scalars with it too.
 */
char *
assoc_json_scalar_text(JsonbValue *v)
{
	switch (v->type)
	{
		case jbvString:
			return pnstrdup(v->val.string.val, v->val.string.len);
		case jbvNumeric:
			return DatumGetCString(DirectFunctionCall1(numeric_out,
													   NumericGetDatum(v->val.numeric)));
		case jbvBool:
			return pstrdup(v->val.boolean ? "true" : "false");
		default:
			return NULL;
	}
}

/* A JSON scalar as JSON text. */
static char *
scalar_json(JsonbValue *v)
{
	StringInfoData buf;

	switch (v->type)
	{
		case jbvNull:
			return pstrdup("null");
		case jbvString:
			initStringInfo(&buf);
			escape_json(&buf, assoc_json_scalar_text(v));
			return buf.data;
		default:
			return assoc_json_scalar_text(v);
	}
}

/*
 * The pairs of a scope argument, in jsonb's order of keys (so that two
 * scopes of the same pairs read alike).  NULL or {} is no scope.
 */
List *
assoc_scope_read(Jsonb *scope, const char *argname)
{
	JsonbIterator *it;
	JsonbValue	v;
	JsonbIteratorToken tok;
	List	   *result = NIL;
	char	   *key = NULL;

	if (scope == NULL)
		return NIL;
	if (!JB_ROOT_IS_OBJECT(scope) || JB_ROOT_IS_SCALAR(scope))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s must be a JSON object", argname),
				 errdetail("A scope is {\"column\": value, ...}, as Sequelize's scope option."),
				 errhint("Give %s => '{\"size\": \"big\"}'.", argname)));
	it = JsonbIteratorInit(&scope->root);
	while ((tok = JsonbIteratorNext(&it, &v, true)) != WJB_DONE)
	{
		AssocScopeValue *sv;

		if (tok == WJB_KEY)
		{
			key = pnstrdup(v.val.string.val, v.val.string.len);
			continue;
		}
		if (tok != WJB_VALUE)
			continue;
		if (v.type != jbvNull && v.type != jbvString && v.type != jbvNumeric &&
			v.type != jbvBool)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("value of column \"%s\" in %s must be a string, number, boolean or null",
							key, argname),
					 errdetail("The association's writers give its rows these values; an object or an array (an operator) cannot be written."),
					 errhint("Give one value per column.")));
		sv = palloc0(sizeof(AssocScopeValue));
		sv->name = key;
		sv->value = assoc_json_scalar_text(&v);
		sv->json = scalar_json(&v);
		result = lappend(result, sv);
	}
	return result;
}

/*
 * Does the column's type take the value?  The input function's complaint
 * (a data exception) becomes an error naming the scope and the column.
 */
static void
check_value(AssocScopeValue *sv, AssocTable *table, const char *argname)
{
	Oid			infunc;
	Oid			ioparam;
	MemoryContext cxt = CurrentMemoryContext;
	ErrorData  *volatile edata = NULL;

	if (sv->value == NULL)
		return;
	getTypeInputInfo(sv->column->typid, &infunc, &ioparam);
	PG_TRY();
	{
		(void) OidInputFunctionCall(infunc, sv->value, ioparam, sv->column->typmod);
	}
	PG_CATCH();
	{
		MemoryContextSwitchTo(cxt);
		edata = CopyErrorData();
		if (ERRCODE_TO_CATEGORY(edata->sqlerrcode) != ERRCODE_DATA_EXCEPTION)
			PG_RE_THROW();
		FlushErrorState();
	}
	PG_END_TRY();
	if (edata != NULL)
		ereport(ERROR,
				(errcode(edata->sqlerrcode),
				 errmsg("invalid value %s for column \"%s\" of table %s in %s",
						sv->json, sv->column->name, table->qualname, argname),
				 errdetail("%s", edata->message),
				 errhint("Give a value of type %s.",
						 format_type_with_typemod(sv->column->typid, sv->column->typmod))));
}

/*
 * Look the scope's columns up in table (the association's target, or its
 * through table for through_scope) and check their values.  A key column
 * of the association cannot be in a scope: the writers set it already.
 */
void
assoc_scope_resolve(List *scope, AssocTable *table, Association *a,
					const char *argname)
{
	ListCell   *lc;

	foreach(lc, scope)
	{
		AssocScopeValue *sv = lfirst(lc);
		AssocColumn *fk = a->foreign_key;
		AssocColumn *ok = a->other_key;

		sv->column = assoc_find_column(table->relid, sv->name);
		if (sv->column == NULL)
			ereport(ERROR,
					(errcode(ERRCODE_UNDEFINED_COLUMN),
					 errmsg("column \"%s\" of table %s in %s does not exist",
							sv->name, table->qualname, argname),
					 errhint("Name columns of table %s in %s.", table->qualname, argname)));
		if ((fk != NULL && fk->name != NULL && strcmp(fk->name, sv->name) == 0 &&
			 table == assoc_holder(a)) ||
			(ok != NULL && ok->name != NULL && strcmp(ok->name, sv->name) == 0 &&
			 table == a->through))
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("%s names column \"%s\", a key of association \"%s\"",
							argname, sv->name, a->alias),
					 errdetail("The association's writers set its keys themselves."),
					 errhint("Leave the key columns out of %s.", argname)));
		(void) sql_eq_operator_oid(sv->column->typid);
		check_value(sv, table, argname);
	}
}

/* {"column": value, ...} as given; NULL when there is no scope. */
char *
assoc_scope_json(List *scope)
{
	StringInfoData buf;
	ListCell   *lc;

	if (scope == NIL)
		return NULL;
	initStringInfo(&buf);
	appendStringInfoChar(&buf, '{');
	foreach(lc, scope)
	{
		AssocScopeValue *sv = lfirst(lc);

		if (foreach_current_index(lc) > 0)
			appendStringInfoString(&buf, ", ");
		escape_json(&buf, sv->column ? sv->column->name : sv->name);
		appendStringInfo(&buf, ": %s", sv->json);
	}
	appendStringInfoChar(&buf, '}');
	return buf.data;
}

/* [attnum, ...], in the order of assoc_scope_json */
char *
assoc_scope_attnums(List *scope)
{
	StringInfoData buf;
	ListCell   *lc;

	initStringInfo(&buf);
	appendStringInfoChar(&buf, '[');
	foreach(lc, scope)
	{
		AssocScopeValue *sv = lfirst(lc);

		appendStringInfo(&buf, "%s%d", foreach_current_index(lc) > 0 ? ", " : "",
						 sv->column->attnum);
	}
	appendStringInfoChar(&buf, ']');
	return buf.data;
}

/* Do two scopes have the same pairs? */
bool
assoc_scope_equal(List *a, List *b)
{
	char	   *ja = assoc_scope_json(a);
	char	   *jb = assoc_scope_json(b);

	if (ja == NULL || jb == NULL)
		return ja == jb;
	return strcmp(ja, jb) == 0;
}

/* The value of a pair, as a typed SQL expression. */
static char *
value_expr(AssocScopeValue *sv)
{
	return sql_cast(sql_literal(sv->value), sql_type(sv->column->typid, -1));
}

/*
 * The conjunction the rows of "alias" satisfy: " AND alias.col = value"
 * for each pair (IS NULL for null), or "" when there is no scope.
 */
char *
assoc_scope_cond(List *scope, const char *alias)
{
	StringInfoData buf;
	ListCell   *lc;

	initStringInfo(&buf);
	foreach(lc, scope)
	{
		AssocScopeValue *sv = lfirst(lc);

		if (sv->value == NULL)
			appendStringInfo(&buf, " AND %s.%s IS NULL", alias, sql_ident(sv->column->name));
		else
			appendStringInfo(&buf, " AND %s.%s %s %s", alias, sql_ident(sv->column->name),
							 assoc_eq_operator(sv->column->typid), value_expr(sv));
	}
	return buf.data;
}

/* ", col = value" for each pair: an UPDATE's SET list giving the scope. */
char *
assoc_scope_sets(List *scope)
{
	StringInfoData buf;
	ListCell   *lc;

	initStringInfo(&buf);
	foreach(lc, scope)
	{
		AssocScopeValue *sv = lfirst(lc);

		appendStringInfo(&buf, ", %s = %s", sql_ident(sv->column->name),
						 sv->value == NULL ? "NULL" : value_expr(sv));
	}
	return buf.data;
}

/* The value of the pair for column attnum, as an SQL expression, or NULL. */
char *
assoc_scope_value_of(List *scope, AttrNumber attnum)
{
	ListCell   *lc;

	foreach(lc, scope)
	{
		AssocScopeValue *sv = lfirst(lc);

		if (sv->column->attnum == attnum)
			return sv->value == NULL ? pstrdup("NULL") : value_expr(sv);
	}
	return NULL;
}

/* The scope as a jsonb literal, for assoc.insert_json's forced values. */
char *
assoc_scope_jsonb_literal(List *scope)
{
	return sql_cast(sql_literal(assoc_scope_json(scope)), "pg_catalog.jsonb");
}

/* A copy of a resolved scope in the current memory context. */
List *
assoc_scope_copy(List *scope)
{
	List	   *result = NIL;
	ListCell   *lc;

	foreach(lc, scope)
	{
		AssocScopeValue *sv = lfirst(lc);
		AssocScopeValue *n = palloc(sizeof(AssocScopeValue));

		n->name = pstrdup(sv->name);
		n->column = palloc(sizeof(AssocColumn));
		*n->column = *sv->column;
		n->column->name = pstrdup(sv->column->name);
		n->value = sv->value ? pstrdup(sv->value) : NULL;
		n->json = pstrdup(sv->json);
		result = lappend(result, n);
	}
	return result;
}
