from datetime import date, datetime

from sqlalchemy import JSON, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.agreements.domain import Status
from portal.auth.models import User
from portal.dbtypes import EnumString
from portal.documents.domain import CheckStatus, DocumentKind
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

    @property
    def latest_version(self) -> "DocumentVersion | None":
        return self.versions[-1] if self.versions else None


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
    """R12: the decision of a party's competent body, e.g. "Kaupunginvaltuusto 21.08.2023 § 230"."""

    __tablename__ = "approval_decision"
    __table_args__ = (UniqueConstraint("document_id", "organisation_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("document.id"), index=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"))
    body: Mapped[str] = mapped_column(String(200))
    decided_on: Mapped[date]
    section: Mapped[str] = mapped_column(String(20))
    #: members recorded as disqualified (esteellinen), one per line
    disqualified_members: Mapped[str] = mapped_column(Text, default="")
    minutes_sha256: Mapped[str | None] = mapped_column(ForeignKey("blob.sha256"))
    recorded_by_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    recorded_at: Mapped[datetime] = mapped_column(default=utcnow)

    organisation: Mapped[Organisation] = relationship(lazy="joined")
