"""What every journey of tests/e2e/test_journeys.py records and checks on each state it visits
(issue 13, "Done when"): axe finds nothing, the page does not scroll sideways at 320 px, a
screenshot lands in build/screenshots/; the page loads (main-frame loads) and the clicks are
counted, and each journey's row goes to build/journeys/ for the report pytest prints at the end
(tests/e2e/conftest.py's pytest_terminal_summary). Both folders are git-ignored build output."""

import time
from pathlib import Path

from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from tests.browser import BrowserPage, describe_violations, run_axe

ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = ROOT / "build" / "screenshots"
REPORT_DIR = ROOT / "build" / "journeys"
ROWS = REPORT_DIR / "rows"
REPORT = REPORT_DIR / "report.txt"
COLUMNS = ("journey", "role", "language", "viewport", "page loads", "clicks")

VIEWPORTS = {"desktop": {"width": 1366, "height": 900}, "phone": {"width": 390, "height": 844}}
NARROW = 320

#: where the focus is and whether the answer is inside the viewport
FOCUS = """(selector) => {
    const answer = document.querySelector(selector);
    if (!answer) return {found: false};
    const box = answer.getBoundingClientRect();
    const active = document.activeElement;
    return {
        found: true,
        // inside the viewport; one taller than the viewport begins in it
        inViewport: box.height > 0 && box.top >= -1
            && (box.bottom <= window.innerHeight + 1 || (box.height > window.innerHeight && box.top < 1)),
        focusOnAnswer: active === answer || answer.contains(active),
        focusedInvalid: active.getAttribute("aria-invalid") === "true",
        focused: active === document.body ? "body" : active.tagName + "#" + active.id,
    };
}"""

#: whether the canvas holds anything but white (or transparent) pixels
INKED = """(canvas) => {
    const data = canvas.getContext("2d").getImageData(0, 0, canvas.width, canvas.height).data;
    for (let i = 0; i < data.length; i += 4) {
        if (data[i + 3] > 0 && (data[i] < 200 || data[i + 1] < 200 || data[i + 2] < 200)) return true;
    }
    return false;
}"""

#: the outermost elements that reach past the screen's right edge (for the failure message)
SPILLING = """(width) => [...document.querySelectorAll("body *")]
    .filter(e => e.getBoundingClientRect().right > width + 1
                 && !(e.parentElement && e.parentElement.getBoundingClientRect().right > width + 1))
    .slice(0, 3).map(e => e.outerHTML.slice(0, 120))"""


class Journey:
    """One journey of one role, in one language, at one viewport: a signed-out page in a context
    of its own, with counters of page loads and clicks and the checks of every state."""

    def __init__(self, site, name: str, role: str, lang: str, viewport: str):
        self.name, self.role, self.lang, self.viewport = name, role, lang, viewport
        self.size = VIEWPORTS[viewport]
        self.browser_page: BrowserPage = site.open(lang)
        self.page = self.browser_page.page
        self.page.set_viewport_size(self.size)
        self.loads = 0
        self.clicks = 0
        self.states: list[str] = []
        self.page.on("load", lambda _page: self._loaded())

    def _loaded(self) -> None:
        self.loads += 1

    # what the person does -------------------------------------------------------------------

    def goto(self, path: str) -> None:
        """A page the person opens from an address (a link in a mail): a page load, no click."""
        self.browser_page.goto(path)

    def click(self, locator) -> None:
        locator.click()
        self.clicks += 1

    def sign_in(self, user, password: str = "pw") -> None:
        """From the sign-in page to the home page: two page loads, one click."""
        self.goto("/login")
        self.state("sign-in")
        self.page.locator("#username").fill(user.username)
        self.page.locator("#password").fill(password)
        with self.page.expect_navigation():
            self.click(self.page.locator("main form button[type=submit]"))
        assert "/login" not in self.page.url, f"sign-in failed for {user.username}"

    def open_menu(self) -> None:
        """On a phone the header's links are behind its menu button: one more click."""
        button = self.page.locator("button.site-header__menu-button")
        if button.is_visible() and button.get_attribute("aria-expanded") == "false":
            self.click(button)

    # what every state is checked for -------------------------------------------------------

    def state(self, label: str) -> None:
        """Check the page as it is now: axe reports no violation, no sideways scroll at 320 px;
        and keep a screenshot of it."""
        self.states.append(label)
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        shot = SCREENSHOTS / f"{self.name}-{self.lang}-{self.viewport}-{label}.png"
        self._screenshot(shot)
        violations = run_axe(self.page)
        assert violations == [], f"{self}: {label}: axe\n" + describe_violations(violations)
        self.page.set_viewport_size({"width": NARROW, "height": self.size["height"]})
        try:
            width = self.page.evaluate("() => document.documentElement.scrollWidth")
            spilling = self.page.evaluate(SPILLING, NARROW) if width > NARROW else []
        finally:
            self.page.set_viewport_size(self.size)
        assert width <= NARROW, f"{self}: {label}: {width} px wide at {NARROW} px: {spilling}"

    def _screenshot(self, path: Path) -> None:
        """caret="initial": Playwright injects no style (the CSP would refuse it). Chromium busy
        on a loaded machine sometimes answers "Unable to capture screenshot": one more try."""
        for attempt in (1, 2):
            try:
                self.page.screenshot(path=str(path), caret="initial")
                return
            except PlaywrightError:
                if attempt == 2:
                    raise

    def assert_in_first_viewport(self, locator, what: str) -> None:
        box = locator.bounding_box()
        assert self.page.evaluate("() => window.scrollY") == 0, f"{self}: {what}: scrolled"
        assert box is not None and box["y"] >= 0 and box["y"] + box["height"] <= self.size["height"], (
            f"{self}: {what} is not in the first viewport: {box}"
        )

    def assert_answer_focused(self, selector: str, what: str, field_in_error: bool = False) -> None:
        """The form's answer is inside the viewport and has the focus (or, for an error, the
        field in error has it); never <body>."""
        settled = f"""(selector) => {{
            const found = ({FOCUS})(selector);
            return found.found && found.inViewport
                && (found.focusOnAnswer || ({str(field_in_error).lower()} && found.focusedInvalid));
        }}"""
        try:  # form-feedback.js moves the focus once htmx has settled the swap
            self.page.wait_for_function(settled, arg=selector, timeout=5_000)
        except PlaywrightTimeout:
            pass  # said below, with where the focus is
        found = self.page.evaluate(FOCUS, selector)
        assert found.get("found"), f"{self}: {what}: no answer {selector}"
        focused = found["focusOnAnswer"] or (field_in_error and found["focusedInvalid"])
        assert found["inViewport"] and focused, f"{self}: {what}: {found}"

    def assert_pdf_rendered(self) -> None:
        canvas = self.page.locator("canvas[data-pdf-canvas]")
        canvas.wait_for()
        self.page.wait_for_function(
            "() => document.querySelector('canvas[data-pdf-canvas]').dataset.pdfRendered === '1'"
        )
        assert canvas.evaluate(INKED), f"{self}: the PDF's first page is blank"

    # the report ----------------------------------------------------------------------------

    def record(self) -> None:
        """This journey's row for the report (one file per journey: safe under pytest-xdist)."""
        ROWS.mkdir(parents=True, exist_ok=True)
        row = (self.name, self.role, self.lang, self.viewport, str(self.loads), str(self.clicks))
        (ROWS / f"{self.name}-{self.lang}-{self.viewport}.txt").write_text("\t".join(row) + "\n")

    def __str__(self) -> str:
        return f"{self.name}[{self.lang}-{self.viewport}]"


def report_rows(since: float) -> list[tuple[str, ...]]:
    """The rows the journeys of this run wrote (files written since `since`), sorted."""
    if not ROWS.is_dir():
        return []
    return sorted(
        tuple(path.read_text().rstrip("\n").split("\t"))
        for path in ROWS.glob("*.txt")
        if path.stat().st_mtime >= since
    )


def write_report(since: float) -> str:
    """The report of this run's journeys as a table, also written to build/journeys/report.txt;
    empty when no journey ran."""
    rows = report_rows(since)
    if not rows:
        return ""
    widths = [max(len(r[i]) for r in [COLUMNS, *rows]) for i in range(len(COLUMNS))]
    lines = [
        "  ".join(cell.ljust(widths[i]) for i, cell in enumerate(row)).rstrip() for row in [COLUMNS, *rows]
    ]
    text = "\n".join(lines) + "\n"
    REPORT_DIR.mkdir(parents=True, exist_ok=True)
    REPORT.write_text(text)
    return text


def session_start() -> float:
    return time.time()
