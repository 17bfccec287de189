from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, SelectField, StringField
from wtforms.fields.choices import SelectChoice  # type: ignore[attr-defined]  # WTForms 3.3, not in its stubs
from wtforms.validators import DataRequired, Length, Optional, ValidationError

from portal.contacts.domain import MAX_LENGTH, valid_email, valid_phone
from portal.messages import CONTACT_FIELD_TITLES, LANGUAGE_AUTONYMS


def rule(check, text):
    """A WTForms validator of one of contacts.domain's rules (the API checks the same ones)."""

    def validate(_form, field):
        if field.data and not check(field.data.strip()):
            raise ValidationError(text)

    return validate


class ContactForm(FlaskForm):
    name = StringField(
        CONTACT_FIELD_TITLES["name"],
        validators=[DataRequired(), Length(max=MAX_LENGTH["name"])],
        render_kw={"autofocus": True},
    )  # htmx focuses it when the form swaps in
    title = StringField(
        CONTACT_FIELD_TITLES["title"], validators=[Optional(), Length(max=MAX_LENGTH["title"])]
    )
    email = EmailField(
        CONTACT_FIELD_TITLES["email"],
        validators=[
            DataRequired(),
            Length(max=MAX_LENGTH["email"]),
            rule(valid_email, _l("Enter an e-mail address, such as name@example.fi.")),
        ],
    )
    phone = StringField(
        CONTACT_FIELD_TITLES["phone"],
        validators=[
            Optional(),
            Length(max=MAX_LENGTH["phone"]),
            rule(valid_phone, _l("Use only digits, spaces and the characters + - ( ).")),
        ],
        description=_l("For example +358 40 123 4567"),
    )
    language = SelectField(
        CONTACT_FIELD_TITLES["language"],
        choices=[
            SelectChoice(code, name, render_kw={"lang": code}) for code, name in LANGUAGE_AUTONYMS.items()
        ],
        description=_l("The language of the mail you receive."),
    )

    def details(self) -> dict:
        return {
            f: (getattr(self, f).data or "").strip() for f in ("name", "title", "email", "phone", "language")
        }
