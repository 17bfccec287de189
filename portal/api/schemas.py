"""Every body the API reads or writes, described once: marshmallow schemas that parse the
requests (webargs), dump the answers and make the OpenAPI document (apispec).

Inputs check syntax with the web forms' rules (contacts.domain, organisations.domain); the
services check the database. Times are UTC with a "Z"; dates are calendar dates in Helsinki."""

from types import SimpleNamespace

from marshmallow import EXCLUDE, Schema, fields, post_load, pre_dump
from marshmallow.validate import Length, OneOf, Range

from portal.agreements.domain import MAX_NOTICE_MONTHS, AnnexProcedure, DisputeForum
from portal.agreements.services import Terms
from portal.api.fields import (
    CHECK_STATUSES,
    KINDS,
    SEVERITIES,
    STATUSES,
    UPLOAD_KINDS,
    Cursor,
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
from portal.documents.domain import DecisionType
from portal.i18n import flag_message
from portal.languages import DEFAULT_LANGUAGE, LANGUAGES
from portal.memberships.domain import MEMBER_ROLES
from portal.messages import COST_ROUNDING
from portal.organisations import domain as organisation_rules
from portal.organisations.domain import OrganisationKind, OrganisationRow

MEMBER_ROLE_NAMES = [r.value for r in MEMBER_ROLES]

DECISION_TYPES = [t.value for t in DecisionType]
DECISION_STATES = ["counted", "voided", "superseded", "noted"]


# -- inputs ---------------------------------------------------------------------------------------


class Input(Schema):
    class Meta:
        unknown = EXCLUDE  # fields the API does not know are ignored, as they always were


class NewGoal(Input):
    title = filled(300)
    description = Text(validate=Length(max=4000), load_default="")
    indicators = LinesIn(
        load_default="",
        validate=Length(max=4000),
        metadata={
            "description": "How reaching the goal is measured (R11): a list, or one per line",
            "json_schema": {"oneOf": [{"type": "array", "items": {"type": "string"}}, {"type": "string"}]},
        },
    )

    @post_load
    def triple(self, data, **_kwargs):
        return data["title"], data["description"], data["indicators"]


class NewAgreement(Input):
    title = filled(300)
    title_sv = nullable(Text(validate=Length(max=300), metadata={"description": "In Swedish"}))
    parties = fields.List(
        business_id(),
        required=True,
        validate=Length(min=1),
        metadata={"description": "Business IDs (Y-tunnus)"},
    )
    language = fields.String(load_default=DEFAULT_LANGUAGE, validate=OneOf(LANGUAGES))
    goals = fields.List(fields.Nested(NewGoal), load_default=list, allow_none=True)
    approvals_required = fields.Boolean(
        load_default=True,
        metadata={
            "description": (
                "Whether the parties' approval decisions are needed for entry into force; false: the "
                "signatures alone bring it into force"
            )
        },
    )
    notice_months = nullable(
        fields.Integer(
            validate=Range(1, MAX_NOTICE_MONTHS),
            metadata={
                "description": "The notice period the checks compare annexes with (null: read from the text)"
            },
        )
    )
    valid_until = nullable(
        IsoDate(metadata={"description": "null: until further notice, or as the text says"})
    )
    dispute_forum = nullable(
        fields.String(
            validate=OneOf([f.value for f in DisputeForum]),
            metadata={"description": "null: as the text says"},
        )
    )
    annex_procedure = fields.String(
        load_default=AnnexProcedure.steering_group.value,
        validate=OneOf([p.value for p in AnnexProcedure]),
        metadata={
            "description": "How an annex is added or updated after entry into force: steering_group "
            "(the steering group's decision) or own_part (each party its own part)"
        },
    )

    @post_load
    def arguments(self, data, **_kwargs):
        """The keyword arguments of agreements.services.create_agreement."""
        return {
            "title": data["title"],
            "business_ids": data["parties"],
            "language": data["language"],
            "goals": data["goals"] or [],
            "terms": Terms(
                title_sv=data.get("title_sv") or None,
                approvals_required=data["approvals_required"],
                notice_months=data.get("notice_months"),
                valid_until=data.get("valid_until"),
                dispute_forum=data.get("dispute_forum"),
                annex_procedure=AnnexProcedure(data["annex_procedure"]),
            ),
        }


ORGANISATION_KINDS = [k.value for k in OrganisationKind]


class Address(Input):
    street = Text(
        load_default="",
        validate=Length(max=organisation_rules.STREET_MAX),
        metadata={"examples": ["Aleksis Kiven katu 14-16"]},
    )
    postal_code = Text(
        load_default="",
        validate=Length(max=organisation_rules.POSTAL_CODE_MAX),
        metadata={"examples": ["33210"]},
    )
    city = Text(
        load_default="", validate=Length(max=organisation_rules.CITY_MAX), metadata={"examples": ["Tampere"]}
    )


class NewOrganisation(Input):
    """An organisation of the register; `address` is an object of the postal address's parts."""

    business_id = business_id(required=True)
    name = filled(organisation_rules.NAME_MAX, examples=["Tampereen kaupunki"])
    name_sv = nullable(
        Text(validate=Length(max=organisation_rules.NAME_MAX), metadata={"examples": ["Tammerfors stad"]})
    )
    kind = fields.String(required=True, validate=OneOf(ORGANISATION_KINDS))
    address = fields.Nested(Address, load_default=dict)

    @post_load
    def row(self, data, **_kwargs):
        return row_of(data)


def row_of(data: dict) -> OrganisationRow:
    address = data.get("address") or {}
    return OrganisationRow(
        business_id=data["business_id"],
        name=data["name"],
        name_sv=data.get("name_sv") or None,
        kind=OrganisationKind(data["kind"]),
        street_address=address.get("street", ""),
        postal_code=address.get("postal_code", ""),
        city=address.get("city", ""),
    )


class OrganisationChanges(Input):
    """The fields to change; the others stay as they are. `address` replaces the whole address."""

    business_id = business_id()
    name = Text(validate=Length(min=1, max=organisation_rules.NAME_MAX), metadata={"pattern": r"\S"})
    name_sv = nullable(Text(validate=Length(max=organisation_rules.NAME_MAX)))
    kind = fields.String(validate=OneOf(ORGANISATION_KINDS))
    address = fields.Nested(Address)


class OrganisationQuery(Input):
    q = Text(
        load_default="",
        validate=Length(max=200),
        metadata={"description": "Part of the name, Swedish name or business ID"},
    )
    page = fields.Integer(load_default=1, validate=Range(1, 100_000))


class PageQuery(Input):
    limit = fields.Integer(
        load_default=50, validate=Range(1, 200), metadata={"description": "Items on one page (1 to 200)"}
    )
    cursor = Cursor(
        load_default=None,
        metadata={"description": "The next_cursor of the previous page; none for the first page"},
    )


class NewApproval(Input):
    business_id = business_id(required=True)
    body = filled(200, examples=["Kunnanvaltuusto"])
    date = IsoDate(required=True)
    section = filled(20, examples=["230"])
    diary_number = Text(
        load_default="",
        validate=Length(max=60),
        metadata={"description": "The diary number (diaarinumero)", "examples": ["265/00.04.02/2023"]},
    )
    decision_type = fields.String(
        load_default="approve",
        validate=OneOf(DECISION_TYPES),
        metadata={"description": "approve, or take_note (not counted)"},
    )
    disqualified_members = LinesIn(
        load_default="",
        validate=Length(max=4000),
        metadata={
            "description": "Names, as a list or one per line",
            "json_schema": {"oneOf": [{"type": "array", "items": {"type": "string"}}, {"type": "string"}]},
        },
    )

    @post_load
    def arguments(self, data, **_kwargs):
        """(business ID, the keyword arguments of documents.services.record_approval)."""
        return data["business_id"], {
            "body": data["body"],
            "decided_on": data["date"],
            "section": data["section"],
            "diary_number": data["diary_number"],
            "decision_type": DecisionType(data["decision_type"]),
            "disqualified_members": data["disqualified_members"],
        }


class Place(Input):
    place = filled(100, examples=["Tampere"])


class Acknowledgement(Input):
    justification = Text(
        required=True,
        validate=Length(min=1, max=4000),
        metadata={
            "minLength": 10,
            "pattern": r"(\S\s*){10}",
            "description": "At least 10 characters besides spaces",
        },
    )


class ContactDetails(Input):
    """The fields to change; the others stay as they are (contacts.domain's rules, as the form)."""

    name = Text(validate=Length(min=1, max=contact_rules.MAX_LENGTH["name"]), metadata={"pattern": r"\S"})
    title = Text(validate=Length(max=contact_rules.MAX_LENGTH["title"]))
    email = Text(
        validate=[Length(min=1, max=contact_rules.MAX_LENGTH["email"]), rule(contact_rules.valid_email)],
        metadata={"format": "email"},
    )
    phone = Text(
        validate=[Length(max=contact_rules.MAX_LENGTH["phone"]), rule(contact_rules.valid_phone)],
        metadata={"pattern": contact_rules.PHONE_PATTERN},
    )
    language = Text(
        validate=OneOf(LANGUAGES), metadata={"description": "The language of the mail the person receives"}
    )


class NewInvitation(Input):
    email = Text(
        required=True,
        validate=[Length(min=1, max=contact_rules.MAX_LENGTH["email"]), rule(contact_rules.valid_email)],
        metadata={"format": "email"},
    )
    role = fields.String(
        required=True,
        validate=OneOf(MEMBER_ROLE_NAMES),
        metadata={"description": "The role in this agreement; administrator: of this agreement only"},
    )
    business_id = business_id(required=True)
    language = fields.String(
        load_default=DEFAULT_LANGUAGE,
        validate=OneOf(LANGUAGES),
        metadata={"description": "The language of the mail and of the pages its link opens"},
    )


class PdfUpload(Input):
    file = pdf_file()


class ExternalSignature(Input):
    file = pdf_file()


class NewVersion(Input):
    """The next version of a document (multipart); an annex agreement's may correct its parties."""

    file = pdf_file()
    parties = Repeated(
        business_id(),
        load_default=list,
        metadata={
            "description": (
                "An annex agreement: its parties' business IDs anew, correcting those declared "
                "(repeated or comma-separated; absent: unchanged)"
            )
        },
    )


class NewDocument(Input):
    """An annex, annex agreement or amendment (multipart): the keyword arguments of
    annexes.services.upload."""

    file = pdf_file()
    kind = fields.String(required=True, validate=OneOf(UPLOAD_KINDS))
    title = filled(300)
    parties = Repeated(
        business_id(),
        load_default=list,
        metadata={
            "description": ("Business IDs of an annex agreement's parties (repeated or comma-separated)")
        },
    )
    goals = Repeated(
        fields.Integer(validate=Range(1, 99)),
        load_default=list,
        metadata={"description": "Numbers of the main agreement's goals it implements"},
    )
    changes = fields.String(
        load_default="", validate=Length(max=4000), metadata={"description": "An amendment: what it changes"}
    )
    requires_approval = Yes(load_default=True)

    @post_load
    def arguments(self, data, **_kwargs):
        upload, business_ids = data.pop("file"), data.pop("parties")
        return data | {"data": upload.read(), "filename": upload.filename or "", "business_ids": business_ids}


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


class AgreementPage(Output):
    items = fields.List(fields.Nested(AgreementSummary), metadata={"description": "By id, oldest first"})
    next_cursor = nullable(
        Cursor(metadata={"description": "Give as ?cursor= for the next page; null on the last page"})
    )


class Approval(Output):
    id = fields.Integer()
    body = fields.String()
    date = fields.Date(attribute="decided_on")
    section = fields.String()
    diary_number = fields.String()
    decision_type = fields.String(validate=OneOf(DECISION_TYPES))
    disqualified_members = LinesOut(metadata={"json_schema": {"type": "array", "items": {"type": "string"}}})
    version = nullable(
        fields.Integer(
            attribute="version_number",
            metadata={"description": "The number of the document version decided on"},
        )
    )
    minutes = fields.Boolean(
        attribute="has_minutes", metadata={"description": "Whether the minutes extract (PDF) is stored"}
    )
    state = fields.String(
        validate=OneOf(DECISION_STATES),
        metadata={
            "description": "counted; voided by a new version; superseded by a correction; noted "
            "(taking note, not counted)"
        },
    )
    corrects = nullable(fields.Integer(attribute="corrects_id"))
    correction_reason = fields.String()


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
    approval = nullable(
        fields.Nested(Approval, metadata={"description": "The decision that counts towards entry into force"})
    )
    decisions = fields.List(
        fields.Nested(Approval),
        metadata={"description": "Every decision recorded for the party, oldest first"},
    )
    signature = fields.Nested(PartySignature)

    @pre_dump
    def pending(self, state, **_kwargs):
        return Extended(state, signature=state.signature or PENDING)


class GoalOut(Output):
    number = fields.Integer()
    title = fields.String()
    description = fields.String()
    indicators = LinesOut(metadata={"json_schema": {"type": "array", "items": {"type": "string"}}})


class Agreement(AgreementSummary):
    """Dumps Extended(agreement, parties=party_states(...))."""

    title_sv = nullable(fields.String())
    language = fields.String(validate=OneOf(LANGUAGES))
    approvals_required = fields.Boolean()
    notice_months = nullable(fields.Integer())
    valid_until = nullable(fields.Date())
    dispute_forum = nullable(fields.String(validate=OneOf([f.value for f in DisputeForum])))
    annex_procedure = fields.String(validate=OneOf([p.value for p in AnnexProcedure]))
    goals = fields.List(fields.Nested(GoalOut))
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
    """Dumps api.views._signed(signature, document)."""

    field = fields.String(attribute="field_name")
    signed_at = UtcDateTime()
    signer = fields.String(attribute="signer_name")
    party = fields.String(
        attribute="business_id",
        metadata={"description": "The business ID of the party signed for"},
    )
    document_status = fields.String(validate=OneOf(STATUSES))
    entered_into_force_on = nullable(fields.Date())


class Evidence(Output):
    page = fields.Integer(metadata={"optional": True})
    text = fields.String(metadata={"optional": True})


class Flag(Output):
    """A stored compatibility flag; `message` in the caller's language (Accept-Language)."""

    code = fields.String(validate=OneOf(FLAG_CODES))
    severity = fields.String(validate=OneOf(SEVERITIES))
    message = fields.Function(
        flag_message,
        metadata={"description": "In the language of Accept-Language", "json_schema": {"type": "string"}},
    )
    evidence = fields.List(fields.Nested(Evidence))
    changed = fields.Boolean(metadata={"description": "Differs from the previous check"})
    acknowledged_by = nullable(fields.String(attribute="acknowledged_by.display_name"))
    acknowledged_at = nullable(UtcDateTime())
    justification = nullable(fields.String())


class UploadResult(Output):
    """Dumps Extended(version, flags=…) once the check ran, else Extended(version, status=…)."""

    id = fields.Integer(attribute="document_id", metadata={"description": "The document"})
    version = fields.Integer(attribute="number")
    flags = fields.List(
        fields.Nested(Flag), metadata={"optional": True, "description": "When the check is done"}
    )
    status = fields.String(
        validate=OneOf(["checking"]),
        metadata={"optional": True, "description": "When the check runs in the background: GET the document"},
    )


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
    check_status = nullable(
        fields.String(attribute="latest_version.check_status", validate=OneOf(CHECK_STATUSES))
    )
    versions = fields.List(fields.Nested(VersionDetail))
    flags = fields.List(fields.Nested(Flag))
    parties = fields.List(fields.Nested(Party))


class Contact(Output):
    id = fields.Integer()
    agreement_id = fields.Integer()
    party = fields.String(attribute="organisation.business_id", metadata={"description": "Business ID"})
    name = fields.String()
    title = fields.String()
    email = fields.String(metadata={"format": "email"})
    phone = fields.String()
    language = fields.String(
        validate=OneOf(LANGUAGES), metadata={"description": "The language of the mail the person receives"}
    )


class Organisation(Output):
    name = fields.String()
    business_id = fields.String()


class AddressOut(Output):
    street = fields.String(attribute="street_address")
    postal_code = fields.String()
    city = fields.String()


class OrganisationDetail(Output):
    """An organisation of the register."""

    business_id = fields.String()
    name = fields.String()
    name_sv = nullable(fields.String())
    kind = fields.String(validate=OneOf(ORGANISATION_KINDS))
    address = fields.Nested(AddressOut)

    @pre_dump
    def with_address(self, organisation, **_kwargs):
        return Extended(organisation, address=organisation)


class PartyContacts(Output):
    """Dumps Extended(agreement party, contacts=[its active contact persons])."""

    party = fields.Nested(Organisation, attribute="organisation")
    contacts = fields.List(fields.Nested(Contact))


class PartyContactsPage(Output):
    items = fields.List(fields.Nested(PartyContacts), metadata={"description": "In the parties' order"})
    next_cursor = nullable(
        Cursor(metadata={"description": "Give as ?cursor= for the next page; null on the last page"})
    )


class Invitation(Output):
    """Dumps Extended(invitation, resent=...)."""

    id = fields.Integer()
    agreement_id = fields.Integer()
    email = fields.String(metadata={"format": "email"})
    role = fields.String(validate=OneOf(MEMBER_ROLE_NAMES))
    business_id = fields.String(attribute="organisation.business_id")
    language = fields.String(validate=OneOf(LANGUAGES))
    expires_at = UtcDateTime()
    resent = fields.Boolean(
        metadata={
            "description": "true: the same address was already invited to this party and role; "
            "a new link was sent instead of a second invitation"
        }
    )


# -- the agreement's life after entry into force (issue 12) ---------------------------------------

TERMINATION_KINDS = ["notice", "dissolution"]


class NewTermination(Input):
    business_id = business_id(required=True)
    received_on = IsoDate(
        required=True,
        metadata={
            "description": (
                "The day the written notice reached the other parties; for a dissolution, the day of "
                "the steering group's decision"
            )
        },
    )
    kind = fields.String(
        load_default="notice",
        validate=OneOf(TERMINATION_KINDS),
        metadata={"description": "notice (R5) or dissolution by the steering group (ends at once)"},
    )
    decision = Text(
        load_default="",
        validate=Length(max=2000),
        metadata={"description": 'The decision behind it, e.g. "Kaupunginvaltuusto 3.3.2027 § 12"'},
    )


class Termination(Output):
    id = fields.Integer()
    business_id = fields.String()
    kind = fields.String(validate=OneOf(TERMINATION_KINDS))
    received_on = fields.Date()
    notice_months = nullable(
        fields.Integer(metadata={"description": "The agreement's notice period applied, in calendar months"})
    )
    ends_on = fields.Date(metadata={"description": "The first day the party is no longer bound"})
    costs_payable_until = nullable(
        fields.Date(metadata={"description": "A dissolution: the end of the budget period still payable"})
    )
    decision = fields.String()
    ended = fields.Boolean(metadata={"description": "Whether the party's obligations have ended"})
    agreement_ends_on = nullable(
        fields.Date(
            metadata={"description": "The day the agreement ends for everyone, when too few parties remain"}
        )
    )


#: what a cost table's Numeric(14, 2) column holds
MAX_TOTAL = 999_999_999_999
ID_RANGE = Range(min=1, max=2**31 - 1)


class NewPopulation(Input):
    business_id = business_id(required=True)
    population = fields.Integer(required=True, strict=True, validate=Range(min=0, max=100_000_000))
    source = Text(
        load_default="",
        validate=Length(max=200),
        metadata={"description": "Where the population comes from, e.g. Tilastokeskus"},
    )
    reference_date = IsoDate(
        load_default=None, allow_none=True, metadata={"description": "The date the population is counted on"}
    )


class NewCosts(Input):
    year = fields.Integer(required=True, strict=True, validate=Range(min=1900, max=2999))
    total = fields.Decimal(
        required=True,
        validate=rule(lambda total: total <= MAX_TOTAL),
        metadata={
            "description": "The sum to share in euros, in whole cents (a string or a number)",
            "json_schema": {"type": ["string", "number"], "minimum": 0, "examples": ["120000.00"]},
        },
    )
    populations = fields.List(
        fields.Nested(NewPopulation),
        required=True,
        validate=Length(min=1),
        metadata={"description": "Every party of the agreement once"},
    )


class CostShare(Output):
    business_id = fields.String()
    name = fields.String(attribute="organisation.name")
    population = fields.Integer()
    source = fields.String()
    reference_date = nullable(fields.Date())
    joint_authority = fields.Boolean(
        metadata={"description": "A joint municipal authority: counted as a third of its population"}
    )
    share = fields.Decimal(
        as_string=True,
        metadata={
            "description": "Euros to the cent; the shares add up exactly to the total",
            "json_schema": {"type": "string", "pattern": r"^\d+\.\d{2}$"},
        },
    )


class Costs(Output):
    year = fields.Integer()
    total = fields.Decimal(
        as_string=True, metadata={"json_schema": {"type": "string", "pattern": r"^\d+\.\d{2}$"}}
    )
    rule = fields.String(validate=OneOf(["by_population", "own_costs"]))
    rounding = fields.Function(
        lambda _table: str(COST_ROUNDING),
        metadata={
            "description": "How the rounding remainder is assigned (in the language of Accept-Language)",
            "json_schema": {"type": "string"},
        },
    )
    parties = fields.List(fields.Nested(CostShare), attribute="rows")


class NewMeeting(Input):
    date = IsoDate(required=True, metadata={"description": "The day of the meeting"})
    place = filled(200, examples=["Pasila, Helsinki"])
    agenda = Text(
        load_default="",
        validate=Length(max=20000),
        metadata={"description": "Sent with the invitation when given"},
    )


class Meeting(Output):
    """Dumps Extended(meeting, invited=…, invitation_late=…, agenda_late=…)."""

    id = fields.Integer()
    date = fields.Date(attribute="meets_on")
    place = fields.String()
    agenda = fields.String()
    invitation_due_on = fields.Date(metadata={"description": "7 days before (seed 000 §5)"})
    agenda_due_on = fields.Date(metadata={"description": "3 Finnish working days before (seed 000 §5)"})
    invitation_late = fields.Boolean()
    agenda_late = fields.Boolean()
    invited = fields.Integer(metadata={"description": "Members and deputies the invitation went to"})
    quorate = nullable(fields.Boolean(metadata={"description": "None until attendance is recorded"}))


class NewAccession(Input):
    business_id = business_id(required=True)
    requested_on = IsoDate(
        load_default=None,
        allow_none=True,
        metadata={"description": "The day the organisation asked to join (default today)"},
    )


class AccessionDecision(Input):
    meeting_id = fields.Integer(
        required=True,
        strict=True,
        validate=ID_RANGE,
        metadata={"description": "The steering group's meeting that decided (attendance recorded)"},
    )
    in_favour = fields.List(
        fields.Integer(strict=True, validate=ID_RANGE),
        required=True,
        metadata={"description": "The steering group members (or deputies) present who voted in favour"},
    )


class Accession(Output):
    id = fields.Integer()
    business_id = fields.String()
    name = fields.String(attribute="organisation.name")
    status = fields.String(validate=OneOf(["requested", "decided", "joined"]))
    requested_on = fields.Date()
    meeting_id = nullable(fields.Integer())
    decided_on = nullable(fields.Date())
    document_id = nullable(
        fields.Integer(
            metadata={"description": "The accession document the new party and the chair's party sign"}
        )
    )
    joined_on = nullable(fields.Date(metadata={"description": "A party from this day"}))


class Correction(Input):
    """A wrongly recorded decision corrected: its fields anew, and why (the history keeps both)."""

    reason = Text(required=True, validate=Length(min=1, max=2000), metadata={"pattern": r"\S"})
    body = filled(200, examples=["Kaupunginvaltuusto"])
    date = IsoDate(required=True)
    section = filled(20, examples=["230"])
    diary_number = Text(load_default="", validate=Length(max=60))
    decision_type = fields.String(load_default="approve", validate=OneOf(DECISION_TYPES))
    disqualified_members = LinesIn(
        load_default="",
        validate=Length(max=4000),
        metadata={
            "json_schema": {"oneOf": [{"type": "array", "items": {"type": "string"}}, {"type": "string"}]}
        },
    )

    @post_load
    def arguments(self, data, **_kwargs):
        """The keyword arguments of documents.services.correct_approval."""
        return {
            "reason": data["reason"],
            "body": data["body"],
            "decided_on": data["date"],
            "section": data["section"],
            "diary_number": data["diary_number"],
            "decision_type": DecisionType(data["decision_type"]),
            "disqualified_members": data["disqualified_members"],
        }
