from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, PasswordField, StringField
from wtforms.validators import DataRequired, Length


class LoginForm(FlaskForm):
    username = StringField(_l("Username"), validators=[DataRequired(), Length(max=80)],
                           render_kw={"autocomplete": "username"})
    password = PasswordField(_l("Password"), validators=[DataRequired(), Length(max=200)],
                             render_kw={"autocomplete": "current-password"})


class TokenForm(FlaskForm):
    name = StringField(_l("Name of the token"), validators=[DataRequired(), Length(max=100)])
    write = BooleanField(_l("May make changes (write)"))
    sign = BooleanField(_l("May sign on my behalf (sign)"))
    password = PasswordField(_l("Your password (needed for the sign scope)"),
                             validators=[Length(max=200)],
                             render_kw={"autocomplete": "current-password"})


class RevokeForm(FlaskForm):
    pass
