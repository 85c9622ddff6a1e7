/*
 * loaders.h
 *	  What the row loader (row_loader.c) asks of the loaders' SQL generator
 *	  (loaders.c).
 */
#ifndef ASSOC_LOADERS_H
#define ASSOC_LOADERS_H

#include "assoc.h"

extern char *assoc_loader_query(Association *a);

#endif							/* ASSOC_LOADERS_H */
