from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, DateField, RadioField, SelectField, StringField
from wtforms.fields.choices import SelectChoice  # type: ignore[attr-defined]  # WTForms 3.3, not in its stubs
from wtforms.validators import DataRequired, Length, Optional

from portal.i18n import party_name
from portal.signatories.domain import BODY_MAX, SECTION_MAX, TITLE_MAX, Basis, Mandate


class AuthorityForm(FlaskForm):
    person = SelectField(
        _l("Person"),
        coerce=int,
        validators=[DataRequired()],
        choices=[],
        description=_l("A person of one of the parties."),
    )
    title = StringField(
        _l("Title"),
        validators=[DataRequired(), Length(max=TITLE_MAX)],
        description=_l("As it shows in the signature, e.g. kaupunginjohtaja."),
    )
    basis = RadioField(
        _l("Basis"),
        default=Basis.regulation.value,
        choices=[
            SelectChoice(Basis.regulation.value, _l("The administrative regulation")),
            SelectChoice(Basis.delegation.value, _l("A delegation decision")),
        ],
    )
    section = StringField(
        _l("Section"),
        validators=[DataRequired(), Length(max=SECTION_MAX)],
        description=_l("The regulation's section (e.g. 45 §) or the decision's § (e.g. 230)."),
    )
    decision_body = StringField(
        _l("Body that made the decision"),
        validators=[Optional(), Length(max=BODY_MAX)],
        description=_l("Only for a delegation decision, e.g. Kaupunginhallitus."),
    )
    decided_on = DateField(_l("Date of the decision"), validators=[Optional()])
    valid_from = DateField(_l("Valid from"), validators=[DataRequired()])
    valid_to = DateField(_l("Valid until"), validators=[Optional()])
    this_agreement_only = BooleanField(_l("For this agreement only"))

    def with_people(self, people: list) -> "AuthorityForm":
        self.person.choices = [
            SelectChoice(u.id, f"{u.display_name} ({party_name(u.organisation)})") for u in people
        ]
        return self

    def mandate(self) -> Mandate:
        """The form's authority; only after validate() (valid_from is required)."""
        valid_from = self.valid_from.data
        assert valid_from is not None  # noqa: S101 (DataRequired saw to it)
        return Mandate(
            title=self.title.data or "",
            basis=Basis(self.basis.data),
            section=self.section.data or "",
            valid_from=valid_from,
            valid_to=self.valid_to.data,
            body=self.decision_body.data or "",
            decided_on=self.decided_on.data,
        )
