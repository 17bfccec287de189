"""fit_to_sign: every kind of active content in the file is a blocker of its own (issue 7,
item 2), with its message in Finnish and Swedish."""

from __future__ import annotations

import pytest
from babel.messages.pofile import read_po

from portal.checks import MESSAGES, Severity, run_checks, worst
from signing.pdfscan import ACTIVE_CONTENT_KINDS
from tests.unit.checks.conftest import annex, pdf_of
from tests.unit.checks.texts import FI_GOOD, SV_GOOD
from tests.unit.signing import samples
from tests.unit.signing.test_active_content import CASES
from tests.unit.test_translations import TRANSLATIONS

ONE_OF_EACH = {kind: change for kind, change in CASES}


def blockers(main, document) -> list[str]:
    return [
        f.message_id
        for f in run_checks(main, document)
        if f.code == "fit_to_sign" and f.severity == Severity.blocker
    ]


@pytest.mark.parametrize("kind", ACTIVE_CONTENT_KINDS)
@pytest.mark.parametrize(("language", "text"), [("fi", FI_GOOD), ("sv", SV_GOOD)])
def test_each_kind_of_active_content_is_a_fit_to_sign_blocker(main, kind, language, text):
    pdf = samples.modified(pdf_of(text), ONE_OF_EACH[kind])
    document = annex(text, language=language, pdf=pdf)
    assert blockers(main, document) == [MESSAGES[f"fit_to_sign.{kind}"]]
    assert worst(run_checks(main, document)) == Severity.blocker
    assert blockers(main, annex(text, language=language)) == []


@pytest.mark.parametrize("language", ["fi", "sv"])
def test_active_content_flags_are_translated(language):
    with (TRANSLATIONS / language / "LC_MESSAGES" / "messages.po").open("rb") as f:
        catalog = read_po(f, locale=language)
    for kind in ACTIVE_CONTENT_KINDS:
        english = MESSAGES[f"fit_to_sign.{kind}"]
        translated = catalog.get(english)
        assert translated is not None and translated.string, kind
        assert translated.string != english and not translated.fuzzy
