/*
 * gen_citus.h
 *	  The writers of the foreign-key kinds on Citus tables (gen_citus.c).
 */
#ifndef ASSOC_GEN_CITUS_H
#define ASSOC_GEN_CITUS_H

#include "gen_accessors.h"

extern const char *assoc_gen_citus_writer(Link *l, const char *verb, const char *I,
										  KeyTest *kt, const char *body);
extern const char *assoc_gen_citus_create(Link *l, const char *I, const char *body);

#endif							/* ASSOC_GEN_CITUS_H */
