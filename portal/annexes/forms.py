from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import BooleanField, RadioField, SelectMultipleField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice  # type: ignore[attr-defined]  # WTForms 3.3, not in its stubs
from wtforms.validators import DataRequired, Length
from wtforms.widgets import CheckboxInput, ListWidget

from portal.documents.domain import UPLOAD_KINDS, DocumentKind
from portal.i18n import party_label
from portal.messages import DOCUMENT_KIND_TITLES


class CheckboxesField(SelectMultipleField):
    """A group of checkboxes (rendered as a fieldset by the template)."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class DocumentUploadForm(FlaskForm):
    kind = RadioField(
        _l("Kind of document"),
        default=DocumentKind.annex_agreement,
        validators=[DataRequired()],
        choices=[SelectChoice(k.value, DOCUMENT_KIND_TITLES[k]) for k in UPLOAD_KINDS],
    )
    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=300)])
    file = FileField(
        _l("Document (PDF)"),
        validators=[FileRequired()],
        description=_l("A PDF without password protection, scripts or attachments."),
        render_kw={"accept": "application/pdf,.pdf"},
    )
    parties = CheckboxesField(
        _l("Parties of the annex agreement"),
        choices=[],
        description=_l("Only for an annex agreement: the parties that sign it."),
    )
    goals = CheckboxesField(_l("Goals of the main agreement it implements"), coerce=int, choices=[])
    changes = TextAreaField(_l("What the amendment changes"), validators=[Length(max=4000)])
    requires_approval = BooleanField(
        _l("Enters into force only with the parties' approval decisions"), default=True
    )

    def with_choices(self, agreement) -> "DocumentUploadForm":
        self.parties.choices = [
            SelectChoice(p.organisation.business_id, party_label(p.organisation)) for p in agreement.parties
        ]
        self.goals.choices = [SelectChoice(g.number, f"{g.number}. {g.title}") for g in agreement.goals]
        return self


class VersionUploadForm(FlaskForm):
    file = FileField(
        _l("New version (PDF)"), validators=[FileRequired()], render_kw={"accept": "application/pdf,.pdf"}
    )
    parties = CheckboxesField(
        _l("Parties of the annex agreement"),
        choices=[],
        description=_l(
            "Correct them here if a check named a declared party that is not a party of the main agreement."
        ),
    )

    def with_parties(self, agreement, document) -> "VersionUploadForm":
        """An annex agreement's declared parties, ticked as declared (outsiders included, so
        that unticking one corrects it)."""
        names = {p.organisation.business_id: party_label(p.organisation) for p in agreement.parties}
        declared = list(document.declared_business_ids)
        self.parties.choices = [SelectChoice(b, names.get(b, b)) for b in dict.fromkeys([*names, *declared])]
        if self.parties.data is None:
            self.parties.data = declared
        return self


class AcknowledgeForm(FlaskForm):
    justification = TextAreaField(
        _l("Justification"),
        validators=[DataRequired(), Length(min=10, max=4000)],
        description=_l("Why the warning does not stand in the way; it goes into the audit trail."),
    )


class OpenDocumentForm(FlaskForm):
    pass
