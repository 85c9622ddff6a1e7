/*
 * gen_loaders.h
 *	  The eager loaders of an association (gen_loaders.c): the generated
 *	  X_with_Y functions, and the statement behind the row loader
 *	  (row_loader.c).
 */
#ifndef ASSOC_GEN_LOADERS_H
#define ASSOC_GEN_LOADERS_H

#include "gen_toolkit.h"

extern void assoc_gen_loaders(Gen *g);
extern char *assoc_loader_query(Association *a);

#endif							/* ASSOC_GEN_LOADERS_H */
