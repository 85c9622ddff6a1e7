/*
 * gen_fk.h
 *	  The accessors of the foreign-key kinds (gen_fk.c): belongs_to,
 *	  has_one, has_many.
 */
#ifndef ASSOC_GEN_FK_H
#define ASSOC_GEN_FK_H

#include "gen_toolkit.h"

extern void assoc_gen_belongs_to(Gen *g);
extern void assoc_gen_has_one(Gen *g);
extern void assoc_gen_has_many(Gen *g);

#endif							/* ASSOC_GEN_FK_H */
