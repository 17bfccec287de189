from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import (
    BooleanField,
    DateField,
    FieldList,
    Form,
    FormField,
    IntegerField,
    RadioField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice  # type: ignore[attr-defined]  # WTForms 3.3, not in its stubs
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from portal.agreements.domain import MAX_NOTICE_MONTHS, AnnexProcedure, DisputeForum
from portal.agreements.services import GoalText, Terms
from portal.messages import ANNEX_PROCEDURE_TITLES, DISPUTE_FORUM_TITLES, LANGUAGE_AUTONYMS


class UploadForm(FlaskForm):
    file = FileField(_l("Agreement document (PDF)"), validators=[FileRequired()])


class OpenForm(FlaskForm):
    pass


class GoalForm(Form):
    """One joint goal (R11); a goal left without a title is dropped."""

    title = StringField(_l("Goal"), validators=[Optional(), Length(max=300)])
    description = TextAreaField(_l("Description"), validators=[Length(max=4000)])
    indicators = TextAreaField(_l("Indicators"), validators=[Length(max=4000)], description=_l("One a line."))


class AgreementForm(FlaskForm):
    """A draft agreement; `parties` are business IDs in the order chosen."""

    title = StringField(_l("Title in Finnish"), validators=[DataRequired(), Length(max=300)])
    title_sv = StringField(
        _l("Title in Swedish"), validators=[Optional(), Length(max=300)], render_kw={"lang": "sv"}
    )
    language = SelectField(
        _l("Language of the agreement document"),
        choices=[
            SelectChoice(code, name, render_kw={"lang": code}) for code, name in LANGUAGE_AUTONYMS.items()
        ],
        description=_l("Its signature page is in this language."),
    )
    goals = FieldList(FormField(GoalForm), min_entries=1, max_entries=30)
    file = FileField(
        _l("Agreement document (PDF)"),
        description=_l(
            "A PDF without password protection, scripts or attachments. It can also be uploaded later."
        ),
        render_kw={"accept": "application/pdf,.pdf"},
    )
    approvals_required = BooleanField(
        _l("Enters into force only when every party's competent body has approved it"),
        default=True,
        description=_l("Untick when the signatures alone bring it into force."),
    )
    notice_months = IntegerField(
        _l("Notice period in months"),
        validators=[Optional(), NumberRange(1, MAX_NOTICE_MONTHS)],
        description=_l("What annexes are compared with. Empty: as the document says."),
    )
    valid_until = DateField(
        _l("Valid until"),
        validators=[Optional()],
        description=_l("Empty: until further notice, or as the document says."),
    )
    dispute_forum = SelectField(
        _l("Disputes"),
        choices=[
            SelectChoice("", _l("As the document says")),
            *(SelectChoice(f.value, DISPUTE_FORUM_TITLES[f]) for f in DisputeForum),
        ],
    )

    annex_procedure = RadioField(
        _l("Annexes after entry into force"),
        default=AnnexProcedure.steering_group.value,
        choices=[SelectChoice(p.value, ANNEX_PROCEDURE_TITLES[p]) for p in AnnexProcedure],
    )

    def goal_texts(self) -> list[GoalText]:
        goals = [entry.form for entry in self.goals]
        return [
            (
                (g.title.data or "").strip(),
                (g.description.data or "").strip(),
                "\n".join(line.strip() for line in (g.indicators.data or "").splitlines() if line.strip()),
            )
            for g in goals
            if (g.title.data or "").strip()
        ]

    def terms(self) -> Terms:
        return Terms(
            title_sv=(self.title_sv.data or "").strip() or None,
            approvals_required=bool(self.approvals_required.data),
            notice_months=self.notice_months.data,
            valid_until=self.valid_until.data,
            dispute_forum=self.dispute_forum.data or None,
            annex_procedure=AnnexProcedure(self.annex_procedure.data or AnnexProcedure.steering_group),
        )
