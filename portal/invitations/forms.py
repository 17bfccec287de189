from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, PasswordField, SelectField, StringField
from wtforms.validators import DataRequired, EqualTo, Length, ValidationError

from portal.contacts.domain import valid_email
from portal.i18n import party_name
from portal.languages import LANGUAGES
from portal.memberships.domain import MEMBER_ROLES
from portal.messages import LANGUAGE_AUTONYMS, ROLE_TITLES

#: the shortest password a person invited by mail may choose
PASSWORD_MIN = 12


def _email(_form, field) -> None:
    if field.data and not valid_email(field.data.strip()):
        raise ValidationError(_l("That is not a valid e-mail address."))


class InviteForm(FlaskForm):
    email = EmailField(
        _l("E-mail"), validators=[DataRequired(), Length(max=254), _email], render_kw={"autocomplete": "off"}
    )
    business_id = SelectField(_l("Party"), validators=[DataRequired()])
    role = SelectField(_l("Role"), validators=[DataRequired()])
    language = SelectField(_l("Language of the invitation"), validators=[DataRequired()])

    def with_choices(self, agreement) -> "InviteForm":
        self.business_id.choices = [
            (p.organisation.business_id, party_name(p.organisation)) for p in agreement.parties
        ]
        self.role.choices = [(r.value, ROLE_TITLES[r]) for r in MEMBER_ROLES]
        self.language.choices = [(code, LANGUAGE_AUTONYMS[code]) for code in LANGUAGES]
        return self


# made before the password fields: WTForms orders a form's fields by when each was made, and the
# error summary lists them in that order, so the name comes first as it does on the page
_DISPLAY_NAME = StringField(
    _l("Your name"), validators=[DataRequired(), Length(max=200)], render_kw={"autocomplete": "name"}
)


class SetPasswordForm(FlaskForm):
    """A person whose account was made for them chooses its password."""

    password = PasswordField(
        _l("Password"),
        validators=[DataRequired(), Length(min=PASSWORD_MIN, max=200)],
        description=_l("At least %(min)s characters.", min=PASSWORD_MIN),
        render_kw={"autocomplete": "new-password"},
    )
    confirm = PasswordField(
        _l("The password again"),
        validators=[DataRequired(), EqualTo("password", _l("The passwords do not match."))],
        render_kw={"autocomplete": "new-password"},
    )


class AcceptForm(SetPasswordForm):
    """A person new to the portal: their name and a password of their own."""

    display_name = _DISPLAY_NAME


class TakeForm(FlaskForm):
    """A signed-in person takes the invitation: only its CSRF token."""


class WithdrawForm(FlaskForm):
    """Withdraw an open invitation: only its CSRF token."""
