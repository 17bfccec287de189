"""Every body the API reads or writes, described once: marshmallow schemas that parse the
requests (webargs), dump the answers and make the OpenAPI document (apispec).

Inputs check syntax with the web forms' rules (contacts.domain, organisations.domain); the
services check the database. Times are UTC with a "Z"; dates are calendar dates in Helsinki."""

from types import SimpleNamespace

from marshmallow import EXCLUDE, Schema, fields, post_load, pre_dump
from marshmallow.validate import Length, OneOf, Range

from portal.api.fields import (
    CHECK_STATUSES,
    KINDS,
    SEVERITIES,
    STATUSES,
    UPLOAD_KINDS,
    Extended,
    IsoDate,
    LinesIn,
    LinesOut,
    Repeated,
    Text,
    UtcDateTime,
    Yes,
    business_id,
    filled,
    nullable,
    pdf_file,
    rule,
)
from portal.checks import FLAG_CODES
from portal.contacts import domain as contact_rules
from portal.i18n import flag_message
from portal.languages import DEFAULT_LANGUAGE, LANGUAGES

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


class NewVersion(Input):
    """The next version of a document (multipart); an annex agreement's may correct its parties."""

    file = pdf_file()
    parties = Repeated(business_id(), load_default=list, metadata={"description": (
        "An annex agreement: its parties' business IDs anew, correcting those declared "
        "(repeated or comma-separated; absent: unchanged)")})


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
