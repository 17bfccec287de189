"""Every body the API reads or writes, described once: marshmallow schemas that parse the
requests (webargs), dump the answers and make the OpenAPI document (apispec).

Inputs check syntax with the web forms' rules (contacts.domain, organisations.domain); the
services check the database. Times are UTC with a "Z"; dates are calendar dates in Helsinki."""

import re
from types import SimpleNamespace

from flask_smorest.fields import Upload
from marshmallow import EXCLUDE, Schema, ValidationError, fields, post_load, pre_dump
from marshmallow.validate import Length, OneOf, Range

from portal.agreements.domain import Status
from portal.contacts import domain as contact_rules
from portal.i18n import flag_message
from portal.languages import DEFAULT_LANGUAGE, LANGUAGES
from portal.organisations.domain import valid_business_id

UPLOAD_KINDS = ("annex", "annex_agreement", "amendment")
KINDS = ("main", *UPLOAD_KINDS)
CHECK_STATUSES = ("pending", "checking", "done", "failed")
SEVERITIES = ("ok", "info", "warning", "blocker")
FLAG_CODES = ("parties", "refers_to_main", "goals", "validity", "disputes", "costs", "fit_to_sign")
STATUSES = tuple(s.value for s in Status)
ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
#: a code the handler of refusals raises as it is (portal.api.openapi.Parser), not invalid_field
INVALID_BUSINESS_ID = "invalid_business_id"


class Extended(dict):
    """A model with computed values beside it (its parties, its flags), for a schema to dump:
    marshmallow reads the keys first, then the model's attributes."""

    def __init__(self, model, **extra):
        super().__init__(extra)
        self.model = model

    def __getattr__(self, name):
        if name == "model":
            raise AttributeError(name)
        return getattr(self.model, name)


# -- fields ---------------------------------------------------------------------------------------

class Text(fields.String):
    """A string, stripped of surrounding spaces before it is checked."""

    def _deserialize(self, value, attr, data, **kwargs):
        return super()._deserialize(value, attr, data, **kwargs).strip()


def filled(max_length: int, **metadata) -> Text:
    """A required text that is not empty, nor only spaces, once stripped."""
    return Text(required=True, validate=Length(min=1, max=max_length),
                metadata={"pattern": r"\S", **metadata})


def rule(check, code: str = "invalid"):
    """A marshmallow validator of one of the domain's rules (the web forms check the same ones)."""

    def validate(value) -> None:
        if value and not check(value):
            raise ValidationError(code)

    return validate


def business_id(required: bool = False) -> Text:
    return Text(required=required, validate=[Length(max=20), rule(valid_business_id, INVALID_BUSINESS_ID)],
                metadata={"pattern": r"^\d{7}-\d$", "description":
                          "A business ID (Y-tunnus): 7 digits, a hyphen, a check digit"})


class IsoDate(fields.Date):
    """YYYY-MM-DD and nothing else (Python would also read 20261102)."""

    def _deserialize(self, value, attr, data, **kwargs):
        if not isinstance(value, str) or not ISO_DATE.fullmatch(value.strip()):
            raise self.make_error("invalid")
        return super()._deserialize(value.strip(), attr, data, **kwargs)


class LinesIn(fields.Field):
    """A list of short strings, or one string with a line each: stored one per line."""

    def _deserialize(self, value, attr, data, **kwargs):
        items = value.splitlines() if isinstance(value, str) else value
        if not isinstance(items, list) or not all(isinstance(i, str) for i in items):
            raise ValidationError("invalid")
        return "\n".join(i.strip() for i in items if i.strip())


class LinesOut(fields.Field):
    """Stored one per line, returned as a list."""

    def _serialize(self, value, attr, obj, **kwargs):
        return [line for line in (value or "").splitlines() if line]


class Repeated(fields.List):
    """A multipart field that may repeat or hold comma-separated values."""

    def _deserialize(self, value, attr, data, **kwargs):
        items = value if isinstance(value, list) else [value]
        if not all(isinstance(i, str) for i in items):
            raise self.make_error("invalid")
        return super()._deserialize([p.strip() for i in items for p in i.split(",") if p.strip()],
                                    attr, data, **kwargs)


class Yes(fields.Boolean):
    """A multipart yes/no: anything but 0, false or no is yes."""

    def _deserialize(self, value, attr, data, **kwargs):
        return str(value).lower() not in ("0", "false", "no")


class UtcDateTime(fields.DateTime):
    """A naive UTC datetime (as the models keep them) in ISO 8601 with a Z."""

    def _serialize(self, value, attr, obj, **kwargs):
        return value.isoformat() + "Z" if value else None


def pdf_file() -> Upload:
    """An uploaded PDF: a file part with some content (an empty one is refused as pdf_empty)."""
    return Upload(required=True, metadata={"json_schema": {
        "contentMediaType": "application/pdf", "minLength": 1}})


def nullable(field: fields.Field) -> fields.Field:
    """Returned as null when the model has no value."""
    field.allow_none, field.dump_default = True, None
    return field


# -- inputs ---------------------------------------------------------------------------------------

class Input(Schema):
    class Meta:
        unknown = EXCLUDE  # fields the API does not know are ignored, as they always were


class NewGoal(Input):
    title = filled(300)
    description = Text(validate=Length(max=4000), load_default="")

    @post_load
    def pair(self, data, **_kwargs):
        return data["title"], data["description"]


class NewAgreement(Input):
    title = filled(300)
    parties = fields.List(business_id(), required=True, validate=Length(min=1),
                          metadata={"description": "Business IDs (Y-tunnus)"})
    language = fields.String(load_default=DEFAULT_LANGUAGE, validate=OneOf(LANGUAGES))
    goals = fields.List(fields.Nested(NewGoal), load_default=list, allow_none=True)

    @post_load
    def arguments(self, data, **_kwargs):
        """The keyword arguments of agreements.services.create_agreement."""
        return {"title": data["title"], "business_ids": data["parties"],
                "language": data["language"], "goals": data["goals"] or []}


class NewApproval(Input):
    business_id = business_id(required=True)
    body = filled(200, examples=["Kunnanvaltuusto"])
    date = IsoDate(required=True)
    section = filled(20, examples=["230"])
    disqualified_members = LinesIn(load_default="", validate=Length(max=4000), metadata={
        "description": "Names, as a list or one per line",
        "json_schema": {"oneOf": [{"type": "array", "items": {"type": "string"}},
                                  {"type": "string"}]}})

    @post_load
    def arguments(self, data, **_kwargs):
        """(business ID, the keyword arguments of documents.services.record_approval)."""
        return data["business_id"], {
            "body": data["body"], "decided_on": data["date"], "section": data["section"],
            "disqualified_members": data["disqualified_members"]}


class Place(Input):
    place = filled(100, examples=["Tampere"])


class Acknowledgement(Input):
    justification = Text(required=True, validate=Length(min=1, max=4000), metadata={
        "minLength": 10, "pattern": r"(\S\s*){10}",
        "description": "At least 10 characters besides spaces"})


class ContactDetails(Input):
    """The fields to change; the others stay as they are (contacts.domain's rules, as the form)."""

    name = Text(validate=Length(min=1, max=contact_rules.MAX_LENGTH["name"]),
                metadata={"pattern": r"\S"})
    title = Text(validate=Length(max=contact_rules.MAX_LENGTH["title"]))
    email = Text(validate=[Length(min=1, max=contact_rules.MAX_LENGTH["email"]),
                           rule(contact_rules.valid_email)], metadata={"format": "email"})
    phone = Text(validate=[Length(max=contact_rules.MAX_LENGTH["phone"]),
                           rule(contact_rules.valid_phone)],
                 metadata={"pattern": contact_rules.PHONE_PATTERN})
    language = Text(validate=OneOf(LANGUAGES),
                    metadata={"description": "The language of the mail the person receives"})


class PdfUpload(Input):
    file = pdf_file()


class NewDocument(Input):
    """An annex, annex agreement or amendment (multipart): the keyword arguments of
    annexes.services.upload."""

    file = pdf_file()
    kind = fields.String(required=True, validate=OneOf(UPLOAD_KINDS))
    title = filled(300)
    parties = Repeated(business_id(), load_default=list, metadata={"description": (
        "Business IDs of an annex agreement's parties (repeated or comma-separated)")})
    goals = Repeated(fields.Integer(validate=Range(1, 99)), load_default=list, metadata={
        "description": "Numbers of the main agreement's goals it implements"})
    changes = fields.String(load_default="", validate=Length(max=4000),
                            metadata={"description": "An amendment: what it changes"})
    requires_approval = Yes(load_default=True)

    @post_load
    def arguments(self, data, **_kwargs):
        upload, business_ids = data.pop("file"), data.pop("parties")
        return data | {"data": upload.read(), "filename": upload.filename or "",
                       "business_ids": business_ids}


# -- outputs --------------------------------------------------------------------------------------

class Output(Schema):
    """Every field is always there (null when empty) unless marked optional; no other field is."""

    def on_bind_field(self, field_name, field_obj):
        field_obj.required = not field_obj.metadata.get("optional")


class Error(Output):
    error = fields.String(metadata={"description": "A stable code, e.g. not_found, pdf_not_pdf"})
    message = fields.String(metadata={"description": "In the language of Accept-Language"})


class AgreementSummary(Output):
    id = fields.Integer()
    title = fields.String()
    status = fields.String(validate=OneOf(STATUSES))


class Approval(Output):
    body = fields.String()
    date = fields.Date(attribute="decided_on")
    section = fields.String()
    disqualified_members = LinesOut(metadata={"json_schema": {
        "type": "array", "items": {"type": "string"}}})


#: where a party that has not signed stands
PENDING = SimpleNamespace(status="pending", signed_at=None, signer=None)


class PartySignature(Output):
    status = fields.String(validate=OneOf(["pending", "signed"]), dump_default="signed")
    signed_at = nullable(UtcDateTime())
    signer = nullable(fields.String(attribute="signer.display_name"))


class Party(Output):
    """A party of a document (agreements.services.PartyState) and where it stands."""

    name = fields.String(attribute="organisation.name")
    business_id = fields.String(attribute="organisation.business_id")
    approval = nullable(fields.Nested(Approval))
    signature = fields.Nested(PartySignature)

    @pre_dump
    def pending(self, state, **_kwargs):
        return Extended(state, signature=state.signature or PENDING)


class Agreement(AgreementSummary):
    """Dumps Extended(agreement, parties=party_states(...))."""

    entered_into_force_on = nullable(fields.Date())
    document_id = nullable(fields.Integer(attribute="main_document_id"))
    parties = fields.List(fields.Nested(Party))


class DocumentVersion(Output):
    document_id = fields.Integer()
    version = fields.Integer(attribute="number")
    page_count = fields.Integer()
    sha256 = fields.String(attribute="upload_sha256", metadata={"pattern": "^[0-9a-f]{64}$"})


class VersionDetail(DocumentVersion):
    filename = fields.String(metadata={"description": "As uploaded, less control characters"})
    uploaded_at = UtcDateTime()
    uploaded_by = fields.String(attribute="uploaded_by.display_name")
    check_status = nullable(fields.String(validate=OneOf(CHECK_STATUSES)))


class Signature(Output):
    """Dumps Extended(signature, document_status=…, entered_into_force_on=…)."""

    field = fields.String(attribute="field_name")
    signed_at = UtcDateTime()
    signer = fields.String(attribute="signer.display_name")
    party = fields.String(attribute="organisation.business_id",
                          metadata={"description": "The business ID of the party signed for"})
    document_status = fields.String(validate=OneOf(STATUSES))
    entered_into_force_on = nullable(fields.Date())


class Evidence(Output):
    page = fields.Integer(metadata={"optional": True})
    text = fields.String(metadata={"optional": True})


class Flag(Output):
    """A stored compatibility flag; `message` in the caller's language (Accept-Language)."""

    code = fields.String(validate=OneOf(FLAG_CODES))
    severity = fields.String(validate=OneOf(SEVERITIES))
    message = fields.Function(flag_message, metadata={
        "description": "In the language of Accept-Language", "json_schema": {"type": "string"}})
    evidence = fields.List(fields.Nested(Evidence))
    changed = fields.Boolean(metadata={"description": "Differs from the previous check"})
    acknowledged_by = nullable(fields.String(attribute="acknowledged_by.display_name"))
    acknowledged_at = nullable(UtcDateTime())
    justification = nullable(fields.String())


class UploadResult(Output):
    """Dumps Extended(version, flags=…) once the check ran, else Extended(version, status=…)."""

    id = fields.Integer(attribute="document_id", metadata={"description": "The document"})
    version = fields.Integer(attribute="number")
    flags = fields.List(fields.Nested(Flag), metadata={
        "optional": True, "description": "When the check is done"})
    status = fields.String(validate=OneOf(["checking"]), metadata={
        "optional": True,
        "description": "When the check runs in the background: GET the document"})


class Document(Output):
    """Dumps Extended(document, flags=…, parties=party_states(…))."""

    id = fields.Integer()
    agreement_id = fields.Integer()
    kind = fields.String(validate=OneOf(KINDS))
    title = fields.String()
    status = fields.String(validate=OneOf(STATUSES))
    entered_into_force_on = nullable(fields.Date())
    requires_approval = fields.Boolean()
    declared_parties = fields.List(fields.String(), attribute="declared_business_ids")
    goals = fields.List(fields.Integer(), attribute="goal_numbers")
    changes = fields.String()
    version = nullable(fields.Integer(attribute="latest_version.number"))
    check_status = nullable(fields.String(attribute="latest_version.check_status",
                                          validate=OneOf(CHECK_STATUSES)))
    versions = fields.List(fields.Nested(VersionDetail))
    flags = fields.List(fields.Nested(Flag))
    parties = fields.List(fields.Nested(Party))


class Contact(Output):
    id = fields.Integer()
    agreement_id = fields.Integer()
    party = fields.String(attribute="organisation.business_id", metadata={
        "description": "Business ID"})
    name = fields.String()
    title = fields.String()
    email = fields.String(metadata={"format": "email"})
    phone = fields.String()
    language = fields.String(validate=OneOf(LANGUAGES), metadata={
        "description": "The language of the mail the person receives"})


class Organisation(Output):
    name = fields.String()
    business_id = fields.String()


class PartyContacts(Output):
    """Dumps Extended(agreement party, contacts=[its active contact persons])."""

    party = fields.Nested(Organisation, attribute="organisation")
    contacts = fields.List(fields.Nested(Contact))
