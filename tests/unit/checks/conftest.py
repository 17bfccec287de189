"""The Pirkanmaa demo main agreement and helpers that typeset an annex text as a real PDF and
read it back through extract_pages()."""

from __future__ import annotations

import pytest

import signing
from portal.checks import Annex, Goal, MainAgreement, Party, extract_pages
from portal.demo.data import GOALS, PARTIES, TITLE, synthetic_business_ids
from portal.demo.pdf import text_to_pdf

IDS = synthetic_business_ids(len(PARTIES))
ID = {slug: business_id for (slug, *_), business_id in zip(PARTIES, IDS, strict=True)}


def pirkanmaa() -> MainAgreement:
    parties = tuple(
        Party(name, business_id, (swedish,))
        for (_, name, swedish, *_), business_id in zip(PARTIES, IDS, strict=True)
    )
    goals = tuple(Goal(n, title) for n, (title, _) in enumerate(GOALS, start=1))
    return MainAgreement(
        parties=parties, goals=goals, notice_months=12, valid_until=None, dispute_forum="courts", title=TITLE
    )


@pytest.fixture(scope="session")
def main() -> MainAgreement:
    return pirkanmaa()


def pdf_of(text: str) -> bytes:
    return text_to_pdf(text, title=text.splitlines()[0])


def annex(
    text: str,
    *,
    language: str = "fi",
    kind: str = "annex_agreement",
    parties: tuple[str, ...] = (),
    goals: tuple[int, ...] = (),
    pdf: bytes | None = None,
) -> Annex:
    """The annex as the portal would see it: typeset, checked, text extracted per page."""
    data = pdf if pdf is not None else pdf_of(text)
    return Annex(
        kind=kind,
        pages=tuple(extract_pages(data)),
        declared_parties=parties,
        declared_goals=goals,
        facts=signing.check_pdf(data),
        language=language,
    )
