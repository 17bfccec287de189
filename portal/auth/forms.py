from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, HiddenField, PasswordField, SelectMultipleField, StringField
from wtforms.validators import DataRequired, Length


class LoginForm(FlaskForm):
    username = StringField(
        _l("Username"), validators=[DataRequired(), Length(max=80)], render_kw={"autocomplete": "username"}
    )
    password = PasswordField(
        _l("Password"),
        validators=[DataRequired(), Length(max=200)],
        render_kw={"autocomplete": "current-password"},
    )


class TokenForm(FlaskForm):
    name = StringField(_l("Name of the token"), validators=[DataRequired(), Length(max=100)])
    write = BooleanField(_l("May make changes (write)"))
    sign = BooleanField(_l("May sign on my behalf (sign)"))
    password = PasswordField(
        _l("Your password (needed for the sign scope)"),
        validators=[Length(max=200)],
        render_kw={"autocomplete": "current-password"},
    )
    code = StringField(
        _l("Code from your authenticator app or a recovery code (for the sign scope)"),
        validators=[Length(max=20)],
        render_kw={"autocomplete": "one-time-code", "inputmode": "text"},
    )
    #: a passkey's assertion (JSON), filled in by static/js/passkeys.js
    passkey = HiddenField(validators=[Length(max=20000)])
    #: the documents a sign-scoped token may sign (of one agreement); choices set by the view
    documents = SelectMultipleField(
        _l("Documents the token may sign"), coerce=int, choices=[], validate_choice=True
    )


class RevokeForm(FlaskForm):
    pass


class CodeForm(FlaskForm):
    code = StringField(
        _l("Code"),
        validators=[DataRequired(), Length(max=20)],
        description=_l("Six digits from your authenticator app, or a recovery code."),
        render_kw={"autocomplete": "one-time-code", "spellcheck": "false"},
    )


class PasskeyForm(FlaskForm):
    name = StringField(
        _l("Name of the passkey"), validators=[Length(max=100)], description=_l("For example: work laptop.")
    )
