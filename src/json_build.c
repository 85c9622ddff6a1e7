/*
 * json_build.c
 *	  assoc.json_row(record) and the aggregate assoc.json_rows(record): the
 *	  JSON of row_to_json(record) and json_agg(record), to the byte, written
 *	  faster.
 *
 * PostgreSQL 15's row_to_json and json_agg look up the JSON category and
 * the output function of every column again for every row (catalog cache
 * lookups, a third of the time of a loader's page).  These keep them, per
 * row type, for as long as the calling expression lives (fn_extra), and
 * write the common column types directly:
 *
 *   bool                      true / false
 *   int2 int4 int8            their digits, written into the buffer
 *   float4 float8 numeric     the output text when it is a JSON number
 *                             (NaN and Infinity become strings)
 *   text varchar bpchar       escaped straight from the value (their
 *                             output functions only copy it)
 *   date timestamp timestamptz
 *                             JsonEncodeDateTime, quoted
 *   json                      as it is;  jsonb: its output text
 *   other built-in scalars    the output text as a JSON string
 *
 * and hand anything else (arrays, composite columns, types of extensions
 * that may have a cast to json) to PostgreSQL's own to_json, so that the
 * result is always the one PostgreSQL would give.  Domains count as their
 * base type, as in PostgreSQL.
 *
 * The writer avoids copies: strings are escaped a run of plain bytes at a
 * time (escape_json appends them one by one), numbers and dates are
 * written into the buffer, keys are appended with their known length, and
 * json_row's buffer starts with room for the varlena header, so that the
 * result is the buffer itself rather than a copy of it.
 */
#include "postgres.h"

#include "access/htup_details.h"
#include "access/transam.h"
#include "catalog/pg_type.h"
#include "common/jsonapi.h"
#include "fmgr.h"
#include "funcapi.h"
#include "lib/stringinfo.h"
#include "nodes/makefuncs.h"
#include "utils/builtins.h"
#include "utils/datetime.h"
#include "utils/fmgroids.h"
#include "utils/json.h"
#include "utils/lsyscache.h"
#include "utils/typcache.h"

PG_FUNCTION_INFO_V1(assoc_json_row);
PG_FUNCTION_INFO_V1(assoc_json_rows_step);
PG_FUNCTION_INFO_V1(assoc_json_rows_final);

typedef enum ColumnKind
{
	COL_BOOL,
	COL_INTEGER,				/* int2 int4 int8 */
	COL_NUMBER,
	COL_DATETIME,
	COL_JSON,
	COL_TEXT,					/* text varchar bpchar: the value, escaped */
	COL_STRING,					/* output text, escaped */
	COL_TO_JSON					/* PostgreSQL's to_json */
} ColumnKind;

typedef struct ColumnWriter
{
	bool		dropped;
	ColumnKind	kind;
	Oid			basetype;		/* for COL_DATETIME and COL_INTEGER */
	char	   *key;			/* the escaped key and its colon: "name": */
	int			keylen;
	FmgrInfo	out;			/* output function, or to_json */
} ColumnWriter;

/* How to write the rows of one row type */
typedef struct RowWriter
{
	Oid			typid;
	int32		typmod;
	TupleDesc	tupdesc;
	Datum	   *values;
	bool	   *nulls;
	ColumnWriter *cols;
} RowWriter;

/* to_json(value) for a value of type typid */
static void
prepare_to_json(FmgrInfo *flinfo, Oid typid, MemoryContext cxt)
{
	MemoryContext old = MemoryContextSwitchTo(cxt);
	Const	   *arg = makeNullConst(typid, -1, InvalidOid);

	fmgr_info_cxt(F_TO_JSON, flinfo, cxt);
	flinfo->fn_expr = (Node *) makeFuncExpr(F_TO_JSON, JSONOID, list_make1(arg),
											InvalidOid, InvalidOid,
											COERCE_EXPLICIT_CALL);
	MemoryContextSwitchTo(old);
}

static void
prepare_column(ColumnWriter *col, Form_pg_attribute att, MemoryContext cxt)
{
	Oid			base;
	Oid			outfunc;
	bool		varlena;
	StringInfoData key;

	col->dropped = att->attisdropped;
	if (col->dropped)
		return;
	base = getBaseType(att->atttypid);

	initStringInfo(&key);
	escape_json(&key, NameStr(att->attname));
	appendStringInfoChar(&key, ':');
	col->key = MemoryContextStrdup(cxt, key.data);
	col->keylen = key.len;
	pfree(key.data);

	col->basetype = base;
	switch (base)
	{
		case BOOLOID:
			col->kind = COL_BOOL;
			return;
		case INT2OID:
		case INT4OID:
		case INT8OID:
			col->kind = COL_INTEGER;
			return;
		case TEXTOID:
		case VARCHAROID:
		case BPCHAROID:
			col->kind = COL_TEXT;
			return;
		case FLOAT4OID:
		case FLOAT8OID:
		case NUMERICOID:
			col->kind = COL_NUMBER;
			break;
		case DATEOID:
		case TIMESTAMPOID:
		case TIMESTAMPTZOID:
			col->kind = COL_DATETIME;
			return;
		case JSONOID:
			col->kind = COL_JSON;
			return;
		case JSONBOID:
			col->kind = COL_JSON;
			break;
		default:
			if (base >= FirstNormalObjectId || type_is_rowtype(base) ||
				OidIsValid(get_element_type(base)))
			{
				col->kind = COL_TO_JSON;
				prepare_to_json(&col->out, att->atttypid, cxt);
				return;
			}
			col->kind = COL_STRING;
			break;
	}
	getTypeOutputInfo(base, &outfunc, &varlena);
	fmgr_info_cxt(outfunc, &col->out, cxt);
}

static RowWriter *
row_writer(FmgrInfo *flinfo, HeapTupleHeader td)
{
	Oid			typid = HeapTupleHeaderGetTypeId(td);
	int32		typmod = HeapTupleHeaderGetTypMod(td);
	RowWriter  *w = (RowWriter *) flinfo->fn_extra;
	MemoryContext cxt = flinfo->fn_mcxt;
	MemoryContext old;
	TupleDesc	tupdesc;

	if (w != NULL && w->typid == typid && w->typmod == typmod)
		return w;

	old = MemoryContextSwitchTo(cxt);
	tupdesc = lookup_rowtype_tupdesc(typid, typmod);
	w = palloc0(sizeof(RowWriter));
	w->typid = typid;
	w->typmod = typmod;
	w->tupdesc = CreateTupleDescCopy(tupdesc);
	ReleaseTupleDesc(tupdesc);
	w->values = palloc(sizeof(Datum) * w->tupdesc->natts);
	w->nulls = palloc(sizeof(bool) * w->tupdesc->natts);
	w->cols = palloc0(sizeof(ColumnWriter) * w->tupdesc->natts);
	for (int i = 0; i < w->tupdesc->natts; i++)
		prepare_column(&w->cols[i], TupleDescAttr(w->tupdesc, i), cxt);
	MemoryContextSwitchTo(old);
	flinfo->fn_extra = w;
	return w;
}

/*
 * The JSON string of len bytes at str, appended to buf: escape_json's text
 * (PostgreSQL 15: \b \f \n \r \t \" \\, other bytes below 0x20 as
 * \u00XX, every other byte as it is), the bytes that need no escape
 * appended a run at a time.
 */
static void
write_string(StringInfo buf, const char *str, int len)
{
	const char *end = str + len;
	const char *run = str;

	/* the string, its quotes and a few escapes, in one enlargement */
	enlargeStringInfo(buf, len + 8);
	buf->data[buf->len++] = '"';
	for (const char *p = str; p < end; p++)
	{
		unsigned char c = (unsigned char) *p;
		const char *esc;

		if (c >= ' ' && c != '"' && c != '\\')
			continue;
		if (p > run)
			appendBinaryStringInfo(buf, run, p - run);
		run = p + 1;
		switch (c)
		{
			case '\b':
				esc = "\\b";
				break;
			case '\f':
				esc = "\\f";
				break;
			case '\n':
				esc = "\\n";
				break;
			case '\r':
				esc = "\\r";
				break;
			case '\t':
				esc = "\\t";
				break;
			case '"':
				esc = "\\\"";
				break;
			case '\\':
				esc = "\\\\";
				break;
			default:
				appendStringInfo(buf, "\\u%04x", (int) c);
				continue;
		}
		appendBinaryStringInfo(buf, esc, 2);
	}
	if (end > run)
		appendBinaryStringInfo(buf, run, end - run);
	appendStringInfoCharMacro(buf, '"');
}

static void
write_value(StringInfo buf, ColumnWriter *col, Datum value)
{
	char	   *str;

	switch (col->kind)
	{
		case COL_BOOL:
			appendStringInfoString(buf, DatumGetBool(value) ? "true" : "false");
			break;
		case COL_INTEGER:
			/* int2out, int4out and int8out's digits, at most 20 and a sign */
			enlargeStringInfo(buf, MAXINT8LEN + 1);
			if (col->basetype == INT8OID)
				buf->len += pg_lltoa(DatumGetInt64(value), buf->data + buf->len);
			else if (col->basetype == INT4OID)
				buf->len += pg_ltoa(DatumGetInt32(value), buf->data + buf->len);
			else
				buf->len += pg_ltoa((int32) DatumGetInt16(value), buf->data + buf->len);
			break;
		case COL_TEXT:
			{
				text	   *t = DatumGetTextPP(value);

				write_string(buf, VARDATA_ANY(t), VARSIZE_ANY_EXHDR(t));
				if ((Pointer) t != DatumGetPointer(value))
					pfree(t);
			}
			break;
		case COL_NUMBER:
			str = OutputFunctionCall(&col->out, value);
			if (IsValidJsonNumber(str, strlen(str)))
				appendStringInfoString(buf, str);
			else
				escape_json(buf, str);
			pfree(str);
			break;
		case COL_DATETIME:
			/* written in place, between its quotes */
			enlargeStringInfo(buf, MAXDATELEN + 3);
			str = buf->data + buf->len;
			*str = '"';
			JsonEncodeDateTime(str + 1, value, col->basetype, NULL);
			buf->len += strlen(str);
			buf->data[buf->len++] = '"';
			buf->data[buf->len] = '\0';
			break;
		case COL_JSON:
			if (col->basetype == JSONOID)
			{
				text	   *t = DatumGetTextPP(value);

				appendBinaryStringInfo(buf, VARDATA_ANY(t), VARSIZE_ANY_EXHDR(t));
				if ((Pointer) t != DatumGetPointer(value))
					pfree(t);
			}
			else
			{
				str = OutputFunctionCall(&col->out, value);
				appendStringInfoString(buf, str);
				pfree(str);
			}
			break;
		case COL_STRING:
			str = OutputFunctionCall(&col->out, value);
			write_string(buf, str, strlen(str));
			pfree(str);
			break;
		case COL_TO_JSON:
			{
				text	   *t = DatumGetTextPP(FunctionCall1(&col->out, value));

				appendBinaryStringInfo(buf, VARDATA_ANY(t), VARSIZE_ANY_EXHDR(t));
			}
			break;
	}
}

/* The JSON object of a row, appended to buf */
static void
write_row(StringInfo buf, FmgrInfo *flinfo, Datum row)
{
	HeapTupleHeader td = DatumGetHeapTupleHeader(row);
	RowWriter  *w = row_writer(flinfo, td);
	HeapTupleData tmptup;
	bool		first = true;

	tmptup.t_len = HeapTupleHeaderGetDatumLength(td);
	tmptup.t_data = td;
	heap_deform_tuple(&tmptup, w->tupdesc, w->values, w->nulls);

	appendStringInfoChar(buf, '{');
	for (int i = 0; i < w->tupdesc->natts; i++)
	{
		ColumnWriter *col = &w->cols[i];

		if (col->dropped)
			continue;
		if (!first)
			appendStringInfoChar(buf, ',');
		first = false;
		appendBinaryStringInfo(buf, col->key, col->keylen);
		if (w->nulls[i])
			appendStringInfoString(buf, "null");
		else
			write_value(buf, col, w->values[i]);
	}
	appendStringInfoChar(buf, '}');
}

/* assoc.json_row(record) RETURNS json: row_to_json(record) */
Datum
assoc_json_row(PG_FUNCTION_ARGS)
{
	StringInfoData buf;

	if (PG_ARGISNULL(0))
		PG_RETURN_NULL();

	/*
	 * The text is written after room for its varlena header, and the buffer
	 * is the result.
	 */
	initStringInfo(&buf);
	buf.len = VARHDRSZ;
	write_row(&buf, fcinfo->flinfo, PG_GETARG_DATUM(0));
	SET_VARSIZE(buf.data, buf.len);
	PG_RETURN_POINTER(buf.data);
}

/*
 * assoc.json_rows(record) aggregate: json_agg(record).  The state is the
 * text so far, in the aggregate's memory.
 */
Datum
assoc_json_rows_step(PG_FUNCTION_ARGS)
{
	MemoryContext aggcxt;
	MemoryContext old;
	StringInfo	state;

	if (!AggCheckCallContext(fcinfo, &aggcxt))
		elog(ERROR, "assoc_json_rows_step called in non-aggregate context");

	if (PG_ARGISNULL(0))
	{
		old = MemoryContextSwitchTo(aggcxt);
		state = makeStringInfo();
		MemoryContextSwitchTo(old);
		appendStringInfoChar(state, '[');
	}
	else
	{
		state = (StringInfo) PG_GETARG_POINTER(0);
		appendStringInfoString(state, ", ");
	}
	if (PG_ARGISNULL(1))
		appendStringInfoString(state, "null");
	else
	{
		/* json_agg puts a line break before every row but the first */
		if (state->len > 1)
			appendStringInfoString(state, "\n ");

		/*
		 * Whatever write_row allocates goes in the per-row memory; the
		 * state's text, enlarged, stays in the aggregate's.
		 */
		write_row(state, fcinfo->flinfo, PG_GETARG_DATUM(1));
	}
	PG_RETURN_POINTER(state);
}

Datum
assoc_json_rows_final(PG_FUNCTION_ARGS)
{
	StringInfo	state;
	text	   *result;

	if (PG_ARGISNULL(0))
		PG_RETURN_NULL();
	state = (StringInfo) PG_GETARG_POINTER(0);
	/* the state stays as it is: a window may aggregate on after this */
	result = palloc(VARHDRSZ + state->len + 1);
	SET_VARSIZE(result, VARHDRSZ + state->len + 1);
	memcpy(VARDATA(result), state->data, state->len);
	VARDATA(result)[state->len] = ']';
	PG_RETURN_TEXT_P(result);
}
