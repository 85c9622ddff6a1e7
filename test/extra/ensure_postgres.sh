#!/usr/bin/env bash
# The decision logic of scripts/ensure-postgres.sh, on fake installations in
# a temporary directory (no apt run, no real PostgreSQL touched):
#   - pg_config + PGXS + server programs but no server headers (what Debian's
#     libpq-dev plus postgresql-15 give) is incomplete, and says why;
#   - everything there, server and headers of one major version: complete;
#   - no PGXS, a missing server program, headers of another major version
#     than the server: incomplete, each with its reason;
#   - an incomplete installation, as root on Debian, makes it install
#     postgresql-N and postgresql-server-dev-N in one apt-get call (a fake
#     apt-get records the call and "installs" the headers);
#   - an install that leaves server and headers of different majors stops
#     with an error that says so;
#   - not root: it says which packages to install, and installs nothing.
# Run by `make test` (it needs no database).
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

failures=0
checks=0
ok() {
	checks=$((checks + 1))
	printf 'ok: %s\n' "$1"
}
fail() {
	checks=$((checks + 1))
	failures=$((failures + 1))
	printf 'FAIL: %s\n' "$1"
}

# fake_install DIR [headers-version-num|none] [server-version|none] [pgxs|nopgxs]
# A Debian-like tree: DIR/15/bin/{pg_config,initdb,pg_ctl,postgres,psql},
# DIR/15/lib/pgxs/src/makefiles/pgxs.mk, DIR/include/15/server/postgres.h.
fake_install() {
	local dir=$1 num=${2:-150020} server=${3:-15.20} pgxs=${4:-pgxs} prog
	mkdir -p "$dir/15/bin" "$dir/include/15/server"
	if [[ $pgxs == pgxs ]]; then
		mkdir -p "$dir/15/lib/pgxs/src/makefiles"
		: >"$dir/15/lib/pgxs/src/makefiles/pgxs.mk"
	fi
	cat >"$dir/15/bin/pg_config" <<EOF
#!/bin/sh
case \$1 in
--pgxs) echo "$dir/15/lib/pgxs/src/makefiles/pgxs.mk" ;;
--includedir-server) echo "$dir/include/15/server" ;;
--bindir) echo "$dir/15/bin" ;;
--version) echo "PostgreSQL 15.20" ;;
*) exit 1 ;;
esac
EOF
	for prog in initdb pg_ctl psql; do
		printf '#!/bin/sh\nexit 0\n' >"$dir/15/bin/$prog"
	done
	if [[ $server != none ]]; then
		printf '#!/bin/sh\necho "postgres (PostgreSQL) %s (Debian %s-0+deb12u1)"\n' \
			"$server" "$server" >"$dir/15/bin/postgres"
	fi
	chmod +x "$dir/15/bin/"*
	# Debian's libpq-dev brings pg_config.h (with the version) but not postgres.h
	printf '#define PG_MAJORVERSION "15"\n#define PG_VERSION_NUM %s\n' "${num/none/150020}" \
		>"$dir/include/15/server/pg_config.h"
	if [[ $num != none ]]; then
		: >"$dir/include/15/server/postgres.h"
	fi
}

# judge DIR: runs pg_config_complete on DIR's pg_config in a subshell and
# prints "complete" or "incomplete: <why>"
judge() {
	(
		# shellcheck source=scripts/ensure-postgres.sh
		source "$ROOT/scripts/ensure-postgres.sh"
		if pg_config_complete "$1/15/bin/pg_config"; then
			echo complete
		else
			echo "incomplete: $PG_MISSING"
		fi
	)
}

expect() { # description, got, pattern (grep -E)
	if grep -qE -- "$3" <<<"$2"; then ok "$1 ($2)"; else fail "$1: got '$2', want /$3/"; fi
}

fake_install "$work/headerless" none
expect "PGXS and server but no postgres.h is incomplete" "$(judge "$work/headerless")" \
	'^incomplete: the server headers \(no postgres.h in .*/include/15/server; Debian: postgresql-server-dev-N\)$'

fake_install "$work/full"
expect "PGXS, headers and server of one major version is complete" "$(judge "$work/full")" '^complete$'

fake_install "$work/nopgxs" 150020 15.20 nopgxs
expect "no PGXS file is incomplete" "$(judge "$work/nopgxs")" '^incomplete: the PGXS build files'

fake_install "$work/noserver" 150020 none
expect "no postgres program is incomplete" "$(judge "$work/noserver")" \
	'^incomplete: the server program postgres \(looked in .*/15/bin\)$'

fake_install "$work/mismatch" 160004 15.20
expect "headers of 16 with a server of 15 is incomplete" "$(judge "$work/mismatch")" \
	'^incomplete: the server headers of PostgreSQL 15 \(the server .*/postgres is PostgreSQL 15, the headers in .* are PostgreSQL 16\)$'

fake_install "$work/minor" 150018 15.20
expect "headers of 15.18 with a server of 15.20 is complete (same major)" "$(judge "$work/minor")" '^complete$'

fake_install "$work/old" 90624 9.6.24
expect "old version numbers are read (9.6 with 9.6)" "$(judge "$work/old")" '^complete$'

# ensure_postgres as root, on a headerless tree, with fake apt tools on PATH
# (and a fake pg_config first on PATH, so the machine's own is not found)
fake_bin=$work/bin
mkdir -p "$fake_bin"
cp "$work/headerless/15/bin/pg_config" "$fake_bin/pg_config"
cat >"$fake_bin/apt-cache" <<'EOF'
#!/bin/sh
# "show postgresql-15" succeeds: the archive has it
exit 0
EOF
cat >"$fake_bin/apt-get" <<EOF
#!/bin/sh
echo "apt-get \$*" >>"$work/apt-calls"
case "\$*" in
*install*postgresql-server-dev-15*) : >"$work/headerless/include/15/server/postgres.h" ;;
esac
exit 0
EOF
chmod +x "$fake_bin/"*

run_ensure() { # tree, is-root (0/1) -> stdout+stderr, exit status in $work/rc
	(
		export PATH=$fake_bin:$PATH ASSOC_PG_ROOT=$1 ASSOC_APT_LOG=$work/apt.log
		unset PG_CONFIG PG_BINDIR
		# shellcheck source=scripts/ensure-postgres.sh
		source "$ROOT/scripts/ensure-postgres.sh"
		if [[ $2 == 1 ]]; then is_root() { true; }; else is_root() { false; }; fi
		ensure_postgres
		echo "PG_CONFIG=$PG_CONFIG"
	) >"$work/out" 2>&1 && echo 0 >"$work/rc" || echo $? >"$work/rc"
}

rm -f "$work/apt-calls"
run_ensure "$work/headerless" 0
expect "not root, headers missing: fails" "$(cat "$work/rc")" '^1$'
expect "not root: says what to install" "$(tr '\n' ' ' <"$work/out")" \
	'apt-get install -y postgresql-15 postgresql-server-dev-15'
if [[ -e $work/apt-calls ]]; then fail "not root: apt-get was run"; else ok "not root: apt-get not run"; fi

run_ensure "$work/headerless" 1
expect "root, headers missing: succeeds" "$(cat "$work/rc")" '^0$'
expect "root: server and headers installed in one apt-get call" \
	"$(grep install "$work/apt-calls" || true)" \
	'^apt-get install .*postgresql-15 postgresql-server-dev-15$'
expect "root: the update came first" "$(head -n 1 "$work/apt-calls")" '^apt-get update$'
expect "root: settles on the now complete pg_config" "$(tail -n 1 "$work/out")" \
	"^PG_CONFIG=$work/headerless/15/bin/pg_config\$"
expect "root: reports the versions it checked" "$(cat "$work/out")" \
	'server and headers: PostgreSQL 15 \(postgres \(PostgreSQL\) 15.20'

# an "install" that leaves headers of another major version than the server
fake_install "$work/stillwrong" none
cp "$work/stillwrong/15/bin/pg_config" "$fake_bin/pg_config"
cat >"$fake_bin/apt-get" <<EOF
#!/bin/sh
case "\$*" in
*install*) printf '#define PG_VERSION_NUM 160004\n' >"$work/stillwrong/include/15/server/pg_config.h"
	: >"$work/stillwrong/include/15/server/postgres.h" ;;
esac
exit 0
EOF
run_ensure "$work/stillwrong" 1
expect "root, install gives mismatched majors: fails" "$(cat "$work/rc")" '^1$'
expect "mismatch: the error names both versions" "$(tr '\n' ' ' <"$work/out")" \
	'different major versions: missing the server headers of PostgreSQL 15 \(the server .* is PostgreSQL 15, the headers in .* are PostgreSQL 16\)'

# PG_CONFIG pointing at an incomplete installation: refused, nothing installed
rm -f "$work/apt-calls"
out=$(
	export PATH=$fake_bin:$PATH PG_CONFIG=$work/nopgxs/15/bin/pg_config
	source "$ROOT/scripts/ensure-postgres.sh"
	ensure_postgres 2>&1
) && rc=0 || rc=$?
expect "PG_CONFIG incomplete: fails" "$rc" '^1$'
expect "PG_CONFIG incomplete: says why" "$out" '^error: PG_CONFIG=.* is not usable: missing the PGXS build files'

# and the real machine: whatever make test runs with is complete
expect "this machine's installation is complete" \
	"$(source "$ROOT/scripts/ensure-postgres.sh"; pg_config_complete "${PG_CONFIG:-pg_config}" && echo complete || echo "incomplete: $PG_MISSING")" \
	'^complete$'

printf '%d checks, %d failed\n' "$checks" "$failures"
((failures == 0 && checks > 0))
