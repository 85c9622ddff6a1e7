/*
 * gen_toolkit.h
 *	  The bottom layer of the generator of SQL functions (gen_toolkit.c):
 *	  what every generator shares, with no knowledge of any association kind.
 */
#ifndef ASSOC_GEN_TOOLKIT_H
#define ASSOC_GEN_TOOLKIT_H

#include "assoc.h"
#include "lib/stringinfo.h"
#include "sql_spell.h"

/* One generated function. */
typedef struct GenFunc
{
	char	   *name;			/* unqualified, e.g. owner_get_pugs */
	char	   *signature;		/* qualified, for regprocedure input */
	char	   *sql;			/* FUNCTION ... statement, without CREATE */
	char	   *body;			/* its text as pg_proc.prosrc keeps it */
} GenFunc;

typedef enum FormKind
{
	FORM_ROW,
	FORM_KEY,
	FORM_TEXT,
	FORM_ANY					/* polymorphic: any of them (runtime_key.c) */
} FormKind;

/* One way to pass an instance, a target or an array of targets. */
typedef struct Form
{
	FormKind	kind;
	bool		array;
	bool		writer;			/* of a writer: a key beyond the column's
								 * range is an error, not none */
	const char *argtype;
} Form;

/* The role a table plays in a function, with what its forms need. */
typedef struct Side
{
	AssocTable *table;
	AssocColumn *key;
	const char *role;			/* model name in messages: "owner", "pug" */
	const char *param;			/* parameter name */
	const char *params;			/* parameter name for arrays */
} Side;

/* Everything a body needs, quoted once (assoc_cg_init). */
typedef struct Gen
{
	Association *a;
	const char *schema;			/* schema of the source table, quoted */
	char	   *prefix;
	Side		src;
	Side		tgt;
	char	   *S;				/* source table, qualified */
	char	   *T;				/* target table, qualified */
	const char *sk;				/* source key column, quoted */
	const char *tk;				/* target key column, quoted */
	const char *fk;				/* foreign key column, quoted */
	char	   *eqS;			/* = for the source key */
	char	   *eqT;			/* = for the target key */
	char	   *eqF;			/* = for the foreign key */
	char	   *srclit;			/* source as a regclass literal */
	char	   *aliaslit;		/* alias as a text literal */
	bool		uncountable;	/* the alias's singular and plural give the
								 * same function names (news, sheep) */
	const char *upd;			/* ", updatedAt = now()" for the holder */
	List	   *funcs;
} Gen;

/*
 * The targets an accessor is given, as a test of a column holding target
 * keys: "= expr" for one key (NULL allowed: none), "= ANY (expr)" for an
 * array of keys.
 */
typedef struct KeyTest
{
	const char *expr;
	bool		array;
} KeyTest;

/* The tables whose rows a function reads or writes. */
typedef enum GenSide
{
	GEN_SOURCE,
	GEN_TARGET,
	GEN_THROUGH
} GenSide;

/* set-up and names */
extern void assoc_cg_init(Gen *g, Association *a);
extern char *assoc_function_prefix(AssocTable *source);
extern char *assoc_function_suffix(const char *alias_form);
extern char *assoc_cg_fname(Gen *g, const char *verb, const char *alias_form);

/* the extra conditions on a side's rows */
extern char *assoc_cg_side_filter(Gen *g, GenSide side, const char *rel);
extern char *assoc_cg_live_filter(Gen *g, GenSide side, const char *rel);

/* quoting */
extern char *assoc_cg_insert_json(Gen *g, AssocTable *table, const char *values,
								  const char *forced, const char *alias);

/* arguments and functions */
extern List *assoc_cg_side_forms(Side *side, bool array);
extern Form *assoc_cg_any_form(bool array, const char *argtype, bool writer);
extern List *assoc_cg_target_forms(bool array, bool writer);
extern char *assoc_cg_form_expr(Gen *g, Side *side, Form *f, int paramno);
extern char *assoc_cg_param(const char *name, Form *f);
extern void assoc_cg_add_func(Gen *g, const char *name, List *params,
							  List *argtypes, const char *rettype, bool stable,
							  const char *body);

/* the rows of a side the association sees */
extern char *assoc_cg_scope_filter(Gen *g, AssocTable *table, const char *alias);

/* key tests */
extern char *assoc_cg_key_match(Gen *g, const char *col, KeyTest *kt);
extern char *assoc_cg_key_nomatch(Gen *g, const char *col, KeyTest *kt);

/* statements of the writers */
extern void assoc_cg_lock_source(StringInfo b, Gen *g, const char *I);
extern void assoc_cg_keys_exist(StringInfo b, Gen *g, KeyTest *kt);
extern void assoc_cg_lock_targets(StringInfo b, Gen *g, const char *where);
extern void assoc_cg_nullable(StringInfo b, Gen *g, Side *side, const char *where);
extern void assoc_cg_return_source(StringInfo b, Gen *g, const char *I);

#endif							/* ASSOC_GEN_TOOLKIT_H */
