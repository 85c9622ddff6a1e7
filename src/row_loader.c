/*
 * row_loader.c
 *	  assoc.row_loader(source, alias, instance): the row form of the eager
 *	  loaders, owner_with_pugs(o owners), in C.
 *
 * A SQL function whose body aggregates is never inlined: PostgreSQL plans
 * its body again in every query that calls it and starts an executor for
 * every row, which makes SELECT owner_with_pugs(o) FROM owners o ... LIMIT
 * 20 cost 1.2-1.4 times the hand-written SQL.  So the generated row form is
 * the one-line SQL function
 *
 *     SELECT assoc.row_loader(CAST('public.owners' AS pg_catalog.regclass), 'pugs', $1)
 *
 * which PostgreSQL inlines into the calling query, and this function has a
 * planner support function that replaces the call, while the caller's query
 * is planned, by
 *
 *     assoc.json_append_key(pg_catalog.row_to_json(o), 'pugs',
 *         COALESCE((SELECT pg_catalog.json_agg(t ORDER BY t.id)
 *                     FROM public.pugs t WHERE t."ownerId" = o.id), '[]'))
 *
 * the correlated subquery a person would write (built by gen_loaders.c, the
 * same subquery the other loaders use).  It is planned with the caller's
 * query, as part of it: once per query, or once for a prepared statement,
 * and run by the executor as any subplan, without a new executor per row.
 * The subquery goes through parse analysis and the rewriter, so row-level
 * security policies apply to it; the executor checks the caller's
 * privileges on its tables as on the rest of the query; a plan that
 * row-level security shaped is marked as depending on the role.  Every name
 * in it is schema-qualified and every operator spelled OPERATOR(schema.op),
 * and it is parsed with search_path = pg_catalog, pg_temp.
 *
 * When the call cannot be replaced (the instance is not a plain column
 * reference, so substituting it twice could evaluate it twice, or the
 * expression is not planned as part of a query), the function itself runs
 * the same statement through SPI, as the caller, with a generic plan kept
 * for the session.  That statement is prepared under the caller's
 * search_path (the plan cache would otherwise plan it again whenever the
 * path differs from the one it was made under), which changes nothing:
 * it names everything with its schema.  This path reads the catalog
 * through SPI, which parallel workers may not do: the function is
 * PARALLEL RESTRICTED, the replaced calls parallel safe.
 *
 * What the function knows of an association is kept for the session and
 * read again from the catalog after the functions change (each
 * declaration, drop, and regeneration after ALTER TABLE creates or drops
 * functions), or one of its tables or any schema does.
 */
#include "postgres.h"

#include <ctype.h>

#include "access/htup_details.h"
#include "catalog/namespace.h"
#include "catalog/pg_type.h"
#include "executor/spi.h"
#include "fmgr.h"
#include "funcapi.h"
#include "lib/stringinfo.h"
#include "nodes/makefuncs.h"
#include "nodes/nodeFuncs.h"
#include "nodes/pathnodes.h"
#include "nodes/supportnodes.h"
#include "parser/parse_func.h"
#include "parser/parser.h"
#include "rewrite/rewriteManip.h"
#include "tcop/tcopprot.h"
#include "utils/builtins.h"
#include "utils/fmgroids.h"
#include "utils/fmgrprotos.h"
#include "utils/inval.h"
#include "utils/json.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"
#include "utils/syscache.h"
#include "utils/typcache.h"

#include "catalog.h"
#include "gen_loaders.h"
#include "spi_util.h"

PG_FUNCTION_INFO_V1(assoc_row_loader);
PG_FUNCTION_INFO_V1(assoc_row_loader_support);
PG_FUNCTION_INFO_V1(assoc_json_append_key);

/* One association as the row loader knows it. */
typedef struct LoaderEntry
{
	struct LoaderEntry *next;
	Oid			source;
	char	   *alias;
	bool		valid;			/* read, and nothing changed since */
	Oid			relids[3];		/* source, target, through (or InvalidOid) */
	Oid			rowtype;		/* of the source table */
	char	   *sql;			/* the included value for the row $1 */
	SPIPlanPtr	plan;			/* sql prepared, when run through SPI */
} LoaderEntry;

/* What one call site (fn_extra) remembers. */
typedef struct LoaderSite
{
	LoaderEntry *entry;
	Oid			source;
	char	   *alias;
	Oid			argtype;
} LoaderSite;

static MemoryContext loader_context = NULL;
static LoaderEntry *loader_entries = NULL;
static Oid	append_key_oid = InvalidOid;

/*
 * Plans replaced while a row loader might be running one (a row loader
 * called from within the statement of another), freed once none runs.
 */
static List *retired_plans = NIL;
static int	running = 0;

static void
invalidate_entry(LoaderEntry *e)
{
	e->valid = false;
	if (e->plan != NULL)
	{
		MemoryContext old = MemoryContextSwitchTo(loader_context);

		retired_plans = lappend(retired_plans, e->plan);
		MemoryContextSwitchTo(old);
		e->plan = NULL;
	}
}

static void
invalidate_all(Datum arg, int cacheid, uint32 hashvalue)
{
	for (LoaderEntry *e = loader_entries; e != NULL; e = e->next)
		invalidate_entry(e);
	append_key_oid = InvalidOid;
}

static void
invalidate_relation(Datum arg, Oid relid)
{
	for (LoaderEntry *e = loader_entries; e != NULL; e = e->next)
	{
		if (relid == InvalidOid || relid == e->relids[0] ||
			relid == e->relids[1] || relid == e->relids[2])
			invalidate_entry(e);
	}
}

static void
free_retired_plans(void)
{
	ListCell   *lc;

	if (running > 0 || retired_plans == NIL)
		return;
	foreach(lc, retired_plans)
		SPI_freeplan((SPIPlanPtr) lfirst(lc));
	list_free(retired_plans);
	retired_plans = NIL;
}

static char *
regclass_name(Oid relid)
{
	return DatumGetCString(DirectFunctionCall1(regclassout, ObjectIdGetDatum(relid)));
}

/*
 * Read what an entry needs from the catalog.  The entry is marked valid
 * first: an invalidation that arrives meanwhile makes the next call read it
 * again.
 */
static void
read_entry(LoaderEntry *e)
{
	e->valid = true;
	PG_TRY();
	{
		Association *a;
		char	   *sql;

		if (SPI_connect() != SPI_OK_CONNECT)
			elog(ERROR, "SPI_connect failed");
		a = assoc_catalog_find(e->source, e->alias);
		if (a == NULL)
			ereport(ERROR,
					(errcode(ERRCODE_UNDEFINED_OBJECT),
					 errmsg("table %s has no association \"%s\"",
							regclass_name(e->source), e->alias)));

		sql = assoc_loader_query(a);
		if (e->sql)
			pfree(e->sql);
		e->sql = MemoryContextStrdup(loader_context, sql);
		e->relids[0] = a->source->relid;
		e->relids[1] = a->target->relid;
		e->relids[2] = a->through ? a->through->relid : InvalidOid;
		e->rowtype = get_rel_type_id(a->source->relid);
		SPI_finish();
	}
	PG_CATCH();
	{
		e->valid = false;
		PG_RE_THROW();
	}
	PG_END_TRY();
}

/* The entry of an association, read when new or something changed. */
static LoaderEntry *
loader_entry(Oid source, const char *alias)
{
	LoaderEntry *e;

	for (e = loader_entries; e != NULL; e = e->next)
	{
		if (e->source == source && strcmp(e->alias, alias) == 0)
			break;
	}
	if (e == NULL)
	{
		if (loader_context == NULL)
		{
			loader_context = AllocSetContextCreate(TopMemoryContext,
												   "assoc row loaders",
												   ALLOCSET_SMALL_SIZES);
			CacheRegisterSyscacheCallback(PROCOID, invalidate_all, (Datum) 0);
			CacheRegisterSyscacheCallback(NAMESPACEOID, invalidate_all, (Datum) 0);
			CacheRegisterRelcacheCallback(invalidate_relation, (Datum) 0);
		}
		e = MemoryContextAllocZero(loader_context, sizeof(LoaderEntry));
		e->source = source;
		e->alias = MemoryContextStrdup(loader_context, alias);
		e->next = loader_entries;
		loader_entries = e;
	}
	if (!e->valid)
		read_entry(e);
	return e;
}

/* ---- the call replaced while the caller's query is planned ---- */

typedef struct SubstituteContext
{
	Node	   *instance;
	int			sublevels_up;
} SubstituteContext;

/* Is the field a live column of that type? */
static bool
field_matches(Oid rowtype, FieldSelect *fs)
{
	TupleDesc	tupdesc = lookup_rowtype_tupdesc(rowtype, -1);
	bool		ok;

	ok = fs->fieldnum > 0 && fs->fieldnum <= tupdesc->natts &&
		!TupleDescAttr(tupdesc, fs->fieldnum - 1)->attisdropped &&
		TupleDescAttr(tupdesc, fs->fieldnum - 1)->atttypid == fs->resulttype;
	ReleaseTupleDesc(tupdesc);
	return ok;
}

/* $1 -> the instance, its variables moved to the level they end up at */
static Node *
substitute_instance(Node *node, SubstituteContext *context)
{
	if (node == NULL)
		return NULL;

	/*
	 * ($1).id of a whole-row reference o.* is o.id, which spares the
	 * subplan a copy of the row for each row (as eval_const_expressions
	 * does for the references of the query's own level).
	 */
	if (IsA(node, FieldSelect) && IsA(((FieldSelect *) node)->arg, Param) &&
		((Param *) ((FieldSelect *) node)->arg)->paramkind == PARAM_EXTERN &&
		((Param *) ((FieldSelect *) node)->arg)->paramid == 1 &&
		((Var *) context->instance)->varattno == InvalidAttrNumber &&
		field_matches(((Var *) context->instance)->vartype, (FieldSelect *) node))
	{
		FieldSelect *fs = (FieldSelect *) node;
		Var		   *row = (Var *) context->instance;

		return (Node *) makeVar(row->varno, fs->fieldnum, fs->resulttype,
								fs->resulttypmod, fs->resultcollid,
								row->varlevelsup + context->sublevels_up);
	}
	if (IsA(node, Param) &&
		((Param *) node)->paramkind == PARAM_EXTERN &&
		((Param *) node)->paramid == 1)
	{
		Node	   *instance = copyObject(context->instance);

		IncrementVarSublevelsUp(instance, context->sublevels_up, 0);
		return instance;
	}
	if (IsA(node, Query))
	{
		Query	   *query;

		context->sublevels_up++;
		query = query_tree_mutator((Query *) node, substitute_instance,
								   (void *) context, 0);
		context->sublevels_up--;
		return (Node *) query;
	}
	return expression_tree_mutator(node, substitute_instance, (void *) context);
}

static bool
has_row_security(Node *node, void *context)
{
	if (node == NULL)
		return false;
	if (IsA(node, Query))
	{
		if (((Query *) node)->hasRowSecurity)
			return true;
		return query_tree_walker((Query *) node, has_row_security, context, 0);
	}
	return expression_tree_walker(node, has_row_security, context);
}

/*
 * The included value for the instance, as an expression of the caller's
 * query: the statement parsed, analyzed and rewritten (row-level security)
 * as the current user, with $1 replaced by the instance.
 */
static Node *
included_expression(PlannerInfo *root, LoaderEntry *e, Node *instance)
{
	List	   *raw;
	List	   *queries;
	Query	   *query;
	TargetEntry *tle;
	SubstituteContext context;
	int			save_nestlevel;

	save_nestlevel = assoc_safe_search_path();
	raw = raw_parser(e->sql, RAW_PARSE_DEFAULT);
	if (list_length(raw) != 1)
		elog(ERROR, "unexpected statement for association \"%s\"", e->alias);
#if PG_VERSION_NUM >= 150000
	queries = pg_analyze_and_rewrite_fixedparams(linitial_node(RawStmt, raw), e->sql,
												 &e->rowtype, 1, NULL);
#else
	queries = pg_analyze_and_rewrite(linitial_node(RawStmt, raw), e->sql,
									 &e->rowtype, 1, NULL);
#endif
	assoc_restore_search_path(save_nestlevel);

	if (list_length(queries) != 1)
		elog(ERROR, "unexpected statement for association \"%s\"", e->alias);
	query = linitial_node(Query, queries);
	if (query->commandType != CMD_SELECT || query->rtable != NIL ||
		list_length(query->targetList) != 1)
		elog(ERROR, "unexpected statement for association \"%s\"", e->alias);

	/* a plan shaped by row-level security is good for this role only */
	if (has_row_security((Node *) query, NULL))
		root->glob->dependsOnRole = true;

	tle = linitial_node(TargetEntry, query->targetList);
	context.instance = instance;
	context.sublevels_up = 0;
	return substitute_instance((Node *) tle->expr, &context);
}

static Oid
append_key_function(void)
{
	if (!OidIsValid(append_key_oid))
	{
		Oid			argtypes[3] = {JSONOID, TEXTOID, JSONOID};

		append_key_oid = LookupFuncName(list_make2(makeString("assoc"),
												   makeString("json_append_key")),
										3, argtypes, false);
	}
	return append_key_oid;
}

/*
 * Planner support of assoc.row_loader: SupportRequestSimplify replaces
 * row_loader(source, alias, o) by
 * json_append_key(row_to_json(o), alias, <included value for o>).
 */
Datum
assoc_row_loader_support(PG_FUNCTION_ARGS)
{
	Node	   *rawreq = (Node *) PG_GETARG_POINTER(0);
	SupportRequestSimplify *req;
	FuncExpr   *call;
	Const	   *source;
	Const	   *alias;
	Node	   *instance;
	LoaderEntry *e;
	Node	   *self;
	Node	   *included;
	FuncExpr   *result;

	if (!IsA(rawreq, SupportRequestSimplify))
		PG_RETURN_POINTER(NULL);
	req = (SupportRequestSimplify *) rawreq;
	call = req->fcall;

	/*
	 * Only while a query is planned (its SubLinks are made subplans after
	 * this), only for constant association names, and only for an instance
	 * that is a column reference: it appears twice in the result.
	 */
	if (req->root == NULL || list_length(call->args) != 3)
		PG_RETURN_POINTER(NULL);
	source = (Const *) linitial(call->args);
	alias = (Const *) lsecond(call->args);
	instance = (Node *) lthird(call->args);
	if (!IsA(source, Const) || source->constisnull ||
		!IsA(alias, Const) || alias->constisnull || !IsA(instance, Var))
		PG_RETURN_POINTER(NULL);

	e = loader_entry(DatumGetObjectId(source->constvalue),
					 TextDatumGetCString(alias->constvalue));
	if (exprType(instance) != e->rowtype)
		PG_RETURN_POINTER(NULL);	/* the call raises the error */

	included = included_expression(req->root, e, instance);
	self = (Node *) makeFuncExpr(F_ROW_TO_JSON_RECORD, JSONOID,
								 list_make1(copyObject(instance)),
								 InvalidOid, InvalidOid, COERCE_EXPLICIT_CALL);
	result = makeFuncExpr(append_key_function(), JSONOID,
						  list_make3(self, copyObject(alias), included),
						  InvalidOid, InvalidOid, COERCE_EXPLICIT_CALL);
	result->location = call->location;

	/* the subquery is a SubLink the planner turns into a subplan */
	req->root->parse->hasSubLinks = true;

	PG_RETURN_POINTER(result);
}

/* ---- the call run as it is ---- */

/* The entry for this call site's arguments, and their checks. */
static LoaderSite *
call_site(FunctionCallInfo fcinfo)
{
	LoaderSite *site = fcinfo->flinfo->fn_extra;
	Oid			source = PG_GETARG_OID(0);
	text	   *alias = PG_GETARG_TEXT_PP(1);

	if (site == NULL)
	{
		Oid			argtype = get_fn_expr_argtype(fcinfo->flinfo, 2);

		if (!OidIsValid(argtype) || !type_is_rowtype(argtype))
			ereport(ERROR,
					(errcode(ERRCODE_DATATYPE_MISMATCH),
					 errmsg("assoc.row_loader needs a row of the source table")));
		site = MemoryContextAllocZero(fcinfo->flinfo->fn_mcxt, sizeof(LoaderSite));
		site->argtype = argtype;
		fcinfo->flinfo->fn_extra = site;
	}
	if (site->entry == NULL || site->source != source ||
		VARSIZE_ANY_EXHDR(alias) != strlen(site->alias) ||
		memcmp(VARDATA_ANY(alias), site->alias, VARSIZE_ANY_EXHDR(alias)) != 0)
	{
		char	   *name = text_to_cstring(alias);

		site->entry = NULL;
		site->source = source;
		site->alias = MemoryContextStrdup(fcinfo->flinfo->fn_mcxt, name);
	}
	/* found again each time: it may have been read again meanwhile */
	if (site->entry == NULL || !site->entry->valid)
		site->entry = loader_entry(source, site->alias);
	if (site->argtype != site->entry->rowtype)
		ereport(ERROR,
				(errcode(ERRCODE_DATATYPE_MISMATCH),
				 errmsg("assoc.row_loader needs a row of table %s, not of type %s",
						regclass_name(site->entry->source),
						format_type_be(site->argtype))));
	return site;
}

/* obj (text of a JSON object) with "key": value appended */
static text *
append_key(text *obj, const char *key, const char *value, int valuelen)
{
	StringInfoData buf;
	int			objlen = VARSIZE_ANY_EXHDR(obj);
	const char *o = VARDATA_ANY(obj);

	/* row_to_json's objects end in }, with no white space */
	while (objlen > 0 && o[objlen - 1] != '}')
		objlen--;
	if (objlen == 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("a JSON object is needed to append key \"%s\"", key)));

	initStringInfo(&buf);
	appendStringInfoSpaces(&buf, VARHDRSZ);
	appendBinaryStringInfo(&buf, o, objlen - 1);
	/* a comma, unless the object is empty */
	for (int i = objlen - 2; i >= 0; i--)
	{
		if (o[i] == '{')
			break;
		if (!isspace((unsigned char) o[i]))
		{
			appendStringInfoChar(&buf, ',');
			break;
		}
	}
	escape_json(&buf, key);
	appendStringInfoChar(&buf, ':');
	appendBinaryStringInfo(&buf, value, valuelen);
	appendStringInfoChar(&buf, '}');
	SET_VARSIZE(buf.data, buf.len);
	return (text *) buf.data;
}

/*
 * assoc.json_append_key(obj json, key text, value json) RETURNS json
 *
 * The object with one more key, last, as row_to_json writes it; a NULL
 * value is null, a NULL object NULL.
 */
Datum
assoc_json_append_key(PG_FUNCTION_ARGS)
{
	text	   *value;

	if (PG_ARGISNULL(0) || PG_ARGISNULL(1))
		PG_RETURN_NULL();
	if (PG_ARGISNULL(2))
		PG_RETURN_TEXT_P(append_key(PG_GETARG_TEXT_PP(0),
									text_to_cstring(PG_GETARG_TEXT_PP(1)),
									"null", 4));
	value = PG_GETARG_TEXT_PP(2);
	PG_RETURN_TEXT_P(append_key(PG_GETARG_TEXT_PP(0),
								text_to_cstring(PG_GETARG_TEXT_PP(1)),
								VARDATA_ANY(value), VARSIZE_ANY_EXHDR(value)));
}

/*
 * assoc.row_loader(source regclass, alias text, instance anyelement) RETURNS json
 *
 * The instance, a row of source, as row_to_json gives it, with the
 * association named alias included as the last key; NULL for a NULL
 * instance.
 */
Datum
assoc_row_loader(PG_FUNCTION_ARGS)
{
	LoaderSite *site;
	LoaderEntry *e;
	Datum		row;
	text	   *self;
	text	   *result;
	Oid			argtype;
	int			ret;
	MemoryContext caller = CurrentMemoryContext;

	if (PG_ARGISNULL(0) || PG_ARGISNULL(1) || PG_ARGISNULL(2))
		PG_RETURN_NULL();

	site = call_site(fcinfo);
	e = site->entry;
	row = PG_GETARG_DATUM(2);

	/* the instance's own keys, in table order */
	self = DatumGetTextPP(DirectFunctionCall1(row_to_json, row));

	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "SPI_connect failed");
	free_retired_plans();
	if (e->plan == NULL)
	{
		SPIPlanPtr	plan;

		argtype = e->rowtype;
		plan = SPI_prepare_cursor(e->sql, 1, &argtype, CURSOR_OPT_GENERIC_PLAN);
		if (plan == NULL)
			elog(ERROR, "SPI_prepare failed (%s): %s",
				 SPI_result_code_string(SPI_result), e->sql);
		if (SPI_keepplan(plan) != 0)
			elog(ERROR, "SPI_keepplan failed");
		e->plan = plan;
	}

	running++;
	PG_TRY();
	{
		ret = SPI_execute_plan(e->plan, &row, NULL, true, 1);
	}
	PG_FINALLY();
	{
		running--;
	}
	PG_END_TRY();
	if (ret != SPI_OK_SELECT || SPI_processed != 1)
		elog(ERROR, "SPI_execute_plan failed: %s", SPI_result_code_string(ret));

	{
		bool		isnull;
		Datum		d = SPI_getbinval(SPI_tuptable->vals[0],
									  SPI_tuptable->tupdesc, 1, &isnull);
		MemoryContext old = MemoryContextSwitchTo(caller);

		if (isnull)
			result = append_key(self, e->alias, "null", 4);
		else
		{
			text	   *value = DatumGetTextPP(d);

			result = append_key(self, e->alias, VARDATA_ANY(value),
								VARSIZE_ANY_EXHDR(value));
		}
		MemoryContextSwitchTo(old);
	}

	SPI_finish();
	PG_RETURN_TEXT_P(result);
}
