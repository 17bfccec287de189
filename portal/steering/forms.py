from flask_babel import lazy_gettext as _l
from flask_babel import lazy_pgettext
from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField, FileRequired
from wtforms import DateField, RadioField, SelectField, SelectMultipleField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice  # type: ignore[attr-defined]  # WTForms 3.3, not in its stubs
from wtforms.validators import DataRequired, Length, Optional, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from portal.contacts.domain import valid_email
from portal.i18n import party_name
from portal.languages import LANGUAGES
from portal.messages import LANGUAGE_AUTONYMS
from portal.steering.models import Office, Seat

SEAT_TITLES = {Seat.member: _l("Member"), Seat.deputy: _l("Deputy member")}
OFFICE_TITLES = {
    Office.none: lazy_pgettext("steering group office", "No office"),
    Office.chair: _l("Chair"),
    Office.vice_chair: _l("Vice-chair"),
}


class MemberForm(FlaskForm):
    organisation_id = SelectField(_l("Party"), coerce=int, validators=[DataRequired()], choices=[])
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=200)])
    email = StringField(_l("E-mail"), validators=[DataRequired(), Length(max=254)])
    language = SelectField(
        _l("Language"),
        default="fi",
        choices=[SelectChoice(code, LANGUAGE_AUTONYMS[code]) for code in LANGUAGES],
    )
    seat = RadioField(
        _l("Seat"),
        default=Seat.member.value,
        validators=[DataRequired()],
        choices=[SelectChoice(s.value, SEAT_TITLES[s]) for s in Seat],
    )
    office = SelectField(
        _l("Office"),
        default=Office.none.value,
        choices=[SelectChoice(o.value, OFFICE_TITLES[o]) for o in Office],
    )
    deputy_of_id = SelectField(_l("Deputy of"), coerce=int, validators=[Optional()], choices=[])

    def with_choices(self, agreement, members) -> "MemberForm":
        self.organisation_id.choices = [
            SelectChoice(p.organisation_id, party_name(p.organisation)) for p in agreement.parties
        ]
        self.deputy_of_id.choices = [SelectChoice(0, "–")] + [
            SelectChoice(m.id, f"{m.name} ({party_name(m.organisation)})")
            for m in members
            if m.seat is Seat.member
        ]
        return self

    def validate_email(self, field) -> None:
        if not valid_email(field.data or ""):
            raise ValidationError(_l("Give a valid e-mail address."))


class MeetingForm(FlaskForm):
    meets_on = DateField(_l("Date of the meeting"), validators=[DataRequired()])
    place = StringField(_l("Place"), validators=[DataRequired(), Length(max=200)])
    agenda = TextAreaField(
        _l("Agenda"), validators=[Length(max=20000)], description=_l("Sent with the invitation when given.")
    )


class AttendanceForm(FlaskForm):
    present = SelectMultipleField(
        _l("Present"),
        coerce=int,
        choices=[],
        widget=ListWidget(prefix_label=False),
        option_widget=CheckboxInput(),
    )


class MinutesForm(FlaskForm):
    minutes = FileField(
        _l("Minutes (PDF)"),
        validators=[FileRequired(), FileAllowed(["pdf"], _l("Upload the minutes as a PDF."))],
        render_kw={"accept": "application/pdf,.pdf"},
    )
