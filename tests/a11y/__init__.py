"""Accessibility checking (test tooling): axe-core in headless Chromium plus static rules."""
