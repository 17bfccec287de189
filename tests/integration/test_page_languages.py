"""Every page a person can open (each GET route of the access table, with the access test's data)
in Finnish, Swedish and English: no placeholder left unfilled, no English on a Finnish or Swedish
page, party names and titles in the page's language where one is registered, and text in another
language marked with `lang` (WCAG 3.1.2)."""

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from sqlalchemy import select

from portal.agreements.models import Agreement
from portal.auth.models import User
from portal.organisations.models import Organisation
from tests.factories import sign_in
from tests.integration.test_access import ANON, EXPECTED, WHO, world  # noqa: F401 (a fixture)

LANGS = ("fi", "sv", "en")
CATALOGS = Path(__file__).resolve().parents[2] / "portal" / "translations"
#: English words that are no Finnish or Swedish word: one of them on a fi/sv page is English left
ENGLISH_WORDS = {"the", "and", "of", "your", "with", "is", "are", "this", "has", "been", "will", "not"}
#: attributes people read (or hear) as text
READ_ATTRIBUTES = ("aria-label", "title", "placeholder", "alt")
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
#: elements whose text cannot hold a marked part (nor can an attribute)
UNMARKABLE = {"title", "option", "textarea"}
#: pages that show an organisation's Finnish and Swedish names side by side (the register)
BOTH_NAMES = {"organisations.index", "organisations.edit"}


class Texts(HTMLParser):
    """The text a person reads on a page, each piece with the language it is marked with."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, str | None]] = []
        self.pieces: list[tuple[str, str, bool]] = []  # (language, text, whether it can be marked)

    def language(self) -> str:
        return next((lang for _tag, lang in reversed(self.stack) if lang), "")

    def handle_starttag(self, tag, attrs):
        found = dict(attrs)
        if tag not in VOID:
            self.stack.append((tag, found.get("lang")))
        lang = found.get("lang") or self.language()
        for name in READ_ATTRIBUTES:
            if found.get(name):
                self.pieces.append((lang, found[name], False))

    def handle_endtag(self, tag):
        for i in range(len(self.stack) - 1, -1, -1):
            if self.stack[i][0] == tag:
                del self.stack[i:]
                return

    def handle_data(self, data):
        if self.stack and self.stack[-1][0] in ("script", "style"):
            return
        if data.strip():
            # a <title> or an <option> holds text only: no element inside it can carry a lang
            markable = not any(tag in UNMARKABLE for tag, _lang in self.stack)
            self.pieces.append((self.language(), " ".join(data.split()), markable))


def read(html: str) -> list[tuple[str, str, bool]]:
    parser = Texts()
    parser.feed(html)
    return parser.pieces


def english_phrases(language: str) -> set[str]:
    """The catalog's English msgids of three words or more whose translation differs, cut at
    their placeholders: any of them on a page in `language` is text left untranslated."""
    with open(CATALOGS / language / "LC_MESSAGES" / "messages.po", "rb") as f:
        catalog = read_po(f)
    phrases = set()
    for message in catalog:
        if not message.id or not message.string or isinstance(message.id, tuple):
            continue
        if message.string == message.id:
            continue
        for part in re.split(r"%\(\w+\)[sd]|%[sd]|\{\w*\}", message.id):
            part = " ".join(part.split()).strip(" .,:;\"'()")
            if len(part.split()) >= 3:
                phrases.add(part)
    return phrases


@pytest.fixture
def pages(app, world, factory):  # noqa: F811 (the access test's fixture)
    """Each GET page with the role that may open it, the data made bilingual: every party but one
    has a Swedish name, the agreement a Swedish title, the people personal names."""
    users, args = world
    session = factory.session
    orgs = session.scalars(select(Organisation).order_by(Organisation.id)).all()
    for org in orgs[:-1]:
        org.name_sv = org.name.replace("Kunta", "Kommunen")
    for i, person in enumerate(session.scalars(select(User)).all()):
        person.display_name = f"Aino Virtanen {i}"
    agreement = session.get(Agreement, args["agreement_id"])
    agreement.title_sv = "Samarbetsavtalet"
    session.commit()
    marked = {org.name: "fi" for org in orgs} | {org.name_sv: "sv" for org in orgs if org.name_sv}
    marked |= {agreement.title: "fi", agreement.title_sv: "sv", "Liitesopimus": "fi"}
    marked["Kustannukset jaetaan asukasluvun mukaan"] = "fi"  # a clause a check quotes from the annex
    finnish_only_where_swedish = {org.name for org in orgs if org.name_sv}
    walk = []
    for endpoint, (method, expected) in EXPECTED.items():
        if method != "GET" or 200 not in expected:
            continue
        who = WHO[expected.index(200)]
        rule = next(r for r in app.url_map.iter_rules() if r.endpoint == endpoint)
        url = rule.rule
        values = args | ({"document_id": args["annex_id"]} if endpoint.startswith("annexes.") else {})
        for name in rule.arguments:
            url = url.replace(f"<int:{name}>", str(values[name])).replace(f"<{name}>", str(values[name]))
        walk.append((endpoint, who, url))
    return users, walk, marked, finnish_only_where_swedish


def problems_on(html: str, lang: str, endpoint: str, marked, finnish_only, english) -> list[str]:
    found = []
    for piece_lang, text, markable in read(html):
        where = f"{endpoint} [{lang}] {text[:90]!r}"
        if "%(" in text or "%%" in text:
            found.append(f"placeholder: {where}")
        own = piece_lang in ("", lang)
        if lang != "en" and own:
            words = set(re.findall(r"[^\W\d_]+", text.lower()))
            if words & ENGLISH_WORDS or any(phrase in text for phrase in english):
                found.append(f"English: {where}")
        for name, name_lang in marked.items():
            if name not in text:
                continue
            if markable and name_lang != lang and piece_lang != name_lang:
                found.append(f"{name!r} not marked lang={name_lang}: {where}")
            if lang == "sv" and name in finnish_only and endpoint not in BOTH_NAMES:
                found.append(f"Finnish name {name!r} where a Swedish one is registered: {where}")
    return found


def test_every_page_in_every_language(app, pages):
    users, walk, marked, finnish_only = pages
    english = {lang: english_phrases(lang) for lang in ("fi", "sv")}
    failures, seen, client, signed_in = [], 0, None, None
    for endpoint, who, url in sorted(walk, key=lambda step: WHO.index(step[1])):
        if who != signed_in:
            client, signed_in = app.test_client(), who
            if who != ANON:
                sign_in(client, users[who])
        for lang in LANGS:
            with client.session_transaction() as session:
                session["lang"] = lang
            response = client.get(url)
            response.close()
            assert response.status_code == 200, f"{url} as {who}: {response.status_code}"
            if not response.content_type.startswith("text/html"):
                continue
            seen += 1
            html = response.get_data(as_text=True)
            if "<html" in html:
                assert f'<html lang="{lang}">' in html, f"{endpoint} [{lang}]: the page's language"
            failures += problems_on(html, lang, endpoint, marked, finnish_only, english.get(lang, ()))
    assert seen >= 3 * 25, seen  # the walk reached the pages
    assert failures == [], "\n".join(failures)


@pytest.mark.parametrize(
    ("html", "lang", "expected"),
    [
        ("<p>Radera %(name)s</p>", "sv", ["placeholder"]),
        ("<p>Sopimus on allekirjoitettu</p>", "fi", []),
        ("<p>The agreement is signed</p>", "fi", ["English"]),
        ('<p lang="en">The agreement is signed</p>', "fi", []),  # marked: another language, on purpose
        ('<p aria-label="Remove the passkey">x</p>', "sv", ["English"]),
        ("<title>Kunta B – Sopu</title>", "en", []),  # a title cannot mark a part of itself
        ("<title>Kunta A – Sopu</title>", "sv", ["Finnish name"]),
        ("<p>Kunta A</p>", "sv", ["not marked", "Finnish name"]),
        ('<p><span lang="fi">Kunta A</span></p>', "sv", ["Finnish name"]),
        ('<p><span lang="fi">Kunta B</span></p>', "sv", []),  # no Swedish name registered
        ("<p>Kunta B</p>", "en", ["not marked"]),
        ("<p>Kommunen A</p>", "sv", []),
        ("<p>Kommunen A</p>", "fi", ["not marked"]),
    ],
)
def test_the_checks_fail_on_what_they_should(html, lang, expected):
    marked = {"Kunta A": "fi", "Kunta B": "fi", "Kommunen A": "sv"}
    found = problems_on(html, lang, "x.page", marked, {"Kunta A"}, {"the agreement is"})
    assert [next(k for k in expected if k in f) for f in found] == expected
