from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import RadioField
from wtforms.fields.choices import SelectChoice  # type: ignore[attr-defined]  # WTForms 3.3, not in its stubs
from wtforms.validators import DataRequired

from portal.messages import LANGUAGE_AUTONYMS


class ProfileForm(FlaskForm):
    locale = RadioField(
        _l("Language"),
        validators=[DataRequired()],
        choices=[
            SelectChoice(code, name, render_kw={"lang": code}) for code, name in LANGUAGE_AUTONYMS.items()
        ],
        description=_l(
            "The language of the portal's pages, of the mail you receive and of your signature stamp."
        ),
    )
