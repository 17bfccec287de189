"""Every user-facing string is translated into Finnish and Swedish.

Re-extracts the messages from the source with the same mapping (babel.cfg) and keywords as
scripts/i18n.sh, and fails, naming the msgids, when a catalog misses one, leaves it untranslated
or fuzzy, or changes its %(placeholders)s. Fix: run scripts/i18n.sh and translate what it lists.

No database; only the last test builds the app, to see that Flask-Babel finds the catalogs that
portal/i18n_build.py compiles."""

import re
from collections import Counter
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import parse_keywords, parse_mapping_cfg
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import Translations

ROOT = Path(__file__).resolve().parents[2]
TRANSLATIONS = ROOT / "portal" / "translations"
LANGUAGES = ("fi", "sv")

#: %(name)s, %s, %d, %%, and a lone % that would break formatting
SPECIFIER = re.compile(
    r"%(?:\((?P<name>[^)]*)\))?[#0\- +]*(?:\*|\d+)?(?:\.(?:\*|\d+))?"
    r"(?P<conv>[diouxXeEfFgGcrsa%])|%"
)


def script_keywords() -> dict:
    """The -k options of scripts/i18n.sh on top of Babel's defaults, as pybabel uses them."""
    script = (ROOT / "scripts" / "i18n.sh").read_text()
    specs = re.findall(r"(?:^|\s)(?:-k|--keyword)[ =]([^\s\\]+)", script)
    assert "_l" in specs and "lazy_pgettext:1c,2" in specs, specs
    return {**DEFAULT_KEYWORDS, **parse_keywords(specs)}


def extract_source() -> Catalog:
    with (ROOT / "babel.cfg").open() as f:
        method_map, options_map = parse_mapping_cfg(f, "babel.cfg")
    catalog = Catalog(project="Sopu")
    for filename, lineno, message, comments, context in extract_from_dir(
        str(ROOT), method_map, options_map, keywords=script_keywords()
    ):
        catalog.add(message, None, [(filename, lineno)], auto_comments=comments, context=context)
    return catalog


@pytest.fixture(scope="module")
def source() -> Catalog:
    return extract_source()


def read_catalog(lang: str) -> Catalog:
    with (TRANSLATIONS / lang / "LC_MESSAGES" / "messages.po").open("rb") as f:
        return read_po(f, locale=lang, abort_invalid=True)


def label(message) -> str:
    msgid = message.id if isinstance(message.id, str) else message.id[0]
    where = ", ".join(f"{path}:{line}" for path, line in message.locations[:2])
    context = f"[{message.context}] " if message.context else ""
    return f"{context}{msgid!r}" + (f" ({where})" if where else "")


def placeholders(text: str) -> tuple[Counter, list[str]]:
    """Named placeholders (as a multiset of names) and the positional ones in order."""
    named, positional = Counter(), []
    for match in SPECIFIER.finditer(text):
        if match.group("name") is not None:
            named[match.group("name")] += 1
        else:
            positional.append(match.group(0))
    return named, positional


def same_placeholders(msgid: str, msgstr: str) -> bool:
    (id_named, id_positional), (str_named, str_positional) = placeholders(msgid), placeholders(msgstr)
    # a name may be used more or fewer times, but no name may be added or lost
    return set(id_named) == set(str_named) and id_positional == str_positional


def test_the_source_has_messages(source):
    ids = {m.id for m in source if m.id}
    assert len(ids) > 50
    # one from each way of marking: _l in Python, pgettext context, _() and {% trans %} in Jinja
    assert "Username" in ids and "Sign in" in ids and "Skip to content" in ids
    assert source.get("In force", context="agreement status") is not None
    assert any(i.startswith("A personal access token lets") for i in ids if isinstance(i, str))


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_message_is_translated(source, lang):
    catalog = read_catalog(lang)
    missing, untranslated, fuzzy, broken = [], [], [], []
    for message in source:
        if not message.id:
            continue
        translated = catalog.get(message.id, context=message.context)
        if translated is None:
            missing.append(label(message))
            continue
        if translated.fuzzy:
            fuzzy.append(label(message))
        strings = translated.string if isinstance(translated.string, tuple) else (translated.string,)
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        if not all(strings):
            untranslated.append(label(message))
        elif not all(same_placeholders(ids[min(i, len(ids) - 1)], s) for i, s in enumerate(strings)):
            broken.append(f"{label(message)} -> {strings!r}")
    problems = [
        f"{kind} in {lang}/LC_MESSAGES/messages.po:\n  " + "\n  ".join(items)
        for kind, items in (
            ("missing", missing),
            ("untranslated", untranslated),
            ("fuzzy", fuzzy),
            ("placeholders differ", broken),
        )
        if items
    ]
    assert not problems, (
        "\n".join(problems) + "\nRun scripts/i18n.sh, then translate the messages listed above."
    )


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_catalog_header(lang):
    catalog = read_catalog(lang)
    assert str(catalog.locale) == lang
    assert catalog.charset.lower() == "utf-8"
    assert not catalog.fuzzy, "the header is marked fuzzy: the compiled catalog would be ignored"


def test_placeholder_check_catches_mistakes():
    assert same_placeholders("Sign for %(party)s", "Allekirjoita osapuolen %(party)s puolesta")
    assert same_placeholders(
        "%(signed)s of %(total)s; %(approved)s of %(total)s", "%(signed)s/%(total)s, %(approved)s/%(total)s"
    )
    assert not same_placeholders("Sign for %(party)s", "Allekirjoita osapuolen %(osapuoli)s puolesta")
    assert not same_placeholders("Sign for %(party)s", "Allekirjoita")
    assert not same_placeholders("Approved", "Hyväksytty 100 %")  # would break Jinja's formatting
    assert same_placeholders("100%% done", "100 %% valmis")


@pytest.mark.parametrize(
    ("lang", "sign_in", "in_force"), [("fi", "Kirjaudu sisään", "Voimassa"), ("sv", "Logga in", "I kraft")]
)
def test_the_compiled_catalog_loads(tmp_path, lang, sign_in, in_force):
    """What portal/i18n_build.py writes is what gettext reads (here into a temporary folder)."""
    mo = tmp_path / lang / "LC_MESSAGES" / "messages.mo"
    mo.parent.mkdir(parents=True)
    with mo.open("wb") as f:
        write_mo(f, read_catalog(lang), use_fuzzy=False)
    translations = Translations.load(str(tmp_path), [lang], "messages")
    assert translations.gettext("Sign in") == sign_in
    assert translations.pgettext("agreement status", "In force") == in_force
    assert translations.gettext("Sign for %(party)s") % {"party": "Nokia"} != "Sign for Nokia"


def test_the_app_speaks_finnish(tmp_path, monkeypatch):
    """The catalogs compiled by portal.i18n_build are found by Flask-Babel in a request."""
    from flask_babel import gettext, pgettext

    from portal import create_app
    from portal.i18n_build import compile_catalogs
    from portal.messages import STATUS_TITLES

    compile_catalogs()
    monkeypatch.setenv("PORTAL_DATA_DIR", str(tmp_path))
    app = create_app(
        {
            "TESTING": True,
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'p.db'}",
            "PORTAL_STORAGE_URL": f"fs:{tmp_path / 'blobs'}",
        }
    )
    for lang, expected in (("fi", "Kirjaudu sisään"), ("sv", "Logga in"), ("en", "Sign in")):
        with app.test_request_context("/login", headers={"Accept-Language": lang}):
            assert gettext("Sign in") == expected
    with app.test_request_context("/login", headers={"Accept-Language": "fi"}):
        assert pgettext("agreement status", "Open for signature") == "Allekirjoitettavana"
        assert [str(t) for t in STATUS_TITLES.values()] == ["Luonnos", "Allekirjoitettavana", "Voimassa"]
    with app.test_request_context("/login"):  # no preference: Finnish is the default
        assert gettext("Sign in") == "Kirjaudu sisään"
