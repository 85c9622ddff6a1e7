#!/usr/bin/env bash
# assoc.discover on tables made by real Sequelize 6's sync() declares exactly
# the associations the Sequelize models declared: see
# test/sequelize/discover.js.
#
# Run by `make test` with PGHOST, PGPORT, PGUSER and a fresh PGDATABASE; by
# hand:  PGHOST=... PGPORT=... PGUSER=postgres PGDATABASE=scratch test/extra/sequelize_discover.sh
# (the database's public schema is dropped and re-created).
#
# Needs node >= 16, npm and the npm packages of test/sequelize, which
# test/sequelize/ensure_packages.sh installs when missing.
set -euo pipefail

# shellcheck source=test/sequelize/ensure_packages.sh
source "$(dirname "${BASH_SOURCE[0]}")/../sequelize/ensure_packages.sh"

exec node "$SEQUELIZE_DIR/discover.js"
