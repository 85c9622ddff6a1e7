/*
 * row_loader.c
 *	  assoc.row_loader(source, alias, instance): the row form of the eager
 *	  loaders, owner_with_pugs(o owners), in C; and assoc.row_one, the body
 *	  of the readers of one row (pug_get_owner), replaced the same way by
 *	  the scalar subquery it runs (see assoc_row_one below).
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
#include "catalog/pg_class.h"
#include "catalog/pg_type.h"
#include "executor/spi.h"
#include "fmgr.h"
#include "funcapi.h"
#include "lib/stringinfo.h"
#include "nodes/makefuncs.h"
#include "nodes/nodeFuncs.h"
#include "nodes/pathnodes.h"
#include "nodes/supportnodes.h"
#include "optimizer/optimizer.h"
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
PG_FUNCTION_INFO_V1(assoc_row_one);
PG_FUNCTION_INFO_V1(assoc_row_one_support);

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

/*
 * A statement of assoc.row_one parsed for one type of $1 (its if_row
 * branches chosen), kept for the session while nothing changes: a call
 * with the simple protocol plans its query each time, and this spares it
 * the statement's parse.  Statements reading a table with row-level
 * security are parsed each time (what the policies give depends on the
 * role).
 */
typedef struct RowOneEntry
{
	struct RowOneEntry *next;
	char	   *sql;
	Oid			valtype;
	bool		valid;
	MemoryContext cxt;			/* of query */
	Query	   *query;
} RowOneEntry;

static MemoryContext loader_context = NULL;
static LoaderEntry *loader_entries = NULL;
static RowOneEntry *row_one_entries = NULL;
static uint64 row_one_invalidations = 0;
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
invalidate_statements(void)
{
	for (RowOneEntry *e = row_one_entries; e != NULL; e = e->next)
		e->valid = false;
	row_one_invalidations++;
}

static void
invalidate_all(Datum arg, int cacheid, uint32 hashvalue)
{
	for (LoaderEntry *e = loader_entries; e != NULL; e = e->next)
		invalidate_entry(e);
	append_key_oid = InvalidOid;
	invalidate_statements();
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
	/* any relation: row_one's statements do not list theirs */
	invalidate_statements();
}

/* The memory of the session's entries, and the invalidations that clear them. */
static void
init_context(void)
{
	if (loader_context != NULL)
		return;
	loader_context = AllocSetContextCreate(TopMemoryContext,
										   "assoc row loaders",
										   ALLOCSET_SMALL_SIZES);
	CacheRegisterSyscacheCallback(PROCOID, invalidate_all, (Datum) 0);
	CacheRegisterSyscacheCallback(NAMESPACEOID, invalidate_all, (Datum) 0);
	CacheRegisterSyscacheCallback(TYPEOID, invalidate_all, (Datum) 0);
	CacheRegisterRelcacheCallback(invalidate_relation, (Datum) 0);
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
		init_context();
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
	if (IsA(node, FieldSelect) && IsA(context->instance, Var) &&
		IsA(((FieldSelect *) node)->arg, Param) &&
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
 * The one SELECT of sql, $1 of type paramtype, parsed, analyzed and
 * rewritten (row-level security) as the current user, with the safe
 * search_path; "what" names it in the internal errors.  A plan shaped by
 * row-level security is marked as good for this role only.
 */
static Query *
parse_select(PlannerInfo *root, const char *sql, Oid paramtype, const char *what)
{
	List	   *raw;
	List	   *queries;
	Query	   *query;
	int			save_nestlevel;

	save_nestlevel = assoc_safe_search_path();
	raw = raw_parser(sql, RAW_PARSE_DEFAULT);
	if (list_length(raw) != 1)
		elog(ERROR, "unexpected statement for %s", what);
#if PG_VERSION_NUM >= 150000
	queries = pg_analyze_and_rewrite_fixedparams(linitial_node(RawStmt, raw), sql,
												 &paramtype, 1, NULL);
#else
	queries = pg_analyze_and_rewrite(linitial_node(RawStmt, raw), sql,
									 &paramtype, 1, NULL);
#endif
	assoc_restore_search_path(save_nestlevel);

	if (list_length(queries) != 1)
		elog(ERROR, "unexpected statement for %s", what);
	query = linitial_node(Query, queries);
	if (query->commandType != CMD_SELECT)
		elog(ERROR, "unexpected statement for %s", what);
	if (has_row_security((Node *) query, NULL))
		root->glob->dependsOnRole = true;
	return query;
}

/*
 * The included value for the instance, as an expression of the caller's
 * query: the statement parsed (parse_select), with $1 replaced by the
 * instance.
 */
static Node *
included_expression(PlannerInfo *root, LoaderEntry *e, Node *instance)
{
	Query	   *query;
	TargetEntry *tle;
	SubstituteContext context;
	char	   *what = psprintf("association \"%s\"", e->alias);

	query = parse_select(root, e->sql, e->rowtype, what);
	if (query->rtable != NIL || list_length(query->targetList) != 1)
		elog(ERROR, "unexpected statement for %s", what);

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
 * The request, when it is to simplify a call of nargs arguments while a
 * query is planned; else NULL.
 */
static SupportRequestSimplify *
planning_call(Node *rawreq, int nargs)
{
	SupportRequestSimplify *req = (SupportRequestSimplify *) rawreq;

	if (!IsA(rawreq, SupportRequestSimplify) || req->root == NULL ||
		list_length(req->fcall->args) != nargs)
		return NULL;
	return req;
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

	/*
	 * Only while a query is planned (its SubLinks are made subplans after
	 * this), only for constant association names, and only for an instance
	 * that is a column reference: it appears twice in the result.
	 */
	if ((req = planning_call(rawreq, 3)) == NULL)
		PG_RETURN_POINTER(NULL);
	call = req->fcall;
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

/* ---- assoc.row_one: the single-row readers ---- */

static bool
relation_has_row_security(Oid relid)
{
	HeapTuple	tuple = SearchSysCache1(RELOID, ObjectIdGetDatum(relid));
	bool		rls;

	if (!HeapTupleIsValid(tuple))
		return true;
	rls = ((Form_pg_class) GETSTRUCT(tuple))->relrowsecurity;
	ReleaseSysCache(tuple);
	return rls;
}

/* Does the statement read a table with row-level security enabled? */
static bool
reads_row_security(Node *node, void *context)
{
	if (node == NULL)
		return false;
	if (IsA(node, RangeTblEntry))
		return ((RangeTblEntry *) node)->rtekind == RTE_RELATION &&
			relation_has_row_security(((RangeTblEntry *) node)->relid);
	if (IsA(node, Query))
		return query_tree_walker((Query *) node, reads_row_security, context,
								 QTW_EXAMINE_RTES_BEFORE);
	return expression_tree_walker(node, reads_row_security, context);
}

/*
 * row_one's statement sql for $1 of type valtype, parsed (parse_select),
 * with the branches the type of $1 does not take removed (assoc.if_row's
 * support function, see runtime_key.c: a constant put into key_of($1, ...)
 * of the other branch would be folded, and refused); a copy of the one
 * kept for the session (RowOneEntry) when there is one.
 */
static Query *
row_one_statement(PlannerInfo *root, const char *sql, Oid valtype)
{
	RowOneEntry *e;
	Query	   *query;
	MemoryContext old;
	uint64		invalidations = row_one_invalidations;

	for (e = row_one_entries; e != NULL; e = e->next)
		if (e->valtype == valtype && strcmp(e->sql, sql) == 0)
			break;
	if (e != NULL && e->valid)
		return copyObject(e->query);

	query = parse_select(root, sql, valtype, "assoc.row_one");
	query->jointree->quals = eval_const_expressions(NULL, query->jointree->quals);
	if (reads_row_security((Node *) query, NULL))
		return query;

	init_context();
	if (e == NULL)
	{
		e = MemoryContextAllocZero(loader_context, sizeof(RowOneEntry));
		e->sql = MemoryContextStrdup(loader_context, sql);
		e->valtype = valtype;
		e->cxt = AllocSetContextCreate(loader_context, "assoc row_one statement",
									   ALLOCSET_SMALL_SIZES);
		e->next = row_one_entries;
		row_one_entries = e;
	}
	MemoryContextReset(e->cxt);
	old = MemoryContextSwitchTo(e->cxt);
	e->query = copyObject(query);
	MemoryContextSwitchTo(old);
	/* an invalidation during the parse makes the next call parse again */
	e->valid = invalidations == row_one_invalidations;
	return query;
}

/*
 * Planner support of assoc.row_one: SupportRequestSimplify replaces
 * row_one(NULL::T, 'SELECT t FROM ...', v) by the scalar subquery
 * (SELECT t FROM ...) with v for $1, planned with the caller's query (see
 * the head of this file).  Only while a query is planned, for a constant
 * statement, and for a value that is a column, a parameter or a constant:
 * the statement may use $1 more than once.
 */
Datum
assoc_row_one_support(PG_FUNCTION_ARGS)
{
	Node	   *rawreq = (Node *) PG_GETARG_POINTER(0);
	SupportRequestSimplify *req;
	FuncExpr   *call;
	Const	   *sql;
	Node	   *value;
	Oid			valtype;
	Query	   *query;
	SubstituteContext context;
	SubLink    *sublink;
	ListCell   *lc;
	int			columns = 0;

	if ((req = planning_call(rawreq, 3)) == NULL)
		PG_RETURN_POINTER(NULL);
	call = req->fcall;
	sql = (Const *) lsecond(call->args);
	value = (Node *) lthird(call->args);
	valtype = exprType(value);
	if (!IsA(sql, Const) || sql->constisnull || sql->consttype != TEXTOID ||
		!(IsA(value, Var) || IsA(value, Param) || IsA(value, Const)) ||
		valtype == UNKNOWNOID)
		PG_RETURN_POINTER(NULL);

	query = row_one_statement(req->root, TextDatumGetCString(sql->constvalue), valtype);
	/* one column of the result's type (then sort keys), as EXPR_SUBLINK takes */
	foreach(lc, query->targetList)
	{
		TargetEntry *tle = lfirst_node(TargetEntry, lc);

		if (tle->resjunk)
			continue;
		if (tle->resno != 1 || exprType((Node *) tle->expr) != call->funcresulttype)
			PG_RETURN_POINTER(NULL);	/* the call raises the error */
		columns++;
	}
	if (columns != 1)
		PG_RETURN_POINTER(NULL);

	context.instance = value;
	context.sublevels_up = 0;
	sublink = makeNode(SubLink);
	sublink->subLinkType = EXPR_SUBLINK;
	sublink->subLinkId = 0;
	sublink->testexpr = NULL;
	sublink->operName = NIL;
	sublink->subselect = substitute_instance((Node *) query, &context);
	sublink->location = call->location;

	/* the subquery is a SubLink the planner turns into a subplan */
	req->root->parse->hasSubLinks = true;

	PG_RETURN_POINTER(sublink);
}

/*
 * assoc.row_one(rowtype anyelement, sql text, value "any") RETURNS anyelement
 *
 * The first row of sql (a SELECT of one column of rowtype's type), run
 * with value as $1, as the current user; NULL when there is none.  The
 * body of the readers of one row (pug_get_owner): a SQL function whose
 * body is this one call is inlined into the calling query, where the
 * support function above replaces the call by the statement itself.  When
 * it does not (a value that is an expression), the statement runs here,
 * parsed and planned on each call, as the SQL function did.
 */
Datum
assoc_row_one(PG_FUNCTION_ARGS)
{
	Oid			rettype = get_fn_expr_rettype(fcinfo->flinfo);
	Oid			argtype = get_fn_expr_argtype(fcinfo->flinfo, 2);
	Datum		value = PG_ARGISNULL(2) ? (Datum) 0 : PG_GETARG_DATUM(2);
	char		nulls = PG_ARGISNULL(2) ? 'n' : ' ';
	char	   *sql;
	Datum		result = (Datum) 0;
	bool		isnull = true;
	int			ret;

	if (PG_ARGISNULL(1) || !OidIsValid(rettype) || !OidIsValid(argtype))
		elog(ERROR, "assoc.row_one called without its statement or the types of its arguments");
	sql = text_to_cstring(PG_GETARG_TEXT_PP(1));
	if (argtype == UNKNOWNOID)
	{
		argtype = TEXTOID;
		if (!PG_ARGISNULL(2))
			value = CStringGetTextDatum(DatumGetCString(value));
	}

	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "SPI_connect failed");
	ret = SPI_execute_with_args(sql, 1, &argtype, &value, &nulls, true, 1);
	if (ret != SPI_OK_SELECT || SPI_tuptable->tupdesc->natts < 1 ||
		SPI_gettypeid(SPI_tuptable->tupdesc, 1) != rettype)
		elog(ERROR, "assoc.row_one: unexpected statement: %s", sql);
	if (SPI_processed > 0)
	{
		Datum		d = SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc,
									  1, &isnull);
		int16		typlen;
		bool		typbyval;

		get_typlenbyval(rettype, &typlen, &typbyval);
		if (!isnull)
			result = SPI_datumTransfer(d, typbyval, typlen);
	}
	SPI_finish();
	if (isnull)
		PG_RETURN_NULL();
	PG_RETURN_DATUM(result);
}
