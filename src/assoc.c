/*
 * assoc.c
 *	  Module entry point: PG_MODULE_MAGIC, GUCs and _PG_init.
 */
#include "postgres.h"

#include "fmgr.h"
#include "utils/guc.h"

#include "assoc.h"

PG_MODULE_MAGIC;

/* assoc.underscored: default of the underscored argument of declarations */
bool		assoc_underscored = false;

/* assoc.page_bitmap_scans: whether find_all plans its pages with bitmap scans */
bool		assoc_page_bitmap_scans = false;

void		_PG_init(void);

void
_PG_init(void)
{
	DefineCustomBoolVariable("assoc.underscored",
							 "Default of the underscored argument of association declarations.",
							 "When on, derived foreign keys are snake_case (owner_id) instead of camelCase (ownerId), as Sequelize's underscored option.",
							 &assoc_underscored,
							 false,
							 PGC_USERSET,
							 0,
							 NULL, NULL, NULL);
	DefineCustomBoolVariable("assoc.page_bitmap_scans",
							 "Whether assoc.find_all plans its pages with bitmap heap scans.",
							 "When off (the default), find_all plans a page (a limit of at most 1000 rows) with enable_bitmapscan off, so that the rows of each parent are read by plain index scans.",
							 &assoc_page_bitmap_scans,
							 false,
							 PGC_USERSET,
							 0,
							 NULL, NULL, NULL);
#if PG_VERSION_NUM >= 150000
	MarkGUCPrefixReserved("assoc");
#else
	EmitWarningsOnPlaceholders("assoc");
#endif
}
