"""A template's `_()` (portal.i18n._template_gettext): translated into the page's language, the
translation marked safe and its variables escaped, as jinja2.ext.i18n's own; a forced locale
(a mail in the reader's language) is followed within one request."""

from flask import render_template_string
from flask_babel import force_locale


def _render(source: str, **variables) -> str:
    return render_template_string(source, **variables)


def test_the_translation_is_in_the_pages_language_and_its_variables_escaped(app):
    source = '{{ _("Signed %(n)s/%(total)s", n=name, total=3) }}'
    for language, expected in (("fi", "Allekirjoittanut"), ("sv", "Undertecknat"), ("en", "Signed")):
        with app.test_request_context("/", headers={"Accept-Language": language}):
            shown = _render(source, name="<b>1</b>")
        assert shown.startswith(expected), (language, shown)
        assert "&lt;b&gt;1&lt;/b&gt;/3" in shown and "<b>" not in shown


def test_inside_a_loop_and_under_a_forced_locale(app):
    source = "{% for n in names %}{{ _('Signed %(n)s/%(total)s', n=n, total=2) }};{% endfor %}"
    with app.test_request_context("/", headers={"Accept-Language": "fi"}):
        finnish = _render(source, names=["a", "<i>"])
        with force_locale("sv"):
            swedish = _render(source, names=["a"])
        again = _render(source, names=["a"])
    assert finnish.count("Allekirjoittanut") == 2 and "&lt;i&gt;" in finnish
    assert swedish.startswith("Undertecknat a/2")
    assert again.startswith("Allekirjoittanut a/2")


class _MarkedNumber(int):
    """A number that renders itself as markup (__html__): only the escaping way asks for it."""

    def __html__(self) -> str:
        return f"<b>{int(self)}</b>"


def test_numbers_read_as_their_digits_would_and_anything_else_is_escaped(app):
    """Plain numbers take a shorter way (nothing of them to escape): the same text as the digits
    as strings; a subclass of int and a string take the escaping one."""
    source = '{{ _("Page %(page)s of %(pages)s", page=page, pages=pages) }}|{{ _("Previous page") }}'
    with app.test_request_context("/", headers={"Accept-Language": "sv"}):
        as_numbers = _render(source, page=2, pages=10)
        as_strings = _render(source, page="2", pages="10")
        as_subclass = _render(source, page=_MarkedNumber(2), pages=10)
        as_markup = _render(source, page=2, pages="<10>")
    assert as_numbers == as_strings and "2" in as_numbers and "10" in as_numbers
    assert "<b>2</b>" in as_subclass
    assert "&lt;10&gt;" in as_markup


def test_a_translation_without_variables_is_still_a_format_string(app):
    with app.test_request_context("/", headers={"Accept-Language": "en"}):
        assert _render('{{ _("Previous page") }}') == "Previous page"


def test_the_tables_titles_read_as_flask_babels_own_in_every_language(app):
    """status_title() and its kin (portal.i18n._table_titles) translate in one look-up what
    str() of the lazy string gives, in every language and under a forced locale."""
    from portal import messages

    tables = {
        "status_title": messages.STATUS_TITLES,
        "role_title": messages.ROLE_TITLES,
        "kind_title": messages.KIND_TITLES,
        "document_kind_title": messages.DOCUMENT_KIND_TITLES,
        "severity_title": messages.SEVERITY_TITLES,
        "check_status_title": messages.CHECK_STATUS_TITLES,
        "job_status_title": messages.JOB_STATUS_TITLES,
        "decision_type_title": messages.DECISION_TYPE_TITLES,
    }
    source = "{% for key in keys %}{{ title(key) }}|{% endfor %}"
    for language in ("fi", "sv", "en"):
        with app.test_request_context("/", headers={"Accept-Language": language}):
            for name, table in tables.items():
                shown = _render("{% set title = " + name + " %}" + source, keys=list(table)).split("|")[:-1]
                assert shown == [str(table[key]) for key in table], (language, name)
    with app.test_request_context("/", headers={"Accept-Language": "fi"}):
        finnish = _render("{{ status_title('signing') }}")
        with force_locale("sv"):
            swedish = _render("{{ status_title('signing') }}")
    assert (finnish, swedish) == ("Allekirjoitettavana", "Öppet för underskrift")
