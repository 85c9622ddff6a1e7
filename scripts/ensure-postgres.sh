#!/usr/bin/env bash
# Make sure a PostgreSQL server and its development files (PGXS) are here.
#
# Sourced by scripts/run.sh (which then calls ensure_postgres), or run on its
# own: `bash scripts/ensure-postgres.sh` prints the pg_config it settled on.
#
# Looks for a pg_config whose PGXS makefile exists, whose server headers are
# there (postgres.h under `pg_config --includedir-server`: Debian's libpq-dev
# brings pg_config and PGXS without them, postgresql-server-dev-N brings
# them) and whose bindir has initdb, pg_ctl, postgres and psql, the server
# being of the same major version as the headers: $PG_CONFIG if set, else
# $ASSOC_PG_ROOT/$ASSOC_PG_VERSION/bin/pg_config (Debian's layout,
# version 15 by default), else pg_config on PATH.  When none is complete and
# we are root on Debian, installs postgresql-N and postgresql-server-dev-N with
# apt-get (quietly, logging to a file); when not root, says what to install.
#
# Sets PG_CONFIG (absolute path) and PG_BINDIR.

if [[ ${BASH_SOURCE[0]} == "$0" ]]; then
	set -euo pipefail
fi

# shellcheck source=scripts/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

ASSOC_PG_VERSION=${ASSOC_PG_VERSION:-15}
# where Debian puts each major version (/usr/lib/postgresql/N/bin/pg_config);
# test/extra/ensure_postgres.sh points it at a fake tree
ASSOC_PG_ROOT=${ASSOC_PG_ROOT:-/usr/lib/postgresql}

# Is $1 a pg_config of a complete server + PGXS installation?  Says why not
# in PG_MISSING.
pg_config_complete() {
	local pgc=$1 pgxs incdir bindir prog headers_major server_major
	PG_MISSING=
	PG_MISMATCH=0
	if [[ -z $pgc || ! -x $pgc ]]; then
		PG_MISSING="pg_config"
		return 1
	fi
	pgxs=$("$pgc" --pgxs 2>/dev/null) || pgxs=
	if [[ -z $pgxs || ! -f $pgxs ]]; then
		PG_MISSING="the PGXS build files (${pgxs:-pg_config --pgxs failed})"
		return 1
	fi
	incdir=$("$pgc" --includedir-server 2>/dev/null) || incdir=
	if [[ -z $incdir || ! -f $incdir/postgres.h ]]; then
		PG_MISSING="the server headers (no postgres.h in ${incdir:-?}; Debian: postgresql-server-dev-N)"
		return 1
	fi
	bindir=$("$pgc" --bindir 2>/dev/null) || bindir=
	for prog in initdb pg_ctl postgres psql; do
		if [[ -z $bindir || ! -x $bindir/$prog ]]; then
			PG_MISSING="the server program $prog (looked in ${bindir:-?})"
			return 1
		fi
	done
	# the module is built against the headers and loaded by that server
	headers_major=$(pg_headers_major "$incdir")
	server_major=$(pg_server_major "$bindir/postgres")
	if [[ -z $headers_major || -z $server_major ]]; then
		PG_MISSING="a readable version number (headers in $incdir: ${headers_major:-unknown}; server $bindir/postgres: ${server_major:-unknown})"
		return 1
	fi
	if [[ $headers_major != "$server_major" ]]; then
		PG_MISSING="the server headers of PostgreSQL $server_major (the server $bindir/postgres is PostgreSQL $server_major, the headers in $incdir are PostgreSQL $headers_major)"
		PG_MISMATCH=1
		return 1
	fi
	return 0
}

# Major version of the headers in include directory $1 (from PG_VERSION_NUM
# in pg_config.h: 150020 -> 15, 90624 -> 9.6), or nothing.
pg_headers_major() {
	local num
	num=$(sed -n 's/^#define PG_VERSION_NUM \([0-9][0-9]*\).*/\1/p' "$1/pg_config.h" 2>/dev/null | head -n 1)
	[[ -n $num ]] || return 0
	if ((num >= 100000)); then
		printf '%s\n' $((num / 10000))
	else
		printf '%s.%s\n' $((num / 10000)) $((num / 100 % 100))
	fi
}

# Major version of the server program $1 ("postgres (PostgreSQL) 15.20 (Debian
# ...)" -> 15, "9.6.24" -> 9.6), or nothing.
pg_server_major() {
	local v
	v=$("$1" --version 2>/dev/null | sed -n 's/^[^0-9]*\([0-9][0-9.]*\).*/\1/p' | head -n 1)
	[[ -n $v ]] || return 0
	case $v in
	[0-9].*) printf '%s\n' "$(printf '%s' "$v" | cut -d. -f1-2)" ;;
	*) printf '%s\n' "${v%%.*}" ;;
	esac
}

# Find a complete installation; sets PG_CONFIG and PG_BINDIR.
find_postgres() {
	local candidates=() c
	if [[ -n ${PG_CONFIG:-} ]]; then
		candidates=("$(command -v "$PG_CONFIG" || printf '%s' "$PG_CONFIG")")
	else
		candidates=("$ASSOC_PG_ROOT/$ASSOC_PG_VERSION/bin/pg_config")
		c=$(command -v pg_config || true)
		if [[ -n $c ]]; then candidates+=("$c"); fi
	fi
	for c in "${candidates[@]}"; do
		if pg_config_complete "$c"; then
			PG_CONFIG=$c
			PG_BINDIR=$("$c" --bindir)
			export PG_CONFIG PG_BINDIR
			return 0
		fi
	done
	return 1
}

# The server version Debian offers: ASSOC_PG_VERSION if the archive has it,
# else the one the "postgresql" metapackage depends on.
debian_pg_version() {
	local v
	if apt-cache show "postgresql-$ASSOC_PG_VERSION" >/dev/null 2>&1; then
		printf '%s\n' "$ASSOC_PG_VERSION"
		return 0
	fi
	v=$(apt-cache depends postgresql 2>/dev/null |
		sed -n 's/^ *Depends: postgresql-\([0-9][0-9]*\)$/\1/p' | head -n 1)
	[[ -n $v ]] || return 1
	printf '%s\n' "$v"
}

install_postgres() {
	local log=${ASSOC_APT_LOG:-/tmp/assoc-apt.log} v pkgs
	if ! command -v apt-get >/dev/null 2>&1; then
		die "PostgreSQL is incomplete here (missing ${PG_MISSING}) and this is not a Debian-like system (no apt-get).
Install a PostgreSQL server (14 or later) with its development files (PGXS),
then run again, with PG_CONFIG=/path/to/pg_config if it is not on PATH."
	fi
	step "installing PostgreSQL from Debian (missing: ${PG_MISSING}; apt log: $log)"
	: >"$log"
	export DEBIAN_FRONTEND=noninteractive
	note "apt-get update"
	if ! apt-get update >>"$log" 2>&1; then
		show_tail "$log"
		die "apt-get update failed (full log: $log)"
	fi
	v=$(debian_pg_version) || {
		show_tail "$log"
		die "Debian's archive offers no postgresql-$ASSOC_PG_VERSION package (nor a default postgresql)"
	}
	[[ $v == "$ASSOC_PG_VERSION" ]] ||
		warn "postgresql-$ASSOC_PG_VERSION is not in the archive; installing postgresql-$v instead"
	ASSOC_PG_VERSION=$v
	pkgs=("postgresql-$v" "postgresql-server-dev-$v")
	note "apt-get install ${pkgs[*]}"
	if ! apt-get install -y -q --no-install-recommends \
		-o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold \
		"${pkgs[@]}" >>"$log" 2>&1; then
		show_tail "$log"
		die "apt-get install ${pkgs[*]} failed (full log: $log)"
	fi
	note "installed"
}

ensure_postgres() {
	if find_postgres; then
		return 0
	fi
	if [[ -n ${PG_CONFIG:-} ]]; then
		die "PG_CONFIG=$PG_CONFIG is not usable: missing ${PG_MISSING}.
Unset PG_CONFIG to let this script use (or install) Debian's PostgreSQL $ASSOC_PG_VERSION."
	fi
	if ! is_root; then
		die "PostgreSQL $ASSOC_PG_VERSION is incomplete here: missing ${PG_MISSING}.
Install it as root, then run again:
    sudo apt-get update
    sudo apt-get install -y postgresql-$ASSOC_PG_VERSION postgresql-server-dev-$ASSOC_PG_VERSION"
	fi
	install_postgres
	if ! find_postgres; then
		if ((PG_MISMATCH)); then
			die "after the install, the server and the server headers are of different major versions: missing ${PG_MISSING}.
A module built against one major version cannot be loaded by another. Install the
server and headers of one version together (apt-get install postgresql-N
postgresql-server-dev-N), or set PG_CONFIG to the pg_config of a matching pair."
		fi
		die "PostgreSQL was installed but is still incomplete: missing ${PG_MISSING}"
	fi
	note "server and headers: PostgreSQL $(pg_server_major "$PG_BINDIR/postgres") ($("$PG_BINDIR/postgres" --version))"
}

if [[ ${BASH_SOURCE[0]} == "$0" ]]; then
	ensure_postgres
	printf '%s\n' "$PG_CONFIG"
fi
