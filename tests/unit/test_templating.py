"""portal.templating writes what Jinja's own code writes, in fewer and larger pieces."""

import functools

import markupsafe
import pytest
from jinja2 import (
    DictLoader,
    Environment,
    pass_context,
    pass_environment,
    pass_eval_context,
    select_autoescape,
)
from markupsafe import Markup

from portal import templating
from portal.templating import JoiningCodeGenerator

TEMPLATES = {
    "base.html": (
        "<!doctype html><title>{% block title %}{{ site }} &amp; co{% endblock %}</title>"
        "<main>{% block content %}{% endblock %}</main><footer>{{ site }} {{ year }}</footer>"
    ),
    "_row.html": (
        '<li class="row row--{{ row.state }}"><a href="/a/{{ row.id }}">{{ row.title }}</a> '
        "{{ row.done }}/{{ row.steps }}{% if row.missing %}: {{ row.missing|join(', ') }}{% endif %}</li>"
    ),
    "_macros.html": (
        '{% macro field(name, value, label="") %}<label for="{{ name }}">{{ label or name }}</label>'
        '<input id="{{ name }}" value="{{ value }}">{{ caller() if caller else "" }}{% endmacro %}'
    ),
    "list.html": (
        "{% extends 'base.html' %}{% from '_macros.html' import field %}"
        "{% block title %}{{ heading }} – {{ super() }}{% endblock %}"
        "{% block content %}<h1>{{ heading }}</h1>{% set count = rows|length %}"
        "<p>{{ count }} {{ 'row' if count == 1 else 'rows' }}, {{ safe }}</p><ul>"
        "{% for row in rows %}{% include '_row.html' %}"
        "{% if loop.last %}<!-- {{ loop.index }} of {{ loop.length }} -->{% endif %}{% else %}<li>none</li>"
        "{% endfor %}</ul>"
        "{% set note %}<b>{{ heading }}</b> {{ rows|length }}{% endset %}<aside>{{ note }}</aside>"
        "{% filter upper %}x {{ heading }} y{% endfilter %}"
        "{{ field('q', query, label=heading) }}"
        "{% call field('r', query) %}<em>{{ heading }}</em> inside {{ rows|length }}{% endcall %}"
        "{%- raw %}{{ not a tag }}{% endraw -%}"
        "  {{ heading }}  {#- trimmed #}  {{ query }}\n"
        "{% endblock %}"
    ),
    "plain.txt": (
        "Dear {{ name }},\n{% for line in lines %}- {{ line }} ({{ loop.index }})\n{% endfor %}{{ name }}"
    ),
}

CONTEXT = {
    "site": "Sopu",
    "year": 2026,
    "heading": 'Sopimukset <"&">',
    "query": "a'b\"c<d>",
    "safe": Markup("<strong>kept</strong>"),
    "rows": [
        {
            "id": n,
            "title": f"Sopimus <{n}>",
            "state": "signing",
            "done": n,
            "steps": 4,
            "missing": ["A & B", "C"][:n],
        }
        for n in range(3)
    ],
    "name": "Åsa <Ö>",
    "lines": ["one & two", "<three>"],
}


def environment(joined: bool) -> Environment:
    env = Environment(loader=DictLoader(TEMPLATES), autoescape=select_autoescape(["html"]))
    if joined:
        env.code_generator_class = JoiningCodeGenerator
        env.context_class = templating.CallingContext
    return env


@pass_context
def with_context(context, name):
    return f"{name}={context.get(name)}"


@pass_eval_context
def with_eval_context(eval_context, text):
    return f"{text}:{eval_context.autoescape}"


@pass_environment
def with_environment(env, text):
    return f"{text}:{type(env).__name__}"


class Callable:
    @pass_context
    def __call__(self, context, name):
        return f"callable {name}={context.get(name)}"


def exhausted():
    raise StopIteration


CALLS = (
    "{% macro m(x) %}[{{ x }}]{% endmacro %}"
    "{{ plain(1, b='<2>') }} {{ lam('<x>') }} {{ with_context('site') }} {{ with_eval_context('t') }} "
    "{{ with_environment('e') }} {{ callable('site') }} {{ m('<y>') }} {{ exhausted() is undefined }} "
    "{% for row in rows %}{% set x = row %}{{ with_context('x') }} {{ plain(loop.index) }} {% endfor %}"
    "{{ partial_plain(3) }} {{ range(3)|list }} {{ '%s'|format('<z>') }}"
)
CALLABLES = {
    "plain": lambda a, b="": f"{a}{b}",
    "lam": str.upper,
    "with_context": with_context,
    "with_eval_context": with_eval_context,
    "with_environment": with_environment,
    "callable": Callable(),
    "exhausted": exhausted,
    "partial_plain": functools.partial(lambda a, b: a * b, 2),
    "site": "Sopu",
    "rows": [1, 2],
}


@pytest.mark.parametrize("autoescape", [True, False])
def test_functions_are_called_as_jinja_calls_them(autoescape):
    def render(joined: bool) -> str:
        env = Environment(autoescape=autoescape)  # noqa: S701 (both ways: the calls are the same)
        if joined:
            env.code_generator_class = JoiningCodeGenerator
            env.context_class = templating.CallingContext
        return env.from_string(CALLS).render(CALLABLES)

    stock = render(False)
    # a loop's own variables reach a function that asks for the context (Jinja's _loop_vars)
    assert "site=Sopu" in stock and "x=1" in stock and "x=2" in stock and "callable site=Sopu" in stock
    assert "True" in stock  # the StopIteration answered as undefined
    assert render(True) == stock


@pytest.mark.parametrize("name", ["list.html", "plain.txt"])
@pytest.mark.parametrize("rows", [0, 1, 3])
def test_the_same_text_as_jinja_writes(name, rows):
    context = CONTEXT | {"rows": CONTEXT["rows"][:rows]}
    stock = environment(False).get_template(name).render(context)
    assert environment(True).get_template(name).render(context) == stock
    if name == "list.html" and rows:
        assert "Sopimus &lt;0&gt;" in stock  # autoescape is on, and tested


def test_a_row_is_written_in_one_piece_not_one_a_tag_and_value():
    row = {"row": CONTEXT["rows"][2]}
    stock = list(environment(False).get_template("_row.html").generate(row))
    joined = list(environment(True).get_template("_row.html").generate(row))
    assert "".join(joined) == "".join(stock)
    # the line up to the {% if %} at once; then the if's two parts (too few to join) and the end
    assert (len(stock), len(joined)) == (13, 4)


class Html:
    def __html__(self):
        return "<b>own</b>"


@pytest.mark.parametrize(
    "value", ["a < b & 'c' \"d\"", "", 7, 2.5, None, Html(), Markup("<i>safe</i> &amp;"), ["<x>"]]
)
def test_escape_writes_what_markupsafe_writes(value):
    ours = templating.escape(value)
    assert isinstance(ours, Markup) and ours == markupsafe.escape(value)


def test_escape_returns_a_safe_value_itself_not_a_copy():
    safe = Markup("<i>kept</i>")
    assert templating.escape(safe) is safe


def test_the_portal_compiles_its_templates_with_it(tmp_path, monkeypatch):
    from portal import create_app

    monkeypatch.setenv("PORTAL_DATA_DIR", str(tmp_path))
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'p.db'}"})
    assert app.jinja_env.code_generator_class is JoiningCodeGenerator
    assert app.jinja_env.context_class is templating.CallingContext
    # and its templates write with templating.escape (it replaces the one Jinja imports)
    template = app.jinja_env.get_template("agreements/_agreement_list.html")
    assert template.root_render_func.__globals__["escape"] is templating.escape
