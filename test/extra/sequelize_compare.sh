#!/usr/bin/env bash
# The same findAll calls through Sequelize 6 and through assoc (find_all and
# the generated loaders), in one database, with the JSON compared: see
# test/sequelize/compare.js, and test/sequelize/cases.js for the cases.
#
# Run by `make test` with PGHOST, PGPORT, PGUSER and a fresh PGDATABASE; by
# hand:  PGHOST=... PGPORT=... PGUSER=postgres PGDATABASE=scratch test/extra/sequelize_compare.sh
# (the database's public schema is dropped and re-created).
#
# Needs node >= 16, npm and the npm packages of test/sequelize, which
# test/sequelize/ensure_packages.sh installs when missing.
set -euo pipefail

# shellcheck source=test/sequelize/ensure_packages.sh
source "$(dirname "${BASH_SOURCE[0]}")/../sequelize/ensure_packages.sh"

exec node "$SEQUELIZE_DIR/compare.js"
