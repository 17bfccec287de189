from collections.abc import Collection
from datetime import date, datetime

from sqlalchemy import JSON, ForeignKey, String, Text, UniqueConstraint, bindparam, select
from sqlalchemy.orm import Mapped, mapped_column, object_session, relationship

from portal.agreements.domain import Status
from portal.auth.models import User
from portal.dbtypes import EnumString, kept_until_expired
from portal.documents.domain import (
    CheckStatus,
    DecisionType,
    DocumentKind,
    counts_as_approval,
)
from portal.extensions import Model
from portal.organisations.models import Organisation
from portal.timeutil import utcnow


class Blob(Model):
    """A stored file, named by the SHA-256 of its content: the same bytes are stored once."""

    __tablename__ = "blob"

    sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    size: Mapped[int]
    content_type: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Document(Model):
    """Something the parties sign or annex: the main agreement, an annex agreement, an amendment."""

    __tablename__ = "document"

    id: Mapped[int] = mapped_column(primary_key=True)
    agreement_id: Mapped[int] = mapped_column(ForeignKey("agreement.id"), index=True)
    kind: Mapped[DocumentKind] = mapped_column(EnumString(DocumentKind, 30))
    title: Mapped[str] = mapped_column(String(300))
    status: Mapped[Status] = mapped_column(EnumString(Status, 20), default=Status.draft)
    entered_into_force_on: Mapped[date | None]
    entered_into_force_at: Mapped[datetime | None]
    #: bumped under lock by every signature: serialises signing of one document
    revision: Mapped[int] = mapped_column(default=0)
    #: SHA-256 of the PDF as it stands now: the upload, the prepared PDF or the last signature's
    current_sha256: Mapped[str | None] = mapped_column(ForeignKey("blob.sha256"))
    #: R3, R8: whether the parties' approval decisions are needed for entry into force
    requires_approval: Mapped[bool] = mapped_column(default=True)
    #: the parties an annex agreement declared at upload, by business ID (outsiders included,
    #: so that the check can flag them; only the agreement's parties get a signature field)
    declared_business_ids: Mapped[list] = mapped_column(JSON, default=list)
    #: the numbers of the main agreement's goals it says it implements (R6, R11)
    goal_numbers: Mapped[list] = mapped_column(JSON, default=list)
    #: an amendment: what it changes, in the uploader's words
    changes: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    parties: Mapped[list["DocumentParty"]] = relationship(
        order_by="DocumentParty.position", cascade="all, delete-orphan"
    )
    versions: Mapped[list["DocumentVersion"]] = relationship(
        order_by="DocumentVersion.number", cascade="all, delete-orphan"
    )
    signatures: Mapped[list["Signature"]] = relationship(
        order_by="Signature.signed_at", cascade="all, delete-orphan"
    )
    approvals: Mapped[list["ApprovalDecision"]] = relationship(cascade="all, delete-orphan")

    def parties_among(self, organisation_ids: Collection[int]) -> set[int]:
        """Which of these organisations are parties of the document: from `parties` when they
        are loaded, else from what was read of these organisations already (note_parties), else
        a query for those alone (a person's one party need not read all 300)."""
        wanted = set(organisation_ids)
        session = object_session(self)
        if not wanted or session is None or "parties" in self.__dict__:
            return wanted & {p.organisation_id for p in self.parties}
        noted = self.__dict__.get(_NOTED_PARTIES, {})
        if wanted <= noted.keys():
            return {o for o in wanted if noted[o]}
        params = {"document_id": self.id, "organisation_ids": sorted(wanted)}
        found = set(session.connection().scalars(_PARTIES_AMONG, params))  # ids: no ORM set-up
        self.note_parties(wanted, found)
        return found

    def note_parties(self, asked: Collection[int], found: Collection[int]) -> None:
        """Remember that of the organisations `asked` about, those `found` are parties of the
        document (a query of those organisations' rows read it): the state region reads the
        person's own parties' rows, and the rules then ask the same question. Kept on the object
        beside SQLAlchemy's state until the session expires or refreshes it; a change of the
        parties loads `parties`, which parties_among reads first."""
        noted = self.__dict__.setdefault(_NOTED_PARTIES, {})
        noted.update((o, o in found) for o in asked)

    @property
    def latest_version(self) -> "DocumentVersion | None":
        return self.versions[-1] if self.versions else None

    @property
    def counted_approvals(self) -> list["ApprovalDecision"]:
        """R3, R12: the approval decisions that count, on the current version."""
        current = self.latest_version.id if self.latest_version else None
        return [a for a in self.approvals if a.counts_for(current)]


class DocumentParty(Model):
    """A party that must sign (and approve) this document, and the field it signs in."""

    __tablename__ = "document_party"
    __table_args__ = (UniqueConstraint("document_id", "organisation_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("document.id"), index=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"))
    position: Mapped[int]
    field_name: Mapped[str] = mapped_column(String(40))

    organisation: Mapped[Organisation] = relationship(lazy="joined")


class DocumentVersion(Model):
    """An uploaded, immutable version of a document."""

    __tablename__ = "document_version"
    __table_args__ = (UniqueConstraint("document_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("document.id"), index=True)
    number: Mapped[int]
    filename: Mapped[str] = mapped_column(String(255))
    upload_sha256: Mapped[str] = mapped_column(ForeignKey("blob.sha256"))
    #: the normalised, certified PDF with the signature page; set when opened for signature
    prepared_sha256: Mapped[str | None] = mapped_column(ForeignKey("blob.sha256"))
    page_count: Mapped[int]
    uploaded_by_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    uploaded_at: Mapped[datetime] = mapped_column(default=utcnow)
    #: None for the main agreement, which is not checked against itself
    check_status: Mapped[CheckStatus | None] = mapped_column(EnumString(CheckStatus, 10))
    #: how many times the checks ran; the flags of the latest run are the current ones
    check_run: Mapped[int] = mapped_column(default=0)
    #: the upload of the main agreement's version the latest run compared against
    checked_against_sha256: Mapped[str | None] = mapped_column(String(64))
    #: "fi" or "sv", as the checks read the text
    language: Mapped[str | None] = mapped_column(String(5))
    #: whether the prepared file was made from a PDF/A-2b conversion of the upload (None: not
    #: prepared yet); when not, `pdfa_note` says why (a signing.pdfa reason code)
    pdfa: Mapped[bool | None]
    pdfa_note: Mapped[str | None] = mapped_column(String(40))

    #: joined: the history lists every version with its uploader
    uploaded_by: Mapped[User] = relationship(lazy="joined")


class Signature(Model):
    __tablename__ = "signature"
    __table_args__ = (UniqueConstraint("document_id", "organisation_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("document.id"), index=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("document_version.id"))
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"))
    signer_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    field_name: Mapped[str] = mapped_column(String(40))
    place: Mapped[str] = mapped_column(String(100))
    signed_at: Mapped[datetime] = mapped_column(default=utcnow)
    certificate_sha256: Mapped[str] = mapped_column(String(64))
    #: the whole PDF after this signature
    result_sha256: Mapped[str] = mapped_column(ForeignKey("blob.sha256"))
    #: when the signature's own revision was verified, as it was made (None: never verified)
    verified_at: Mapped[datetime | None]
    #: signing.RevisionReport.as_dict() of that check; entry into force needs "ok" in every one
    verdict: Mapped[dict | None] = mapped_column(JSON)

    signer: Mapped[User] = relationship(lazy="joined")
    organisation: Mapped[Organisation] = relationship(lazy="joined")


class ApprovalDecision(Model):
    """R12: the decision of a party's competent body, e.g. "Kaupunginvaltuusto 21.08.2023 § 230",
    on one version of the document. A party may have several: decisions voided by a later
    version, decisions replaced by a correction, decisions only taking note; at most one counts."""

    __tablename__ = "approval_decision"

    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("document.id"), index=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"))
    #: the version decided on (None only for a document that had no version yet)
    version_id: Mapped[int | None] = mapped_column(ForeignKey("document_version.id"))
    body: Mapped[str] = mapped_column(String(200))
    decided_on: Mapped[date]
    section: Mapped[str] = mapped_column(String(20))
    #: the diary number (diaarinumero), e.g. "265/00.04.02/2023"
    diary_number: Mapped[str] = mapped_column(String(60), default="")
    decision_type: Mapped[DecisionType] = mapped_column(
        EnumString(DecisionType, 20), default=DecisionType.approve
    )
    #: members recorded as disqualified (esteellinen), one per line
    disqualified_members: Mapped[str] = mapped_column(Text, default="")
    minutes_sha256: Mapped[str | None] = mapped_column(ForeignKey("blob.sha256"))
    recorded_by_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    recorded_at: Mapped[datetime] = mapped_column(default=utcnow)
    #: when a new version of the document voided this decision (it was on an older version)
    voided_at: Mapped[datetime | None]
    #: when a correction replaced this decision (the correction points back with `corrects_id`)
    superseded_at: Mapped[datetime | None]
    #: the wrongly recorded decision this one corrects, and why
    corrects_id: Mapped[int | None] = mapped_column(ForeignKey("approval_decision.id"))
    correction_reason: Mapped[str] = mapped_column(Text, default="")

    organisation: Mapped[Organisation] = relationship(lazy="joined")
    version: Mapped["DocumentVersion | None"] = relationship()

    @property
    def version_number(self) -> int | None:
        return self.version.number if self.version else None

    @property
    def has_minutes(self) -> bool:
        return self.minutes_sha256 is not None

    @property
    def state(self) -> str:
        """counted, voided (by a new version), superseded (by a correction) or noted."""
        if self.voided_at is not None:
            return "voided"
        if self.superseded_at is not None:
            return "superseded"
        return "counted" if self.decision_type is DecisionType.approve else "noted"

    @property
    def active(self) -> bool:
        """Neither voided nor corrected: what the party's body decided, as it stands."""
        return self.voided_at is None and self.superseded_at is None

    def counts_for(self, version_id: int | None) -> bool:
        return counts_as_approval(
            self.decision_type,
            self.voided_at is not None,
            self.superseded_at is not None,
            self.version_id == version_id,
        )


#: where on a Document's object (its __dict__) note_parties keeps what it was told
_NOTED_PARTIES = "_sopu_noted_parties"

#: Document.parties_among's query, built once a process
_PARTIES_AMONG = select(DocumentParty.organisation_id).where(
    DocumentParty.document_id == bindparam("document_id"),
    DocumentParty.organisation_id.in_(bindparam("organisation_ids", expanding=True)),
)

#: what note_parties was told goes with what the session expires (a commit that wrote)
kept_until_expired(Document, _NOTED_PARTIES)
