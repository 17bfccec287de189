"""Browser fixtures for the end-to-end tests: see tests/browser.py."""

from tests.browser import chromium, live_server, open_page, site  # noqa: F401
