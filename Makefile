# assoc: PGXS build, plus the self-contained demo/test/bench targets.
#
# `make demo`, `make test` and `make bench` need nothing but make and a C
# compiler: scripts/ensure-postgres.sh installs PostgreSQL and its
# development files from Debian when pg_config is missing, so this file
# must not die before that step when PGXS is not there yet.

EXTENSION = assoc
EXTVERSION = 0.2.0

MODULE_big = assoc
OBJS = $(patsubst %.c,%.o,$(wildcard src/*.c))
# assoc's own headers: not HEADERS, which `make install` would copy into the
# server's include directory (for other extensions to build against; none of
# these is meant for that)
ASSOC_HEADERS = $(wildcard src/*.h)

# The released install script (0.1.0) stays as it was, and each version
# after it is an update script; the install script of the current version is
# written from them (sql/install-head.sql, then 0.1.0, then the updates in
# order), so that a change is written once, in its version's update script.
UPDATES = sql/$(EXTENSION)--0.1.0--0.2.0.sql
DATA = sql/$(EXTENSION)--0.1.0.sql sql/$(EXTENSION)--0.1.0.control $(UPDATES)
DATA_built = sql/$(EXTENSION)--$(EXTVERSION).sql

TESTS = $(sort $(wildcard test/sql/*.sql))
REGRESS = $(patsubst test/sql/%.sql,%,$(TESTS))
REGRESS_OPTS = --inputdir=test --load-extension=$(EXTENSION)

# the isolation specs and their expected outputs have a folder of their own,
# test/isolation/specs/X.spec and test/isolation/expected/X.out
ISOLATION_SPECS = $(sort $(wildcard test/isolation/specs/*.spec))
ISOLATION = $(patsubst test/isolation/specs/%.spec,%,$(ISOLATION_SPECS))
ISOLATION_OPTS = --inputdir=test/isolation --load-extension=$(EXTENSION)

# ASSOC_VERSION: the version catalog.c records as the author of the functions
# it writes (assoc.associations.generated_by)
PG_CPPFLAGS = -DASSOC_VERSION=\"$(EXTVERSION)\" -Wall -Wextra -Wno-unused-parameter -Wno-missing-field-initializers -Werror=implicit-function-declaration -Wmissing-prototypes

PG_CONFIG ?= pg_config
PGXS := $(shell $(PG_CONFIG) --pgxs 2>/dev/null)
ifneq ($(PGXS),)
include $(PGXS)
else
all:
	@echo "pg_config not found: run 'make demo' or 'make test' to install PostgreSQL, or set PG_CONFIG" >&2
	@exit 1
endif

sql/$(EXTENSION)--$(EXTVERSION).sql: sql/install-head.sql sql/$(EXTENSION)--0.1.0.sql $(UPDATES)
	cat $^ >$@

# every object depends on every header: they are few and small
$(OBJS): $(ASSOC_HEADERS)
# and catalog.o on EXTVERSION
src/catalog.o: Makefile

.PHONY: demo test bench stress

demo:
	@bash scripts/run.sh demo

test:
	@bash scripts/run.sh test

bench:
	@bash scripts/run.sh bench

stress:
	@bash scripts/run.sh stress
