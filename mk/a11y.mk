# Browser accessibility check (tests/test_a11y.py): Debian's Chromium and the npm packages
# axe-core + playwright-core (package-lock.json). `make a11y-deps` installs what is missing and
# takes well under a second when everything is there. Included from the Makefile; `make test`
# depends on a11y-deps.

CHROMIUM      ?= /usr/bin/chromium
NPM           ?= npm
A11Y_STAMP    := node_modules/.a11y-installed
# apt-get runs as root directly, otherwise through sudo when there is one
A11Y_SUDO     := $(shell [ "$$(id -u)" = 0 ] || command -v sudo)

.PHONY: a11y-deps a11y-system-deps a11y

a11y-deps: a11y-system-deps $(A11Y_STAMP)

# Debian packages: chromium (never a browser downloaded by a test tool) and, if missing,
# nodejs + npm. apt-get update runs only when something must be installed.
a11y-system-deps:
	@missing=""; \
	[ -x "$(CHROMIUM)" ] || missing="$$missing chromium"; \
	command -v node >/dev/null 2>&1 || missing="$$missing nodejs"; \
	command -v $(NPM) >/dev/null 2>&1 || missing="$$missing npm"; \
	if [ -n "$$missing" ]; then \
	  echo "a11y-deps: installing Debian packages:$$missing"; \
	  $(A11Y_SUDO) apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $(A11Y_SUDO) apt-get install -y -qq $$missing \
	    || { echo "a11y-deps: could not install$$missing (apt-get needs root)"; exit 1; }; \
	fi

# npm ci: exactly the locked versions; re-run only when package*.json change
$(A11Y_STAMP): package.json package-lock.json
	$(NPM) ci --no-audit --no-fund --loglevel=error
	@touch $@

# check every page of an already built pack: make a11y [A11Y_PAGES=reports]
A11Y_PAGES ?= reports
a11y: install a11y-deps
	$(BIN)/python tests/a11y/check.py $(A11Y_PAGES)
