#!/usr/bin/env bash
# The extension's own life cycle, in a database with associations:
#   - CREATE EXTENSION assoc creates the schema assoc as a member of the
#     extension; CREATE EXTENSION assoc SCHEMA x is refused, and so is a
#     schema assoc that exists already (with a hint);
#   - DROP EXTENSION assoc, plain (nothing declared, or every association
#     dropped) or CASCADE (with associations), leaves no schema, table,
#     function, type or event trigger of assoc behind, and CREATE EXTENSION
#     assoc works again;
#   - DROP EXTENSION assoc (no CASCADE) is refused while generated functions
#     depend on it, the error lists them, and nothing changes;
#   - DROP EXTENSION assoc CASCADE drops every generated function (none is
#     left behind, orphaned, to block a later declaration) and leaves the
#     tables, the foreign-key columns, constraints, indexes and data alone;
#   - CREATE EXTENSION again and the same declarations adopt the column,
#     constraint and index (and belongs_to_many the through table), and the
#     accessors see the old links;
#   - ALTER EXTENSION assoc UPDATE (and UPDATE TO the current version) is
#     accepted as a no-op; every other version shipped in sql/ has an update
#     path to the default one, and a database created at that version keeps
#     working after ALTER EXTENSION assoc UPDATE.
# Run by `make test` with PGHOST, PGPORT, PGUSER and a fresh PGDATABASE
# (a superuser: CREATE EXTENSION assoc needs one).
set -euo pipefail

FAILS=0
fail() {
	printf 'FAIL: %s\n' "$*"
	FAILS=$((FAILS + 1))
}
ok() { printf 'ok: %s\n' "$*"; }

psql() { command psql -X -q -v ON_ERROR_STOP=1 "$@"; }
# one value
q() { psql -A -t -c "$1"; }
# a boolean query that must be true
check() {
	local what=$1 sql=$2 got
	if ! got=$(q "$sql" 2>&1); then
		fail "$what: $got"
	elif [[ $got != t ]]; then
		fail "$what (got: $got)"
	else
		ok "$what"
	fi
}

# a statement that must succeed
succeeds() {
	local what=$1 sql=$2 out
	if out=$(psql -c "$sql" 2>&1); then
		ok "$what"
	else
		fail "$what: $out"
	fi
}

# belongs_to_many too, when this build has it
declare_all() {
	psql >/dev/null <<'SQL'
SET client_min_messages = warning;
SELECT 1 FROM assoc.has_many('owners', 'pugs');
SELECT 1 FROM assoc.belongs_to('pugs', 'owners');
SELECT 1 FROM assoc.has_one('owners', 'profiles');
SQL
	if [[ $HAS_BTM == t ]]; then
		psql >/dev/null <<'SQL'
SET client_min_messages = warning;
SELECT 1 FROM assoc.belongs_to_many('students', 'courses', through => 'enrollments');
SELECT 1 FROM assoc.belongs_to_many('courses', 'students', through => 'enrollments');
SQL
	fi
}

# ---- what assoc consists of, recorded while it is installed: its member
# objects, its schema and the names of its functions
record_assoc() {
	local ext
	ext=$(q "SELECT oid FROM pg_extension WHERE extname = 'assoc'")
	NSP_OID=$(q "SELECT oid FROM pg_namespace WHERE nspname = 'assoc'")
	MEMBERS=$(q "SELECT string_agg(format('(%s::oid, %s::oid)', classid::oid, objid), ', ')
	               FROM pg_depend WHERE refclassid = 'pg_extension'::regclass
	                AND refobjid = $ext AND deptype = 'e'")
	FUNC_NAMES=$(q "SELECT string_agg(DISTINCT quote_literal(proname), ', ')
	                  FROM pg_proc WHERE pronamespace = $NSP_OID")
}
# everything of assoc that is still there, one line each (none: empty); a
# function of assoc's name elsewhere counts, but for PostgreSQL's own
# (pg_catalog.count beside assoc.count)
LEFTOVERS_SQL() {
	printf '%s' "SELECT coalesce(string_agg(x, '; ' ORDER BY x), '') FROM (
	  SELECT 'member ' || d FROM (VALUES $MEMBERS) v(c, o), pg_describe_object(v.c, v.o, 0) d
	   WHERE d IS NOT NULL
	  UNION ALL SELECT 'extension ' || extname FROM pg_extension WHERE extname = 'assoc'
	  UNION ALL SELECT 'schema ' || nspname FROM pg_namespace WHERE nspname = 'assoc' OR oid = $NSP_OID
	  UNION ALL SELECT 'table ' || oid::regclass FROM pg_class
	   WHERE relnamespace = $NSP_OID OR relname IN ('associations', 'associations_id_seq')
	  UNION ALL SELECT 'function ' || oid::regprocedure FROM pg_proc
	   WHERE pronamespace = $NSP_OID
	      OR (proname IN ($FUNC_NAMES) AND pronamespace <> 'pg_catalog'::regnamespace)
	  UNION ALL SELECT 'type ' || oid::regtype FROM pg_type
	   WHERE typnamespace = $NSP_OID OR typname IN ('associations', '_associations', 'associations_id_seq')
	  UNION ALL SELECT 'event trigger ' || evtname FROM pg_event_trigger
	   WHERE evtname LIKE 'assoc%' OR evtfoid IN (SELECT oid FROM pg_proc WHERE proname IN ($FUNC_NAMES)
	                                               AND pronamespace <> 'pg_catalog'::regnamespace)) s(x)"
}
# after a DROP EXTENSION: nothing of assoc is left
nothing_left() {
	local what=$1 left
	if ! left=$(q "$(LEFTOVERS_SQL)" 2>&1); then
		fail "$what: $left"
	elif [[ -n $left ]]; then
		fail "$what left behind: $left"
	else
		ok "$what leaves no schema, table, function, type or event trigger of assoc"
	fi
}

# ---- a fresh installation: the schema is the extension's
psql -c 'CREATE EXTENSION assoc' >/dev/null
record_assoc
check "the schema assoc is a member of the extension" \
	"SELECT EXISTS (SELECT FROM pg_depend d JOIN pg_extension e ON e.oid = d.refobjid
	                 WHERE d.classid = 'pg_namespace'::regclass AND d.objid = 'assoc'::regnamespace
	                   AND d.refclassid = 'pg_extension'::regclass AND e.extname = 'assoc' AND d.deptype = 'e')"
check "the catalog, functions and event triggers are members too" \
	"SELECT (SELECT count(*) FROM (VALUES $MEMBERS) v(c, o) WHERE c = 'pg_class'::regclass AND o = 'assoc.associations'::regclass) = 1
	    AND (SELECT count(*) FROM (VALUES $MEMBERS) v(c, o) WHERE c = 'pg_proc'::regclass) >= 20
	    AND (SELECT count(*) FROM (VALUES $MEMBERS) v(c, o) WHERE c = 'pg_event_trigger'::regclass) = 3"

# ---- DROP EXTENSION with nothing declared, then CREATE EXTENSION again
psql -c 'DROP EXTENSION assoc' >/dev/null
nothing_left "DROP EXTENSION assoc (nothing declared)"
succeeds "CREATE EXTENSION assoc again after DROP EXTENSION" 'CREATE EXTENSION assoc'

# ---- where it may be installed
psql -c 'DROP EXTENSION assoc' >/dev/null
out=$(psql -c 'CREATE EXTENSION assoc SCHEMA public' 2>&1) && rc=0 || rc=$?
if ((rc != 0)) && grep -q 'extension "assoc" must be installed in schema "pg_catalog"' <<<"$out"; then
	ok "CREATE EXTENSION assoc SCHEMA public is refused (its objects are in assoc)"
else
	fail "CREATE EXTENSION assoc SCHEMA public: $out"
fi
# a schema assoc that is there already (an earlier installation left it)
psql -c 'CREATE SCHEMA assoc' >/dev/null
out=$(psql -v VERBOSITY=verbose -c 'CREATE EXTENSION assoc' 2>&1) && rc=0 || rc=$?
if ((rc != 0)) && grep -q '42P06: schema "assoc" already exists' <<<"$out" &&
	grep -q 'HINT:  When it is empty (left behind by DROP EXTENSION assoc of an earlier installation), drop it with DROP SCHEMA assoc' <<<"$out"; then
	ok "CREATE EXTENSION assoc with a schema assoc there already: 42P06 and a hint"
else
	fail "CREATE EXTENSION assoc with a schema assoc there already: $out"
fi
check "that failed CREATE EXTENSION left the schema alone and installed nothing" \
	"SELECT to_regnamespace('assoc') IS NOT NULL AND NOT EXISTS (SELECT FROM pg_extension WHERE extname = 'assoc')
	    AND NOT EXISTS (SELECT FROM pg_class WHERE relnamespace = 'assoc'::regnamespace)"
psql -c 'DROP SCHEMA assoc' >/dev/null

psql >/dev/null <<'SQL'
SET client_min_messages = warning;
CREATE EXTENSION assoc;
CREATE TABLE owners (id serial PRIMARY KEY, name text);
CREATE TABLE pugs (id serial PRIMARY KEY, name text);
CREATE TABLE profiles (id serial PRIMARY KEY, bio text);
CREATE TABLE students (id serial PRIMARY KEY, name text);
CREATE TABLE courses (id serial PRIMARY KEY, title text);
SQL
HAS_BTM=$(q "SELECT to_regproc('assoc.belongs_to_many') IS NOT NULL")
record_assoc
declare_all
psql >/dev/null <<'SQL'
INSERT INTO owners (name) VALUES ('Tom'), ('Ann');
INSERT INTO pugs (name, "ownerId") VALUES ('Cody', 1), ('Rex', 1), ('Lulu', 2), ('Bo', NULL);
INSERT INTO profiles (bio, "ownerId") VALUES ('likes pugs', 1);
INSERT INTO students (name) VALUES ('Amy'), ('Ben');
INSERT INTO courses (title) VALUES ('Math'), ('Art');
SQL
if [[ $HAS_BTM == t ]]; then
	q "SELECT count(*) FROM student_add_courses(1, ARRAY[1, 2]), course_add_student(2, 2)" >/dev/null
fi
NASSOC=$(q "SELECT count(*) FROM assoc.associations")

# the generated functions, by signature, as the catalog lists them
FUNCS_SQL="SELECT string_agg(f::text, E'\n' ORDER BY f::text) FROM assoc.associations a, unnest(a.functions) f"
funcs=$(q "$FUNCS_SQL")
nfuncs=$(printf '%s\n' "$funcs" | grep -c .)
((nfuncs > 20)) || fail "only $nfuncs generated functions in the catalog"
# the same, found by name: what must be gone after DROP EXTENSION ... CASCADE
GENERATED_WHERE="p.pronamespace = 'public'::regnamespace
             AND (p.proname LIKE 'owner\\_%' OR p.proname LIKE 'pug\\_%'
                  OR p.proname LIKE 'student\\_%' OR p.proname LIKE 'course\\_%')"
GENERATED="SELECT count(*) FROM pg_proc p WHERE $GENERATED_WHERE"
nbyname=$(q "$GENERATED")
[[ $nbyname == "$nfuncs" ]] || fail "the catalog lists $nfuncs functions, schema public has $nbyname owner_*/pug_*/student_*/course_* functions"

# ---- DROP EXTENSION without CASCADE: refused, naming the functions
out=$(psql -v VERBOSITY=verbose -c 'DROP EXTENSION assoc' 2>&1) && rc=0 || rc=$?
if ((rc == 0)); then
	fail "DROP EXTENSION assoc without CASCADE succeeded"
else
	if grep -q '2BP01' <<<"$out" && grep -q 'cannot drop extension assoc because other objects depend on it' <<<"$out"; then
		ok "DROP EXTENSION assoc is refused (2BP01, other objects depend on it)"
	else
		fail "DROP EXTENSION assoc failed, but not as expected: $(head -n 3 <<<"$out")"
	fi
	# every generated function must be named (PostgreSQL names up to 100
	# and counts the others: "and N other objects")
	listed=$(grep -oE '(^|DETAIL:  )function [^ ]+\([^)]*\) depends on' <<<"$out" |
		sed -E 's/^(DETAIL:  )?function //; s/ depends on$//' | sort -u)
	others=$(grep -oE 'and [0-9]+ other objects' <<<"$out" | grep -oE '[0-9]+' || echo 0)
	unlisted=$(comm -23 <(printf '%s\n' "$funcs" | sort -u) <(printf '%s\n' "$listed"))
	nunlisted=$(grep -c . <<<"$unlisted" || true)
	if ((nunlisted <= others)); then
		ok "the error names the generated functions ($(grep -c . <<<"$listed") named, ${others} more counted)"
	else
		fail "the error names $(grep -c . <<<"$listed") of the $nfuncs generated functions (+ ${others} counted): the others do not depend on the extension, e.g. $(head -n 5 <<<"$unlisted" | paste -sd' ' -)"
	fi
fi
check "after the refused DROP, the extension and its functions are all there" \
	"SELECT EXISTS (SELECT FROM pg_extension WHERE extname = 'assoc') AND ($GENERATED) = $nfuncs"
check "after the refused DROP, the accessors work" \
	"SELECT ARRAY(SELECT id FROM owner_get_pugs(1)) = '{1,2}' AND (SELECT name FROM pug_get_owner(3)) = 'Ann'"

# ---- DROP EXTENSION ... CASCADE: the functions go, the tables stay
psql -c 'SET client_min_messages = warning' -c 'DROP EXTENSION assoc CASCADE' >/dev/null
check "DROP EXTENSION assoc CASCADE dropped the extension and its schema's catalog" \
	"SELECT NOT EXISTS (SELECT FROM pg_extension WHERE extname = 'assoc')
	    AND to_regclass('assoc.associations') IS NULL"
nothing_left "DROP EXTENSION assoc CASCADE (with associations)"
nleft=$(q "$GENERATED")
if ((nleft == 0)); then
	ok "DROP EXTENSION assoc CASCADE dropped all $nfuncs generated functions"
else
	fail "DROP EXTENSION assoc CASCADE left $nleft of $nfuncs generated functions behind: $(q "
	      SELECT string_agg(p.oid::regprocedure::text, '; ' ORDER BY 1) FROM pg_proc p WHERE $GENERATED_WHERE")"
fi
check "the foreign-key columns, constraints and indexes stay" \
	"SELECT EXISTS (SELECT FROM pg_attribute WHERE attrelid = 'pugs'::regclass AND attname = 'ownerId' AND NOT attisdropped)
	    AND EXISTS (SELECT FROM pg_attribute WHERE attrelid = 'profiles'::regclass AND attname = 'ownerId' AND NOT attisdropped)
	    AND EXISTS (SELECT FROM pg_constraint WHERE conrelid = 'pugs'::regclass AND conname = 'pugs_ownerId_fkey' AND contype = 'f')
	    AND EXISTS (SELECT FROM pg_constraint WHERE conrelid = 'profiles'::regclass AND conname = 'profiles_ownerId_fkey' AND contype = 'f')
	    AND to_regclass('\"pugs_ownerId_idx\"') IS NOT NULL
	    AND to_regclass('\"profiles_ownerId_idx\"') IS NOT NULL"
if [[ $HAS_BTM == t ]]; then
	check "the through table stays, with its keys and links" \
		"SELECT to_regclass('enrollments') IS NOT NULL
		    AND (SELECT count(*) FROM pg_constraint WHERE conrelid = 'enrollments'::regclass AND contype = 'f') = 2
		    AND (SELECT string_agg(format('%s-%s', \"studentId\", \"courseId\"), ' ' ORDER BY 1) FROM enrollments) = '1-1 1-2 2-2'"
fi
check "the data stays" \
	"SELECT (SELECT string_agg(format('%s:%s', id, \"ownerId\"), ' ' ORDER BY id) FROM pugs) = '1:1 2:1 3:2 4:'
	    AND (SELECT count(*) FROM owners) = 2 AND (SELECT \"ownerId\" FROM profiles) = 1"

# ---- CREATE EXTENSION again, declare again
if ! out=$(psql -c 'CREATE EXTENSION assoc' 2>&1); then
	fail "CREATE EXTENSION assoc after the drop: $out"
fi
if out=$(declare_all 2>&1); then
	ok "the same declarations again, after CREATE EXTENSION"
	check "they adopted the column, constraint and index (no second constraint or index)" \
		"SELECT (SELECT count(*) FROM pg_constraint WHERE conrelid = 'pugs'::regclass AND contype = 'f') = 1
		    AND (SELECT count(*) FROM pg_index WHERE indrelid = 'pugs'::regclass) = 2
		    AND (SELECT count(*) FROM pg_attribute WHERE attrelid = 'pugs'::regclass AND attnum > 0 AND NOT attisdropped) = 3"
	check "the catalog lists the same functions as before" \
		"SELECT ($FUNCS_SQL) = $(printf "'%s'" "${funcs//\'/\'\'}")"
	check "the accessors see the old links" \
		"SELECT ARRAY(SELECT id FROM owner_get_pugs(1)) = '{1,2}' AND owner_count_pugs(2) = 1
		    AND (SELECT name FROM pug_get_owner(3)) = 'Ann' AND (SELECT bio FROM owner_get_profile(1)) = 'likes pugs'
		    AND owner_with_pugs(2)::jsonb -> 'pugs' -> 0 ->> 'name' = 'Lulu'"
	# (two statements: a reader in the same statement as the writer would
	# see the snapshot from before it)
	q "SELECT owner_add_pug(2, 4)" >/dev/null
	check "and the writers work" \
		"SELECT owner_has_pugs(2, '{3,4}')"
	if [[ $HAS_BTM == t ]]; then
		check "belongs_to_many adopted the through table and sees the old links" \
			"SELECT (SELECT count(*) FROM pg_class WHERE relname LIKE 'enrollments%' AND relkind = 'r') = 1
			    AND ARRAY(SELECT id FROM student_get_courses(1)) = '{1,2}'
			    AND ARRAY(SELECT id FROM course_get_students(2)) = '{1,2}'"
	fi
else
	fail "declaring again after DROP/CREATE EXTENSION: $(grep -m 3 -E 'ERROR|DETAIL' <<<"$out")"
	# go on with the rest: drop what was left behind, declare again
	q "SELECT count(*) FROM (SELECT pg_catalog.set_config('client_min_messages', 'warning', false)) s" >/dev/null
	psql -A -t -c "SELECT format('DROP FUNCTION %s;', p.oid::regprocedure) FROM pg_proc p WHERE $GENERATED_WHERE" | psql >/dev/null
	declare_all
fi

# ---- ALTER EXTENSION assoc UPDATE
default_version=$(q "SELECT default_version FROM pg_available_extensions WHERE name = 'assoc'")
if out=$(psql -c 'ALTER EXTENSION assoc UPDATE' 2>&1); then
	ok "ALTER EXTENSION assoc UPDATE is accepted ($(tr '\n' ' ' <<<"$out"))"
else
	fail "ALTER EXTENSION assoc UPDATE: $out"
fi
if out=$(psql -c "ALTER EXTENSION assoc UPDATE TO '$default_version'" 2>&1); then
	ok "ALTER EXTENSION assoc UPDATE TO '$default_version' is accepted"
else
	fail "ALTER EXTENSION assoc UPDATE TO '$default_version': $out"
fi
check "still version $default_version, associations intact" \
	"SELECT (SELECT extversion FROM pg_extension WHERE extname = 'assoc') = '$default_version'
	    AND (SELECT count(*) FROM assoc.associations) = $NASSOC
	    AND ($GENERATED) = $nfuncs AND owner_count_pugs(1) = 2"

# Every other version shipped has an update path to the default version,
# and a database made at that version keeps its associations across the
# update (nothing to do while 0.1.0 is the only version).
mapfile -t older < <(q "SELECT version FROM pg_available_extension_versions
                         WHERE name = 'assoc' AND version <> '$default_version' ORDER BY version")
if ((${#older[@]} == 0)); then
	ok "no other version of assoc is shipped: no update path to test"
fi
for v in "${older[@]}"; do
	[[ -n $v ]] || continue
	check "an update path from $v to $default_version exists" \
		"SELECT EXISTS (SELECT FROM pg_extension_update_paths('assoc')
		                 WHERE source = '$v' AND target = '$default_version' AND path IS NOT NULL)"
	if out=$(psql 2>&1 <<SQL
SET client_min_messages = warning;
DROP EXTENSION assoc CASCADE;
CREATE EXTENSION assoc VERSION '$v';
DROP FUNCTION IF EXISTS owner_get_pugs(integer);
SQL
	); then
		if out=$(declare_all 2>&1 && psql -c 'ALTER EXTENSION assoc UPDATE' 2>&1); then
			check "declared at $v, updated: the accessors work" \
				"SELECT (SELECT extversion FROM pg_extension WHERE extname = 'assoc') = '$default_version'
				    AND owner_count_pugs(1) = 2 AND (SELECT name FROM pug_get_owner(3)) = 'Ann'"
			# this module declared them on $v's catalog (without generated_by
			# at 0.1.0); the update's assoc.regenerate records the version
			check "declared at $v, updated: generated_by says $default_version" \
				"SELECT count(*) > 0 AND bool_and(generated_by IS NOT DISTINCT FROM '$default_version')
				   FROM assoc.associations"
		else
			fail "declare at $v then ALTER EXTENSION assoc UPDATE: $out"
		fi
	else
		fail "CREATE EXTENSION assoc VERSION '$v': $out"
	fi
done

# ---- every association dropped, then a plain DROP EXTENSION
record_assoc
psql >/dev/null <<'SQL'
SET client_min_messages = warning;
SELECT assoc.drop_association(source, alias) FROM assoc.associations ORDER BY id;
SQL
check "drop_association dropped every association and generated function" \
	"SELECT NOT EXISTS (SELECT FROM assoc.associations) AND ($GENERATED) = 0"
succeeds "DROP EXTENSION assoc (no CASCADE) once no association is left" 'DROP EXTENSION assoc'
nothing_left "DROP EXTENSION assoc (every association dropped)"
check "the tables and their data stay" \
	"SELECT (SELECT count(*) FROM pugs WHERE \"ownerId\" IS NOT NULL) = 4 AND (SELECT count(*) FROM owners) = 2"
succeeds "CREATE EXTENSION assoc once more" 'CREATE EXTENSION assoc'

if ((FAILS > 0)); then
	printf '%d checks failed\n' "$FAILS"
	exit 1
fi
echo "ok: extension life cycle"
