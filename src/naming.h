/*
 * naming.h
 *	  Names as Sequelize derives them: the inflection package's singular and
 *	  plural, Sequelize's camelize, inflection's underscore.
 */
#ifndef ASSOC_NAMING_H
#define ASSOC_NAMING_H

/* inflection.singularize / inflection.pluralize (case of the word kept) */
extern char *assoc_singularize(const char *word);
extern char *assoc_pluralize(const char *word);

/*
 * Sequelize's Utils.camelize: strip [-_\s]+ and upper-case the next char;
 * raises an error where Sequelize throws (a name ending in "-" or "_")
 */
extern char *assoc_camelize(const char *word);

/* inflection.underscore: "ownerId" -> "owner_id", "UserProfile" -> "user_profile" */
extern char *assoc_underscore(const char *word);

#endif							/* ASSOC_NAMING_H */
