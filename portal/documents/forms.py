from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField, FileRequired
from wtforms import (
    BooleanField,
    DateField,
    Field,
    Form,
    HiddenField,
    PasswordField,
    RadioField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice  # type: ignore[attr-defined]  # WTForms 3.3, not in its stubs
from wtforms.validators import DataRequired, Length, Optional, Regexp, ValidationError

from portal.documents.domain import DecisionType, decision_date_refusal
from portal.formdata import validated
from portal.messages import DECISION_TYPE_TITLES, message
from portal.timeutil import helsinki_today


class SignForm(FlaskForm):
    place = StringField(
        _l("Place"),
        validators=[DataRequired(), Length(max=100)],
        description=_l("Where you sign, e.g. Tampere."),
    )
    password = PasswordField(
        _l("Your password"),
        validators=[Optional(), Length(max=200)],
        description=_l("Re-enter your password to confirm your signature."),
        render_kw={"autocomplete": "current-password"},
    )
    #: people with a second factor confirm with it (unless it is fresh) instead of the password
    code = StringField(
        _l("Code from your authenticator app"),
        validators=[Optional(), Length(max=20)],
        description=_l(
            "Six digits from your authenticator app, or a recovery code. Confirms your signature."
        ),
        render_kw={"autocomplete": "one-time-code", "spellcheck": "false"},
    )
    #: a passkey's assertion (JSON), filled in by static/js/passkeys.js
    passkey = HiddenField(validators=[Length(max=20000)])
    #: the person confirms they read what they sign (the form says which version)
    read = BooleanField(
        _l("I have read the document and sign this version of it."),
        validators=[DataRequired(message=_l("Confirm that you have read the document before you sign it."))],
    )
    #: the version number the person read; a newer one uploaded meanwhile refuses the signature
    version = HiddenField(validators=[Optional(), Regexp(r"^[0-9]{1,6}$")])


def not_in_future(_form: Form, field: Field) -> None:
    """R12: a decision is never dated in the future (the domain's rule, on the Helsinki date)."""
    if field.data and (code := decision_date_refusal(field.data, helsinki_today())):
        raise ValidationError(message(code))


class ApprovalForm(FlaskForm):
    decision_type = RadioField(
        _l("Decision"),
        default=DecisionType.approve.value,
        validators=[DataRequired()],
        choices=[SelectChoice(t.value, DECISION_TYPE_TITLES[t]) for t in DecisionType],
        description=_l("Only an approval counts towards entry into force."),
    )
    body = StringField(
        _l("Decision-making body"),
        validators=[DataRequired(), Length(max=200)],
        description=_l("For example: Kaupunginvaltuusto"),
    )
    decided_on = DateField(_l("Date of decision"), validators=[DataRequired(), not_in_future])
    section = StringField(
        _l("Section (§)"), validators=[DataRequired(), Length(max=20), Regexp(r"^[0-9A-Za-z/.\- ]+$")]
    )
    diary_number = StringField(
        _l("Diary number"), validators=[Length(max=60)], description=_l("For example: 265/00.04.02/2023")
    )
    disqualified_members = TextAreaField(
        _l("Disqualified members (one per line)"), validators=[Length(max=4000)]
    )
    minutes = FileField(
        _l("Minutes extract (PDF)"),
        validators=[FileAllowed(["pdf"], _l("Upload the minutes as a PDF."))],
        render_kw={"accept": "application/pdf,.pdf"},
    )

    def decision(self) -> dict:
        """The keyword arguments of documents.services.record_approval."""
        upload = self.minutes.data
        return {
            "body": validated(self.body.data).strip(),
            "decided_on": self.decided_on.data,
            "section": validated(self.section.data).strip(),
            "diary_number": (self.diary_number.data or "").strip(),
            "decision_type": DecisionType(self.decision_type.data),
            "disqualified_members": (self.disqualified_members.data or "").strip(),
            "minutes": upload.read() if upload else None,
        }


class CorrectionForm(ApprovalForm):
    reason = TextAreaField(_l("Reason for the correction"), validators=[DataRequired(), Length(max=2000)])


class ExternalSignatureForm(FlaskForm):
    file = FileField(
        _l("The document you signed (PDF)"),
        validators=[FileRequired()],
        description=_l("The file your signing software saved, with your signature in your party's field."),
    )
