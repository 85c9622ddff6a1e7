# Sourced (not run) by the test/extra scripts that run node programs of
# test/sequelize (sequelize_compare.sh, sequelize_migrations.sh): makes sure
# node >= 16, npm and the npm packages of test/sequelize/package.json are
# there, and sets SEQUELIZE_DIR to that directory.
#
# When node or npm is missing and this runs as root on Debian, they are
# installed with apt-get (Debian 12's nodejs is 18).  The npm packages
# (sequelize, pg: versions pinned by package-lock.json) are installed into
# test/sequelize/node_modules, only when missing or when the lock file
# changed.  Exits (the sourcing script) when something cannot be installed.

SEQUELIZE_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)

ensure_packages_say() { printf '# %s\n' "$*"; }

ensure_packages_node_ok() {
	command -v node >/dev/null 2>&1 &&
		node -e "process.exit(Number(process.versions.node.split('.')[0]) >= 16 ? 0 : 1)" 2>/dev/null
}

ensure_packages() {
	local missing=() stamp want
	ensure_packages_node_ok || missing+=(nodejs)
	command -v npm >/dev/null 2>&1 || missing+=(npm)
	if ((${#missing[@]} > 0)); then
		if [[ $(id -u) == 0 ]] && command -v apt-get >/dev/null 2>&1; then
			ensure_packages_say "installing ${missing[*]} with apt-get"
			export DEBIAN_FRONTEND=noninteractive
			apt-get update -qq
			apt-get install -y -qq --no-install-recommends nodejs npm >/dev/null
		else
			echo "this test needs node >= 16 and npm (Debian: apt-get install nodejs npm)" >&2
			exit 1
		fi
		ensure_packages_node_ok || {
			echo "node >= 16 is needed; found: $(node --version 2>&1 || echo none)" >&2
			exit 1
		}
	fi

	# npm packages, pinned by package-lock.json; reinstalled when the lock changes
	stamp=$SEQUELIZE_DIR/node_modules/.assoc-lock.sha256
	want=$(sha256sum "$SEQUELIZE_DIR/package-lock.json" | cut -d' ' -f1)
	if [[ ! -f $stamp || $(cat "$stamp") != "$want" ]] ||
		! (cd "$SEQUELIZE_DIR" && node -e "require('sequelize'); require('pg')" 2>/dev/null); then
		ensure_packages_say "installing the npm packages into $SEQUELIZE_DIR/node_modules"
		(cd "$SEQUELIZE_DIR" && npm ci --prefer-offline --no-audit --no-fund --loglevel=error \
			--update-notifier=false) >&2
		printf '%s\n' "$want" >"$stamp"
	fi
}

ensure_packages
