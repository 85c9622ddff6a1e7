/*
 * find_all.c
 *	  assoc.find_all and assoc.find_all_sql: Sequelize's findAll options
 *	  (JSON) translated into one SQL statement returning nested JSON.
 */
#include "postgres.h"

#include "fmgr.h"

PG_FUNCTION_INFO_V1(assoc_find_all);
PG_FUNCTION_INFO_V1(assoc_find_all_sql);

Datum
assoc_find_all(PG_FUNCTION_ARGS)
{
	ereport(ERROR,
			(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
			 errmsg("assoc.find_all is not implemented yet")));
	PG_RETURN_NULL();
}

Datum
assoc_find_all_sql(PG_FUNCTION_ARGS)
{
	ereport(ERROR,
			(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
			 errmsg("assoc.find_all_sql is not implemented yet")));
	PG_RETURN_NULL();
}
