#!/usr/bin/env bash
# Schema migrations of a Sequelize 6 app (real queryInterface calls:
# addColumn, removeColumn, changeColumn, renameColumn, renameTable, addIndex,
# removeIndex, addConstraint, removeConstraint, and a migration rolled back)
# on tables with associations of the four kinds: every call succeeds as it
# is, and after each one the accessors, loaders, find_all and writers agree
# with plain SQL.  See test/sequelize/migrations.js.
#
# Run by `make test` with PGHOST, PGPORT, PGUSER and a fresh PGDATABASE; by
# hand:  PGHOST=... PGPORT=... PGUSER=postgres PGDATABASE=scratch test/extra/sequelize_migrations.sh
# (the database's public schema is dropped and re-created).
# MIGRATIONS_VERBOSE=1 also prints every check, notice and statement.
#
# Needs node >= 16, npm and the npm packages of test/sequelize, which
# test/sequelize/ensure_packages.sh installs when missing.
set -euo pipefail

# shellcheck source=test/sequelize/ensure_packages.sh
source "$(dirname "${BASH_SOURCE[0]}")/../sequelize/ensure_packages.sh"

exec node "$SEQUELIZE_DIR/migrations.js"
