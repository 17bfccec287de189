from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, Optional, Regexp

from portal.messages import CONTACT_FIELD_TITLES, LANGUAGE_AUTONYMS


class ContactForm(FlaskForm):
    name = StringField(CONTACT_FIELD_TITLES["name"], validators=[DataRequired(), Length(max=200)],
                       render_kw={"autofocus": True})  # htmx focuses it when the form swaps in
    title = StringField(CONTACT_FIELD_TITLES["title"], validators=[Optional(), Length(max=200)])
    email = EmailField(CONTACT_FIELD_TITLES["email"], validators=[
        DataRequired(), Length(max=254), Regexp(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")])
    phone = StringField(CONTACT_FIELD_TITLES["phone"], validators=[
        Optional(), Length(max=50), Regexp(r"^[0-9+()\- ]*$")],
        description=_l("For example +358 40 123 4567"))
    language = SelectField(CONTACT_FIELD_TITLES["language"], choices=[
        SelectChoice(code, name, render_kw={"lang": code}) for code, name in LANGUAGE_AUTONYMS.items()],
        description=_l("The language of the mail you receive."))

    def details(self) -> dict:
        return {f: (getattr(self, f).data or "").strip() for f in
                ("name", "title", "email", "phone", "language")}
