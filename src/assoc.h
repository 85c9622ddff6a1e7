/*
 * assoc.h
 *	  Declarations shared by all of assoc's modules: the in-memory form of an
 *	  association and of the tables and columns it joins.
 */
#ifndef ASSOC_H
#define ASSOC_H

#include "postgres.h"

#include "access/attnum.h"
#include "miscadmin.h"
#include "nodes/pg_list.h"
#include "utils/acl.h"

#if PG_VERSION_NUM >= 160000
#define assoc_rel_is_owner(relid, roleid) object_ownercheck(RelationRelationId, (relid), (roleid))
#else
#define assoc_rel_is_owner(relid, roleid) pg_class_ownercheck((relid), (roleid))
#endif

extern bool assoc_underscored;
extern bool assoc_page_bitmap_scans;

typedef enum AssocKind
{
	ASSOC_BELONGS_TO,
	ASSOC_HAS_ONE,
	ASSOC_HAS_MANY,
	ASSOC_BELONGS_TO_MANY
} AssocKind;

/* A column of a table, as assoc needs to know it. */
typedef struct AssocColumn
{
	AttrNumber	attnum;
	char	   *name;
	Oid			typid;
	int32		typmod;
	bool		notnull;
} AssocColumn;

/* A table playing the part of a model. */
typedef struct AssocTable
{
	Oid			relid;
	char	   *nspname;
	char	   *relname;
	char	   *qualname;		/* schema-qualified, quoted */
	char	   *model;			/* singular of the model name, case kept */
	char	   *plural;			/* plural of the model name */
	char	   *model_name;		/* the model name as Sequelize's Model.name:
								 * assoc.model's name, else model */
	AssocColumn *created_at;	/* createdAt / created_at, or NULL */
	AssocColumn *updated_at;	/* updatedAt / updated_at, or NULL */
	AssocColumn *deleted_at;	/* paranoid: the deleted-at column, else NULL */
	int			underscored;	/* assoc.model's underscored: 1, 0, or -1
								 * when not declared */
} AssocTable;

/*
 * One pair of an association's scope (scope.c): the rows it sees have
 * column = value (value NULL: IS NULL), and its writers give them that.
 */
typedef struct AssocScopeValue
{
	char	   *name;			/* the column as given */
	AssocColumn *column;		/* resolved, NULL until then */
	char	   *value;			/* input text for the column's type, or NULL */
	char	   *json;			/* the value as JSON text */
} AssocScopeValue;

/*
 * One association, as the catalog row assoc.associations holds it, with the
 * tables and columns resolved.
 *
 * Whatever the kind, source rows are identified by source_key and target
 * rows by target_key.  The foreign key column lives on the "holder" table:
 * the source for belongs_to, the target for has_one and has_many; it
 * references source_key (has_*) or target_key (belongs_to).
 */
typedef struct Association
{
	int32		id;				/* catalog id, 0 when not yet stored */
	AssocKind	kind;
	AssocTable *source;
	AssocTable *target;
	char	   *alias;
	char	   *singular;		/* singular form of the alias */
	char	   *plural;			/* plural form of the alias */
	AssocColumn *foreign_key;	/* on the holder table; for belongs_to_many
								 * the through table's column to the source */
	AssocColumn *source_key;
	AssocColumn *target_key;
	AssocTable *through;		/* belongs_to_many only, else NULL */
	AssocColumn *other_key;		/* through table's column to the target */
	char	   *on_delete;		/* NULL when constraints => false */
	char	   *on_update;
	bool		constraints;
	bool		underscored;
	bool		create_index;
	bool		timestamps;		/* belongs_to_many: the accessors fill the
								 * through table's createdAt/updatedAt */
	List	   *scope;			/* AssocScopeValue *: of the target rows
								 * (has_one, has_many, belongs_to_many) */
	List	   *through_scope;	/* AssocScopeValue *: of the through rows */
	AssocColumn *counter_cache; /* belongs_to, has_many: the referenced
								 * table's count of holder rows, or NULL */
	char	   *counter_recorded;	/* its name as the catalog recorded it */
	bool		touch;			/* belongs_to: bump the target's updatedAt */
	char	   *prefix;			/* of function names, fixed at declaration */
	List	   *functions;		/* text signatures of generated functions */
} Association;

#define assoc_holder(a) ((a)->kind == ASSOC_BELONGS_TO ? (a)->source : \
						 (a)->kind == ASSOC_BELONGS_TO_MANY ? (a)->through : (a)->target)
#define assoc_referenced(a) ((a)->kind == ASSOC_BELONGS_TO ? (a)->target : (a)->source)
#define assoc_referenced_key(a) ((a)->kind == ASSOC_BELONGS_TO ? (a)->target_key : (a)->source_key)

extern const char *assoc_kind_name(AssocKind kind);

#endif							/* ASSOC_H */
