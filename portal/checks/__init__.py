"""Compatibility checks of an annex, annex agreement or amendment against the main agreement
(DOMAIN.md "Compatibility", R5-R9, R11, R14). Pure: plain values in, flags out; no Flask, no
SQLAlchemy. PDF parsing happens only in signing's isolated worker (text.extract_pages)."""

from portal.checks.messages import MESSAGES
from portal.checks.model import Annex, Evidence, Flag, Goal, MainAgreement, Party, Severity
from portal.checks.rules import CHECKS, FLAG_CODES, run_checks, worst
from portal.checks.terms import MainTerms, guess_language, main_terms
from portal.checks.text import extract_pages, normalise_words

__all__ = [
    "CHECKS",
    "FLAG_CODES",
    "MESSAGES",
    "Annex",
    "Evidence",
    "Flag",
    "Goal",
    "MainAgreement",
    "MainTerms",
    "Party",
    "Severity",
    "extract_pages",
    "guess_language",
    "main_terms",
    "normalise_words",
    "run_checks",
    "worst",
]
