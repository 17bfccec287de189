"""Browser fixtures for the end-to-end tests: see tests/browser.py. The journeys' report of page
loads and clicks (tests/e2e/journeys.py) is printed in pytest's terminal summary."""

import time

import pytest

from tests.browser import chromium, live_server, open_page, site  # noqa: F401
from tests.e2e import journeys

STARTED = pytest.StashKey[float]()


def pytest_configure(config):
    config.stash[STARTED] = time.time()


def pytest_collection_modifyitems(items):
    """Every browser test is served by a live server in another thread: its data must be
    committed for real (see the `committing` marker in tests/conftest.py)."""
    for item in items:
        if "/tests/e2e/" in str(item.path):
            item.add_marker(pytest.mark.committing)


def pytest_terminal_summary(terminalreporter, config):
    """The page loads and clicks of each journey run (also in build/journeys/report.txt)."""
    report = journeys.write_report(config.stash.get(STARTED, time.time()))
    if report:
        terminalreporter.write_sep("-", f"journeys: page loads and clicks ({journeys.REPORT})")
        terminalreporter.write(report)
