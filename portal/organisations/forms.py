from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import SelectField, StringField
from wtforms.fields.choices import SelectChoice  # type: ignore[attr-defined]  # WTForms 3.3, not in its stubs
from wtforms.validators import DataRequired, Length, Optional, ValidationError

from portal.messages import KIND_TITLES
from portal.organisations import domain
from portal.organisations.domain import OrganisationKind, OrganisationRow


def _valid_business_id(_form: FlaskForm, field: StringField) -> None:
    if field.data and not domain.valid_business_id(field.data.strip()):
        raise ValidationError(_l("Enter a business ID as 1234567-8, with its correct check digit."))


class OrganisationForm(FlaskForm):
    business_id = StringField(
        _l("Business ID"),
        validators=[DataRequired(), _valid_business_id],
        description=_l("For example 0211675-2"),
        render_kw={"autocomplete": "off", "spellcheck": "false"},
    )
    name = StringField(_l("Name in Finnish"), validators=[DataRequired(), Length(max=domain.NAME_MAX)])
    name_sv = StringField(
        _l("Name in Swedish"), validators=[Optional(), Length(max=domain.NAME_MAX)], render_kw={"lang": "sv"}
    )
    kind = SelectField(
        _l("Kind"),
        validators=[DataRequired()],
        choices=[SelectChoice(k.value, KIND_TITLES[k]) for k in OrganisationKind],
    )
    street_address = StringField(_l("Street address"), validators=[Optional(), Length(max=domain.STREET_MAX)])
    postal_code = StringField(_l("Postal code"), validators=[Optional(), Length(max=domain.POSTAL_CODE_MAX)])
    city = StringField(_l("Post office"), validators=[Optional(), Length(max=domain.CITY_MAX)])

    def row(self) -> OrganisationRow:
        def text(name: str) -> str:
            return (getattr(self, name).data or "").strip()

        return OrganisationRow(
            business_id=text("business_id"),
            name=text("name"),
            name_sv=text("name_sv") or None,
            kind=OrganisationKind(text("kind")),
            street_address=text("street_address"),
            postal_code=text("postal_code"),
            city=text("city"),
        )


class ImportForm(FlaskForm):
    file = FileField(
        _l("CSV file"),
        validators=[FileRequired()],
        description=_l(
            "UTF-8, separated by commas or semicolons; the columns "
            "business_id, name, name_sv, kind, street_address, "
            "postal_code and city."
        ),
        render_kw={"accept": ".csv,text/csv"},
    )
