/*
 * gen_accessors.h
 *	  The accessors of an association, one generator per behaviour
 *	  (gen_accessors.c), given the shape of the link by the family that
 *	  knows it (gen_fk.c, gen_btm.c).
 */
#ifndef ASSOC_GEN_ACCESSORS_H
#define ASSOC_GEN_ACCESSORS_H

#include "gen_toolkit.h"

/*
 * How an instance is linked to its targets: the statements and FROM items
 * that differ between a foreign key on the target (has_one, has_many), on
 * the source (belongs_to) and a through table (belongs_to_many).  I is the
 * instance's key as an expression (assoc_cg_form_expr).
 */
typedef struct Link Link;

/* What a shape writes, the same for every association of that shape. */
typedef struct LinkOps
{
	/* FROM item and condition: "T t WHERE" the targets linked to I */
	char	   *(*linked) (Link *l, Form *f, const char *I);
	/* the same for the target key X only (many) */
	char	   *(*linked_key) (Link *l, const char *I, const char *X);
	/* link the targets of kt to I, keeping the others (add; many) */
	void		(*add) (StringInfo b, Link *l, const char *I, KeyTest *kt);
	/* make the targets of kt the only ones of I (set) */
	void		(*replace) (StringInfo b, Link *l, const char *I, KeyTest *kt);
	/* unlink the targets of kt from I (remove; many) */
	void		(*remove) (StringInfo b, Link *l, const char *I, KeyTest *kt);
	/* the statement inserting the target of values $2, linked to I */
	void		(*create) (StringInfo b, Link *l, const char *I);
	/*
	 * the keys (an array expression) of the other instances whose rows
	 * linking the targets of kt will lock, to be locked with the instance
	 * (a counter cache: the targets' previous owners), or NULL; the member
	 * is NULL for shapes that lock none
	 */
	char	   *(*others) (Link *l, KeyTest *kt);
	/*
	 * add, replace and remove check that the targets of kt exist
	 * themselves (as they lock them: assoc_cg_lock_targets); else the
	 * writer checks first
	 */
	bool		checks_keys;
} LinkOps;

/* The link of one association. */
struct Link
{
	Gen		   *g;
	const LinkOps *ops;
	bool		many;			/* several targets: get/count/has/add/remove
								 * and set of an array; else get, set of one */
	bool		by_key;			/* the instance names its one target by key:
								 * get needs no order (belongs_to) */
	bool		set_returns_target; /* has_one's set, as Sequelize's */
	const char *values_param;	/* trailing parameter of add, set and create
								 * (through values, jsonb), or NULL */
	const char *values_check;	/* statement checking it, first after the
								 * lock, or NULL */
	void	   *shape;			/* what the ops need besides g */
};

extern void assoc_gen_accessors(Link *l);

#endif							/* ASSOC_GEN_ACCESSORS_H */
