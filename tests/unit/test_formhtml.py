"""portal.formhtml writes a field's attributes exactly as WTForms does, only faster."""

import pytest
from markupsafe import Markup
from wtforms import Form, StringField
from wtforms.validators import DataRequired, Length

from portal import formhtml

CASES = [
    {},
    {"data_attr": "user.name", "aria_labeledby": "name"},
    {"name": "text1", "id": "f", "class_": "text"},
    {"checked": True, "readonly": False, "name": "text1", "abc": "hello"},
    {"value": "a \"quoted\" <b>bold</b> & 'single'"},
    {"value": Markup('already <em>safe</em> with "quotes"')},
    {"maxlength": 100, "minlength": 0, "step": 0.5, "value": None},
    {"for_": "x", "data_hx_get": "/a?b=1&c=2", "aria_describedby": "x-help x-error"},
    {"placeholder": "Esimerkiksi Åbo – ääkköset ja €"},
    {"weird key": "v", "on<click>": "y", "data_a_b_c": True, "aria_hidden": False},
]


@pytest.mark.parametrize("attributes", CASES)
def test_the_same_attributes_as_wtforms_writes(attributes):
    ours = formhtml.html_params(**attributes)
    assert isinstance(ours, Markup)
    assert ours == formhtml.original(**attributes)


def test_installed_the_widgets_write_what_they_wrote():
    class F(Form):
        place = StringField(
            "Paikka", validators=[DataRequired(), Length(max=100)], render_kw={"autocomplete": "on"}
        )

    form = F(data={"place": 'Pori "keskusta" <x>'})
    formhtml.install()
    assert formhtml.core.Input.html_params is formhtml.html_params  # installed where widgets look
    assert formhtml.core.html_params is formhtml.html_params
    ours = form.place(class_="hds-text-input__input", **{"aria-describedby": "place-help"})
    formhtml.core.Input.html_params = staticmethod(formhtml.original)
    try:
        theirs = form.place(class_="hds-text-input__input", **{"aria-describedby": "place-help"})
    finally:
        formhtml.install()
    assert ours == theirs
    assert 'value="Pori &#34;keskusta&#34; &lt;x&gt;"' in ours
