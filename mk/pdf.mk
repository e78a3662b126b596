# The committee PDF (pprr_utils/batch/pdf.py): `pprr run` prints each period's pack with
# Debian's headless Chromium, the browser the accessibility check uses. `make pdf-deps`
# installs it when missing (apt-get update only then). Included from the Makefile.

PDF_CHROMIUM ?= /usr/bin/chromium
PDF_SUDO     := $(shell [ "$$(id -u)" = 0 ] || command -v sudo)

.PHONY: pdf-deps

pdf-deps:
	@if [ ! -x "$(PDF_CHROMIUM)" ]; then \
	  echo "pdf-deps: installing the Debian package chromium"; \
	  $(PDF_SUDO) apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $(PDF_SUDO) apt-get install -y -qq chromium \
	    || { echo "pdf-deps: could not install chromium (apt-get needs root)"; exit 1; }; \
	fi
