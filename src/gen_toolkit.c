/*
 * gen_toolkit.c
 *	  The bottom layer of the generator of SQL functions: what the
 *	  generators of every association kind share, knowing none of them.
 *
 *	  - the set-up of a Gen, every piece of an association quoted once;
 *	  - function names (owner_get_pugs) and their length check;
 *	  - quoting of literals and types, and the FROM item inserting a row
 *		from JSON;
 *	  - the forms an argument takes (row, key, text; arrays of them) and the
 *		key value(s) each stands for;
 *	  - assembling a function (signature, dollar quote, volatility);
 *	  - key tests (= one key, = ANY an array of keys);
 *	  - the statements every writer shares: lock the instance, check that
 *		the given targets exist, lock targets in key order, refuse to unlink
 *		from a NOT NULL foreign key, return the instance.
 *
 * See codegen.c for the rules every generated text follows (quoting,
 * string bodies, overloads, uncountable aliases).
 *
 * Argument forms.  An accessor takes the instance and its targets as rows,
 * keys, text (a driver's untyped parameter, a quoted literal '5' or
 * '{5,6}') or arrays of them.  Written as overloads of every type, that
 * was 3 x 3 functions per accessor, 76 per has_many side; now each
 * accessor is one function whose arguments are polymorphic, and
 * assoc.key_of / assoc.keys_of (runtime_key.c) turn what was given into
 * the key(s) of the column's type:
 *
 *	 - the instance is anycompatible: PostgreSQL resolves an untyped
 *	   argument of the anycompatible family to text, where anyelement fails
 *	   ("could not determine polymorphic type because input has type
 *	   unknown");
 *	 - the targets are anyelement (the other family: the instance and the
 *	   targets are of different types), beside a text overload for an
 *	   untyped target (a text candidate wins for an unknown argument, and
 *	   anyelement, not implicitly castable from integer, takes the rest):
 *	   two functions per accessor that takes targets;
 *	 - a key of another integer type is accepted (pgjdbc's setLong, psycopg
 *	   3's int8): a key beyond the column's range names no row, nothing for
 *	   readers, an error (22003) for writers;
 *	 - the accessors for several (add_pugs) take one target too, as
 *	   Sequelize's addPugs takes one instance: an uncountable alias's
 *	   accessors for one and for several (hub_add_news) are those for
 *	   several.
 *
 * The key comparison stays visible to the planner: key_of's support
 * function replaces key_of($1, ...) by $1 when $1 is of the key's type,
 * and a row by its key column, so "ownerId" = $1 is what the planner sees,
 * and a read accessor (SQL, polymorphic or not) is still inlined.  The
 * loaders keep their row overload (the row loader reads the row as given),
 * beside anyelement and text.  A has_many side has 21 functions: get,
 * count, create, has/add/remove of one (2 each), has/set/add/remove of
 * several (2 each), and 4 loaders; belongs_to and has_one 8.
 */
#include "postgres.h"

#include "access/table.h"
#include "catalog/pg_type.h"
#include "lib/stringinfo.h"
#include "utils/builtins.h"
#include "utils/lsyscache.h"
#include "utils/rel.h"

#include "citus.h"
#include "ddl.h"
#include "gen_toolkit.h"
#include "naming.h"
#include "runtime.h"
#include "scope.h"
#include "sql_spell.h"

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

/*
 * Quote once what every body of the association a needs.
 */
void
assoc_cg_init(Gen *g, Association *a)
{
	AssocTable *holder = assoc_holder(a);
	char	   *tparam;

	memset(g, 0, sizeof(Gen));
	g->a = a;
	g->schema = sql_ident(a->source->nspname);
	g->prefix = a->prefix ? a->prefix : assoc_function_prefix(a->source);
	g->S = a->source->qualname;
	g->T = a->target->qualname;
	g->sk = sql_ident(a->source_key->name);
	g->tk = sql_ident(a->target_key->name);
	g->fk = sql_ident(a->foreign_key->name);
	g->eqS = assoc_eq_operator(a->source_key->typid);
	g->eqT = assoc_eq_operator(a->target_key->typid);
	g->eqF = assoc_eq_operator(assoc_referenced_key(a)->typid);
	g->srclit = sql_regclass(a->source->qualname);
	g->aliaslit = sql_literal(a->alias);
	g->uncountable = strcmp(assoc_function_suffix(a->singular),
							assoc_function_suffix(a->plural)) == 0;
	g->upd = holder->updated_at == NULL ? "" :
		psprintf(", %s = pg_catalog.now()", sql_ident(holder->updated_at->name));

	g->src.table = a->source;
	g->src.key = a->source_key;
	g->src.role = a->source->model;
	g->src.param = g->prefix;
	g->src.params = g->prefix;
	g->tgt.table = a->target;
	g->tgt.key = a->target_key;
	g->tgt.role = a->singular;
	tparam = assoc_function_suffix(a->singular);
	if (strcmp(tparam, g->prefix) == 0)
		tparam = psprintf("other_%s", tparam);
	g->tgt.param = tparam;
	g->tgt.params = assoc_function_suffix(a->plural);
	if (strcmp(g->tgt.params, g->prefix) == 0)
		g->tgt.params = psprintf("other_%s", g->tgt.params);
}

/*
 * The extra conditions every function puts on the rows of one side of the
 * association, rel being their alias: " AND cond AND ...", or "" when there
 * are none.  The paranoid filter of a model (its deleted-at column IS NULL:
 * a soft-deleted row is not there for readers, loaders and writers),
 * written out in the statement so that the planner sees it (a partial
 * index WHERE "deletedAt" IS NULL serves it), and the association's scope
 * on its targets, its through scope on the through rows.  This is the one
 * place where such conditions are made; assoc_cg_live_filter gives the
 * paranoid part alone, assoc_cg_scope_filter the scope part alone.
 */
char *
assoc_cg_side_filter(Gen *g, GenSide side, const char *rel)
{
	return psprintf("%s%s", assoc_cg_live_filter(g, side, rel),
					side == GEN_SOURCE ? "" :
					assoc_cg_scope_filter(g, side == GEN_TARGET ? g->a->target :
										  g->a->through, rel));
}

/*
 * The paranoid part alone: the rows of the side that are not soft-deleted,
 * in or out of the scope (the targets a writer may link).
 */
char *
assoc_cg_live_filter(Gen *g, GenSide side, const char *rel)
{
	AssocTable *t;
	StringInfoData buf;

	switch (side)
	{
		case GEN_SOURCE:
			t = g->a->source;
			break;
		case GEN_TARGET:
			t = g->a->target;
			break;
		case GEN_THROUGH:
			t = g->a->through;
			break;
		default:
			elog(ERROR, "unknown side %d", (int) side);
	}
	initStringInfo(&buf);
	if (t != NULL && t->deleted_at != NULL)
		appendStringInfo(&buf, " AND %s.%s IS NULL", rel, sql_ident(t->deleted_at->name));
	return buf.data;
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
					 sql_regclass(table->qualname), values, forced,
					 g->srclit, g->aliaslit, alias);
	for (int i = 0; i < desc->natts; i++)
	{
		Form_pg_attribute att = TupleDescAttr(desc, i);

		if (att->attisdropped)
			continue;
		appendStringInfo(&buf, "%s%s %s", first ? "" : ", ",
						 sql_ident(NameStr(att->attname)),
						 sql_type(att->atttypid, att->atttypmod));
		first = false;
	}
	appendStringInfoChar(&buf, ')');
	table_close(rel, AccessShareLock);
	return buf.data;
}

/*
 * The forms of the instance for the loaders (gen_loaders.c), which keep
 * three overloads: a row (the row loader's, which reads the row as given),
 * any key (anyelement: the key's type, another integer type) and text (a
 * driver's untyped parameter: with the row overload beside it, anyelement
 * alone would make an untyped argument ambiguous).
 */
List *
assoc_cg_side_forms(Side *side, bool array)
{
	List	   *forms = NIL;
	Form	   *f;
	Oid			rowtype = get_rel_type_id(side->table->relid);

	f = palloc0(sizeof(Form));
	f->kind = FORM_ROW;
	f->array = array;
	f->argtype = sql_type(array ? get_array_type(rowtype) : rowtype, -1);
	forms = lappend(forms, f);

	f = palloc0(sizeof(Form));
	f->kind = FORM_KEY;
	f->array = array;
	f->argtype = "anyelement";
	forms = lappend(forms, f);

	f = palloc0(sizeof(Form));
	f->kind = FORM_TEXT;
	f->array = array;
	f->argtype = "text";
	forms = lappend(forms, f);
	return forms;
}

/*
 * The polymorphic form of the instance (anycompatible) or of the targets
 * (anyelement); writer: a key beyond the key column's range is an error
 * (readers find nothing by it).  See the head of this file.
 */
Form *
assoc_cg_any_form(bool array, const char *argtype, bool writer)
{
	Form	   *f = palloc0(sizeof(Form));

	f->kind = FORM_ANY;
	f->array = array;
	f->writer = writer;
	f->argtype = argtype;
	return f;
}

/*
 * The forms of the targets: anyelement, and text for an untyped argument
 * (which makes anyelement fail: "could not determine polymorphic type").
 */
List *
assoc_cg_target_forms(bool array, bool writer)
{
	return list_make2(assoc_cg_any_form(array, "anyelement", writer),
					  assoc_cg_any_form(array, "text", writer));
}

/*
 * The key value(s) an argument stands for: ($1)."id" for a row overload,
 * else assoc.key_of($1, NULL::keytype, about, writer) (assoc.keys_of for
 * an array form), which the planner replaces by $1 itself when $1 is of
 * the key's type (runtime_key.c; about, one text constant, names the
 * association and the key column for its messages).
 */
char *
assoc_cg_form_expr(Gen *g, Side *side, Form *f, int paramno)
{
	const char *key = sql_ident(side->key->name);
	char	   *keytype;

	if (f->kind == FORM_ROW)
	{
		if (f->array)
			return psprintf("ARRAY(SELECT e.%s FROM pg_catalog.unnest($%d) e)",
							key, paramno);
		return psprintf("($%d).%s", paramno, key);
	}
	keytype = sql_type(f->array ? get_array_type(side->key->typid) :
					   side->key->typid, -1);
	return psprintf("assoc.%s($%d, %s, %s, %s)",
					f->array ? "keys_of" : "key_of",
					paramno, sql_cast("NULL", keytype),
					sql_literal(assoc_key_about(g->a->source->qualname, g->a->alias,
												side->role, side->table->qualname,
												side->key->name)),
					f->writer ? "true" : "false");
}

/* The parameter list entry "name type" */
char *
assoc_cg_param(const char *name, Form *f)
{
	return psprintf("%s %s", sql_ident(name), f->argtype);
}

void
assoc_cg_add_func(Gen *g, const char *name, List *params, List *argtypes,
		 const char *rettype, bool stable, const char *body)
{
	GenFunc    *fn = palloc0(sizeof(GenFunc));
	StringInfoData sig;
	StringInfoData sql;
	char	   *tag = pstrdup("$assoc$");
	const char *language = "sql";

	initStringInfo(&sig);
	appendStringInfo(&sig, "%s.%s(", g->schema, sql_ident(name));
	sql_append_joined(&sig, argtypes, ", ", NULL);
	appendStringInfoChar(&sig, ')');

	/* on Citus tables, in PL/pgSQL (citus.c) */
	body = assoc_citus_body(g->a, rettype, body, &language);
	/* the text PostgreSQL keeps as prosrc, compared by assoc_codegen_sync */
	fn->body = psprintf("\n%s", body);
	/* a dollar quote the body does not contain */
	for (int n = 1; strstr(fn->body, tag) != NULL; n++)
		tag = psprintf("$assoc%d$", n);

	initStringInfo(&sql);
	appendStringInfo(&sql, "FUNCTION %s.%s(", g->schema, sql_ident(name));
	sql_append_joined(&sql, params, ", ", NULL);
	appendStringInfo(&sql, ") RETURNS %s LANGUAGE %s %s\nAS %s%s%s",
					 rettype, language, stable ? "STABLE PARALLEL SAFE" : "VOLATILE",
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

/*
 * The association's scope on the rows of "table" (its target or through
 * table), aliased "alias": "" or " AND cond ...".  The target's scope, the
 * through rows' through_scope (scope.c).
 */
char *
assoc_cg_scope_filter(Gen *g, AssocTable *table, const char *alias)
{
	Association *a = g->a;

	if (table == a->target)
		return assoc_scope_cond(a->scope, alias);
	if (a->through != NULL && table == a->through)
		return assoc_scope_cond(a->through_scope, alias);
	return "";
}

/* ---- key tests ---- */

/* col = expr, or col = ANY (expr) */
char *
assoc_cg_key_match(Gen *g, const char *col, KeyTest *kt)
{
	if (kt->array)
		return psprintf("%s %s ANY (%s)", col, g->eqT, kt->expr);
	return psprintf("%s %s %s", col, g->eqT, kt->expr);
}

/* The column's key is not one of the keys; a NULL key matches none. */
char *
assoc_cg_key_nomatch(Gen *g, const char *col, KeyTest *kt)
{
	if (kt->array)
		return psprintf("NOT (%s)", assoc_cg_key_match(g, col, kt));
	return psprintf("(%s IS NULL OR NOT (%s))", kt->expr,
					assoc_cg_key_match(g, col, kt));
}

/* ---- statements shared by the writers ---- */

/*
 * Lock the instance row (serializing writers on it); error when missing.
 * A soft-deleted instance is missing.  "others", when not NULL, is an
 * array of keys of other rows of the source that the writer's statements
 * will lock later (a counter cache's trigger updates the previous owners
 * of the pugs it moves): they are locked with the instance, all in key
 * order, so that two writers moving rows between the same instances wait
 * for one another instead of deadlocking.
 */
void
assoc_cg_lock_source(StringInfo b, Gen *g, const char *I, const char *others)
{
	char	   *self = psprintf("x.%s %s %s%s", g->sk, g->eqS, I,
								assoc_cg_side_filter(g, GEN_SOURCE, "x"));

	appendStringInfo(b, "SELECT assoc.require_row(pg_catalog.count(*)%s, %s, %s, %s, %s, %s, CAST(%s AS pg_catalog.text))",
					 others ? " FILTER (WHERE l.self)" : "",
					 g->srclit, g->aliaslit, sql_literal(g->src.role),
					 sql_regclass(g->src.table->qualname),
					 sql_literal(g->src.key->name), I);
	if (others)
		appendStringInfo(b, " FROM (SELECT %s AS self FROM %s x WHERE %s OR x.%s %s ANY (%s)"
						 " ORDER BY x.%s FOR NO KEY UPDATE OF x) l;\n",
						 self, g->S, self, g->sk, g->eqS, others, g->sk);
	else
		appendStringInfo(b, " FROM (SELECT FROM %s x WHERE %s FOR NO KEY UPDATE OF x) l;\n",
						 g->S, self);
}

/*
 * The call that errors unless the given targets exist in the target
 * table: every key of an array (none NULL), a single key when not NULL.
 * A soft-deleted target does not.
 */
static char *
keys_exist_call(Gen *g, KeyTest *kt)
{
	const char *k = kt->array ? "k.v" : kt->expr;
	StringInfoData b;

	initStringInfo(&b);
	appendStringInfoString(&b, "assoc.require_keys(ARRAY(SELECT ");
	if (kt->array)
		appendStringInfo(&b,
						 "CAST(k.v AS pg_catalog.text) FROM pg_catalog.unnest(%s) AS k(v)"
						 " WHERE k.v IS NULL OR",
						 kt->expr);
	else
		appendStringInfo(&b, "CAST(%s AS pg_catalog.text) WHERE %s IS NOT NULL AND",
						 kt->expr, kt->expr);
	appendStringInfo(&b,
					 " NOT EXISTS (SELECT FROM %s t WHERE t.%s %s %s%s)), %s, %s, %s, %s, %s)",
					 g->T, g->tk, g->eqT, k, assoc_cg_live_filter(g, GEN_TARGET, "t"),
					 g->srclit, g->aliaslit,
					 sql_literal(g->tgt.role), sql_regclass(g->a->target->qualname),
					 sql_literal(g->a->target_key->name));
	return b.data;
}

/* The given targets exist (keys_exist_call), a statement of its own. */
void
assoc_cg_keys_exist(StringInfo b, Gen *g, KeyTest *kt)
{
	appendStringInfo(b, "SELECT %s;\n", keys_exist_call(g, kt));
}

/*
 * Lock target rows in key order, so that writers never deadlock.  With
 * "check", the same statement then checks that the targets of check exist
 * (after the lock: the one-row aggregate over the locked rows is read
 * before the select list is computed), a statement fewer than
 * assoc_cg_keys_exist first.
 */
void
assoc_cg_lock_targets(StringInfo b, Gen *g, const char *where, KeyTest *check)
{
	char	   *lock = psprintf("SELECT pg_catalog.count(*) FROM (SELECT FROM %s t WHERE %s ORDER BY t.%s FOR NO KEY UPDATE OF t) l",
								g->T, where, g->tk);

	if (check)
		appendStringInfo(b, "SELECT %s FROM (%s) l;\n", keys_exist_call(g, check), lock);
	else
		appendStringInfo(b, "%s;\n", lock);
}

/*
 * When the foreign key is NOT NULL, refuse to unlink: name the rows that
 * would lose their link.  "side" is the table holding the key.
 */
void
assoc_cg_nullable(StringInfo b, Gen *g, Side *side, const char *where)
{
	AssocTable *holder = assoc_holder(g->a);

	if (!g->a->foreign_key->notnull)
		return;
	appendStringInfo(b,
					 "SELECT assoc.require_nullable(ARRAY(SELECT CAST(t.%s AS pg_catalog.text) FROM %s t WHERE %s ORDER BY t.%s), %s, %s, %s, %s, %s);\n",
					 sql_ident(side->key->name), holder->qualname, where,
					 sql_ident(side->key->name), g->srclit, g->aliaslit,
					 sql_literal(side->role), sql_regclass(holder->qualname),
					 sql_literal(g->a->foreign_key->name));
}

/* The instance as it is now: what the writers of its links return. */
void
assoc_cg_return_source(StringInfo b, Gen *g, const char *I)
{
	appendStringInfo(b, "SELECT s.* FROM %s s WHERE s.%s %s %s;\n",
					 g->S, g->sk, g->eqS, I);
}
