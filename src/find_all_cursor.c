/*
 * find_all_cursor.c
 *	  The keys of keyset pagination ("after") and the cursor strings that
 *	  find_all gives with "cursor": true and takes back in "after".
 *
 * A cursor is the JSON {"after": [values], "order": "owners: name DESC,
 * id"} in base64url (no padding): the values of the page's last row for
 * the keys of the order (the order's keys, then the primary key columns it
 * does not name), and the order it was made for, which the query taking it
 * back must have.  It is opaque to the application but not a secret nor
 * signed: decoded, its values are checked exactly like the values of an
 * "after" array (fa_keyset_condition(), find_all_where.c), each through its
 * column's input function, and only then written as literals; an edited
 * cursor can ask for nothing an "after" array could not.
 *
 * The statement writes the cursor of each row from the row itself
 * (find_all_deparse.c, with the signature made here), so that it holds the
 * keys whether or not the attributes do.
 */
#include "postgres.h"

#include "common/base64.h"
#include "common/jsonapi.h"
#include "mb/pg_wchar.h"
#include "utils/builtins.h"
#include "utils/jsonb.h"

#include "find_all_int.h"

/*
 * The keys of the keyset order of the top level node: its order's keys,
 * columns of the model each, then its primary key columns the order does
 * not name (every order of find_all ends with the primary key).  Without
 * an order, the primary key: find_all's order then.  option names the
 * option for the messages.
 */
List *
fa_keyset_keys(FaNode *node, const char *option)
{
	List	   *keys = list_copy(node->order);
	ListCell   *lc;
	ListCell   *lc2;

	foreach(lc, node->order)
	{
		FaSortKey  *k = lfirst(lc);

		if (k->agg != NULL)
			ereport(ERROR,
					(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
					 errmsg("option \"%s\" in %s cannot continue an order on aggregate %s",
							option, node->label, k->column->name),
					 errdetail("An aggregate changes as associated rows come and go, so a page boundary on it does not hold."),
					 errhint("Page such an order with \"limit\" and \"offset\".")));
		if (k->path != NIL || k->through)
			ereport(ERROR,
					(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
					 errmsg("option \"%s\" in %s needs an order on columns of table %s",
							option, node->label, node->table->qualname),
					 errdetail("An order key on an include's column (\"%s\") orders the rows by their first included row, which \"%s\" cannot continue from.",
							   k->column->name, option),
					 errhint("Order the pages by columns of the model; the includes' arrays may still be ordered by their own \"order\".")));
	}
	foreach(lc, node->pkey)
	{
		AssocColumn *col = lfirst(lc);
		bool		named = false;

		foreach(lc2, node->order)
			if (((FaSortKey *) lfirst(lc2))->column->attnum == col->attnum)
				named = true;
		if (!named)
		{
			FaSortKey  *k = palloc0(sizeof(FaSortKey));

			k->column = col;
			k->direction = "";
			keys = lappend(keys, k);
		}
	}
	return keys;
}

/*
 * The order a cursor is bound to: "owners: name DESC, id", the model's
 * table and each key with its direction, written the same for the same
 * order whichever way the options spell it (["id"] and [["id", "ASC"]],
 * "DESC" and "DESC NULLS FIRST").
 */
char *
fa_cursor_signature(FaNode *node, List *keys)
{
	StringInfoData buf;
	ListCell   *lc;

	initStringInfo(&buf);
	appendStringInfo(&buf, "%s:", node->table->qualname);
	foreach(lc, keys)
	{
		FaSortKey  *k = lfirst(lc);
		bool		desc = strstr(k->direction, "DESC") != NULL;
		bool		nulls_first = desc ? strstr(k->direction, "NULLS LAST") == NULL :
			strstr(k->direction, "NULLS FIRST") != NULL;

		appendStringInfo(&buf, "%s %s%s%s", lc == list_head(keys) ? "" : ",",
						 k->column->name, desc ? " DESC" : "",
						 nulls_first == desc ? "" :
						 nulls_first ? " NULLS FIRST" : " NULLS LAST");
	}
	return buf.data;
}

/* The error of a string in "after" that is no cursor of find_all. */
static void
not_a_cursor(FaNode *node, const char *why)
{
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("option \"after\" in %s is not a cursor of find_all", node->label),
			 errdetail("A string in \"after\" is the \"next\" of a page given with \"cursor\": true; this one %s.",
					   why),
			 errhint("Pass the \"next\" of the previous page as it came, or an array of the last row's values of the order.")));
}

/*
 * The values of the cursor text, a JSON array (JsonbValue *) for
 * fa_keyset_condition(), once the cursor is decoded and found to be of
 * the order whose signature is given.
 */
List *
fa_cursor_values(FaNode *node, const char *text, const char *signature)
{
	int			len = strlen(text);
	StringInfoData b64;
	char	   *raw;
	int			rawlen;
	char	   *json;
	JsonLexContext *lex;
	Jsonb	   *jb;
	JsonbValue	v;
	List	   *pairs;
	JsonbValue *order;
	JsonbValue *after;

	/* base64url without padding, back to base64 */
	initStringInfo(&b64);
	for (int i = 0; i < len; i++)
	{
		char		c = text[i];

		if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
			  (c >= '0' && c <= '9') || c == '-' || c == '_'))
			not_a_cursor(node, "has characters a cursor does not have");
		appendStringInfoChar(&b64, c == '-' ? '+' : c == '_' ? '/' : c);
	}
	while (b64.len % 4 != 0)
		appendStringInfoChar(&b64, '=');
	raw = palloc(pg_b64_dec_len(b64.len) + 1);
	rawlen = pg_b64_decode(b64.data, b64.len, raw, pg_b64_dec_len(b64.len));
	if (rawlen <= 0)
		not_a_cursor(node, "is not base64url");
	raw[rawlen] = '\0';
	if (!pg_verify_mbstr(PG_UTF8, raw, rawlen, true))
		not_a_cursor(node, "does not hold text");
	json = pg_any_to_server(raw, rawlen, PG_UTF8);

	/* checked as JSON before jsonb_in, whose error would not say why */
	lex = makeJsonLexContextCstringLen(json, strlen(json), GetDatabaseEncoding(), true);
	if (pg_parse_json(lex, &nullSemAction) != JSON_SUCCESS)
		not_a_cursor(node, "does not hold JSON");
	jb = DatumGetJsonbP(DirectFunctionCall1(jsonb_in, CStringGetDatum(json)));
	v.type = jbvBinary;
	v.val.binary.data = &jb->root;
	v.val.binary.len = VARSIZE(jb) - VARHDRSZ;
	if (!fa_json_is_object(&v))
		not_a_cursor(node, "does not hold an object");
	pairs = fa_json_pairs(&v);
	order = fa_pair_value(pairs, "order");
	after = fa_pair_value(pairs, "after");
	if (list_length(pairs) != 2 || order == NULL || order->type != jbvString ||
		after == NULL || !fa_json_is_array(after))
		not_a_cursor(node, "does not hold an order and values");
	if (strcmp(fa_json_scalar_text(order), signature) != 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("the cursor in option \"after\" of %s is of another order",
						node->label),
				 errdetail("It continues the order %s; this query's order is %s.",
						   fa_json_scalar_text(order), signature),
				 errhint("Pass a cursor with the options of the query that gave it, the same model and \"order\".")));
	return fa_json_elements(after);
}
