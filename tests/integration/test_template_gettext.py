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


def test_a_translation_without_variables_is_still_a_format_string(app):
    with app.test_request_context("/", headers={"Accept-Language": "en"}):
        assert _render('{{ _("Previous page") }}') == "Previous page"
