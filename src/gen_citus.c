/*
 * gen_citus.c
 *	  The writers of the foreign-key kinds (add, set, remove, and
 *	  belongs_to's create) when the association's tables are Citus tables
 *	  (README, "Scaling out", "Citus"): PL/pgSQL bodies whose statements
 *	  Citus routes or accepts.
 *
 * gen_accessors.c writes the single-node body of every writer and hands it
 * to assoc_gen_citus_writer, which gives it back unchanged when no table of
 * the association is a Citus table (or the layout is one assoc does not
 * support), else the body written here.  What differs from the single-node
 * body:
 *
 *	 - the instance row is locked FOR NO KEY UPDATE only when the statement
 *	   routes to one shard (a reference table, or a table distributed by the
 *	   instance's key); a pug found by id on pugs distributed by "ownerId"
 *	   is read without a lock (Citus refuses FOR UPDATE over several
 *	   shards), and its row is locked by the UPDATE or DELETE that changes
 *	   it;
 *	 - the targets are not locked beforehand in key order (the same
 *	   refusal): the UPDATE or DELETE locks them, and Citus's distributed
 *	   deadlock detection breaks a cycle between two writers;
 *	 - the keys are checked against an array read by a plain statement,
 *	   not by a subquery correlated with unnest (refused);
 *	 - on co-located tables the foreign key is the distribution column,
 *	   which Citus does not let an UPDATE change: a move to another owner
 *	   is DELETE ... RETURNING of the row from its old owner's shard and an
 *	   INSERT of the same row (same id, same columns) with the new key and
 *	   updatedAt, then an UPDATE of the rows now linked for the scope's
 *	   values, on the new owner's shard.  The foreign key is NOT NULL there
 *	   (Citus refuses NULL in a distribution column): unlinking (remove, set
 *	   leaving out linked targets) is refused as on a single node with a
 *	   NOT NULL foreign key (assoc.require_nullable: delete the rows or
 *	   link them to another owner), and nothing is changed.
 * On reference parents the foreign key is not a distribution column and
 * the writers keep the single-node UPDATEs.  belongs_to_many's writers, on
 * three reference tables, run the single-node statements by EXECUTE
 * (btm_writer()).
 */
#include "postgres.h"

#include "lib/stringinfo.h"
#include "utils/builtins.h"

#include "citus.h"
#include "gen_accessors.h"
#include "gen_citus.h"
#include "scope.h"
#include "sql_spell.h"

/* t.fk = assoc_i, in the scope, not soft-deleted: the linked targets */
static char *
linked(Gen *g)
{
	return psprintf("t.%s %s assoc_i%s", g->fk, g->eqF,
					assoc_cg_side_filter(g, GEN_TARGET, "t"));
}

/*
 * The start of every Citus writer: the variables, the instance's key, the
 * given keys (assoc_ks, or assoc_j for a single one), the lock of the
 * instance or, when that would not route to one shard, a check that it
 * exists; "sequential": first, citus.multi_shard_modify_mode = sequential
 * for the rest of the transaction.
 */
static void
begin(StringInfo b, Gen *g, const char *I, KeyTest *kt, const char *rettype,
	  bool sequential)
{
	const char *skt = sql_type(g->a->source_key->typid, -1);
	const char *tkt = sql_type(g->a->target_key->typid, -1);

	appendStringInfo(b, "#variable_conflict use_column\n"
					 "DECLARE assoc_i %s; assoc_ks %s[]; assoc_j %s; assoc_found %s[];"
					 " assoc_moved %s[] := '{}'; assoc_r %s; assoc_res %s;\n"
					 "BEGIN\n"
					 "assoc_i := %s;\n",
					 skt, tkt, tkt, tkt, tkt, assoc_holder(g->a)->qualname, rettype, I);
	if (sequential)
		appendStringInfoString(b, "PERFORM pg_catalog.set_config('citus.multi_shard_modify_mode', 'sequential', true);\n");
	if (kt->array)
		appendStringInfo(b, "assoc_ks := COALESCE(%s, '{}');\n", kt->expr);
	else
		appendStringInfo(b, "assoc_j := %s;\n"
						 "assoc_ks := CASE WHEN assoc_j IS NULL THEN '{}' ELSE ARRAY[assoc_j] END;\n",
						 kt->expr);
	if (assoc_citus_routed_by(g->a->source->relid, g->a->source_key->name))
	{
		StringInfoData lock;

		initStringInfo(&lock);
		assoc_cg_lock_source(&lock, g, "assoc_i", NULL);
		/* SELECT ... ;\n -> PERFORM ... ;\n */
		appendStringInfo(b, "PERFORM %s", lock.data + strlen("SELECT "));
	}
	else
		appendStringInfo(b, "PERFORM assoc.require_row(pg_catalog.count(*), %s, %s, %s, %s, %s, CAST(assoc_i AS pg_catalog.text))"
						 " FROM %s x WHERE x.%s %s assoc_i%s;\n",
						 g->srclit, g->aliaslit, sql_literal(g->src.role),
						 sql_regclass(g->src.table->qualname), sql_literal(g->src.key->name),
						 g->S, g->sk, g->eqS, assoc_cg_side_filter(g, GEN_SOURCE, "x"));
}

/* The given targets exist (not soft-deleted), none NULL. */
static void
keys_exist(StringInfo b, Gen *g)
{
	appendStringInfo(b, "SELECT pg_catalog.array_agg(t.%s) INTO assoc_found FROM %s t WHERE t.%s %s ANY (assoc_ks)%s;\n"
					 "PERFORM assoc.require_keys(ARRAY(SELECT CAST(k.v AS pg_catalog.text) FROM pg_catalog.unnest(assoc_ks) AS k(v)"
					 " WHERE k.v IS NULL OR NOT COALESCE(k.v %s ANY (assoc_found), false)), %s, %s, %s, %s, %s);\n",
					 g->tk, g->T, g->tk, g->eqT, assoc_cg_live_filter(g, GEN_TARGET, "t"),
					 g->eqT, g->srclit, g->aliaslit, sql_literal(g->tgt.role),
					 sql_regclass(g->a->target->qualname), sql_literal(g->a->target_key->name));
}

/* the statement of an SQL body, "SELECT ...;\n", as a PL/pgSQL one */
static void
append_perform(StringInfo b, const char *select)
{
	if (select[0] != '\0')
		appendStringInfo(b, "PERFORM %s", select + strlen("SELECT "));
}

/* The rows of "where" lose their link (refused when the key is NOT NULL). */
static void
unlink_rows(StringInfo b, Gen *g, const char *where, bool colocated)
{
	StringInfoData nn;

	initStringInfo(&nn);
	assoc_cg_nullable(&nn, g, &g->tgt, where);
	append_perform(b, nn.data);
	/* co-located: NOT NULL, refused above; Citus plans no SET of it */
	if (!colocated)
		appendStringInfo(b, "UPDATE %s t SET %s = NULL%s WHERE %s;\n",
						 g->T, g->fk, g->upd, where);
}

/*
 * The end of the loop around a move: again while a row still has to move.
 * A writer that moved the row meanwhile (DELETE + INSERT: a new row, which
 * this DELETE, waiting for it, did not see) is waited for, then this one
 * moves the new row, as an UPDATE on a single node would.
 */
static void
exit_when_moved(StringInfo b, const char *table, const char *where)
{
	appendStringInfo(b, "EXIT WHEN NOT EXISTS (SELECT 1 FROM %s t WHERE %s);\nEND LOOP;\n",
					 table, where);
}

/*
 * The body of a move's loop over the rows just deleted (assoc_r): the row
 * again, in "table", with its foreign key set to "key" and updatedAt.
 */
static void
reinsert_row(StringInfo b, Gen *g, const char *table, const char *key)
{
	AssocTable *holder = assoc_holder(g->a);

	appendStringInfo(b, "  assoc_r.%s := %s;\n", g->fk, key);
	if (holder->updated_at)
		appendStringInfo(b, "  assoc_r.%s := pg_catalog.now();\n",
						 sql_ident(holder->updated_at->name));
	appendStringInfo(b, "  INSERT INTO %s VALUES (assoc_r.*);\n", table);
}

/*
 * Move the given targets linked elsewhere to the instance: DELETE +
 * INSERT, with updatedAt; assoc_moved collects their keys.
 */
static void
move_rows(StringInfo b, Gen *g)
{
	const char *elsewhere = psprintf("t.%s %s ANY (assoc_ks) AND t.%s IS DISTINCT FROM assoc_i",
									 g->tk, g->eqT, g->fk);

	appendStringInfo(b, "LOOP\n"
					 "FOR assoc_r IN DELETE FROM %s t WHERE %s RETURNING t.* LOOP\n",
					 g->T, elsewhere);
	reinsert_row(b, g, g->T, "assoc_i");
	appendStringInfo(b, "  assoc_moved := assoc_moved || assoc_r.%s;\n"
					 "END LOOP;\n",
					 g->tk);
	exit_when_moved(b, g->T, elsewhere);
}

/*
 * Link the given targets (add: all of them; set: those not linked yet, or
 * linked outside the scope), as the single-node UPDATE does.
 */
static void
link_rows(StringInfo b, Gen *g, bool add, bool colocated)
{
	const char *sets = psprintf("%s%s", g->upd, assoc_scope_sets(g->a->scope));
	const char *which = add ? "" :
		psprintf(" AND (t.%s IS NULL OR NOT COALESCE(%s, false)%s)", g->fk, linked(g),
				 colocated ? psprintf(" OR t.%s %s ANY (assoc_moved)", g->tk, g->eqT) : "");

	if (!colocated)
	{
		appendStringInfo(b, "UPDATE %s t SET %s = assoc_i%s WHERE t.%s %s ANY (assoc_ks)%s;\n",
						 g->T, g->fk, sets, g->tk, g->eqT, which);
		return;
	}
	move_rows(b, g);
	/* the scope's values and updatedAt, on the instance's shard */
	if (sets[0] != '\0')
		appendStringInfo(b, "UPDATE %s t SET %s WHERE t.%s %s assoc_i AND t.%s %s ANY (assoc_ks)%s;\n",
						 g->T, sets + 2, g->fk, g->eqF, g->tk, g->eqT, which);
}

/* has_many, has_one: the foreign key on the target */
static void
target_fk_writer(StringInfo b, Gen *g, const char *verb, bool colocated)
{
	const char *in = psprintf("t.%s %s ANY (assoc_ks)", g->tk, g->eqT);

	keys_exist(b, g);
	if (strcmp(verb, "remove") == 0)
	{
		unlink_rows(b, g, psprintf("%s AND %s", linked(g), in), colocated);
		return;
	}
	if (strcmp(verb, "set") == 0)
		unlink_rows(b, g, psprintf("%s AND NOT (%s)", linked(g), in), colocated);
	link_rows(b, g, strcmp(verb, "add") == 0, colocated);
}

/*
 * belongs_to's set: the foreign key on the instance.  As Sequelize's
 * setOwner, the same owner again writes nothing.
 */
static void
source_fk_set(StringInfo b, Gen *g, bool colocated, bool check_keys)
{
	StringInfoData nn;
	const char *same = psprintf("s.%s IS NOT DISTINCT FROM assoc_j", g->fk);

	if (check_keys)
		keys_exist(b, g);
	initStringInfo(&nn);
	assoc_cg_nullable(&nn, g, &g->src,
					  psprintf("assoc_j IS NULL AND t.%s %s assoc_i", g->sk, g->eqS));
	append_perform(b, nn.data);
	if (!colocated)
	{
		appendStringInfo(b, "UPDATE %s s SET %s = assoc_j%s WHERE s.%s %s assoc_i AND NOT (%s);\n",
						 g->S, g->fk, g->upd, g->sk, g->eqS, same);
		return;
	}
	appendStringInfo(b, "LOOP\n"
					 "FOR assoc_r IN DELETE FROM %s s WHERE s.%s %s assoc_i AND NOT (%s) RETURNING s.* LOOP\n",
					 g->S, g->sk, g->eqS, same);
	reinsert_row(b, g, g->S, "assoc_j");
	appendStringInfoString(b, "END LOOP;\n");
	exit_when_moved(b, g->S, psprintf("t.%s %s assoc_i AND t.%s IS DISTINCT FROM assoc_j",
									  g->sk, g->eqS, g->fk));
}

/*
 * belongs_to_many's writers on Citus reference tables: each single-node
 * statement run by EXECUTE ... USING the instance's key and the given keys
 * as values of their types ($1, $2 of the statement, cast), and the
 * through values written into it as a literal (format's %1$L): Citus
 * sends the function's polymorphic parameters, and any parameter of an
 * ON CONFLICT ... WHERE, to the nodes untyped (could not determine data
 * type of parameter $1).  The ON CONFLICT's test of changed through values
 * compares the columns (IS DISTINCT FROM) rather than their to_jsonb,
 * which is not IMMUTABLE, as Citus requires there.  The result: the last
 * statement's row.
 */
static const char *
btm_writer(Gen *g, const char *I, KeyTest *kt, const char *body)
{
	StringInfoData b;
	char	   *rest;
	char	   *end;
	const char *values = strstr(body, "$3") ? "CAST($3 AS pg_catalog.text)" : "NULL";
	const char *skt = sql_type(g->a->source_key->typid, -1);
	const char *kt_type = psprintf("%s%s", sql_type(g->a->target_key->typid, -1),
								   kt->array ? "[]" : "");

	if (assoc_citus_writer_layout(g->a) == ASSOC_CITUS_NONE)
		return body;
	rest = assoc_citus_replace(body, "%", "%%");
	rest = assoc_citus_replace(rest, "$3", "CAST(%1$L AS pg_catalog.jsonb)");
	rest = assoc_citus_replace(rest, I, psprintf("CAST($1 AS %s)", skt));
	rest = assoc_citus_replace(rest, kt->expr, psprintf("CAST($2 AS %s)", kt_type));
	rest = assoc_citus_replace(rest, "pg_catalog.to_jsonb(h.", "(h.");
	rest = assoc_citus_replace(rest, "pg_catalog.to_jsonb(EXCLUDED.", "(EXCLUDED.");
	initStringInfo(&b);
	appendStringInfo(&b, "DECLARE assoc_i %s; assoc_k %s; assoc_res %s;\n"
					 "BEGIN\nassoc_i := %s;\nassoc_k := %s;\n",
					 skt, kt_type, g->S, I, kt->expr);
	while ((end = strstr(rest, ";\n")) != NULL)
	{
		*end = '\0';
		appendStringInfo(&b, "EXECUTE pg_catalog.format(%s, %s)%s USING assoc_i, assoc_k;\n",
						 sql_literal(rest), values,
						 end[2] == '\0' ? " INTO assoc_res" : "");
		rest = end + 2;
	}
	appendStringInfoString(&b, "RETURN assoc_res;\nEND;\n");
	return psprintf("#variable_conflict use_column\n%s", b.data);
}

/*
 * The body of writer "verb" (add, set, remove) of link l: body when no
 * table of the association is a Citus table, else the Citus form.
 */
const char *
assoc_gen_citus_writer(Link *l, const char *verb, const char *I, KeyTest *kt,
					   const char *body)
{
	Gen		   *g = l->g;
	Association *a = g->a;
	AssocCitusLayout layout;
	bool		colocated;
	bool		returns_target = l->set_returns_target && strcmp(verb, "set") == 0;
	StringInfoData b;

	if (a->kind == ASSOC_BELONGS_TO_MANY)
		return btm_writer(g, I, kt, body);
	if (a->kind != ASSOC_HAS_MANY && a->kind != ASSOC_HAS_ONE &&
		a->kind != ASSOC_BELONGS_TO)
		return body;
	layout = assoc_citus_writer_layout(a);
	if (layout == ASSOC_CITUS_NONE)
		return body;
	colocated = layout == ASSOC_CITUS_COLOCATED;
	initStringInfo(&b);
	begin(&b, g, I, kt, returns_target ? g->T : g->S, false);
	if (a->kind == ASSOC_BELONGS_TO)
		source_fk_set(&b, g, colocated, true);
	else
		target_fk_writer(&b, g, verb, colocated);
	if (returns_target)
		appendStringInfo(&b, "SELECT t.* INTO assoc_res FROM %s t WHERE t.%s %s assoc_j;\n",
						 g->T, g->tk, g->eqT);
	else
		appendStringInfo(&b, "SELECT s.* INTO assoc_res FROM %s s WHERE s.%s %s assoc_i;\n",
						 g->S, g->sk, g->eqS);
	appendStringInfoString(&b, "RETURN assoc_res;\nEND;\n");
	return b.data;
}

/*
 * belongs_to's create (pug_create_owner) when the foreign key is on a Citus
 * table: body when it is not, else insert the target (assoc.insert_json,
 * run by the coordinator, which also evaluates the key's default) and set
 * the instance's foreign key to it as belongs_to's set does: a move on
 * co-located tables.  has_one's and has_many's create are the single-node
 * body in PL/pgSQL (citus.c): they insert the row that holds the key.
 */
const char *
assoc_gen_citus_create(Link *l, const char *I, const char *body)
{
	Gen		   *g = l->g;
	Association *a = g->a;
	AssocCitusLayout layout;
	KeyTest		none = {"NULL", false, false};
	StringInfoData b;

	if (a->kind != ASSOC_BELONGS_TO)
		return body;
	layout = assoc_citus_writer_layout(a);
	if (layout == ASSOC_CITUS_NONE)
		return body;
	initStringInfo(&b);
	/*
	 * With a reference target, a reference table that distributed tables
	 * refer to is modified after a read of several shards: Citus allows
	 * that, and the statements after it on those tables, only over one
	 * connection per node for the rest of the transaction (README).
	 */
	begin(&b, g, I, &none, g->T, layout != ASSOC_CITUS_COLOCATED);
	appendStringInfo(&b, "SELECT x.* INTO assoc_res FROM %s;\n"
					 "assoc_j := assoc_res.%s;\n",
					 assoc_cg_insert_json(g, a->target, "$2", "CAST('{}' AS pg_catalog.jsonb)", "x"),
					 g->tk);
	source_fk_set(&b, g, layout == ASSOC_CITUS_COLOCATED, false);
	appendStringInfoString(&b, "RETURN assoc_res;\nEND;\n");
	return b.data;
}
