#!/usr/bin/env bash
# The same findAll calls through Sequelize 6 and through assoc (find_all and
# the generated loaders), in one database, with the JSON compared: see
# test/sequelize/compare.js, and test/sequelize/cases.js for the cases.
#
# Run by `make test` with PGHOST, PGPORT, PGUSER and a fresh PGDATABASE; by
# hand:  PGHOST=... PGPORT=... PGUSER=postgres PGDATABASE=scratch test/extra/sequelize_compare.sh
# (the database's public schema is dropped and re-created).
#
# Needs node >= 16 and npm.  When they are missing and this runs as root on
# Debian, they are installed with apt-get (Debian 12's nodejs is 18).  The
# npm packages (sequelize, pg: versions pinned by package-lock.json) are
# installed into test/sequelize/node_modules, again only when missing or when
# the lock file changed.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
DIR=$ROOT/test/sequelize
NODE_MIN=16

say() { printf '# %s\n' "$*"; }

node_ok() {
	command -v node >/dev/null 2>&1 &&
		node -e "process.exit(Number(process.versions.node.split('.')[0]) >= $NODE_MIN ? 0 : 1)" 2>/dev/null
}

missing=()
node_ok || missing+=(nodejs)
command -v npm >/dev/null 2>&1 || missing+=(npm)
if ((${#missing[@]} > 0)); then
	if [[ $(id -u) == 0 ]] && command -v apt-get >/dev/null 2>&1; then
		say "installing ${missing[*]} with apt-get"
		export DEBIAN_FRONTEND=noninteractive
		apt-get update -qq
		apt-get install -y -qq --no-install-recommends nodejs npm >/dev/null
	else
		echo "this test needs node >= $NODE_MIN and npm (Debian: apt-get install nodejs npm)" >&2
		exit 1
	fi
	node_ok || {
		echo "node >= $NODE_MIN is needed; found: $(node --version 2>&1 || echo none)" >&2
		exit 1
	}
fi

# npm packages, pinned by package-lock.json; reinstalled when the lock changes
stamp=$DIR/node_modules/.assoc-lock.sha256
want=$(sha256sum "$DIR/package-lock.json" | cut -d' ' -f1)
if [[ ! -f $stamp || $(cat "$stamp") != "$want" ]] ||
	! (cd "$DIR" && node -e "require('sequelize'); require('pg')" 2>/dev/null); then
	say "installing the npm packages into $DIR/node_modules"
	(cd "$DIR" && npm ci --prefer-offline --no-audit --no-fund --loglevel=error \
		--update-notifier=false) >&2
	printf '%s\n' "$want" >"$stamp"
fi

exec node "$DIR/compare.js"
