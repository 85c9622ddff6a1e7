/*
 * spi_util.h
 *	  Small wrappers around SPI, and the safe search_path every statement
 *	  that assoc runs or creates is parsed under.
 */
#ifndef ASSOC_SPI_UTIL_H
#define ASSOC_SPI_UTIL_H

#include "postgres.h"

#include "executor/spi.h"
#include "nodes/pg_list.h"

extern void assoc_spi_exec(const char *sql, int expected);
extern void assoc_spi_exec_args(const char *sql, int nargs, Oid *argtypes,
								Datum *values, const char *nulls, int expected);
extern char *assoc_spi_getstring(uint64 row, int col);
extern Datum assoc_spi_getdatum(uint64 row, int col);
extern bool assoc_spi_isnull(uint64 row, int col);
extern Datum assoc_text_array_datum(List *strings);

extern int	assoc_safe_search_path(void);
extern void assoc_restore_search_path(int nestlevel);

#endif							/* ASSOC_SPI_UTIL_H */
