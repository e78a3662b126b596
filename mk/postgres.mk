# PostgreSQL for the warehouse tests (tests/test_sql.py starts a throw-away server with Debian's
# binaries; no server is left running). `make postgres-deps` installs Debian's `postgresql`
# package when initdb is missing; apt-get runs as root directly, otherwise through sudo.
# The Python side (sqlalchemy, psycopg) is in pyproject.toml. Included from the Makefile;
# `make test` depends on postgres-deps.

PG_SUDO := $(shell [ "$$(id -u)" = 0 ] || command -v sudo)

.PHONY: postgres-deps

postgres-deps:
	@if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 && ! command -v initdb >/dev/null 2>&1; then \
	  echo "postgres-deps: installing Debian package postgresql"; \
	  $(PG_SUDO) apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $(PG_SUDO) apt-get install -y -qq postgresql \
	    || { echo "postgres-deps: could not install postgresql (apt-get needs root)"; exit 1; }; \
	fi
