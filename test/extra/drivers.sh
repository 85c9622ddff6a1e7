#!/usr/bin/env bash
# The driver battery: every accessor kind (get, count, has, add, remove,
# set, create; row, key and text forms; arrays), the loaders and
# assoc.find_all, called through psycopg 3 (server-side binding, prepared
# statements, client-side binding), psycopg2, node-pg (plain and prepared)
# and pgjdbc with each driver's natural parameter types, each result
# compared with psql's.  See test/drivers/battery.py (the drivers, and the
# known gap of a key bound wider than its column) and test/drivers/cases.txt.
#
# Run by `make test` with PGHOST, PGPORT, PGUSER and a fresh PGDATABASE.
# Needs Debian's python3 with python3-psycopg and python3-psycopg2,
# libpostgresql-jdbc-java and a JDK (javac), node and test/sequelize's npm
# packages: installed with apt-get (and npm ci) when missing and run as root.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
drivers=$here/../drivers
# Debian's python3: the psycopg packages are its modules (a python3 earlier
# on PATH, such as a pyenv one, does not see them)
python=/usr/bin/python3
jar=/usr/share/java/postgresql.jar

say() { printf '# %s\n' "$*"; }

missing=()
[[ -x $python ]] || missing+=(python3)
if [[ ! -x $python ]] || ! "$python" -c 'import psycopg' 2>/dev/null; then missing+=(python3-psycopg); fi
if [[ ! -x $python ]] || ! "$python" -c 'import psycopg2' 2>/dev/null; then missing+=(python3-psycopg2); fi
[[ -f $jar ]] || missing+=(libpostgresql-jdbc-java)
command -v javac >/dev/null 2>&1 || missing+=(default-jdk-headless)
if ((${#missing[@]} > 0)); then
	if [[ $(id -u) == 0 ]] && command -v apt-get >/dev/null 2>&1; then
		say "installing ${missing[*]} with apt-get"
		export DEBIAN_FRONTEND=noninteractive
		apt-get update -qq
		apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
	else
		echo "this test needs the Debian packages ${missing[*]} (apt-get install ${missing[*]})" >&2
		exit 1
	fi
fi

# node and node-pg (test/sequelize's npm packages)
# shellcheck source=test/sequelize/ensure_packages.sh
source "$here/../sequelize/ensure_packages.sh"

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
javac -d "$work" -cp "$jar" "$drivers/Jdbc.java"

psql -X -q -v ON_ERROR_STOP=1 -f "$drivers/schema.sql" >/dev/null

say "psycopg $("$python" -c 'import psycopg; print(psycopg.__version__)')," \
	"psycopg2 $("$python" -c 'import psycopg2; print(psycopg2.__version__.split()[0])')," \
	"node-pg $(node -p "require('$SEQUELIZE_DIR/node_modules/pg/package.json').version")," \
	"pgjdbc $(dpkg-query -W -f='${Version}' libpostgresql-jdbc-java 2>/dev/null || echo '?'), $(javac -version 2>&1)"
DRIVERS_JDBC_CP=$work:$jar exec "$python" "$drivers/battery.py"
