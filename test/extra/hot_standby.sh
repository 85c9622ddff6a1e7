#!/usr/bin/env bash
# assoc on a hot standby: a primary and a physical streaming replica of it
# (pg_basebackup -R, replication over the Unix socket, hot_standby = on),
# both started here from the same PostgreSQL, with ports and a directory of
# their own, stopped and removed on any exit (success, failure, Ctrl-C).
#   - the primary creates the extension and the seed (owners/pugs has_many
#     and belongs_to, owners/profiles has_one, students/courses
#     belongs_to_many both ways, kennels/pugs has_many) with data; once the standby has replayed it
#     (pg_last_wal_replay_lsn() there >= pg_current_wal_lsn() here), every
#     reader kind runs on the standby -- get/count/has, the loaders' set and
#     row forms, find_all one level, two levels, pages, where and order,
#     find_all_sql, describe -- and answers exactly as on the primary;
#   - one standby session, kept open, runs them again after each of three
#     changes made on the primary and replayed: ALTER TABLE kennels ADD
#     COLUMN (it changes no function and no row of assoc.associations: the
#     relcache invalidation replayed is all that tells find_all's cache),
#     ADD COLUMN and RENAME COLUMN of the foreign key on pugs (the event
#     trigger rewrites functions and catalog rows), and a new association
#     on a table whose associations the session has cached;
#     each time the kept session, a new standby session and the primary
#     answer the same, and the change shows;
#   - every writer (the accessors that link, unlink or create, the
#     declarations, dry runs included, drop_association, regenerate,
#     recount) fails
#     on the standby with SQLSTATE 25006, read-only transaction.
# Run by `make test` (PG_BINDIR, PG_CONFIG; the database it is given is not
# used). As root the servers run as the OS user postgres (scripts/cluster.sh).
#
# Internally, "hot_standby.sh __change N" is what the kept session runs with
# \! to make change N on the primary and wait for its replay.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
SELF=$ROOT/test/extra/hot_standby.sh
PG_CONFIG=${PG_CONFIG:-pg_config}
PG_BINDIR=${PG_BINDIR:-$("$PG_CONFIG" --bindir)}
export PG_BINDIR PATH=$PG_BINDIR:$PATH

FAILS=0
fail() {
	printf 'FAIL: %s\n' "$*"
	FAILS=$((FAILS + 1))
}
ok() { printf 'ok: %s\n' "$*"; }

# psql on either server: HS_PRIMARY_* and HS_STANDBY_* are exported, so that
# the kept session's \! commands see them too
on_primary() { PGHOST=$HS_PRIMARY_HOST PGPORT=$HS_PRIMARY_PORT command psql -X -q -v ON_ERROR_STOP=1 -U postgres -d shop "$@"; }
on_standby() { PGHOST=$HS_STANDBY_HOST PGPORT=$HS_STANDBY_PORT command psql -X -q -v ON_ERROR_STOP=1 -U postgres -d shop "$@"; }

# Wait until the standby has replayed everything the primary has written.
wait_for_replay() {
	local lsn tries=0
	lsn=$(on_primary -A -t -c 'SELECT pg_current_wal_lsn()')
	until [[ $(on_standby -A -t -c "SELECT pg_last_wal_replay_lsn() >= '$lsn'") == t ]]; do
		tries=$((tries + 1))
		if ((tries > 600)); then
			printf 'FAIL: the standby did not replay up to %s in 60 s (it is at %s)\n' "$lsn" \
				"$(on_standby -A -t -c 'SELECT pg_last_wal_replay_lsn()')"
			return 1
		fi
		sleep 0.1
	done
}

# The readers: the same text on both servers, in tuples-only unaligned
# output.  None names the foreign key "ownerId", which change 2 renames.
readers() {
	cat <<'SQL'
\pset null '(null)'
SET timezone = 'UTC';
\echo -- accessors
SELECT * FROM owner_get_pugs(1);
SELECT * FROM owner_get_pugs('2');
SELECT o.id, g.* FROM owners o, owner_get_pugs(o) g WHERE o.id <= 3 ORDER BY o.id, g.id;
SELECT owner_count_pugs(1), owner_count_pugs('3'), owner_count_pugs(999),
       owner_has_pug(1, 1), owner_has_pug(1, 2), owner_has_pugs(1, ARRAY[1, 21]), owner_has_pugs(1, '{1,2}');
SELECT * FROM pug_get_owner(7);
SELECT p.id, o.name FROM pugs p, pug_get_owner(p) o ORDER BY p.id LIMIT 12;
SELECT * FROM owner_get_profile(2);
SELECT * FROM student_get_courses(1);
SELECT student_count_courses(2), student_has_course(1, 2), student_has_courses(3, '{1,3}');
SELECT * FROM course_get_students('3');
\echo -- loaders, set forms
SELECT * FROM owner_with_pugs();
SELECT * FROM pug_with_owner();
SELECT * FROM owner_with_profile();
SELECT * FROM student_with_courses();
SELECT * FROM course_with_students();
\echo -- loaders, row, key and text forms
SELECT owner_with_pugs(o) FROM owners o WHERE o.name LIKE 'Owner 1%' ORDER BY o.id DESC LIMIT 5;
SELECT pug_with_owner(p) FROM pugs p WHERE p.id % 3 = 0 ORDER BY p.name;
SELECT owner_with_pugs(3), owner_with_pugs('4'), pug_with_owner(5);
SELECT owner_with_profile(o) FROM owners o ORDER BY o.id LIMIT 4;
-- not a plain column: row_loader runs its own statement, with a kept plan
SELECT owner_with_pugs((SELECT x FROM owners x WHERE x.id = o.id)) FROM owners o WHERE o.id <= 4 ORDER BY o.id;
SELECT student_with_courses(s) FROM students s ORDER BY s.id;
SELECT kennel_with_pugs(k) FROM kennels k ORDER BY k.id;
\echo -- find_all, one level, in FROM and in the select list
SELECT * FROM assoc.find_all('owners', '{"include": ["pugs"]}');
SELECT assoc.find_all('pugs', '{"include": [{"model": "owner"}]}');
SELECT * FROM assoc.find_all('owners', '{"include": [{"association": "profile"}, "pugs"]}');
SELECT * FROM assoc.find_all('students', '{"include": ["courses"]}');
SELECT * FROM assoc.find_all('kennels', '{"include": [{"association": "pugs", "attributes": ["id", "name"]}], "attributes": {"exclude": ["city"]}}');
SELECT * FROM assoc.find_all('kennels', '{"include": ["pugs"]}');
\echo -- find_all, two levels
SELECT * FROM assoc.find_all('pugs', '{"include": [{"model": "owner", "include": ["profile"]}]}');
SELECT * FROM assoc.find_all('owners', '{"include": [{"association": "pugs", "include": ["owner"]}]}');
SELECT * FROM assoc.find_all('courses', '{"include": [{"association": "students", "include": ["courses"]}]}');
\echo -- find_all, pages, where, order
SELECT * FROM assoc.find_all('owners', '{"include": ["pugs"], "order": [["name", "DESC"]], "limit": 5, "offset": 3}');
SELECT assoc.find_all('owners', '{"include": [{"association": "pugs", "include": ["owner"]}], "limit": 4, "offset": 10}');
SELECT * FROM assoc.find_all('owners', '{"where": {"name": {"$like": "Owner 1%"}}, "include": [{"association": "pugs", "where": {"name": {"$ne": "Pug 11"}}}], "order": [["id", "DESC"]]}');
SELECT * FROM assoc.find_all('owners', '{"include": [{"association": "pugs", "required": false}], "order": [["pugs", "name", "DESC"]], "limit": 6}');
SELECT * FROM assoc.find_all('pugs', '{"where": {"$or": [{"id": {"$lt": 4}}, {"name": {"$in": ["Pug 30", "Pug 31"]}}]}, "include": ["owner"], "attributes": {"exclude": ["createdAt"]}}');
SELECT * FROM assoc.find_all('students', '{"include": [{"association": "courses", "where": {"title": {"$ne": "Art"}}}], "order": [["courses", "enrollment", "grade", "DESC"]]}');
\echo -- find_all_sql, describe
SELECT assoc.find_all_sql('owners', '{"include": [{"association": "pugs", "include": ["owner"]}], "limit": 5}');
SELECT * FROM assoc.describe('owners');
SQL
}

# Each change, made on the primary.
change_sql() {
	case $1 in
	1) printf '%s\n' "ALTER TABLE kennels ADD COLUMN phone text NOT NULL DEFAULT '555';" ;;
	2) printf '%s\n' "ALTER TABLE pugs ADD COLUMN age int NOT NULL DEFAULT 3;" \
		'ALTER TABLE pugs RENAME COLUMN "ownerId" TO "masterId";' ;;
	3)
		cat <<'SQL'
SET client_min_messages = warning;
CREATE TABLE toys (id serial PRIMARY KEY, label text);
SELECT 1 FROM assoc.has_many('pugs', 'toys');
SELECT 1 FROM assoc.belongs_to('toys', 'pugs');
INSERT INTO toys (label, "pugId") SELECT 'toy ' || g, g % 9 + 1 FROM generate_series(1, 14) g;
SQL
		;;
	esac
}

# What only exists after change 3.
new_readers() {
	cat <<'SQL'
\echo -- the new association
SELECT * FROM pug_get_toys(1);
SELECT pug_with_toys(p) FROM pugs p ORDER BY p.id LIMIT 10;
SELECT * FROM toy_with_pug();
SELECT * FROM assoc.find_all('owners', '{"include": [{"association": "pugs", "include": ["toys"]}], "limit": 5}');
SELECT * FROM assoc.find_all('pugs', '{"include": ["owner", "toys"], "where": {"id": {"$lte": 9}}}');
SQL
}

# What change N must show in the output of the readers afterwards.
change_shows() {
	case $1 in
	1) printf '%s\n' '"phone":"555"' ;;
	2) printf '%s\n' '"masterId":' ;;
	3) printf '%s\n' '"toys":[{"id":' ;;
	esac
}

# The row versions of the catalog and of the generated functions.
catalog_versions() {
	on_primary -A -t -c "SELECT (SELECT string_agg(xmin::text, ' ' ORDER BY id) FROM assoc.associations)
	    || ' / ' || (SELECT string_agg(p.xmin::text, ' ' ORDER BY p.oid)
	                   FROM assoc.associations a, unnest(a.functions) f, pg_proc p WHERE p.oid = f)"
}

# ---- run by the kept session: change N on the primary, wait for its
# replay, and write the primary's and a new standby session's answers
if [[ ${1:-} == __change ]]; then
	n=$2
	exec </dev/null >"$HS_WORK/change-$n.log" 2>&1
	catalog_versions >"$HS_WORK/versions-before-$n"
	change_sql "$n" | on_primary
	catalog_versions >"$HS_WORK/versions-after-$n"
	wait_for_replay
	{ readers; [[ $n != 3 ]] || new_readers; } >"$HS_WORK/readers-$n.sql"
	on_primary -A -t -f "$HS_WORK/readers-$n.sql" >"$HS_WORK/primary-$n.out"
	on_standby -A -t -f "$HS_WORK/readers-$n.sql" >"$HS_WORK/standby-new-$n.out"
	touch "$HS_WORK/change-$n.done"
	exit 0
fi

# shellcheck source=scripts/common.sh
source "$ROOT/scripts/common.sh"
# shellcheck source=scripts/cluster.sh
source "$ROOT/scripts/cluster.sh"

if [[ ! -x $PG_BINDIR/pg_basebackup ]]; then
	fail "no $PG_BINDIR/pg_basebackup (Debian: it comes with postgresql-client-$("$PG_CONFIG" --version | sed -E 's/^PostgreSQL ([0-9]+).*/\1/'))"
	exit 1
fi

PRIMARY_DIR=
PRIMARY_DATA=
STANDBY_DIR=
STANDBY_DATA=
cleanup() {
	local rc=$?
	set +e
	trap - EXIT INT TERM HUP
	# the standby first, so that it does not try to reconnect meanwhile
	if [[ -n $STANDBY_DIR ]]; then
		CLUSTER_DIR=$STANDBY_DIR CLUSTER_DATA=$STANDBY_DATA
		cluster_stop
	fi
	if [[ -n $PRIMARY_DIR ]]; then
		CLUSTER_DIR=$PRIMARY_DIR CLUSTER_DATA=$PRIMARY_DATA
		cluster_stop
	elif [[ -n ${CLUSTER_DIR:-} ]]; then
		# cluster_start failed half way
		cluster_stop
	fi
	exit "$rc"
}
trap_exit cleanup

# ---- the primary: scripts/cluster.sh's throwaway cluster, on a port of its
# own, able to stream its WAL
conf=$(mktemp)
cat >"$conf" <<'EOF'
wal_level = replica
max_wal_senders = 4
hot_standby = on
synchronous_commit = on
EOF
ASSOC_TEST_PORT=$((${PGPORT:-54329} + 100)) cluster_start "$conf" >/dev/null
rm -f "$conf"
PRIMARY_DIR=$CLUSTER_DIR PRIMARY_DATA=$CLUSTER_DATA
export HS_PRIMARY_HOST=$PGHOST HS_PRIMARY_PORT=$PGPORT HS_WORK=$PRIMARY_DIR

# ---- the standby: a base backup of the primary, streaming from it over
# its Unix socket (-R writes primary_conninfo and standby.signal)
STANDBY_DIR=$(mktemp -d "${PRIMARY_DIR%/*}/assoc-standby.XXXXXX")
STANDBY_DATA=$STANDBY_DIR/data
if is_root; then chown postgres: "$STANDBY_DIR"; fi
chmod 700 "$STANDBY_DIR"
if ! as_server_user "$PG_BINDIR/pg_basebackup" -D "$STANDBY_DATA" -h "$HS_PRIMARY_HOST" -p "$HS_PRIMARY_PORT" \
	-U postgres -R -X stream -c fast --no-sync >"$STANDBY_DIR/basebackup.log" 2>&1; then
	show_tail "$STANDBY_DIR/basebackup.log"
	fail "pg_basebackup of the primary"
	exit 1
fi
cat >>"$STANDBY_DATA/postgresql.conf" <<EOF

# --- the standby of test/extra/hot_standby.sh
unix_socket_directories = '$STANDBY_DIR'
hot_standby = on
EOF
standby_port=$(free_port_from $((HS_PRIMARY_PORT + 1)))
if ! as_server_user "$PG_BINDIR/pg_ctl" start -w -t 120 -D "$STANDBY_DATA" -l "$STANDBY_DIR/server.log" \
	-o "-p $standby_port" >"$STANDBY_DIR/pg_ctl.log" 2>&1 9>&-; then
	show_tail "$STANDBY_DIR/pg_ctl.log" 20
	show_tail "$STANDBY_DIR/server.log"
	fail "the standby did not start"
	exit 1
fi
export HS_STANDBY_HOST=$STANDBY_DIR HS_STANDBY_PORT=$standby_port

# ---- the seed, on the primary
PGHOST=$HS_PRIMARY_HOST PGPORT=$HS_PRIMARY_PORT command psql -X -q -v ON_ERROR_STOP=1 -U postgres -d postgres \
	-c 'CREATE DATABASE shop'
on_primary >/dev/null <<'SQL'
SET client_min_messages = warning;
CREATE EXTENSION assoc;
CREATE TABLE owners (id serial PRIMARY KEY, name varchar(100),
    "createdAt" timestamptz NOT NULL DEFAULT '2020-01-01Z', "updatedAt" timestamptz NOT NULL DEFAULT '2020-01-01Z');
CREATE TABLE pugs (id serial PRIMARY KEY, name varchar(100),
    "createdAt" timestamptz NOT NULL DEFAULT '2020-02-01Z', "updatedAt" timestamptz NOT NULL DEFAULT '2020-02-01Z');
CREATE TABLE profiles (id serial PRIMARY KEY, bio text);
CREATE TABLE students (id serial PRIMARY KEY, name text);
CREATE TABLE courses (id serial PRIMARY KEY, title text);
-- a table whose columns no generated function names (it is no association's
-- target): a column added to it changes no function and no catalog row
CREATE TABLE kennels (id serial PRIMARY KEY, city text);
SELECT 1 FROM assoc.has_many('owners', 'pugs');
SELECT 1 FROM assoc.belongs_to('pugs', 'owners');
SELECT 1 FROM assoc.has_one('owners', 'profiles');
SELECT 1 FROM assoc.has_many('kennels', 'pugs');
SELECT 1 FROM assoc.belongs_to_many('students', 'courses', through => 'enrollments', timestamps => false);
SELECT 1 FROM assoc.belongs_to_many('courses', 'students', through => 'enrollments', timestamps => false);
ALTER TABLE enrollments ADD COLUMN grade text;
-- 25 owners, 0 to 4 pugs each, and pugs of nobody
INSERT INTO owners (name, "createdAt") SELECT 'Owner ' || g, '2020-01-01Z'::timestamptz + g * interval '1 day'
  FROM generate_series(1, 25) g;
INSERT INTO pugs (name, "ownerId") SELECT 'Pug ' || g, CASE WHEN g % 7 = 0 THEN NULL ELSE (g * 5) % 25 + 1 END
  FROM generate_series(1, 40) g;
INSERT INTO kennels (city) VALUES ('Oslo'), ('Rome'), ('Lima');
UPDATE pugs SET "kennelId" = id % 4 WHERE id % 4 > 0;
INSERT INTO profiles (bio, "ownerId") SELECT 'bio of owner ' || g, g FROM generate_series(2, 20, 3) g;
INSERT INTO students (name) VALUES ('Ada'), ('Bob'), ('Cy');
INSERT INTO courses (title) VALUES ('Math'), ('Art'), ('Law');
INSERT INTO enrollments ("studentId", "courseId", grade) VALUES (1, 1, 'B'), (1, 2, 'A'), (2, 2, 'C'), (3, 1, 'A'), (3, 3, 'B');
SQL
wait_for_replay
state=$(on_primary -A -t -c "SELECT string_agg(state || ' ' || sync_state, ',') FROM pg_stat_replication")
recovery=$(on_standby -A -t -c 'SELECT pg_is_in_recovery(), current_setting($$transaction_read_only$$)' 2>&1 || true)
if [[ $state != 'streaming async' || $recovery != 't|on' ]]; then
	fail "not a streaming hot standby: pg_stat_replication on the primary says '$state', the standby says in recovery|read only = '$recovery'"
	exit 1
fi
ok "primary on port $HS_PRIMARY_PORT, hot standby on port $HS_STANDBY_PORT streaming from it over the Unix socket; the seed replayed"

# ---- the readers, in new sessions
readers >"$HS_WORK/readers-0.sql"
on_primary -A -t -f "$HS_WORK/readers-0.sql" >"$HS_WORK/primary-0.out"
if ! on_standby -A -t -f "$HS_WORK/readers-0.sql" >"$HS_WORK/standby-0.out" 2>&1; then
	fail "the readers failed on the standby:"
	tail -n 20 "$HS_WORK/standby-0.out"
elif ! diff -u "$HS_WORK/primary-0.out" "$HS_WORK/standby-0.out"; then
	fail "the standby answers the readers differently from the primary (above)"
else
	lines=$(wc -l <"$HS_WORK/primary-0.out")
	if ((lines < 150)); then
		fail "only $lines lines of readers' output: $(head -c 600 "$HS_WORK/primary-0.out")"
	else
		ok "every reader answers on the standby as on the primary ($lines lines identical)"
	fi
fi

# ---- one standby session across the three changes
{
	readers
	for n in 1 2 3; do
		printf '\\echo ==== after change %s\n' "$n"
		# shellcheck disable=SC2016
		printf '\\! "%s" __change %s\n' "$SELF" "$n"
		readers
		[[ $n != 3 ]] || new_readers
	done
} >"$HS_WORK/kept.sql"
if ! on_standby -A -t -f "$HS_WORK/kept.sql" >"$HS_WORK/kept.out" 2>&1; then
	fail "the kept standby session failed:"
	tail -n 20 "$HS_WORK/kept.out"
fi
# its answers before the first change, and after each
awk -v dir="$HS_WORK" '
	/^==== after change / { n = $4; next }
	{ print > (dir "/kept-" (n == "" ? 0 : n) ".out") }
' "$HS_WORK/kept.out"
if ! diff -u "$HS_WORK/primary-0.out" "$HS_WORK/kept-0.out"; then
	fail "the kept standby session answered differently from the primary before the changes (above)"
fi
what=([1]="ALTER TABLE kennels ADD COLUMN phone (no function nor catalog row changes)"
	[2]='ALTER TABLE pugs ADD COLUMN age, RENAME COLUMN "ownerId" TO "masterId" (functions and catalog rows rewritten)'
	[3]="a new table toys, pugs has_many toys, toys belongs_to pugs")
prev=$HS_WORK/primary-0.out
for n in 1 2 3; do
	if [[ ! -f $HS_WORK/change-$n.done ]]; then
		fail "change $n (${what[$n]}) on the primary, or its replay, failed:"
		cat "$HS_WORK/change-$n.log" 2>/dev/null || true
		break
	fi
	if ! grep -q -F -- "$(change_shows "$n")" "$HS_WORK/primary-$n.out" || cmp -s "$prev" "$HS_WORK/primary-$n.out"; then
		fail "change $n (${what[$n]}) does not show in the primary's answers: the test tests nothing"
	fi
	# change 1 must reach the caches by the relcache invalidation alone,
	# change 2 by the catalog too
	if cmp -s "$HS_WORK/versions-before-$n" "$HS_WORK/versions-after-$n"; then
		[[ $n == 1 ]] || fail "change $n (${what[$n]}) rewrote no function and no catalog row"
	else
		[[ $n != 1 ]] || fail "change $n (${what[$n]}) rewrote functions or catalog rows: $(cat "$HS_WORK/versions-before-$n") -> $(cat "$HS_WORK/versions-after-$n")"
	fi
	bad=0
	if ! diff -u "$HS_WORK/primary-$n.out" "$HS_WORK/kept-$n.out"; then
		fail "after change $n (${what[$n]}), the kept standby session answers differently from the primary (above)"
		bad=1
	fi
	if ! diff -u "$HS_WORK/primary-$n.out" "$HS_WORK/standby-new-$n.out"; then
		fail "after change $n (${what[$n]}), a new standby session answers differently from the primary (above)"
		bad=1
	fi
	((bad)) || ok "after ${what[$n]} on the primary, the kept and a new standby session answer as the primary ($(wc -l <"$HS_WORK/primary-$n.out") lines)"
	prev=$HS_WORK/primary-$n.out
done

# ---- writers fail on the standby with PostgreSQL's read-only error
writers=(
	"SELECT owner_add_pug(1, 3)"
	"SELECT owner_add_pugs(1, ARRAY[3, 4])"
	"SELECT owner_set_pugs(1, ARRAY[1, 2])"
	"SELECT owner_remove_pug(1, 1)"
	"SELECT owner_create_pug(1, '{\"name\": \"Bo\"}')"
	"SELECT pug_set_owner(1, 2)"
	"SELECT pug_create_owner(1, '{\"name\": \"Al\"}')"
	"SELECT owner_set_profile(1, 1)"
	"SELECT owner_create_profile(1)"
	"SELECT student_add_course(2, 1, '{\"grade\": \"A\"}')"
	"SELECT student_set_courses(1, '{}')"
	"SELECT student_remove_courses(1, ARRAY[1])"
	"SELECT student_create_course(1, '{\"title\": \"Gym\"}')"
	"SELECT pug_add_toy(1, 2)"
	"SELECT assoc.has_many('owners', 'toys')"
	"SELECT assoc.has_many('owners', 'pugs')"
	"SELECT assoc.belongs_to('toys', 'owners', dry_run => true)"
	"SELECT assoc.has_one('students', 'profiles')"
	"SELECT assoc.belongs_to_many('students', 'toys', through => 'student_toys')"
	"SELECT assoc.drop_association('owners', 'profile')"
	"SELECT assoc.regenerate()"
	"SELECT assoc.regenerate('pugs')"
	"SELECT assoc.recount('owners')"
	"SELECT assoc.model('owners', name => 'Owner')"
)
{
	printf '\\set VERBOSITY default\n'
	for w in "${writers[@]}"; do
		printf '%s;\n\\echo :SQLSTATE :LAST_ERROR_MESSAGE\n' "$w"
	done
} >"$HS_WORK/writers.sql"
on_standby -v ON_ERROR_STOP=0 -A -t -f "$HS_WORK/writers.sql" >"$HS_WORK/writers.out" 2>/dev/null || true
mapfile -t results < <(grep -E '^[0-9A-Z]{5} ' "$HS_WORK/writers.out")
if ((${#results[@]} != ${#writers[@]})); then
	fail "${#writers[@]} writers run on the standby, ${#results[@]} results:"
	cat "$HS_WORK/writers.out"
else
	for i in "${!writers[@]}"; do
		if [[ ${results[$i]} == 25006\ * ]]; then
			ok "on the standby, ${writers[$i]#SELECT } fails: ${results[$i]}"
		else
			fail "on the standby, ${writers[$i]#SELECT } did not fail with SQLSTATE 25006: ${results[$i]}"
		fi
	done
fi
# and nothing changed on the primary meanwhile (the standby is read-only)
if ! cmp -s <(on_primary -A -t -f "$HS_WORK/readers-3.sql") "$HS_WORK/primary-3.out"; then
	fail "the primary's answers changed while the writers ran on the standby"
fi

if ((FAILS > 0)); then
	printf '%d failed\n' "$FAILS"
	exit 1
fi
