from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField
from wtforms import (
    DateField,
    DecimalField,
    FieldList,
    Form,
    FormField,
    HiddenField,
    IntegerField,
    StringField,
)
from wtforms.validators import InputRequired, Length, NumberRange, Optional

from portal.i18n import party_label


class PopulationForm(Form):
    #: the party's name shown beside the row (CostsForm.with_parties), not a field
    party_name: str = ""  # the party's name, marked with its language (portal.i18n.party_label)
    business_id = HiddenField()
    population = IntegerField(_l("Population"), validators=[Optional(), NumberRange(min=0)])
    source = StringField(
        _l("Source"), validators=[Length(max=200)], description=_l("For example: Tilastokeskus")
    )
    reference_date = DateField(_l("Reference date"), validators=[Optional()])


class CostsForm(FlaskForm):
    year = IntegerField(_l("Year"), validators=[InputRequired(), NumberRange(min=1900, max=2999)])
    total = DecimalField(_l("Sum to share (EUR)"), places=2, validators=[InputRequired(), NumberRange(min=0)])
    populations = FieldList(FormField(PopulationForm))
    csv = FileField(
        _l("Or import the populations (CSV)"),
        validators=[FileAllowed(["csv", "txt"], _l("Upload a CSV file."))],
        description=_l(
            "Columns: business ID, population, source, reference date (YYYY-MM-DD); a header line first."
        ),
        render_kw={"accept": "text/csv,.csv"},
    )

    def with_parties(self, agreement) -> "CostsForm":
        if not self.populations.entries:
            for party in agreement.parties:
                self.populations.append_entry({"business_id": party.organisation.business_id})
        names = {p.organisation.business_id: party_label(p.organisation) for p in agreement.parties}
        for entry in self.populations:
            entry.form.party_name = names.get(entry.form.business_id.data, "")
        return self
