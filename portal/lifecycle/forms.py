from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField
from wtforms import DateField, RadioField, SelectField, StringField
from wtforms.fields.choices import SelectChoice  # type: ignore[attr-defined]  # WTForms 3.3, not in its stubs
from wtforms.validators import DataRequired, Length, Optional

from portal.annexes.forms import CheckboxesField
from portal.i18n import party_name
from portal.lifecycle.domain import TerminationKind

KIND_TITLES = {
    TerminationKind.notice: _l("Notice of termination by the party"),
    TerminationKind.dissolution: _l("Dissolution by the steering group's decision (ends at once)"),
}


class TerminationForm(FlaskForm):
    organisation_id = SelectField(_l("Party"), coerce=int, validators=[DataRequired()], choices=[])
    kind = RadioField(
        _l("How the agreement ends for the party"),
        validators=[DataRequired()],
        default=TerminationKind.notice.value,
        choices=[SelectChoice(k.value, KIND_TITLES[k]) for k in TerminationKind],
    )
    received_on = DateField(
        _l("Notice received on (or date of the steering group's decision)"), validators=[DataRequired()]
    )
    decision = StringField(
        _l("Decision"),
        validators=[Length(max=2000)],
        description=_l("For example: Kaupunginvaltuusto 3.3.2027 § 12"),
    )
    notice = FileField(
        _l("The notice (PDF)"),
        validators=[FileAllowed(["pdf"], _l("Upload the notice as a PDF."))],
        render_kw={"accept": "application/pdf,.pdf"},
    )

    def with_parties(self, agreement, ended: set[int]) -> "TerminationForm":
        self.organisation_id.choices = [
            SelectChoice(p.organisation_id, party_name(p.organisation))
            for p in agreement.parties
            if p.organisation_id not in ended
        ]
        return self


class AdoptionForm(FlaskForm):
    """The decision that adopts an annex version uploaded after entry into force: the steering
    group's meeting and §, or the party's own decision and its date."""

    meeting_id = SelectField(
        _l("The steering group's meeting"), coerce=int, choices=[], validate_choice=False
    )
    decision = StringField(
        _l("Decision"),
        validators=[Length(max=2000)],
        description=_l("For example: § 5, or Perusturvalautakunta 3.3.2027 § 12"),
    )
    decided_on = DateField(_l("Date of the decision"), validators=[Optional()])

    def with_meetings(self, meetings) -> "AdoptionForm":
        self.meeting_id.choices = [
            SelectChoice(m.id, f"{m.meets_on.day}.{m.meets_on.month}.{m.meets_on.year} {m.place}")
            for m in meetings
        ]
        return self


class AccessionRequestForm(FlaskForm):
    """An organisation asks to join (R10): recorded by the secretary on its behalf."""

    #: any organisation of the register (the service refuses a party, or one that already asked)
    organisation_id = SelectField(
        _l("Organisation"), coerce=int, validators=[DataRequired()], choices=[], validate_choice=False
    )
    requested_on = DateField(_l("Asked on"), validators=[Optional()])

    def with_candidates(self, organisations) -> "AccessionRequestForm":
        self.organisation_id.choices = [
            SelectChoice(o.id, f"{o.name} ({o.business_id})") for o in organisations
        ]
        return self


class AccessionDecisionForm(FlaskForm):
    """The steering group's unanimous decision (R10): the meeting and the members in favour."""

    meeting_id = SelectField(
        _l("The steering group's meeting"),
        coerce=int,
        validators=[DataRequired()],
        choices=[],
        validate_choice=False,
    )
    #: the service checks the meeting and the members against the steering group
    in_favour = CheckboxesField(_l("Members in favour"), coerce=int, choices=[], validate_choice=False)

    def with_steering_group(self, meetings, members) -> "AccessionDecisionForm":
        self.meeting_id.choices = [
            SelectChoice(m.id, f"{m.meets_on.day}.{m.meets_on.month}.{m.meets_on.year} {m.place}")
            for m in meetings
        ]
        self.in_favour.choices = [SelectChoice(m.id, f"{m.name} ({m.organisation.name})") for m in members]
        return self


class JoinForm(FlaskForm):
    """An organisation's representative asks to join (the CSRF token is all it carries)."""
