/*
 * codegen.c
 *	  The accessor functions generated for an association (Sequelize's): their
 *	  names, signatures and SQL-standard bodies.
 *
 * All SQL text of generated functions is written here, with every table
 * schema-qualified, every identifier quoted with quote_identifier, every
 * literal with quote_literal_cstr, every function and non-keyword type
 * qualified, and key comparisons spelled OPERATOR(schema.=).
 *
 * Bodies are strings (AS $assoc$ ... $assoc$), not SQL-standard BEGIN
 * ATOMIC bodies.  A SQL-standard body records a dependency on every column
 * it reads or returns, and PostgreSQL then refuses DROP COLUMN and ALTER
 * COLUMN TYPE of any of them, and ALTER TABLE ... ADD COLUMN ... DEFAULT
 * while a body holds a value of the table's row type: the ordinary
 * migrations of every app.  A string body is parsed when it is called (or
 * inlined), under the caller's search_path; since every name in it is
 * qualified, it means the same whatever that search_path is, and
 * PostgreSQL inlines the read accessors into the calling query just the
 * same.  depend.c records what the functions depend on instead: their
 * tables and the extension.  After an ALTER TABLE, assoc_codegen_sync
 * rewrites only the functions whose text changed.
 *
 * Overloads.  An instance or target is accepted as a row of its table, as
 * its key, or as text (a driver's untyped $1, a quoted literal): PostgreSQL
 * resolves an argument of type unknown to the string category when one
 * overload offers it, where a row and an integer overload alone would be
 * ambiguous.  Arrays of targets likewise as an array of rows, an array of
 * keys, or text ('{1,2}').  A key whose type is itself a string type needs
 * no separate text form.
 *
 * Uncountable aliases (news, sheep: singular and plural alike) give the
 * accessors for one target and for several the same name, hub_add_news,
 * as Sequelize's addNews serves both.  The row and key overloads still
 * differ in type (news / news[], integer / integer[]); the two text
 * overloads would not, so there is one, taking a key or an array literal
 * (assoc_cg_many_forms).
 */
#include "postgres.h"

#include "access/table.h"
#include "access/xact.h"
#include "catalog/dependency.h"
#include "catalog/objectaddress.h"
#include "catalog/pg_class.h"
#include "catalog/pg_extension.h"
#include "catalog/pg_proc.h"
#include "commands/extension.h"
#include "catalog/pg_type.h"
#include "executor/spi.h"
#include "lib/stringinfo.h"
#include "utils/builtins.h"
#include "utils/regproc.h"
#include "utils/lsyscache.h"
#include "utils/rel.h"

#include "codegen.h"
#include "codegen_int.h"
#include "ddl.h"
#include "depend.h"
#include "naming.h"
#include "spi_util.h"

/* Lower-case ASCII, and anything but letters, digits and _ becomes _. */
static char *
identifier_part(const char *s)
{
	char	   *r = pstrdup(s);

	for (char *p = r; *p; p++)
	{
		unsigned char c = (unsigned char) *p;

		if (c >= 'A' && c <= 'Z')
			*p = c + ('a' - 'A');
		else if (!(c >= 'a' && c <= 'z') && !(c >= '0' && c <= '9') &&
				 c != '_' && c < 0x80)
			*p = '_';
	}
	return r;
}

/* owners -> owner, UserProfiles -> user_profile */
char *
assoc_function_prefix(AssocTable *source)
{
	return identifier_part(assoc_underscore(source->model));
}

/* pugs -> pugs, favoritePugs -> favorite_pugs */
char *
assoc_function_suffix(const char *alias_form)
{
	return identifier_part(assoc_underscore(alias_form));
}

char *
assoc_cg_regclass_literal(AssocTable *t)
{
	return psprintf("%s::pg_catalog.regclass", quote_literal_cstr(t->qualname));
}

char *
assoc_cg_text_literal(const char *s)
{
	return quote_literal_cstr(s);
}

/*
 * A type's name for generated SQL: qualified, except the types SQL spells
 * as keywords (integer, text is not one: pg_catalog.text).
 */
char *
assoc_cg_type(Oid typid, int32 typmod)
{
	return format_type_extended(typid, typmod,
								FORMAT_TYPE_FORCE_QUALIFY |
								(typmod >= 0 ? FORMAT_TYPE_TYPEMOD_GIVEN : 0));
}

/*
 * The FROM item that inserts a row of "table" from JSON and returns it:
 * assoc.insert_json(...) AS x(column type, ...).  The row comes back as a
 * record with its columns listed here rather than as a value of the
 * table's row type, which would keep ALTER TABLE ... ADD COLUMN ... DEFAULT
 * from running (see assoc_cg_add_func).
 */
char *
assoc_cg_insert_json(Gen *g, AssocTable *table, const char *values,
					 const char *forced, const char *alias)
{
	Relation	rel = table_open(table->relid, AccessShareLock);
	TupleDesc	desc = RelationGetDescr(rel);
	StringInfoData buf;
	bool		first = true;

	initStringInfo(&buf);
	appendStringInfo(&buf, "assoc.insert_json(%s, %s, %s, %s, %s) %s(",
					 assoc_cg_regclass_literal(table), values, forced,
					 g->srclit, g->aliaslit, alias);
	for (int i = 0; i < desc->natts; i++)
	{
		Form_pg_attribute att = TupleDescAttr(desc, i);

		if (att->attisdropped)
			continue;
		appendStringInfo(&buf, "%s%s %s", first ? "" : ", ",
						 quote_identifier(NameStr(att->attname)),
						 assoc_cg_type(att->atttypid, att->atttypmod));
		first = false;
	}
	appendStringInfoChar(&buf, ')');
	table_close(rel, AccessShareLock);
	return buf.data;
}

List *
assoc_cg_side_forms(Side *side, bool array)
{
	List	   *forms = NIL;
	Form	   *f;
	Oid			rowtype = get_rel_type_id(side->table->relid);
	char		category;
	bool		preferred;

	f = palloc0(sizeof(Form));
	f->kind = FORM_ROW;
	f->array = array;
	f->argtype = assoc_cg_type(array ? get_array_type(rowtype) : rowtype, -1);
	forms = lappend(forms, f);

	f = palloc0(sizeof(Form));
	f->kind = FORM_KEY;
	f->array = array;
	f->argtype = assoc_cg_type(array ? get_array_type(side->key->typid) : side->key->typid, -1);
	forms = lappend(forms, f);

	get_type_category_preferred(side->key->typid, &category, &preferred);
	if (category != TYPCATEGORY_STRING || array)
	{
		f = palloc0(sizeof(Form));
		f->kind = FORM_TEXT;
		f->array = array;
		f->argtype = "text";
		forms = lappend(forms, f);
	}
	return forms;
}

/*
 * The forms of the target for the accessors that come in pairs for one
 * target and for several (has_pug / has_pugs, add, remove; and set, which
 * takes several only) of has_many and belongs_to_many.
 *
 * When the alias is uncountable, the pair has one name, and the overloads
 * for one target taking text (the text form, or the key form of a text key)
 * would have the signature of the text overload for several: they are left
 * out, and the text overload for several takes a key or an array literal,
 * telling them apart as array input does (see assoc.check_key_or_keys).
 * Drivers' untyped parameters reach it with '5' as with '{5,6}'.
 */
List *
assoc_cg_many_forms(Gen *g, bool array)
{
	List	   *forms = assoc_cg_side_forms(&g->tgt, array);
	List	   *kept = NIL;
	ListCell   *lc;

	if (!g->uncountable)
		return forms;
	foreach(lc, forms)
	{
		Form	   *f = lfirst(lc);

		if (array && f->kind == FORM_TEXT)
			f->key_or_array = true;
		else if (!array && (f->kind == FORM_TEXT ||
							(f->kind == FORM_KEY && g->tgt.key->typid == TEXTOID)))
			continue;
		kept = lappend(kept, f);
	}
	return kept;
}

/*
 * The key value(s) an argument stands for: ($1)."id", $1, or the text
 * converted (with a message naming the association when it does not
 * convert).
 */
char *
assoc_cg_form_expr(Gen *g, Side *side, Form *f, int paramno)
{
	const char *key = quote_identifier(side->key->name);
	char	   *keytype;

	switch (f->kind)
	{
		case FORM_ROW:
			if (f->array)
				return psprintf("ARRAY(SELECT e.%s FROM pg_catalog.unnest($%d) e)",
								key, paramno);
			return psprintf("($%d).%s", paramno, key);
		case FORM_KEY:
			return psprintf("$%d", paramno);
		case FORM_TEXT:
			keytype = assoc_cg_type(f->array ? get_array_type(side->key->typid) :
									side->key->typid, -1);
			return psprintf("assoc.%s($%d, NULL::%s, %s, %s, %s)",
							f->key_or_array ? "check_key_or_keys" : "check_key",
							paramno, keytype, g->srclit,
							g->aliaslit, assoc_cg_text_literal(side->role));
	}
	return NULL;
}

/* The parameter list entry "name type" */
char *
assoc_cg_param(const char *name, Form *f)
{
	return psprintf("%s %s", quote_identifier(name), f->argtype);
}

void
assoc_cg_add_func(Gen *g, const char *name, List *params, List *argtypes,
		 const char *rettype, bool stable, const char *body)
{
	GenFunc    *fn = palloc0(sizeof(GenFunc));
	StringInfoData sig;
	StringInfoData sql;
	ListCell   *lc;
	char	   *tag = pstrdup("$assoc$");

	initStringInfo(&sig);
	appendStringInfo(&sig, "%s.%s(", g->schema, quote_identifier(name));
	foreach(lc, argtypes)
		appendStringInfo(&sig, "%s%s", foreach_current_index(lc) > 0 ? ", " : "",
						 (char *) lfirst(lc));
	appendStringInfoChar(&sig, ')');

	/* the text PostgreSQL keeps as prosrc, compared by assoc_codegen_sync */
	fn->body = psprintf("\n%s", body);
	/* a dollar quote the body does not contain */
	for (int n = 1; strstr(fn->body, tag) != NULL; n++)
		tag = psprintf("$assoc%d$", n);

	initStringInfo(&sql);
	appendStringInfo(&sql, "FUNCTION %s.%s(", g->schema, quote_identifier(name));
	foreach(lc, params)
		appendStringInfo(&sql, "%s%s", foreach_current_index(lc) > 0 ? ", " : "",
						 (char *) lfirst(lc));
	appendStringInfo(&sql, ") RETURNS %s LANGUAGE sql %s\nAS %s%s%s",
					 rettype, stable ? "STABLE PARALLEL SAFE" : "VOLATILE",
					 tag, fn->body, tag);

	fn->name = pstrdup(name);
	fn->signature = sig.data;
	fn->sql = sql.data;
	g->funcs = lappend(g->funcs, fn);
}

char *
assoc_cg_fname(Gen *g, const char *verb, const char *alias_form)
{
	char	   *name = psprintf("%s_%s_%s", g->prefix, verb,
								assoc_function_suffix(alias_form));

	if (strlen(name) >= NAMEDATALEN)
		ereport(ERROR,
				(errcode(ERRCODE_NAME_TOO_LONG),
				 errmsg("generated function name \"%s\" is longer than %d bytes",
						name, NAMEDATALEN - 1),
				 errdetail("PostgreSQL would truncate it, and truncated names of different accessors could collide."),
				 errhint("Declare the association with a shorter alias => '...'.")));
	return name;
}

/* ---- statements shared by the writers ---- */

/* Lock the instance row (serializing writers on it); error when missing. */
static void
stmt_lock(StringInfo b, Gen *g, Side *side, const char *expr, const char *eq,
		  const char *lock)
{
	appendStringInfo(b,
					 "SELECT assoc.require_row(pg_catalog.count(*), %s, %s, %s, %s, %s, CAST(%s AS pg_catalog.text))"
					 " FROM (SELECT FROM %s x WHERE x.%s %s %s FOR %s OF x) l;\n",
					 g->srclit, g->aliaslit, assoc_cg_text_literal(side->role),
					 assoc_cg_regclass_literal(side->table),
					 assoc_cg_text_literal(side->key->name), expr,
					 side->table->qualname, quote_identifier(side->key->name),
					 eq, expr, lock);
}

/* Every key in the array exists in the target table (none NULL). */
static void
stmt_targets_exist(StringInfo b, Gen *g, const char *arr)
{
	appendStringInfo(b,
					 "SELECT assoc.require_keys(ARRAY(SELECT CAST(k.v AS pg_catalog.text) FROM pg_catalog.unnest(%s) AS k(v)"
					 " WHERE k.v IS NULL OR NOT EXISTS (SELECT FROM %s t WHERE t.%s %s k.v)), %s, %s, %s, %s, %s);\n",
					 arr, g->T, g->tk, g->eqT, g->srclit, g->aliaslit,
					 assoc_cg_text_literal(g->tgt.role), assoc_cg_regclass_literal(g->a->target),
					 assoc_cg_text_literal(g->a->target_key->name));
}

/* A single optional target exists when given. */
static void
stmt_target_exists(StringInfo b, Gen *g, const char *j)
{
	appendStringInfo(b,
					 "SELECT assoc.require_keys(ARRAY(SELECT CAST(%s AS pg_catalog.text)"
					 " WHERE %s IS NOT NULL AND NOT EXISTS (SELECT FROM %s t WHERE t.%s %s %s)), %s, %s, %s, %s, %s);\n",
					 j, j, g->T, g->tk, g->eqT, j, g->srclit, g->aliaslit,
					 assoc_cg_text_literal(g->tgt.role), assoc_cg_regclass_literal(g->a->target),
					 assoc_cg_text_literal(g->a->target_key->name));
}

/* Lock target rows in key order, so that writers never deadlock. */
static void
stmt_lock_targets(StringInfo b, Gen *g, const char *where)
{
	appendStringInfo(b,
					 "SELECT pg_catalog.count(*) FROM (SELECT FROM %s t WHERE %s ORDER BY t.%s FOR NO KEY UPDATE OF t) l;\n",
					 g->T, where, g->tk);
}

/*
 * When the foreign key is NOT NULL, refuse to unlink: name the rows that
 * would lose their link.  "side" is the table holding the key.
 */
static void
stmt_nullable(StringInfo b, Gen *g, Side *side, const char *where)
{
	AssocTable *holder = assoc_holder(g->a);

	if (!g->a->foreign_key->notnull)
		return;
	appendStringInfo(b,
					 "SELECT assoc.require_nullable(ARRAY(SELECT CAST(t.%s AS pg_catalog.text) FROM %s t WHERE %s ORDER BY t.%s), %s, %s, %s, %s, %s);\n",
					 quote_identifier(side->key->name), holder->qualname, where,
					 quote_identifier(side->key->name), g->srclit, g->aliaslit,
					 assoc_cg_text_literal(side->role), assoc_cg_regclass_literal(holder),
					 assoc_cg_text_literal(g->a->foreign_key->name));
}


/* ---- has_many ---- */

static void
gen_has_many(Gen *g)
{
	Association *a = g->a;
	List	   *iforms = assoc_cg_side_forms(&g->src, false);
	List	   *tforms = assoc_cg_many_forms(g, false);
	List	   *aforms = assoc_cg_many_forms(g, true);
	ListCell   *lc1,
			   *lc2;
	char	   *S = g->S,
			   *T = g->T;

	foreach(lc1, iforms)
	{
		Form	   *fi = lfirst(lc1);
		char	   *I = assoc_cg_form_expr(g, &g->src, fi, 1);
		List	   *p1 = list_make1(assoc_cg_param(g->src.param, fi));
		List	   *t1 = list_make1((char *) fi->argtype);
		StringInfoData b;
		char	   *ret = psprintf("SETOF %s", T);

		/* get */
		initStringInfo(&b);
		appendStringInfo(&b, "SELECT t.* FROM %s t WHERE t.%s %s %s ORDER BY t.%s;\n",
						 T, g->fk, g->eqF, I, g->tk);
		assoc_cg_add_func(g, assoc_cg_fname(g, "get", a->plural), p1, t1, ret, true, b.data);

		/* count */
		initStringInfo(&b);
		appendStringInfo(&b, "SELECT pg_catalog.count(*) FROM %s t WHERE t.%s %s %s;\n",
						 T, g->fk, g->eqF, I);
		assoc_cg_add_func(g, assoc_cg_fname(g, "count", a->plural), p1, t1, "bigint", true, b.data);

		/* create */
		initStringInfo(&b);
		stmt_lock(&b, g, &g->src, I, g->eqS, "NO KEY UPDATE");
		appendStringInfo(&b, "SELECT n.* FROM %s;\n",
						 assoc_cg_insert_json(g, a->target, "$2",
											  psprintf("pg_catalog.jsonb_build_object(%s, %s)",
													   assoc_cg_text_literal(a->foreign_key->name), I),
											  "n"));
		assoc_cg_add_func(g, assoc_cg_fname(g, "create", a->singular),
				 list_make2(assoc_cg_param(g->src.param, fi), pstrdup("\"values\" jsonb DEFAULT '{}'")),
				 list_make2((char *) fi->argtype, pstrdup("jsonb")), T, false, b.data);

		/* the functions taking one target or an array of them */
		foreach(lc2, tforms)
		{
			Form	   *ft = lfirst(lc2);
			char	   *J = assoc_cg_form_expr(g, &g->tgt, ft, 2);
			char	   *A = psprintf("ARRAY[%s]", J);
			List	   *p2 = list_make2(assoc_cg_param(g->src.param, fi), assoc_cg_param(g->tgt.param, ft));
			List	   *t2 = list_make2((char *) fi->argtype, (char *) ft->argtype);

			initStringInfo(&b);
			appendStringInfo(&b,
							 "SELECT EXISTS (SELECT FROM %s t WHERE t.%s %s %s AND t.%s %s %s);\n",
							 T, g->tk, g->eqT, J, g->fk, g->eqF, I);
			assoc_cg_add_func(g, assoc_cg_fname(g, "has", a->singular), p2, t2, "boolean", true, b.data);

			initStringInfo(&b);
			stmt_lock(&b, g, &g->src, I, g->eqS, "NO KEY UPDATE");
			stmt_targets_exist(&b, g, A);
			stmt_lock_targets(&b, g, psprintf("t.%s %s ANY (%s)", g->tk, g->eqT, A));
			appendStringInfo(&b, "UPDATE %s t SET %s = %s%s WHERE t.%s %s ANY (%s);\n",
							 T, g->fk, I, g->upd, g->tk, g->eqT, A);
			appendStringInfo(&b, "SELECT s.* FROM %s s WHERE s.%s %s %s;\n", S, g->sk, g->eqS, I);
			assoc_cg_add_func(g, assoc_cg_fname(g, "add", a->singular), p2, t2, S, false, b.data);

			initStringInfo(&b);
			stmt_lock(&b, g, &g->src, I, g->eqS, "NO KEY UPDATE");
			stmt_targets_exist(&b, g, A);
			stmt_lock_targets(&b, g, psprintf("t.%s %s %s AND t.%s %s ANY (%s)",
											  g->fk, g->eqF, I, g->tk, g->eqT, A));
			stmt_nullable(&b, g, &g->tgt, psprintf("t.%s %s %s AND t.%s %s ANY (%s)",
												   g->fk, g->eqF, I, g->tk, g->eqT, A));
			appendStringInfo(&b, "UPDATE %s t SET %s = NULL%s WHERE t.%s %s %s AND t.%s %s ANY (%s);\n",
							 T, g->fk, g->upd, g->fk, g->eqF, I, g->tk, g->eqT, A);
			appendStringInfo(&b, "SELECT s.* FROM %s s WHERE s.%s %s %s;\n", S, g->sk, g->eqS, I);
			assoc_cg_add_func(g, assoc_cg_fname(g, "remove", a->singular), p2, t2, S, false, b.data);
		}

		foreach(lc2, aforms)
		{
			Form	   *ft = lfirst(lc2);
			char	   *A = assoc_cg_form_expr(g, &g->tgt, ft, 2);
			char	   *Aset = psprintf("COALESCE(%s, '{}')", A);
			List	   *p2 = list_make2(assoc_cg_param(g->src.param, fi), assoc_cg_param(g->tgt.params, ft));
			List	   *t2 = list_make2((char *) fi->argtype, (char *) ft->argtype);

			/*
			 * has all: every given target is linked; [] is true, and a NULL
			 * array or a NULL element false, as Sequelize's hasPugs (it
			 * looks for "id" IS NULL).
			 */
			initStringInfo(&b);
			appendStringInfo(&b,
							 "SELECT $2 IS NOT NULL AND NOT EXISTS (SELECT FROM pg_catalog.unnest(%s) AS k(v)"
							 " WHERE NOT EXISTS (SELECT FROM %s t WHERE t.%s %s k.v AND t.%s %s %s));\n",
							 A, T, g->tk, g->eqT, g->fk, g->eqF, I);
			assoc_cg_add_func(g, assoc_cg_fname(g, "has", a->plural), p2, t2, "boolean", true, b.data);

			/* set: exactly these; the others lose the link */
			initStringInfo(&b);
			stmt_lock(&b, g, &g->src, I, g->eqS, "NO KEY UPDATE");
			stmt_targets_exist(&b, g, Aset);
			stmt_lock_targets(&b, g, psprintf("t.%s %s %s OR t.%s %s ANY (%s)",
											  g->fk, g->eqF, I, g->tk, g->eqT, Aset));
			stmt_nullable(&b, g, &g->tgt, psprintf("t.%s %s %s AND NOT (t.%s %s ANY (%s))",
												   g->fk, g->eqF, I, g->tk, g->eqT, Aset));
			appendStringInfo(&b, "UPDATE %s t SET %s = NULL%s WHERE t.%s %s %s AND NOT (t.%s %s ANY (%s));\n",
							 T, g->fk, g->upd, g->fk, g->eqF, I, g->tk, g->eqT, Aset);
			appendStringInfo(&b, "UPDATE %s t SET %s = %s%s WHERE t.%s %s ANY (%s) AND (t.%s IS NULL OR NOT (t.%s %s %s));\n",
							 T, g->fk, I, g->upd, g->tk, g->eqT, Aset, g->fk, g->fk, g->eqF, I);
			appendStringInfo(&b, "SELECT s.* FROM %s s WHERE s.%s %s %s;\n", S, g->sk, g->eqS, I);
			assoc_cg_add_func(g, assoc_cg_fname(g, "set", a->plural), p2, t2, S, false, b.data);

			initStringInfo(&b);
			stmt_lock(&b, g, &g->src, I, g->eqS, "NO KEY UPDATE");
			stmt_targets_exist(&b, g, A);
			stmt_lock_targets(&b, g, psprintf("t.%s %s ANY (%s)", g->tk, g->eqT, A));
			appendStringInfo(&b, "UPDATE %s t SET %s = %s%s WHERE t.%s %s ANY (%s);\n",
							 T, g->fk, I, g->upd, g->tk, g->eqT, A);
			appendStringInfo(&b, "SELECT s.* FROM %s s WHERE s.%s %s %s;\n", S, g->sk, g->eqS, I);
			assoc_cg_add_func(g, assoc_cg_fname(g, "add", a->plural), p2, t2, S, false, b.data);

			initStringInfo(&b);
			stmt_lock(&b, g, &g->src, I, g->eqS, "NO KEY UPDATE");
			stmt_targets_exist(&b, g, A);
			stmt_lock_targets(&b, g, psprintf("t.%s %s %s AND t.%s %s ANY (%s)",
											  g->fk, g->eqF, I, g->tk, g->eqT, A));
			stmt_nullable(&b, g, &g->tgt, psprintf("t.%s %s %s AND t.%s %s ANY (%s)",
												   g->fk, g->eqF, I, g->tk, g->eqT, A));
			appendStringInfo(&b, "UPDATE %s t SET %s = NULL%s WHERE t.%s %s %s AND t.%s %s ANY (%s);\n",
							 T, g->fk, g->upd, g->fk, g->eqF, I, g->tk, g->eqT, A);
			appendStringInfo(&b, "SELECT s.* FROM %s s WHERE s.%s %s %s;\n", S, g->sk, g->eqS, I);
			assoc_cg_add_func(g, assoc_cg_fname(g, "remove", a->plural), p2, t2, S, false, b.data);
		}
	}
}

/* ---- has_one ---- */

static void
gen_has_one(Gen *g)
{
	Association *a = g->a;
	List	   *iforms = assoc_cg_side_forms(&g->src, false);
	List	   *tforms = assoc_cg_side_forms(&g->tgt, false);
	ListCell   *lc1,
			   *lc2;
	char	   *T = g->T;

	foreach(lc1, iforms)
	{
		Form	   *fi = lfirst(lc1);
		char	   *I = assoc_cg_form_expr(g, &g->src, fi, 1);
		List	   *p1 = list_make1(assoc_cg_param(g->src.param, fi));
		List	   *t1 = list_make1((char *) fi->argtype);
		StringInfoData b;
		char	   *linked = psprintf("t.%s %s %s", g->fk, g->eqF, I);

		initStringInfo(&b);
		appendStringInfo(&b, "SELECT t.* FROM %s t WHERE %s ORDER BY t.%s LIMIT 1;\n",
						 T, linked, g->tk);
		assoc_cg_add_func(g, assoc_cg_fname(g, "get", a->singular), p1, t1, T, true, b.data);

		/* create: the new target replaces the linked one, as set does */
		initStringInfo(&b);
		stmt_lock(&b, g, &g->src, I, g->eqS, "NO KEY UPDATE");
		stmt_lock_targets(&b, g, linked);
		stmt_nullable(&b, g, &g->tgt, linked);
		appendStringInfo(&b, "UPDATE %s t SET %s = NULL%s WHERE %s;\n",
						 T, g->fk, g->upd, linked);
		appendStringInfo(&b, "SELECT n.* FROM %s;\n",
						 assoc_cg_insert_json(g, a->target, "$2",
											  psprintf("pg_catalog.jsonb_build_object(%s, %s)",
													   assoc_cg_text_literal(a->foreign_key->name), I),
											  "n"));
		assoc_cg_add_func(g, assoc_cg_fname(g, "create", a->singular),
				 list_make2(assoc_cg_param(g->src.param, fi), pstrdup("\"values\" jsonb DEFAULT '{}'")),
				 list_make2((char *) fi->argtype, pstrdup("jsonb")), T, false, b.data);

		foreach(lc2, tforms)
		{
			Form	   *ft = lfirst(lc2);
			char	   *J = assoc_cg_form_expr(g, &g->tgt, ft, 2);
			char	   *others = psprintf("%s AND (%s IS NULL OR NOT (t.%s %s %s))",
										  linked, J, g->tk, g->eqT, J);

			initStringInfo(&b);
			stmt_lock(&b, g, &g->src, I, g->eqS, "NO KEY UPDATE");
			stmt_target_exists(&b, g, J);
			stmt_lock_targets(&b, g, psprintf("%s OR t.%s %s %s", linked, g->tk, g->eqT, J));
			stmt_nullable(&b, g, &g->tgt, others);
			appendStringInfo(&b, "UPDATE %s t SET %s = NULL%s WHERE %s;\n",
							 T, g->fk, g->upd, others);
			appendStringInfo(&b, "UPDATE %s t SET %s = %s%s WHERE t.%s %s %s AND (t.%s IS NULL OR NOT (t.%s %s %s));\n",
							 T, g->fk, I, g->upd, g->tk, g->eqT, J, g->fk, g->fk, g->eqF, I);
			appendStringInfo(&b, "SELECT t.* FROM %s t WHERE t.%s %s %s;\n", T, g->tk, g->eqT, J);
			assoc_cg_add_func(g, assoc_cg_fname(g, "set", a->singular),
					 list_make2(assoc_cg_param(g->src.param, fi), assoc_cg_param(g->tgt.param, ft)),
					 list_make2((char *) fi->argtype, (char *) ft->argtype), T, false, b.data);
		}
	}
}

/* ---- belongs_to ---- */

static void
gen_belongs_to(Gen *g)
{
	Association *a = g->a;
	List	   *iforms = assoc_cg_side_forms(&g->src, false);
	List	   *tforms = assoc_cg_side_forms(&g->tgt, false);
	ListCell   *lc1,
			   *lc2;
	char	   *S = g->S,
			   *T = g->T;

	foreach(lc1, iforms)
	{
		Form	   *fi = lfirst(lc1);
		char	   *I = assoc_cg_form_expr(g, &g->src, fi, 1);
		List	   *p1 = list_make1(assoc_cg_param(g->src.param, fi));
		List	   *t1 = list_make1((char *) fi->argtype);
		StringInfoData b;

		/* get: a row brings its own foreign key, a key is looked up */
		initStringInfo(&b);
		if (fi->kind == FORM_ROW)
			appendStringInfo(&b, "SELECT t.* FROM %s t WHERE t.%s %s ($1).%s;\n",
							 T, g->tk, g->eqT, g->fk);
		else
			appendStringInfo(&b, "SELECT t.* FROM %s t WHERE t.%s %s (SELECT s.%s FROM %s s WHERE s.%s %s %s);\n",
							 T, g->tk, g->eqT, g->fk, S, g->sk, g->eqS, I);
		assoc_cg_add_func(g, assoc_cg_fname(g, "get", a->singular), p1, t1, T, true, b.data);

		/* create: insert the target, point the instance at it */
		initStringInfo(&b);
		stmt_lock(&b, g, &g->src, I, g->eqS, "NO KEY UPDATE");
		appendStringInfo(&b,
						 "WITH n AS (SELECT x.* FROM %s),"
						 " u AS (UPDATE %s s SET %s = n.%s%s FROM n WHERE s.%s %s %s)"
						 " SELECT n.* FROM n;\n",
						 assoc_cg_insert_json(g, a->target, "$2", "'{}'::pg_catalog.jsonb", "x"),
						 S, g->fk, g->tk, g->upd, g->sk, g->eqS, I);
		assoc_cg_add_func(g, assoc_cg_fname(g, "create", a->singular),
				 list_make2(assoc_cg_param(g->src.param, fi), pstrdup("\"values\" jsonb DEFAULT '{}'")),
				 list_make2((char *) fi->argtype, pstrdup("jsonb")), T, false, b.data);

		foreach(lc2, tforms)
		{
			Form	   *ft = lfirst(lc2);
			char	   *J = assoc_cg_form_expr(g, &g->tgt, ft, 2);

			/*
			 * As Sequelize's setOwner, which saves only a changed foreign
			 * key: the same owner again (or NULL when already NULL) writes
			 * nothing and leaves updatedAt alone.  The row is returned
			 * either way.
			 */
			initStringInfo(&b);
			stmt_lock(&b, g, &g->src, I, g->eqS, "NO KEY UPDATE");
			stmt_target_exists(&b, g, J);
			stmt_nullable(&b, g, &g->src,
						  psprintf("%s IS NULL AND t.%s %s %s", J, g->sk, g->eqS, I));
			appendStringInfo(&b, "UPDATE %s s SET %s = %s%s WHERE s.%s %s %s"
							 " AND NOT COALESCE(s.%s %s %s, s.%s IS NULL AND %s IS NULL);\n",
							 S, g->fk, J, g->upd, g->sk, g->eqS, I,
							 g->fk, g->eqF, J, g->fk, J);
			appendStringInfo(&b, "SELECT s.* FROM %s s WHERE s.%s %s %s;\n",
							 S, g->sk, g->eqS, I);
			assoc_cg_add_func(g, assoc_cg_fname(g, "set", a->singular),
					 list_make2(assoc_cg_param(g->src.param, fi), assoc_cg_param(g->tgt.param, ft)),
					 list_make2((char *) fi->argtype, (char *) ft->argtype), S, false, b.data);
		}
	}
}

/*
 * All functions of an association, named and written but not yet created.
 */
List *
assoc_codegen(Association *a)
{
	Gen			g;
	AssocTable *holder = assoc_holder(a);
	char	   *tparam;

	memset(&g, 0, sizeof(g));
	g.a = a;
	g.schema = quote_identifier(a->source->nspname);
	g.prefix = a->prefix ? a->prefix : assoc_function_prefix(a->source);
	g.S = a->source->qualname;
	g.T = a->target->qualname;
	g.sk = quote_identifier(a->source_key->name);
	g.tk = quote_identifier(a->target_key->name);
	g.fk = quote_identifier(a->foreign_key->name);
	g.eqS = assoc_eq_operator(a->source_key->typid);
	g.eqT = assoc_eq_operator(a->target_key->typid);
	g.eqF = assoc_eq_operator(assoc_referenced_key(a)->typid);
	g.srclit = assoc_cg_regclass_literal(a->source);
	g.aliaslit = assoc_cg_text_literal(a->alias);
	g.uncountable = strcmp(assoc_function_suffix(a->singular),
						   assoc_function_suffix(a->plural)) == 0;
	g.upd = holder->updated_at == NULL ? "" :
		psprintf(", %s = pg_catalog.now()", quote_identifier(holder->updated_at->name));

	g.src.table = a->source;
	g.src.key = a->source_key;
	g.src.role = a->source->model;
	g.src.param = g.prefix;
	g.src.params = g.prefix;
	g.tgt.table = a->target;
	g.tgt.key = a->target_key;
	g.tgt.role = a->singular;
	tparam = assoc_function_suffix(a->singular);
	if (strcmp(tparam, g.prefix) == 0)
		tparam = psprintf("other_%s", tparam);
	g.tgt.param = tparam;
	g.tgt.params = assoc_function_suffix(a->plural);
	if (strcmp(g.tgt.params, g.prefix) == 0)
		g.tgt.params = psprintf("other_%s", g.tgt.params);

	switch (a->kind)
	{
		case ASSOC_BELONGS_TO:
			gen_belongs_to(&g);
			break;
		case ASSOC_HAS_ONE:
			gen_has_one(&g);
			break;
		case ASSOC_HAS_MANY:
			gen_has_many(&g);
			break;
		case ASSOC_BELONGS_TO_MANY:
			assoc_gen_belongs_to_many(&g);
			break;
	}
	assoc_gen_loaders(&g);
	return g.funcs;
}

/* Distinct function names, comma-separated, in generation order. */
char *
assoc_codegen_names(List *funcs)
{
	StringInfoData buf;
	List	   *seen = NIL;
	ListCell   *lc;

	initStringInfo(&buf);
	foreach(lc, funcs)
	{
		GenFunc    *fn = lfirst(lc);

		if (list_member(seen, makeString(fn->name)))
			continue;
		seen = lappend(seen, makeString(fn->name));
		appendStringInfo(&buf, "%s%s", buf.len > 0 ? ", " : "", fn->name);
	}
	return buf.data;
}

/*
 * A generated name must not be taken by a function that is not ours: say
 * which, rather than fail on CREATE FUNCTION or replace someone's function.
 */
void
assoc_codegen_check_names(Association *a, List *funcs)
{
	ListCell   *lc;
	Oid			nsp = get_rel_namespace(a->source->relid);
	List	   *seen = NIL;

	foreach(lc, funcs)
	{
		GenFunc    *fn = lfirst(lc);
		Oid			argtypes[2] = {TEXTOID, OIDOID};
		Datum		values[2];

		if (list_member(seen, makeString(fn->name)))
			continue;
		seen = lappend(seen, makeString(fn->name));
		values[0] = CStringGetTextDatum(fn->name);
		values[1] = ObjectIdGetDatum(nsp);
		assoc_spi_exec_args("SELECT p.oid::pg_catalog.regprocedure::pg_catalog.text"
							"  FROM pg_catalog.pg_proc p"
							" WHERE p.proname = $1 AND p.pronamespace = $2"
							" ORDER BY p.oid LIMIT 1",
							2, argtypes, values, NULL, SPI_OK_SELECT);
		if (SPI_processed > 0)
			ereport(ERROR,
					(errcode(ERRCODE_DUPLICATE_FUNCTION),
					 errmsg("function %s already exists", assoc_spi_getstring(0, 1)),
					 errdetail("Association \"%s\" of table %s would generate functions named %s.",
							   a->alias, a->source->qualname, fn->name),
					 errhint("Drop or rename that function, or declare the association with another alias => '...'.")));
	}
}

/* The OID of a function, by its signature; InvalidOid when there is none. */
static Oid
function_oid(const char *signature)
{
	Oid			argtypes[1] = {TEXTOID};
	Datum		values[1];

	values[0] = CStringGetTextDatum(signature);
	assoc_spi_exec_args("SELECT pg_catalog.to_regprocedure($1)::pg_catalog.oid",
						1, argtypes, values, NULL, SPI_OK_SELECT);
	if (SPI_processed != 1 || assoc_spi_isnull(0, 1))
		return InvalidOid;
	return DatumGetObjectId(assoc_spi_getdatum(0, 1));
}

/* Create or replace one function, and record its dependencies. */
static void
create_function(Association *a, GenFunc *fn, bool replace)
{
	Oid			fnoid;

	assoc_spi_exec(psprintf("%s %s", replace ? "CREATE OR REPLACE" : "CREATE",
							fn->sql), SPI_OK_UTILITY);
	fnoid = function_oid(fn->signature);
	if (!OidIsValid(fnoid))
		elog(ERROR, "generated function %s is missing", fn->signature);
	assoc_record_function_deps(fnoid, a->source->relid, a->target->relid,
							   a->through ? a->through->relid : InvalidOid);
	CommandCounterIncrement();
}

void
assoc_codegen_run(Association *a, List *funcs, bool replace)
{
	ListCell   *lc;

	foreach(lc, funcs)
		create_function(a, (GenFunc *) lfirst(lc), replace);
}

/*
 * Bring the existing functions of a stored association in line with funcs,
 * what the association generates for its tables as they are now: create the
 * functions that are missing, replace those whose body changed, and drop
 * those no longer generated (a key whose type changed changes the argument
 * types).  Functions whose text is unchanged are left alone, so that an
 * ALTER TABLE that does not change what assoc writes (ADD COLUMN, a column
 * type, a constraint) costs one catalog query.  With all_deps, the
 * dependencies of the functions left alone are recorded again too (after an
 * upgrade: 0.1.0 recorded one on the foreign-key column).  Returns how many
 * functions were created, replaced or dropped.
 */
int
assoc_codegen_sync(Association *a, List *funcs, bool all_deps)
{
	Oid			argtypes[1] = {INT4OID};
	Datum		values[1];
	List	   *old_oids = NIL;
	List	   *old_srcs = NIL;
	List	   *kept = NIL;
	List	   *stale = NIL;
	ListCell   *lc;
	int			changed = 0;

	values[0] = Int32GetDatum(a->id);
	assoc_spi_exec_args("SELECT p.oid, p.prosrc"
						"  FROM assoc.associations a, pg_catalog.unnest(a.functions) f,"
						"       pg_catalog.pg_proc p"
						" WHERE a.id = $1 AND p.oid = f",
						1, argtypes, values, NULL, SPI_OK_SELECT);
	for (uint64 i = 0; i < SPI_processed; i++)
	{
		old_oids = lappend_oid(old_oids, DatumGetObjectId(assoc_spi_getdatum(i, 1)));
		/* a SQL-standard body (from assoc 0.1.0) has no prosrc text */
		old_srcs = lappend(old_srcs, assoc_spi_isnull(i, 2) ? "" : assoc_spi_getstring(i, 2));
	}

	/* the OIDs of the functions as generated now, in one query */
	{
		int			n = list_length(funcs);
		Datum	   *elems = palloc(sizeof(Datum) * Max(n, 1));
		Oid			sigtypes[1] = {TEXTARRAYOID};
		Datum		sigs[1];

		foreach(lc, funcs)
			elems[foreach_current_index(lc)] =
				CStringGetTextDatum(((GenFunc *) lfirst(lc))->signature);
		sigs[0] = PointerGetDatum(construct_array(elems, n, TEXTOID, -1, false,
												  TYPALIGN_INT));
		assoc_spi_exec_args("SELECT pg_catalog.to_regprocedure(s)::pg_catalog.oid"
							"  FROM pg_catalog.unnest($1) WITH ORDINALITY AS u(s, i)"
							" ORDER BY u.i",
							1, sigtypes, sigs, NULL, SPI_OK_SELECT);
		if (SPI_processed != (uint64) n)
			elog(ERROR, "signature lookup returned " UINT64_FORMAT " rows for %d functions",
				 SPI_processed, n);
	}
	foreach(lc, funcs)
	{
		GenFunc    *fn = lfirst(lc);
		int			row = foreach_current_index(lc);
		Oid			fnoid = assoc_spi_isnull(row, 1) ? InvalidOid :
			DatumGetObjectId(assoc_spi_getdatum(row, 1));
		int			k = -1;
		ListCell   *lc2;

		if (!OidIsValid(fnoid))
		{
			stale = lappend(stale, fn);
			continue;
		}
		foreach(lc2, old_oids)
			if (lfirst_oid(lc2) == fnoid)
				k = foreach_current_index(lc2);
		if (k < 0)
			ereport(ERROR,
					(errcode(ERRCODE_DUPLICATE_FUNCTION),
					 errmsg("function %s already exists", format_procedure(fnoid)),
					 errdetail("Association \"%s\" of table %s now generates a function of that name and arguments.",
							   a->alias, a->source->qualname),
					 errhint("Drop or rename that function, then run the statement again.")));
		kept = lappend_oid(kept, fnoid);
		if (strcmp((char *) list_nth(old_srcs, k), fn->body) != 0)
			stale = lappend(stale, fn);
		else if (all_deps)
			assoc_record_function_deps(fnoid, a->source->relid, a->target->relid,
									   a->through ? a->through->relid : InvalidOid);
	}

	/* the old functions no longer generated go first: no overload is ambiguous */
	foreach(lc, old_oids)
	{
		Oid			fnoid = lfirst_oid(lc);

		if (list_member_oid(kept, fnoid))
			continue;
		assoc_spi_exec(psprintf("DROP FUNCTION %s", format_procedure_qualified(fnoid)),
					   SPI_OK_UTILITY);
		changed++;
	}
	foreach(lc, stale)
	{
		create_function(a, (GenFunc *) lfirst(lc), true);
		changed++;
	}
	return changed;
}
