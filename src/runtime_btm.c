/*
 * runtime_btm.c
 *	  The helper the generated belongs_to_many writers call on their
 *	  optional through values (runtime.c has the others).
 */
#include "postgres.h"

#include "catalog/pg_type.h"
#include "fmgr.h"
#include "lib/stringinfo.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/jsonb.h"
#include "utils/lsyscache.h"

#include "runtime.h"

PG_FUNCTION_INFO_V1(assoc_check_through);

static bool
string_member(List *items, const char *s)
{
	ListCell   *lc;

	foreach(lc, items)
		if (strcmp((char *) lfirst(lc), s) == 0)
			return true;
	return false;
}

/*
 * assoc.check_through(through jsonb, allowed text[], source regclass,
 *                     alias text, tab regclass, keys text[]) RETURNS void
 *
 * Through values, when given, are a JSON object whose keys are columns of
 * the through table "tab" that they may set ("allowed": all but the two
 * keys "keys" of the association, and generated or identity columns).
 * Unknown keys are an error naming them (Sequelize drops them silently).
 */
Datum
assoc_check_through(PG_FUNCTION_ARGS)
{
	static const char *const args[] = {NULL, "allowed", "source", "alias", "tab", "keys"};
	Jsonb	   *values;
	List	   *allowed;
	List	   *keys;
	bool		has_null;
	List	   *unknown = NIL;
	JsonbIterator *it;
	JsonbValue	v;
	JsonbIteratorToken tok;
	char	   *alias;
	char	   *source;
	char	   *tab;

	assoc_require_args(fcinfo, "assoc.check_through", args, lengthof(args));
	if (PG_ARGISNULL(0))
		PG_RETURN_VOID();
	values = PG_GETARG_JSONB_P(0);
	alias = text_to_cstring(PG_GETARG_TEXT_PP(3));
	source = assoc_rel_name(PG_GETARG_OID(2));
	tab = assoc_rel_name(PG_GETARG_OID(4));
	if (!JB_ROOT_IS_OBJECT(values))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("through values must be a JSON object"),
				 errdetail("Association \"%s\" of table %s takes them as {\"column\": value, ...} for columns of %s.",
						   alias, source, tab)));

	allowed = assoc_text_array_items(PG_GETARG_ARRAYTYPE_P(1), &has_null);
	keys = assoc_text_array_items(PG_GETARG_ARRAYTYPE_P(5), &has_null);
	it = JsonbIteratorInit(&values->root);
	while ((tok = JsonbIteratorNext(&it, &v, true)) != WJB_DONE)
	{
		char	   *key;

		if (tok != WJB_KEY)
			continue;
		key = pnstrdup(v.val.string.val, v.val.string.len);
		if (!string_member(allowed, key))
			unknown = lappend(unknown, key);
	}
	if (unknown == NIL)
		PG_RETURN_VOID();

	ereport(ERROR,
			(errcode(ERRCODE_UNDEFINED_COLUMN),
			 list_length(unknown) == 1 ?
			 errmsg("through values of association \"%s\" of table %s name unknown column %s",
					alias, source, assoc_join_strings(unknown, "\"")) :
			 errmsg("through values of association \"%s\" of table %s name unknown columns %s",
					alias, source, assoc_join_strings(unknown, "\"")),
			 allowed == NIL ?
			 errdetail("Through table %s has no column they can set besides its keys %s, which the association sets.",
					   tab, assoc_join_strings(keys, "\"")) :
			 errdetail("They can set columns %s of through table %s; its keys %s are set by the association.",
					   assoc_join_strings(allowed, "\""), tab, assoc_join_strings(keys, "\"")),
			 errhint("Nothing was changed.")));
	PG_RETURN_VOID();
}
