/*
 * events.h
 *	  Writing the functions of a table's associations again (events.c).
 */
#ifndef ASSOC_EVENTS_H
#define ASSOC_EVENTS_H

#include "assoc.h"

extern int	assoc_regenerate_table(Oid relid, List **done);

#endif							/* ASSOC_EVENTS_H */
