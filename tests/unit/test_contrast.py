"""The portal's own colours meet WCAG 2.1 AA contrast, computed from static/css/portal.css: the
text of every badge and label against its background (1.4.3, 4.5:1), and every focus ring
against the surface it is drawn on (1.4.11, 3:1). axe checks the rendered text; these are the
states axe never sees (focus) and every badge, whether a page shows it today or not."""

import re
from pathlib import Path

import pytest

CSS = Path(__file__).resolve().parents[2] / "static" / "css" / "portal.css"
WHITE, HEADER_BLUE = "#ffffff", "#0000bf"
#: HDS's own focus ring (--color-focus-outline: the coat-of-arms blue) on the page
HDS_FOCUS = "#0072c6"


def rules(css: str) -> list[tuple[str, dict[str, str]]]:
    """(selector, declarations) of each rule, media queries flattened, comments dropped."""
    css = re.sub(r"/\*.*?\*/", "", css, flags=re.S)
    css = re.sub(r"@media[^{]*{", "", css)
    found = []
    for selector, body in re.findall(r"([^{}]+){([^{}]*)}", css):
        declarations = {}
        for part in body.split(";"):
            if ":" in part:
                name, value = part.split(":", 1)
                declarations[name.strip()] = value.strip()
        found.append((" ".join(selector.split()), declarations))
    return found


def hex_colour(value: str | None) -> str | None:
    match = value and re.search(r"#([0-9a-fA-F]{6}|[0-9a-fA-F]{3})\b", value)
    if not match:
        return None
    digits = match.group(1)
    return "#" + ("".join(c * 2 for c in digits) if len(digits) == 3 else digits).lower()


def luminance(colour: str) -> float:
    def channel(c: int) -> float:
        s = c / 255
        return s / 12.92 if s <= 0.04045 else ((s + 0.055) / 1.055) ** 2.4

    r, g, b = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


def contrast(a: str, b: str) -> float:
    light, dark = sorted((luminance(a), luminance(b)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def surface_of(selector: str) -> str:
    """What a rule's element sits on: the header's blue inside the header, else the white page."""
    return HEADER_BLUE if selector.startswith(".site-header") else WHITE


def text_pairs() -> list[tuple[str, str, str]]:
    """(selector, text colour, background) of each rule that sets both."""
    pairs = []
    for selector, d in rules(CSS.read_text()):
        fg = hex_colour(d.get("color"))
        bg = hex_colour(d.get("background") or d.get("background-color"))
        if fg and bg:
            pairs.append((selector, fg, bg))
    return pairs


def focus_rings() -> list[tuple[str, str, str]]:
    """(selector, ring colour, surface) of each rule that draws a focus outline."""
    rings = []
    for selector, d in rules(CSS.read_text()):
        if "focus" not in selector:
            continue
        ring = hex_colour(d.get("outline")) or hex_colour(d.get("outline-color"))
        if ring:
            rings.append((selector, ring, surface_of(selector)))
    return rings


@pytest.mark.parametrize(("a", "b", "expected"), [("#000000", "#ffffff", 21.0), ("#777777", "#ffffff", 4.48)])
def test_the_contrast_formula(a, b, expected):
    assert contrast(a, b) == pytest.approx(expected, abs=0.01)


def test_the_stylesheet_is_read():
    assert len(text_pairs()) >= 10
    assert len(focus_rings()) >= 3
    assert any(s.startswith(".site-header") for s, _ring, _surface in focus_rings())


def test_every_badge_and_label_has_readable_text():
    weak = [
        f"{s}: {fg} on {bg} {contrast(fg, bg):.2f}:1" for s, fg, bg in text_pairs() if contrast(fg, bg) < 4.5
    ]
    assert weak == []


def test_every_focus_ring_stands_out_from_its_surface():
    rings = [*focus_rings(), ("HDS components", HDS_FOCUS, WHITE)]
    weak = [
        f"{s}: {ring} on {bg} {contrast(ring, bg):.2f}:1" for s, ring, bg in rings if contrast(ring, bg) < 3
    ]
    assert weak == []


def test_the_page_focus_ring_would_not_do_on_the_header():
    """Why the header has a ring of its own: the page's blue ring on the header's blue."""
    page_ring = next(ring for s, ring, _bg in focus_rings() if s == ":focus-visible")
    assert contrast(page_ring, HEADER_BLUE) < 3
