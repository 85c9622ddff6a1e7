/*
 * naming.c
 *	  Names as Sequelize 6 derives them from a model name: the singular and
 *	  plural of the inflection package (1.13.4), Sequelize's own camelize, and
 *	  inflection's underscore.
 *
 * Sequelize's Utils.singularize and Utils.pluralize are inflection's
 * singularize and pluralize: the word is left alone when its lower case is
 * in a list of uncountable words, else the first of an ordered list of
 * regular expressions that matches it decides (some only to say "leave it
 * alone").  The expressions below are copied verbatim from inflection.js;
 * all of them are used with the flags "gi".  They need no quantifiers, so a
 * small matcher for exactly what they use (literals, [classes], groups with
 * alternatives, ^ and $) runs them here with JavaScript's semantics: the
 * leftmost match, alternatives tried in order, ASCII-only case folding,
 * $n in the replacement taken from the case the word has, an unmatched
 * group giving "".  So "Owners" -> "Owner", "People" -> "Person",
 * "PEOPLE" -> "PErson", and "Foot" -> "feet" (that rule's replacement is a
 * literal).
 *
 * Outside ASCII, JavaScript's toLowerCase and toUpperCase are those of
 * Unicode; here they are ICU's root-locale case mappings (the "und-x-icu"
 * collation), used in UTF-8 databases only.  Other databases, or a server
 * without ICU, fold ASCII letters only.
 *
 * Sequelize's camelize throws a TypeError on a name that ends in "-" or "_"
 * once trimmed; assoc_camelize raises an error there.
 */
#include "postgres.h"

#include "catalog/namespace.h"
#include "fmgr.h"
#include "lib/stringinfo.h"
#include "mb/pg_wchar.h"
#include "nodes/pg_list.h"
#include "nodes/value.h"
#include "utils/builtins.h"
#include "utils/formatting.h"
#include "utils/memutils.h"

#include "naming.h"

PG_FUNCTION_INFO_V1(assoc_singularize_sql);
PG_FUNCTION_INFO_V1(assoc_pluralize_sql);
PG_FUNCTION_INFO_V1(assoc_camelize_sql);
PG_FUNCTION_INFO_V1(assoc_underscore_sql);

/*
 * inflection's uncountable_words, in its order (the entries it comments out
 * are left out).
 */
static const char *const uncountable_words[] = {
	"accommodation", "adulthood", "advertising", "advice", "aggression",
	"aid", "air", "aircraft", "alcohol", "anger", "applause", "arithmetic",
	"assistance", "athletics",
	"bacon", "baggage", "beef", "biology", "blood", "botany", "bread",
	"butter",
	"carbon", "cardboard", "cash", "chalk", "chaos", "chess", "crossroads",
	"countryside",
	"dancing", "deer", "dignity", "dirt", "dust",
	"economics", "education", "electricity", "engineering", "enjoyment",
	"envy", "equipment", "ethics", "evidence", "evolution",
	"fame", "fiction", "flour", "flu", "food", "fuel", "fun", "furniture",
	"gallows", "garbage", "garlic", "genetics", "gold", "golf", "gossip",
	"gratitude", "grief", "guilt", "gymnastics",
	"happiness", "hardware", "harm", "hate", "hatred", "health", "heat",
	"help", "homework", "honesty", "honey", "hospitality", "housework",
	"humour", "hunger", "hydrogen",
	"ice", "importance", "inflation", "information", "innocence", "iron",
	"irony",
	"jam", "jewelry", "judo",
	"karate", "knowledge",
	"lack", "laughter", "lava", "leather", "leisure", "lightning",
	"linguine", "linguini", "linguistics", "literature", "litter",
	"livestock", "logic", "loneliness", "luck", "luggage",
	"macaroni", "machinery", "magic", "management", "mankind", "marble",
	"mathematics", "mayonnaise", "measles", "methane", "milk", "minus",
	"money", "mud", "music", "mumps",
	"nature", "news", "nitrogen", "nonsense", "nurture", "nutrition",
	"obedience", "obesity", "oxygen",
	"pasta", "patience", "physics", "poetry", "pollution", "poverty",
	"pride", "psychology", "publicity", "punctuation",
	"quartz",
	"racism", "relaxation", "reliability", "research", "respect",
	"revenge", "rice", "rubbish", "rum",
	"safety", "scenery", "seafood", "seaside", "series", "shame", "sheep",
	"shopping", "sleep", "smoke", "smoking", "snow", "soap", "software",
	"soil", "spaghetti", "species", "steam", "stuff", "stupidity",
	"sunshine", "symmetry",
	"tennis", "thirst", "thunder", "timber", "traffic", "transportation",
	"trust",
	"underwear", "unemployment", "unity",
	"validity", "veal", "vegetation", "vegetarianism", "vengeance",
	"violence", "vitality",
	"warmth", "wealth", "weather", "welfare", "wheat", "wildlife", "wisdom",
	"yoga",
	"zinc", "zoology"
};

/* inflection's regex.plural.* (P_) and regex.singular.* (S_) */
typedef enum PatternId
{
	P_MEN, P_PEOPLE, P_CHILDREN, P_TIA, P_ANALYSES, P_DATABASES, P_DRIVES,
	P_HIVES, P_CURVES, P_LRVES, P_AVES, P_FOVES, P_MOVIES, P_AEIOUYIES,
	P_SERIES, P_XES, P_MICE, P_BUSES, P_OES, P_SHOES, P_CRISES, P_OCTOPUSES,
	P_ALIASES, P_SUMMONSES, P_OXEN, P_MATRICES, P_VERTICES, P_FEET, P_TEETH,
	P_GEESE, P_QUIZZES, P_WHEREASES, P_CRITERIA, P_GENERA, P_SS, P_S,
	S_MAN, S_PERSON, S_CHILD, S_DRIVE, S_OX, S_AXIS, S_OCTOPUS, S_ALIAS,
	S_SUMMONS, S_BUS, S_BUFFALO, S_TIUM, S_SIS, S_FFE, S_HIVE, S_AEIOUYY,
	S_X, S_MATRIX, S_VERTEX, S_MOUSE, S_FOOT, S_TOOTH, S_GOOSE, S_QUIZ,
	S_WHEREAS, S_CRITERION, S_GENUS, S_S, S_COMMON,
	NUM_PATTERNS
} PatternId;

static const char *const pattern_source[NUM_PATTERNS] = {
	[P_MEN] = "^(m|wom)en$",
	[P_PEOPLE] = "(pe)ople$",
	[P_CHILDREN] = "(child)ren$",
	[P_TIA] = "([ti])a$",
	[P_ANALYSES] = "((a)naly|(b)a|(d)iagno|(p)arenthe|(p)rogno|(s)ynop|(t)he)ses$",
	[P_DATABASES] = "(database)s$",
	[P_DRIVES] = "(drive)s$",
	[P_HIVES] = "(hi|ti)ves$",
	[P_CURVES] = "(curve)s$",
	[P_LRVES] = "([lr])ves$",
	[P_AVES] = "([a])ves$",
	[P_FOVES] = "([^fo])ves$",
	[P_MOVIES] = "(m)ovies$",
	[P_AEIOUYIES] = "([^aeiouy]|qu)ies$",
	[P_SERIES] = "(s)eries$",
	[P_XES] = "(x|ch|ss|sh)es$",
	[P_MICE] = "([m|l])ice$",
	[P_BUSES] = "(bus)es$",
	[P_OES] = "(o)es$",
	[P_SHOES] = "(shoe)s$",
	[P_CRISES] = "(cris|ax|test)es$",
	[P_OCTOPUSES] = "(octop|vir)uses$",
	[P_ALIASES] = "(alias|canvas|status|campus)es$",
	[P_SUMMONSES] = "^(summons|bonus)es$",
	[P_OXEN] = "^(ox)en",
	[P_MATRICES] = "(matr)ices$",
	[P_VERTICES] = "(vert|ind)ices$",
	[P_FEET] = "^feet$",
	[P_TEETH] = "^teeth$",
	[P_GEESE] = "^geese$",
	[P_QUIZZES] = "(quiz)zes$",
	[P_WHEREASES] = "^(whereas)es$",
	[P_CRITERIA] = "^(criteri)a$",
	[P_GENERA] = "^genera$",
	[P_SS] = "ss$",
	[P_S] = "s$",

	[S_MAN] = "^(m|wom)an$",
	[S_PERSON] = "(pe)rson$",
	[S_CHILD] = "(child)$",
	[S_DRIVE] = "(drive)$",
	[S_OX] = "^(ox)$",
	[S_AXIS] = "(ax|test)is$",
	[S_OCTOPUS] = "(octop|vir)us$",
	[S_ALIAS] = "(alias|status|canvas|campus)$",
	[S_SUMMONS] = "^(summons|bonus)$",
	[S_BUS] = "(bu)s$",
	[S_BUFFALO] = "(buffal|tomat|potat)o$",
	[S_TIUM] = "([ti])um$",
	[S_SIS] = "sis$",
	[S_FFE] = "(?:([^f])fe|([lr])f)$",
	[S_HIVE] = "(hi|ti)ve$",
	[S_AEIOUYY] = "([^aeiouy]|qu)y$",
	[S_X] = "(x|ch|ss|sh)$",
	[S_MATRIX] = "(matr)ix$",
	[S_VERTEX] = "(vert|ind)ex$",
	[S_MOUSE] = "([m|l])ouse$",
	[S_FOOT] = "^foot$",
	[S_TOOTH] = "^tooth$",
	[S_GOOSE] = "^goose$",
	[S_QUIZ] = "(quiz)$",
	[S_WHEREAS] = "^(whereas)$",
	[S_CRITERION] = "^(criteri)on$",
	[S_GENUS] = "^genus$",
	[S_S] = "s$",
	[S_COMMON] = "$",
};

/* A rule: the first whose pattern matches decides; NULL = keep the word. */
typedef struct InflectionRule
{
	PatternId	pattern;
	const char *replacement;
} InflectionRule;

/* inflection's plural_rules, in order */
static const InflectionRule plural_rules[] = {
	/* do not replace if its already a plural word */
	{P_MEN, NULL},
	{P_PEOPLE, NULL},
	{P_CHILDREN, NULL},
	{P_TIA, NULL},
	{P_ANALYSES, NULL},
	{P_DATABASES, NULL},
	{P_DRIVES, NULL},
	{P_HIVES, NULL},
	{P_CURVES, NULL},
	{P_LRVES, NULL},
	{P_FOVES, NULL},
	{P_AEIOUYIES, NULL},
	{P_SERIES, NULL},
	{P_MOVIES, NULL},
	{P_XES, NULL},
	{P_MICE, NULL},
	{P_BUSES, NULL},
	{P_OES, NULL},
	{P_SHOES, NULL},
	{P_CRISES, NULL},
	{P_OCTOPUSES, NULL},
	{P_ALIASES, NULL},
	{P_SUMMONSES, NULL},
	{P_OXEN, NULL},
	{P_MATRICES, NULL},
	{P_FEET, NULL},
	{P_TEETH, NULL},
	{P_GEESE, NULL},
	{P_QUIZZES, NULL},
	{P_WHEREASES, NULL},
	{P_CRITERIA, NULL},
	{P_GENERA, NULL},
	/* original rule */
	{S_MAN, "$1en"},
	{S_PERSON, "$1ople"},
	{S_CHILD, "$1ren"},
	{S_DRIVE, "$1s"},
	{S_OX, "$1en"},
	{S_AXIS, "$1es"},
	{S_OCTOPUS, "$1uses"},
	{S_ALIAS, "$1es"},
	{S_SUMMONS, "$1es"},
	{S_BUS, "$1ses"},
	{S_BUFFALO, "$1oes"},
	{S_TIUM, "$1a"},
	{S_SIS, "ses"},
	{S_FFE, "$1$2ves"},
	{S_HIVE, "$1ves"},
	{S_AEIOUYY, "$1ies"},
	{S_MATRIX, "$1ices"},
	{S_VERTEX, "$1ices"},
	{S_X, "$1es"},
	{S_MOUSE, "$1ice"},
	{S_FOOT, "feet"},
	{S_TOOTH, "teeth"},
	{S_GOOSE, "geese"},
	{S_QUIZ, "$1zes"},
	{S_WHEREAS, "$1es"},
	{S_CRITERION, "$1a"},
	{S_GENUS, "genera"},
	{S_S, "s"},
	{S_COMMON, "s"},
};

/* inflection's singular_rules, in order */
static const InflectionRule singular_rules[] = {
	/* do not replace if its already a singular word */
	{S_MAN, NULL},
	{S_PERSON, NULL},
	{S_CHILD, NULL},
	{S_DRIVE, NULL},
	{S_OX, NULL},
	{S_AXIS, NULL},
	{S_OCTOPUS, NULL},
	{S_ALIAS, NULL},
	{S_SUMMONS, NULL},
	{S_BUS, NULL},
	{S_BUFFALO, NULL},
	{S_TIUM, NULL},
	{S_SIS, NULL},
	{S_FFE, NULL},
	{S_HIVE, NULL},
	{S_AEIOUYY, NULL},
	{S_X, NULL},
	{S_MATRIX, NULL},
	{S_MOUSE, NULL},
	{S_FOOT, NULL},
	{S_TOOTH, NULL},
	{S_GOOSE, NULL},
	{S_QUIZ, NULL},
	{S_WHEREAS, NULL},
	{S_CRITERION, NULL},
	{S_GENUS, NULL},
	/* original rule */
	{P_MEN, "$1an"},
	{P_PEOPLE, "$1rson"},
	{P_CHILDREN, "$1"},
	{P_DATABASES, "$1"},
	{P_DRIVES, "$1"},
	{P_GENERA, "genus"},
	{P_CRITERIA, "$1on"},
	{P_TIA, "$1um"},
	{P_ANALYSES, "$1$2sis"},
	{P_HIVES, "$1ve"},
	{P_CURVES, "$1"},
	{P_LRVES, "$1f"},
	{P_AVES, "$1ve"},
	{P_FOVES, "$1fe"},
	{P_MOVIES, "$1ovie"},
	{P_AEIOUYIES, "$1y"},
	{P_SERIES, "$1eries"},
	{P_XES, "$1"},
	{P_MICE, "$1ouse"},
	{P_BUSES, "$1"},
	{P_OES, "$1"},
	{P_SHOES, "$1"},
	{P_CRISES, "$1is"},
	{P_OCTOPUSES, "$1us"},
	{P_ALIASES, "$1"},
	{P_SUMMONSES, "$1"},
	{P_OXEN, "$1"},
	{P_MATRICES, "$1ix"},
	{P_VERTICES, "$1ex"},
	{P_FEET, "foot"},
	{P_TEETH, "tooth"},
	{P_GEESE, "goose"},
	{P_QUIZZES, "$1"},
	{P_WHEREASES, "$1"},
	{P_SS, "ss"},
	{P_S, ""},
};

/*
 * The matcher.  A pattern without quantifiers matches a finite set of
 * sequences, so it is compiled to the list of its paths: sequences of
 * steps with no alternatives left, in the order a backtracking engine
 * tries them.  Trying the paths in turn at each start position, leftmost
 * first, finds the match JavaScript finds, captures included.
 */
typedef enum RxStepKind
{
	RX_BOL,						/* ^ */
	RX_EOL,						/* $ */
	RX_CHAR,					/* a literal (ASCII, stored in lower case) */
	RX_CLASS,					/* [set] or [^set] */
	RX_OPEN,					/* start of capturing group */
	RX_CLOSE					/* end of capturing group */
} RxStepKind;

typedef struct RxStep
{
	RxStepKind	kind;
	char		ch;				/* RX_CHAR */
	bool		negated;		/* RX_CLASS */
	char	   *set;			/* RX_CLASS, lower case */
	int			group;			/* RX_OPEN, RX_CLOSE */
} RxStep;

typedef struct RxPattern
{
	int			ngroups;
	List	   *paths;			/* List of List of RxStep */
} RxPattern;

/* captures: [2n] start and [2n+1] end byte offset of group n, -1 if unset */
#define RX_MAX_GROUPS 9

static RxPattern *compiled_patterns[NUM_PATTERNS];
static MemoryContext naming_context = NULL;

static List *rx_parse_alternatives(const char **p, const char *source, int *ngroups);

static void
rx_syntax_error(const char *source)
{
	elog(ERROR, "unsupported inflection pattern \"%s\"", source);
}

/* every path of left followed by every path of right, in trying order */
static List *
rx_cross(List *left, List *right)
{
	List	   *result = NIL;
	ListCell   *lc;
	ListCell   *rc;

	foreach(lc, left)
	{
		foreach(rc, right)
			result = lappend(result,
							 list_concat_copy((List *) lfirst(lc),
											  (List *) lfirst(rc)));
	}
	return result;
}

static RxStep *
rx_step(RxStepKind kind)
{
	RxStep	   *step = palloc0(sizeof(RxStep));

	step->kind = kind;
	return step;
}

/* one atom: a group, a class, ^, $ or a literal; returns its paths */
static List *
rx_parse_atom(const char **p, const char *source, int *ngroups)
{
	const char *s = *p;
	RxStep	   *step;

	if (*s == '(')
	{
		int			group = 0;
		List	   *inner;
		List	   *result = NIL;
		ListCell   *lc;

		s++;
		if (s[0] == '?' && s[1] == ':')
			s += 2;
		else
		{
			group = ++(*ngroups);
			if (group > RX_MAX_GROUPS)
				rx_syntax_error(source);
		}
		inner = rx_parse_alternatives(&s, source, ngroups);
		if (*s != ')')
			rx_syntax_error(source);
		*p = s + 1;
		if (group == 0)
			return inner;
		foreach(lc, inner)
		{
			RxStep	   *open = rx_step(RX_OPEN);
			RxStep	   *close = rx_step(RX_CLOSE);

			open->group = close->group = group;
			result = lappend(result,
							 lappend(lcons(open, (List *) lfirst(lc)), close));
		}
		return result;
	}

	if (*s == '[')
	{
		StringInfoData set;

		step = rx_step(RX_CLASS);
		s++;
		if (*s == '^')
		{
			step->negated = true;
			s++;
		}
		initStringInfo(&set);
		for (; *s != ']'; s++)
		{
			/* no ranges, escapes or non-ASCII in inflection's classes */
			if (*s == '\0' || *s == '\\' || *s == '-' || IS_HIGHBIT_SET(*s))
				rx_syntax_error(source);
			appendStringInfoChar(&set, pg_ascii_tolower((unsigned char) *s));
		}
		step->set = set.data;
		*p = s + 1;
		return list_make1(list_make1(step));
	}

	if (*s == '^')
		step = rx_step(RX_BOL);
	else if (*s == '$')
		step = rx_step(RX_EOL);
	else if (strchr(".*+?{}\\", *s) || IS_HIGHBIT_SET(*s))
	{
		rx_syntax_error(source);
		step = NULL;			/* keep compiler quiet */
	}
	else
	{
		step = rx_step(RX_CHAR);
		step->ch = pg_ascii_tolower((unsigned char) *s);
	}
	*p = s + 1;
	return list_make1(list_make1(step));
}

/* a sequence of atoms up to "|", ")" or the end */
static List *
rx_parse_sequence(const char **p, const char *source, int *ngroups)
{
	List	   *paths = list_make1(NIL);

	while (**p != '\0' && **p != '|' && **p != ')')
		paths = rx_cross(paths, rx_parse_atom(p, source, ngroups));
	return paths;
}

/* sequences separated by "|" */
static List *
rx_parse_alternatives(const char **p, const char *source, int *ngroups)
{
	List	   *paths = rx_parse_sequence(p, source, ngroups);

	while (**p == '|')
	{
		(*p)++;
		paths = list_concat(paths, rx_parse_sequence(p, source, ngroups));
	}
	return paths;
}

/* the compiled pattern, compiled on first use and kept for the session */
static RxPattern *
rx_pattern(PatternId id)
{
	if (compiled_patterns[id] == NULL)
	{
		const char *source = pattern_source[id];
		const char *p = source;
		MemoryContext oldcontext;
		RxPattern  *pattern;

		if (naming_context == NULL)
			naming_context = AllocSetContextCreate(TopMemoryContext,
												   "assoc naming patterns",
												   ALLOCSET_SMALL_SIZES);
		oldcontext = MemoryContextSwitchTo(naming_context);
		pattern = palloc0(sizeof(RxPattern));
		pattern->paths = rx_parse_alternatives(&p, source, &pattern->ngroups);
		MemoryContextSwitchTo(oldcontext);
		if (*p != '\0')
			rx_syntax_error(source);
		compiled_patterns[id] = pattern;
	}
	return compiled_patterns[id];
}

/* byte length of the character at str[pos], never past len */
static int
char_length(const char *str, int len, int pos)
{
	int			l = pg_mblen(str + pos);

	return Min(l, len - pos);
}

/*
 * Does a path of the pattern match str at start?  Sets caps[] (the whole
 * match is group 0).  Only ASCII characters equal ASCII literals, whatever
 * their case, as with JavaScript's "i" flag without "u".
 */
static bool
rx_match_at(RxPattern *pattern, const char *str, int len, int start, int *caps)
{
	ListCell   *pc;

	foreach(pc, pattern->paths)
	{
		List	   *path = (List *) lfirst(pc);
		ListCell   *sc;
		int			pos = start;
		bool		ok = true;
		int			i;

		for (i = 0; i < 2 * (RX_MAX_GROUPS + 1); i++)
			caps[i] = -1;

		foreach(sc, path)
		{
			RxStep	   *step = (RxStep *) lfirst(sc);
			int			clen;
			bool		in;

			switch (step->kind)
			{
				case RX_BOL:
					ok = (pos == 0);
					break;
				case RX_EOL:
					ok = (pos == len);
					break;
				case RX_CHAR:
					ok = (pos < len && char_length(str, len, pos) == 1 &&
						  pg_ascii_tolower((unsigned char) str[pos]) == step->ch);
					if (ok)
						pos++;
					break;
				case RX_CLASS:
					if (pos >= len)
					{
						ok = false;
						break;
					}
					clen = char_length(str, len, pos);
					in = (clen == 1 && !IS_HIGHBIT_SET(str[pos]) &&
						  strchr(step->set,
								 pg_ascii_tolower((unsigned char) str[pos])) != NULL);
					ok = (in != step->negated);
					if (ok)
						pos += clen;
					break;
				case RX_OPEN:
					caps[2 * step->group] = pos;
					break;
				case RX_CLOSE:
					caps[2 * step->group + 1] = pos;
					break;
			}
			if (!ok)
				break;
		}
		if (ok)
		{
			caps[0] = start;
			caps[1] = pos;
			return true;
		}
	}
	return false;
}

/* the leftmost match starting at or after from */
static bool
rx_search(RxPattern *pattern, const char *str, int len, int from, int *caps)
{
	int			start = from;

	for (;;)
	{
		if (rx_match_at(pattern, str, len, start, caps))
			return true;
		if (start >= len)
			return false;
		start += char_length(str, len, start);
	}
}

/*
 * str.replace(pattern, replacement) for a global pattern: every match,
 * left to right, replaced by the replacement with $1..$9 expanded.
 */
static char *
rx_replace_all(RxPattern *pattern, const char *str, const char *replacement)
{
	int			len = strlen(str);
	int			caps[2 * (RX_MAX_GROUPS + 1)];
	int			from = 0;
	int			copied = 0;
	StringInfoData out;

	initStringInfo(&out);
	while (from <= len && rx_search(pattern, str, len, from, caps))
	{
		const char *r;

		appendBinaryStringInfo(&out, str + copied, caps[0] - copied);
		for (r = replacement; *r; r++)
		{
			int			group = 0;

			if (r[0] == '$' && r[1] >= '1' && r[1] <= '9')
				group = r[1] - '0';
			if (group == 0 || group > pattern->ngroups)
			{
				appendStringInfoChar(&out, *r);
				continue;
			}
			/* a group that took no part in the match gives "" */
			if (caps[2 * group] >= 0 && caps[2 * group + 1] >= 0)
				appendBinaryStringInfo(&out, str + caps[2 * group],
									   caps[2 * group + 1] - caps[2 * group]);
			r++;
		}
		copied = caps[1];
		/* after an empty match, the next search starts one character on */
		if (caps[1] == caps[0])
			from = caps[1] + (caps[1] < len ? char_length(str, len, caps[1]) : 1);
		else
			from = caps[1];
	}
	appendBinaryStringInfo(&out, str + copied, len - copied);
	return out.data;
}

/*
 * The ICU collation whose case mappings are Unicode's default ones, as
 * JavaScript's, when the database is UTF-8 and has it; else InvalidOid.
 */
static Oid
unicode_case_collation(void)
{
	if (GetDatabaseEncoding() != PG_UTF8)
		return InvalidOid;
	return get_collation_oid(list_make2(makeString("pg_catalog"),
										makeString("und-x-icu")),
							 true);
}

static bool
is_ascii(const char *str, int len)
{
	int			i;

	for (i = 0; i < len; i++)
		if (IS_HIGHBIT_SET(str[i]))
			return false;
	return true;
}

/* JavaScript's str.toLowerCase() */
static char *
js_lower(const char *str, int len)
{
	char	   *result;
	int			i;

	if (!is_ascii(str, len))
	{
		Oid			collation = unicode_case_collation();

		if (OidIsValid(collation))
			return str_tolower(str, len, collation);
	}
	result = pnstrdup(str, len);
	for (i = 0; i < len; i++)
		result[i] = pg_ascii_tolower((unsigned char) result[i]);
	return result;
}

/*
 * JavaScript's c.toUpperCase() of the character at str (clen bytes), as a
 * regular expression's "." captures it: characters outside the BMP are
 * half of a surrogate pair there, which has no upper case.
 */
static void
append_js_upper_char(StringInfo out, const char *str, int clen)
{
	if (clen == 1)
		appendStringInfoChar(out, pg_ascii_toupper((unsigned char) *str));
	else
	{
		Oid			collation = unicode_case_collation();

		if (OidIsValid(collation) && clen < 4)
			appendStringInfoString(out, str_toupper(str, clen, collation));
		else
			appendBinaryStringInfo(out, str, clen);
	}
}

/*
 * Is the character at str (clen bytes) white space for JavaScript: in \s
 * and removed by trim()?  Outside ASCII, known in UTF-8 databases only.
 */
static bool
is_js_space(const char *str, int clen)
{
	pg_wchar	c;

	if (clen == 1)
		return (*str == ' ' || (*str >= '\t' && *str <= '\r'));
	if (GetDatabaseEncoding() != PG_UTF8)
		return false;
	c = utf8_to_unicode((const unsigned char *) str);
	return (c == 0x00A0 || c == 0x1680 || (c >= 0x2000 && c <= 0x200A) ||
			c == 0x2028 || c == 0x2029 || c == 0x202F || c == 0x205F ||
			c == 0x3000 || c == 0xFEFF);
}

/* [-_\s] of Sequelize's camelize */
static bool
is_camelize_separator(const char *str, int clen)
{
	return ((clen == 1 && (*str == '-' || *str == '_')) ||
			is_js_space(str, clen));
}

/* inflection's _apply_rules, without its override argument */
static char *
apply_rules(const char *word, const InflectionRule *rules, int nrules)
{
	int			len = strlen(word);
	char	   *lower = js_lower(word, len);
	int			caps[2 * (RX_MAX_GROUPS + 1)];
	int			i;

	for (i = 0; i < (int) lengthof(uncountable_words); i++)
		if (strcmp(lower, uncountable_words[i]) == 0)
			return pstrdup(word);

	for (i = 0; i < nrules; i++)
	{
		RxPattern  *pattern = rx_pattern(rules[i].pattern);

		if (rx_search(pattern, word, len, 0, caps))
		{
			if (rules[i].replacement == NULL)
				break;
			return rx_replace_all(pattern, word, rules[i].replacement);
		}
	}
	return pstrdup(word);
}

char *
assoc_singularize(const char *word)
{
	return apply_rules(word, singular_rules, lengthof(singular_rules));
}

char *
assoc_pluralize(const char *word)
{
	return apply_rules(word, plural_rules, lengthof(plural_rules));
}

/*
 * Sequelize's camelize:
 *	 str.trim().replace(/[-_\s]+(.)?/g, (match, c) => c.toUpperCase())
 * "." cannot fail after the longest run of separators, since the line
 * terminators it refuses are in \s; the run can only end the string, where
 * c is undefined and Sequelize throws.
 */
char *
assoc_camelize(const char *word)
{
	int			len = strlen(word);
	int			start = 0;
	int			end = len;
	int			pos;
	StringInfoData out;

	/* trim(): end is after the last character that is not white space */
	while (start < len && is_js_space(word + start,
									  char_length(word, len, start)))
		start += char_length(word, len, start);
	end = start;
	for (pos = start; pos < len;)
	{
		int			clen = char_length(word, len, pos);

		pos += clen;
		if (!is_js_space(word + pos - clen, clen))
			end = pos;
	}

	initStringInfo(&out);
	for (pos = start; pos < end;)
	{
		int			clen = char_length(word, end, pos);

		if (!is_camelize_separator(word + pos, clen))
		{
			appendBinaryStringInfo(&out, word + pos, clen);
			pos += clen;
			continue;
		}

		/* [-_\s]+: the whole run of separators */
		while (pos < end &&
			   is_camelize_separator(word + pos, char_length(word, end, pos)))
			pos += char_length(word, end, pos);
		if (pos >= end)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_NAME),
					 errmsg("cannot camelize \"%s\"", word),
					 errdetail("Sequelize's camelize fails on a name that ends in \"-\" or \"_\".")));
		/* (.): upper-cased */
		clen = char_length(word, end, pos);
		append_js_upper_char(&out, word + pos, clen);
		pos += clen;
	}
	return out.data;
}

/*
 * inflection's underscore: per "::"-separated part, "_" before every ASCII
 * capital and one leading "_" dropped; parts joined with "/"; then lower
 * case.
 */
char *
assoc_underscore(const char *word)
{
	int			len = strlen(word);
	int			pos = 0;
	StringInfoData out;
	StringInfoData part;

	initStringInfo(&out);
	initStringInfo(&part);
	for (;;)
	{
		bool		last = true;

		resetStringInfo(&part);
		while (pos < len)
		{
			int			clen = char_length(word, len, pos);

			if (clen == 1 && word[pos] == ':' && pos + 1 < len &&
				word[pos + 1] == ':')
			{
				pos += 2;
				last = false;
				break;
			}
			if (clen == 1 && word[pos] >= 'A' && word[pos] <= 'Z')
				appendStringInfoChar(&part, '_');
			appendBinaryStringInfo(&part, word + pos, clen);
			pos += clen;
		}
		appendStringInfoString(&out, part.data[0] == '_' ? part.data + 1 : part.data);
		if (last)
			break;
		appendStringInfoChar(&out, '/');
	}
	pfree(part.data);
	return js_lower(out.data, out.len);
}

/*
 * The SQL-callable forms, assoc.singularize(text) and the others: text in,
 * the C function's result out.
 */
#define TEXT_TO_TEXT_SQL(sqlname, cfunc) \
Datum \
sqlname(PG_FUNCTION_ARGS) \
{ \
	char	   *word = text_to_cstring(PG_GETARG_TEXT_PP(0)); \
\
	PG_RETURN_TEXT_P(cstring_to_text(cfunc(word))); \
}

TEXT_TO_TEXT_SQL(assoc_singularize_sql, assoc_singularize)
TEXT_TO_TEXT_SQL(assoc_pluralize_sql, assoc_pluralize)
TEXT_TO_TEXT_SQL(assoc_camelize_sql, assoc_camelize)
TEXT_TO_TEXT_SQL(assoc_underscore_sql, assoc_underscore)
