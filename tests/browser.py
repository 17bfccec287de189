"""Real Chromium for the browser tests (tests/e2e/ and tests/integration/test_pages_a11y.py):
fixtures that serve the app on loopback and open pages in Debian's Chromium through Playwright,
and an axe-core accessibility check.

Tests take the `site` fixture. tests/e2e/conftest.py imports it and the fixtures it needs
(chromium, live_server, open_page); a test module elsewhere binds the same four names (see
tests/integration/test_pages_a11y.py). Playwright's own browsers are never downloaded: CHROMIUM
(default /usr/bin/chromium) is used, and axe-core comes from node_modules (`npm ci`)."""

import contextvars
import functools
import os
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.server import serve

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
#: WCAG 2.1 A and AA, and the best practices that carry the landmark rules (region, landmark-one-main)
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]
#: rules that fail the test whatever impact axe gives them
AXE_ALWAYS_FAIL = {
    "color-contrast",
    "label",
    "html-has-lang",
    "document-title",
    "landmark-one-main",
    "region",
    "button-name",
    "link-name",
}
AXE_FAIL_IMPACTS = {"serious", "critical"}
TIMEOUT_MS = 20_000
#: the password tests.factories gives every user
PASSWORD = "pw"
#: what a browser test changes in the (session-wide) test app while it runs: the real CSRF flow
#: (the token travels in hx-headers), and a session cookie the browser keeps on http://127.0.0.1
BROWSER_CONFIG = {"WTF_CSRF_ENABLED": True, "SESSION_COOKIE_SECURE": False, "REMEMBER_COOKIE_SECURE": False}


@pytest.fixture(scope="module")
def chromium():
    """Chromium for one test module. Not for the whole session: while Playwright's sync API is
    running it keeps an asyncio loop running in this thread, and every later test that signs in
    this thread (pyHanko calls asyncio.run()) would fail."""
    from playwright.sync_api import expect, sync_playwright

    expect.set_options(timeout=TIMEOUT_MS)  # a first signature issues a certificate: allow time
    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium not found at {CHROMIUM}: apt-get install chromium (or set CHROMIUM)")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def live_server(app, db, request, config_override) -> Iterator[str]:
    """The test app on http://127.0.0.1:<free port>, in a thread; the database is emptied after.
    The server's threads see only what the test commits: the test is marked `committing`."""
    if not request.node.get_closest_marker("committing"):
        pytest.fail("a test served to a browser commits: mark it @pytest.mark.committing")
    config_override(**BROWSER_CONFIG)
    with serve(app) as base_url:
        yield base_url


def off_loop(function: Callable, /, *args, **kwargs):
    """Call `function` in a thread of its own that shares this thread's context (the app context
    and so the same database session) while this thread waits.

    Playwright's sync API keeps an asyncio event loop running in the test's thread, and pyHanko's
    synchronous calls (prepare, sign) use asyncio.run(), which refuses to start inside one."""
    context = contextvars.copy_context()
    outcome: dict = {}

    def run():
        try:
            outcome["value"] = context.run(function, *args, **kwargs)
        except BaseException as error:  # re-raised in the caller's thread
            outcome["error"] = error

    thread = threading.Thread(target=run, name=f"off-loop {getattr(function, '__name__', '')}")
    thread.start()
    thread.join()
    if "error" in outcome:
        raise outcome["error"]
    return outcome["value"]


class OffLoopFactory:
    """tests.factories.Factory whose methods run off Playwright's event loop (see off_loop)."""

    def __init__(self, factory):
        self._factory = factory

    def __getattr__(self, name):
        value = getattr(self._factory, name)
        if name.startswith("_") or not callable(value) or name in ("session", "app"):
            return value
        return functools.partial(off_loop, value)


class BrowserPage:
    """A page in its own browser context (its own cookies: one signed-in user), that records
    console errors, CSP violations and uncaught exceptions."""

    def __init__(self, context, base_url: str):
        self.context = context
        self.base_url = base_url
        self.page = context.new_page()
        self.errors: list[str] = []
        self.page.on("console", lambda m: m.type == "error" and self.errors.append(m.text))
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))

    def goto(self, path: str):
        response = self.page.goto(self.base_url + path)
        self.page.wait_for_load_state("load")
        return response

    def sign_in(self, user, password: str = PASSWORD) -> None:
        self.goto("/login")
        self.page.locator("#username").fill(user.username)
        self.page.locator("#password").fill(password)
        with self.page.expect_navigation():
            self.page.locator("main form button[type=submit]").click()
        assert "/login" not in self.page.url, f"sign-in failed for {user.username}"

    def script_errors(self) -> list[str]:
        """Errors other than the logging of 4xx/5xx responses by the browser and htmx (tests
        provoke those on purpose: a 422 carries a form with its errors)."""
        expected = ("Failed to load resource", "Response Status Error Code")
        return [e for e in self.errors if not any(text in e for text in expected)]


@pytest.fixture
def open_page(chromium, live_server) -> Iterator[Callable[..., BrowserPage]]:
    """open_page(lang="fi") -> BrowserPage; every page opened gets its own context."""
    pages: list[BrowserPage] = []

    def open_(lang: str = "fi") -> BrowserPage:
        context = chromium.new_context(
            locale=lang,
            extra_http_headers={"Accept-Language": lang},
            accept_downloads=True,
            viewport={"width": 1280, "height": 900},
        )
        context.set_default_timeout(TIMEOUT_MS)
        page = BrowserPage(context, live_server)
        pages.append(page)
        return page

    yield open_
    errors = [f"{p.page.url}: {e}" for p in pages for e in p.script_errors()]
    for page in pages:
        page.context.close()
    assert not errors, "errors in the browser console (a CSP violation?):\n" + "\n".join(errors)


@dataclass
class Site:
    """What a browser test works with: the served app's URL, pages, and the data factory."""

    base_url: str
    open: Callable[..., BrowserPage]  # open(lang="fi") -> BrowserPage in a context of its own
    factory: OffLoopFactory

    @property
    def session(self):
        return self.factory.session


@pytest.fixture
def site(live_server, open_page, factory) -> Site:
    return Site(live_server, open_page, OffLoopFactory(factory))


@functools.cache
def axe_source() -> str:
    if not AXE.exists():
        pytest.fail(f"{AXE} is missing: run `npm ci`")
    return AXE.read_text()


def run_axe(page) -> list[dict]:
    """axe-core's violations on the page as it is now. The script is evaluated through the
    DevTools protocol, which the page's Content-Security-Policy does not govern (an injected
    <script> tag would be blocked, rightly)."""
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.evaluate(axe_source())
    result = page.evaluate(
        """async (tags) => {
        const result = await axe.run(document, {runOnly: {type: "tag", values: tags},
                                                resultTypes: ["violations"]});
        return result.violations.map(v => ({
            id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl,
            nodes: v.nodes.map(n => ({target: n.target.join(" "), summary: n.failureSummary,
                                      html: n.html.slice(0, 200)}))}));
    }""",
        AXE_TAGS,
    )
    return result


def blocking_violations(violations: list[dict]) -> list[dict]:
    return [v for v in violations if v["impact"] in AXE_FAIL_IMPACTS or v["id"] in AXE_ALWAYS_FAIL]


def describe_violations(violations: list[dict]) -> str:
    lines = []
    for v in violations:
        lines.append(f"{v['id']} ({v['impact']}): {v['help']} <{v['helpUrl']}>")
        for node in v["nodes"][:5]:
            lines.append(f"    {node['target']}: {node['html']}")
            lines.extend(f"      {line}" for line in (node["summary"] or "").splitlines())
    return "\n".join(lines)


def assert_accessible(page, what: str = "") -> list[dict]:
    """Fail on serious or critical axe violations and on any of AXE_ALWAYS_FAIL; return the rest."""
    violations = run_axe(page)
    blocking = blocking_violations(violations)
    assert not blocking, f"accessibility violations on {what or page.url}:\n" + describe_violations(blocking)
    return violations


def sign_for(session, agreement, representatives, place: str = "Tampere") -> None:
    """Sign the agreement for each representative's party through the service, as the view does."""
    off_loop(_sign_for, session, agreement, representatives, place)


def _sign_for(session, agreement, representatives, place: str) -> None:
    from portal.appctx import document_context
    from portal.authority.services import unlock_signer
    from portal.documents import services as documents
    from portal.timeutil import utcnow

    ctx = document_context()
    for rep in representatives:
        passphrase = unlock_signer(session, ctx.key_encryption_key, rep, PASSWORD, utcnow(), ctx.pki_pointers)
        documents.sign(session, ctx, agreement.main_document_id, rep, passphrase, place)
        session.commit()


def approve_for(session, agreement, organisations, admin) -> None:
    """Record each party's council decision through the service (off the event loop: the last
    one brings the agreement into force, which seals the audit chain's head)."""
    off_loop(_approve_for, session, agreement, organisations, admin)


def _approve_for(session, agreement, organisations, admin) -> None:
    from datetime import date

    from portal.appctx import document_context
    from portal.documents import services as documents

    for number, org in enumerate(organisations, start=10):
        documents.record_approval(
            session,
            document_context(),
            agreement.main_document_id,
            org.id,
            admin,
            body="Kunnanvaltuusto",
            decided_on=date(2026, 11, 2),
            section=str(number),
        )
        session.commit()
