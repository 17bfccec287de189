"""The one check of a `next` address (after signing in, after choosing a language): only paths
on this site pass; whatever a browser could read as another site does not."""

import pytest

from portal.auth.domain import safe_next

HOSTILE = [
    "/\t/evil.example",  # /%09/evil.example once decoded: browsers drop the tab -> //evil.example
    "/\n/evil.example",
    "/\r/evil.example",
    "/\r\nLocation: https://evil.example",
    "\t//evil.example",
    " /",
    "//evil.example",
    "///evil.example",
    "/\\evil.example",
    "\\/evil.example",
    "\\\\evil.example",
    "/\\/evil.example",
    "https://evil.example",
    "https:evil.example",
    "https:/evil.example",
    "javascript:alert(1)",
    "JaVaScRiPt:alert(1)",
    "data:text/html,<script>alert(1)</script>",
    "evil.example",
    "agreements/1",
    "/%09/evil.example",  # encoded forms: decoded they are the same tricks
    "/%2509/evil.example",
    "/%2F/evil.example",
    "/%2f%2fevil.example",
    "%2F%2Fevil.example",
    "/%5Cevil.example",
    "/%5C%5Cevil.example",
    "/%0D%0ALocation:%20https://evil.example",
    "/%252F%252Fevil.example",
    "/%25252F%25252Fevil.example",
    "/%2525252F%2525252Fevil.example",
    "/\u3000/evil.example",  # ideographic space
    "/\u200b/evil.example",  # zero-width space
    "/\u202e/elpmaxe.live",  # right-to-left override
    "/\ufeff/evil.example",
    "/\x00/evil.example",
    "/\x7f/evil.example",
    "/\uff0fevil.example",  # fullwidth solidus: /\uff0f reads as // after NFKC
    "/\uff3cevil.example",  # fullwidth reverse solidus
    "\uff0f\uff0fevil.example",
    "/" + "a" * 3000,
    "",
    None,
]

SAFE = [
    "/",
    "/agreements/12",
    "/agreements/12?tab=annexes",
    "/documents/3#state",
    "/tokens?next=%2Fagreements%2F1",  # a query value that is itself a path is fine
    "/notifications?q=a%20b",
    "/sopimukset/ä",
]


@pytest.mark.parametrize("target", HOSTILE)
def test_hostile_next_is_refused(target):
    assert safe_next(target) is None


@pytest.mark.parametrize("target", SAFE)
def test_own_paths_are_kept(target):
    assert safe_next(target) == target
