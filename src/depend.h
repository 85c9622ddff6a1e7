/*
 * depend.h
 *	  The dependencies assoc records for its generated functions.
 */
#ifndef ASSOC_DEPEND_H
#define ASSOC_DEPEND_H

#include "postgres.h"

extern void assoc_record_function_deps(Oid fnoid, Oid source, Oid target,
									   Oid through);

#endif							/* ASSOC_DEPEND_H */
