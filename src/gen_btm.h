/*
 * gen_btm.h
 *	  The accessors of a belongs_to_many association (gen_btm.c).
 */
#ifndef ASSOC_GEN_BTM_H
#define ASSOC_GEN_BTM_H

#include "gen_toolkit.h"

extern void assoc_gen_belongs_to_many(Gen *g);

#endif							/* ASSOC_GEN_BTM_H */
