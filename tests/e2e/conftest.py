"""Browser fixtures for the end-to-end tests: see tests/browser.py."""

import pytest

from tests.browser import chromium, live_server, open_page, site  # noqa: F401


def pytest_collection_modifyitems(items):
    """Every browser test is served by a live server in another thread: its data must be
    committed for real (see the `committing` marker in tests/conftest.py)."""
    for item in items:
        if "/tests/e2e/" in str(item.path):
            item.add_marker(pytest.mark.committing)
