from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, HiddenField, PasswordField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional, Regexp


class SignForm(FlaskForm):
    place = StringField(_l("Place"), validators=[DataRequired(), Length(max=100)],
                        description=_l("Where you sign, e.g. Tampere."))
    password = PasswordField(_l("Your password"), validators=[Optional(), Length(max=200)],
                             description=_l("Re-enter your password to confirm your signature."),
                             render_kw={"autocomplete": "current-password"})
    #: people with a second factor confirm with it (unless it is fresh) instead of the password
    code = StringField(_l("Code from your authenticator app"), validators=[Optional(), Length(max=20)],
                       description=_l("Six digits from your authenticator app, or a recovery code. "
                                      "Confirms your signature."),
                       render_kw={"autocomplete": "one-time-code", "spellcheck": "false"})
    #: a passkey's assertion (JSON), filled in by static/js/passkeys.js
    passkey = HiddenField(validators=[Length(max=20000)])


class ApprovalForm(FlaskForm):
    body = StringField(_l("Decision-making body"), validators=[DataRequired(), Length(max=200)],
                       description=_l("For example: Kaupunginvaltuusto"))
    decided_on = DateField(_l("Date of decision"), validators=[DataRequired()])
    section = StringField(_l("Section (§)"), validators=[
        DataRequired(), Length(max=20), Regexp(r"^[0-9A-Za-z/.\- ]+$")])
    disqualified_members = TextAreaField(_l("Disqualified members (one per line)"),
                                         validators=[Length(max=4000)])
