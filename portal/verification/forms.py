from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired


class VerifyForm(FlaskForm):
    file = FileField(
        _l("Signed PDF file"),
        validators=[FileRequired(_l("Choose a PDF file to verify."))],
        description=_l("The file is checked here and not stored."),
        render_kw={"accept": "application/pdf,.pdf"},
    )
