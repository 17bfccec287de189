from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import DateField, PasswordField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Regexp


class SignForm(FlaskForm):
    place = StringField(_l("Place"), validators=[DataRequired(), Length(max=100)],
                        description=_l("Where you sign, e.g. Tampere."))
    password = PasswordField(_l("Your password"), validators=[DataRequired(), Length(max=200)],
                             description=_l("Re-enter your password to confirm your signature."),
                             render_kw={"autocomplete": "current-password"})


class ApprovalForm(FlaskForm):
    body = StringField(_l("Decision-making body"), validators=[DataRequired(), Length(max=200)],
                       description=_l("For example: Kaupunginvaltuusto"))
    decided_on = DateField(_l("Date of decision"), validators=[DataRequired()])
    section = StringField(_l("Section (§)"), validators=[
        DataRequired(), Length(max=20), Regexp(r"^[0-9A-Za-z/.\- ]+$")])
    disqualified_members = TextAreaField(_l("Disqualified members (one per line)"),
                                         validators=[Length(max=4000)])


class ExternalSignatureForm(FlaskForm):
    file = FileField(_l("The document you signed (PDF)"), validators=[FileRequired()],
                     description=_l("The file your signing software saved, with your signature "
                                    "in your party's field."))
