"""Pure rules behind issue 7's request hardening: who replaces a document's text, which
characters no field takes, what a file name keeps, the 64-bit id pattern, the same-origin
rule, and the one e-mail/phone rule of the web form and the API."""

import re

import pytest

from portal.annexes.domain import may_add_version
from portal.auth.domain import Role
from portal.contacts.domain import valid_email, valid_phone
from portal.documents.domain import clean_filename
from portal.memberships.domain import standing
from portal.safety import MAX_ID, at_most, bad_character, first_bad_string, foreign_origin

ORG, OTHER = 1, 2


def seat(role, org=ORG):
    return standing(False, [(org, role)])


@pytest.mark.parametrize("role", list(Role))
def test_only_the_secretary_adds_a_version_of_the_main_agreement(role):
    secretary = role is Role.administrator
    assert may_add_version(seat(role), "main", {ORG}, first=False) is secretary
    assert may_add_version(seat(role), "main", {ORG}, first=True) is secretary
    assert may_add_version(standing(True, []), "main", {ORG}, first=True)  # the portal's admin


def test_annex_versions_follow_upload_and_handling_rules():
    lawyer = seat(Role.lawyer)
    assert may_add_version(lawyer, "annex_agreement", set(), first=True)
    assert may_add_version(lawyer, "annex_agreement", {ORG}, first=False)
    assert not may_add_version(lawyer, "annex_agreement", {OTHER}, first=False)
    assert may_add_version(lawyer, "amendment", {OTHER}, first=False)
    for role in (Role.representative, Role.contact_person, Role.viewer):
        assert not may_add_version(seat(role), "annex", {ORG}, first=True)
        assert not may_add_version(seat(role), "annex_agreement", {ORG}, first=False)


@pytest.mark.parametrize(
    ("text", "bad"),
    [
        ("Tampere", False),
        ("rivi 1\nrivi 2\r\n\tsisennys", False),
        ("ä ö å € 😀 \u202e", False),
        ("a\x00b", True),
        ("\x07", True),
        ("\x1b[31m", True),
        ("\ud800", True),
        ("", False),
    ],
)
def test_bad_characters(text, bad):
    assert bad_character(text) is bad


def test_the_first_bad_string_of_a_json_body_is_named():
    assert (
        first_bad_string({"title": "ok", "goals": [{"title": "ok"}, {"title": "x\x00"}]}) == "goals[1].title"
    )
    assert first_bad_string({"a\x00": 1}) == "body"
    assert first_bad_string(["ok", 1, None, True, {"x": ["y"]}]) is None
    deep = "ok"
    for _ in range(5000):  # deeper than Python's recursion limit: walked without recursion
        deep = [deep]
    assert first_bad_string(deep) is None


@pytest.mark.parametrize(
    ("name", "kept"),
    [
        ("sopimus.pdf", "sopimus.pdf"),
        ("liite\u202efdp.exe", "liitefdp.exe"),
        ("\u200f\u2066a\u2069\u200e.pdf", "a.pdf"),
        ("a\x00b\x7f\x85.pdf", "ab.pdf"),
        ("C:\\Users\\x\\liite 1.pdf", "liite 1.pdf"),
        ("../../etc/passwd", "passwd"),
        ("", "document.pdf"),
        ("\u202e", "document.pdf"),
        ("  väli   lyönnit .pdf ", "väli lyönnit .pdf"),
        ("x" * 300 + ".pdf", "x" * 255),
        ("Liite\u0301.pdf", "Liite\u0301.pdf"),
    ],
)
def test_clean_filename(name, kept):
    import unicodedata

    assert clean_filename(name) == unicodedata.normalize("NFC", kept)


@pytest.mark.parametrize("limit", [0, 1, 9, 10, 99, 100, 101, 199, 1000, 1234, 5090])
def test_at_most_matches_exactly_the_numbers_up_to_the_limit(limit):
    pattern = re.compile(at_most(limit))
    assert [n for n in range(0, 6000) if bool(pattern.fullmatch(str(n))) != (n <= limit)] == []


def test_the_id_pattern_stops_at_what_an_integer_column_holds():
    pattern = re.compile(at_most(MAX_ID))
    assert MAX_ID == 2**31 - 1  # PostgreSQL's INTEGER, the type of every id column
    assert pattern.fullmatch(str(MAX_ID)) and pattern.fullmatch("1")
    assert not pattern.fullmatch(str(MAX_ID + 1)) and not pattern.fullmatch("9" * 10)
    assert not pattern.fullmatch("99999999999999999999") and not pattern.fullmatch(str(2**63))


OWN = ["http://localhost/", "https://sopu.example.fi"]


@pytest.mark.parametrize(
    ("origin", "referer", "foreign"),
    [
        (None, None, False),
        ("", "", False),
        ("http://localhost", None, False),
        ("http://LOCALHOST:80", None, False),
        ("https://sopu.example.fi:443", None, False),
        (None, "https://sopu.example.fi/x?y", False),
        ("https://evil.example", None, True),
        ("null", None, True),
        ("http://localhost:5000", None, True),
        ("https://localhost", None, True),
        (None, "https://evil.example/", True),
        ("https://evil.example", "http://localhost/", True),
        (None, "http://localhost.evil.example/", True),
        ("http://localhost:99999", None, True),
        ("javascript:alert(1)", None, True),
    ],
)
def test_foreign_origin(origin, referer, foreign):
    assert foreign_origin(origin, referer, OWN) is foreign


@pytest.mark.parametrize(
    ("address", "valid"),
    [
        ("nimi@kunta.fi", True),
        ("yhteys@example.invalid", True),
        ("x@demo.sopu.invalid", True),
        ("<b>@x.y", False),
        ("a@b", False),
        ("a@invalid", False),
        ("", False),
        ("a b@c.fi", False),
        ("nimi@kunta.fi\n", False),
    ],
)
def test_one_email_rule(address, valid):
    assert valid_email(address) is valid


def test_one_phone_rule():
    assert valid_phone("+358 (40) 123-4567") and valid_phone("")
    assert not valid_phone("040 abc") and not valid_phone("040\n123")
