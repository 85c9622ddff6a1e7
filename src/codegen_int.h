/*
 * codegen_int.h
 *	  What the generators of accessors (codegen.c) and eager loaders
 *	  (loaders.c) share: the forms an argument takes and the quoted pieces
 *	  of an association.
 */
#ifndef ASSOC_CODEGEN_INT_H
#define ASSOC_CODEGEN_INT_H

#include "assoc.h"

typedef enum FormKind
{
	FORM_ROW,
	FORM_KEY,
	FORM_TEXT
} FormKind;

/* One way to pass an instance, a target or an array of targets. */
typedef struct Form
{
	FormKind	kind;
	bool		array;
	bool		key_or_array;	/* FORM_TEXT of an array: one key or an
								 * array literal (see assoc_cg_many_forms) */
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

/* Everything a body needs, quoted once. */
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

extern char *assoc_cg_regclass_literal(AssocTable *t);
extern char *assoc_cg_type(Oid typid, int32 typmod);
extern char *assoc_cg_insert_json(Gen *g, AssocTable *table, const char *values,
								  const char *forced, const char *alias);
extern char *assoc_cg_text_literal(const char *s);
extern List *assoc_cg_side_forms(Side *side, bool array);
extern List *assoc_cg_many_forms(Gen *g, bool array);
extern char *assoc_cg_form_expr(Gen *g, Side *side, Form *f, int paramno);
extern char *assoc_cg_param(const char *name, Form *f);
extern void assoc_cg_add_func(Gen *g, const char *name, List *params,
							  List *argtypes, const char *rettype, bool stable,
							  const char *body);
extern char *assoc_cg_fname(Gen *g, const char *verb, const char *alias_form);

/* loaders.c */
extern void assoc_gen_loaders(Gen *g);

/* codegen_btm.c: belongs_to_many accessors, and the value its loaders include */
extern void assoc_gen_belongs_to_many(Gen *g);
extern char *assoc_btm_included(Gen *g, const char *s);

#endif							/* ASSOC_CODEGEN_INT_H */
