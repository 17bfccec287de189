"""WTForms' html_params, the same attributes written several times faster.

Every form field is written through `wtforms.widgets.core.html_params`, which formats each
attribute with `Markup.format` (a `string.Formatter` run in Python for one `k="v"` pair). A
representative's sign form (six inputs) spent a fifth of the agreement page's CPU there. This
writes each pair with an f-string over `markupsafe.escape` and returns byte-for-byte what WTForms
returns (tests/unit/test_formhtml.py compares the two). `install` puts it where the widgets look
it up: the module's function and the staticmethods of Input and Button."""

from typing import Any

from markupsafe import Markup, escape
from wtforms.widgets import core as widgets_core

#: typed loosely: the WTForms stubs (3.2) know neither clean_key nor Button
core: Any = widgets_core

#: WTForms' own, kept for the comparison test
original = core.html_params


def html_params(**kwargs: Any) -> Markup:
    """`k="v"` pairs sorted by name (`class_` is `class`, `data_x`/`aria_x` are `data-x`/`aria-x`);
    True writes the bare name, False nothing; values are escaped, double quotes as &quot;."""
    params = []
    for key, value in sorted(kwargs.items()):
        name = str(escape(core.clean_key(key)))
        if value is True:
            params.append(name)
        elif value is not False:
            # escape() leaves a Markup value as it is: its own double quotes become &quot;
            params.append(f'{name}="{str(escape(value)).replace(chr(34), "&quot;")}"')
    return Markup(" ".join(params))  # noqa: S704 (every name and value escaped above)


def install() -> None:
    core.html_params = html_params
    core.Input.html_params = staticmethod(html_params)
    core.Button.html_params = staticmethod(html_params)
