/*
 * model.h
 *	  A table's model options, assoc.models (model.c).
 */
#ifndef ASSOC_MODEL_H
#define ASSOC_MODEL_H

#include "assoc.h"

#define MODEL_NCOLS_NAMED 3		/* created_at, updated_at, deleted_at */

/* One row of assoc.models: what was declared, -1 / NULL when not given. */
typedef struct ModelOptions
{
	bool		declared;
	char	   *name;
	int			timestamps;
	char	   *created_at;		/* "" for none */
	char	   *updated_at;
	int			paranoid;
	char	   *deleted_at;
	int			underscored;
	int16		attnums[MODEL_NCOLS_NAMED];
} ModelOptions;

extern Oid	assoc_models_relid(void);
extern void assoc_model_read(Oid relid, ModelOptions *mo);
extern void assoc_model_apply(AssocTable *t, ModelOptions *mo, bool check);
extern void assoc_model_attnums(AssocTable *t, ModelOptions *mo);
extern bool assoc_model_renamed(Oid relid, ModelOptions *mo);

#endif							/* ASSOC_MODEL_H */
