/*
 * declare.h
 *	  The declaration skeleton (declare.c) and what each kind of association
 *	  gives it: belongs_to, has_one, has_many (declare_fk.c) and
 *	  belongs_to_many (declare_btm.c).
 */
#ifndef ASSOC_DECLARE_H
#define ASSOC_DECLARE_H

#include "assoc.h"
#include "ddl.h"
#include "fmgr.h"
#include "nodes/pg_list.h"

typedef struct AssocDecl AssocDecl;

/* Where the arguments every declaration has are, in its SQL signature. */
typedef struct AssocDeclArgs
{
	int			source;
	int			target;
	int			alias;
	int			on_delete;
	int			on_update;
	int			constraints;
	int			underscored;
	int			create_index;
	int			dry_run;
	/* 0 when the kind has none (0 is the source, never one of these) */
	int			counter_cache;
	int			touch;
	int			scope;
	int			through_scope;
} AssocDeclArgs;

/*
 * What a kind of association gives the skeleton, in the order the skeleton
 * calls it (optional steps may be NULL).
 */
typedef struct AssocDeclKind
{
	AssocKind	kind;
	AssocDeclArgs args;
	bool		plural_alias;	/* the alias names the targets (has_many,
								 * belongs_to_many), else one target */
	/* optional: more argument checks, before anything is opened */
	void		(*check_args) (AssocDecl *d);
	/* optional: more tables, once source and target are locked and opened */
	void		(*open) (AssocDecl *d);
	/* optional: more alias rules, before the alias defaults */
	void		(*check_alias) (AssocDecl *d);
	/* the keys: source_key, target_key, foreign_key (and other_key) */
	void		(*keys) (AssocDecl *d);
	/* optional: is the association of this alias, of the same kind, target
	 * and keys, the same in what else this kind has? */
	bool		(*same) (AssocDecl *d, Association *old);
	/* optional: the last checks before anything changes */
	void		(*check) (AssocDecl *d);
	/* the DDL: what to create and what to adopt */
	AssocDdlPlan *(*plan) (AssocDecl *d);
	/* once the DDL ran: the columns (and table) as they now are */
	void		(*resolve) (AssocDecl *d);
} AssocDeclKind;

/* One declaration under way. */
struct AssocDecl
{
	FunctionCallInfo fcinfo;
	const AssocDeclKind *kind;
	Association *a;
	char	   *alias_given;	/* NULL when not given */
	char	   *on_delete;		/* as asked for, normalized; NULL when not */
	char	   *on_update;
	bool		dry_run;
	char	   *counter_given;	/* counter_cache as given, NULL when not */
	AssocDdlPlan *plan;
	void	   *state;			/* the kind's own */
};

extern Datum assoc_declare(FunctionCallInfo fcinfo, const AssocDeclKind *kind);
extern char *assoc_text_arg(FunctionCallInfo fcinfo, int n);
extern bool assoc_bool_arg(FunctionCallInfo fcinfo, int n, bool dflt);

#endif							/* ASSOC_DECLARE_H */
