from datetime import date, datetime

from sqlalchemy import JSON, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.agreements.domain import AnnexProcedure
from portal.annexes.domain import AdoptionStatus
from portal.auth.models import User
from portal.checks import Severity
from portal.dbtypes import EnumString
from portal.documents.models import Document, DocumentVersion
from portal.extensions import Model
from portal.timeutil import utcnow


class VersionText(Model):
    """The text of a version, per page, extracted once in the isolated worker."""

    __tablename__ = "version_text"

    version_id: Mapped[int] = mapped_column(ForeignKey("document_version.id"), primary_key=True)
    #: a list of strings, index 0 is page 1
    pages: Mapped[list] = mapped_column(JSON)


class DocumentFlag(Model):
    """One finding of one check run of a version (portal.checks.Flag, stored)."""

    __tablename__ = "document_flag"
    __table_args__ = (Index("ix_document_flag_version_run", "version_id", "run"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("document_version.id"))
    #: the version's check run that raised it; only the latest run's flags are current
    run: Mapped[int]
    code: Mapped[str] = mapped_column(String(40))
    severity: Mapped[Severity] = mapped_column(EnumString(Severity, 10))
    #: the English text (a gettext msgid) with %(name)s placeholders, filled from params
    message_id: Mapped[str] = mapped_column(Text)
    params: Mapped[dict] = mapped_column(JSON, default=dict)
    #: [{"page": 1, "text": "..."}]
    evidence: Mapped[list] = mapped_column(JSON, default=list)
    #: differs from what the previous run said under this code (e.g. after a new main agreement)
    changed: Mapped[bool] = mapped_column(default=False)
    acknowledged_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    acknowledged_at: Mapped[datetime | None]
    justification: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    acknowledged_by: Mapped[User | None] = relationship(lazy="joined")


class AnnexAdoption(Model):
    """Issue 12: an annex version uploaded after the main agreement entered into force, pending
    until the agreement's procedure adopts it; until then the agreement's in-force text (the
    annex's current file) is unchanged. Kept for good, with the decision that adopted it."""

    __tablename__ = "annex_adoption"

    id: Mapped[int] = mapped_column(primary_key=True)
    agreement_id: Mapped[int] = mapped_column(ForeignKey("agreement.id"))
    document_id: Mapped[int] = mapped_column(ForeignKey("document.id"), index=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("document_version.id"), unique=True)
    #: the agreement's procedure when the version was uploaded
    procedure: Mapped[AnnexProcedure] = mapped_column(EnumString(AnnexProcedure, 20))
    status: Mapped[AdoptionStatus] = mapped_column(
        EnumString(AdoptionStatus, 12), default=AdoptionStatus.pending
    )
    #: own_part: the party whose part of the annex the version updates (the uploader's)
    organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisation.id"))
    #: steering_group: the meeting whose minutes record the decision
    meeting_id: Mapped[int | None] = mapped_column(ForeignKey("steering_meeting.id"))
    #: the decision as recorded, e.g. "§ 5" of the meeting, or "Perusturvalautakunta 3.3.2027 § 12"
    decision: Mapped[str] = mapped_column(Text, default="")
    decided_on: Mapped[date | None]
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    recorded_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    document: Mapped[Document] = relationship(lazy="joined")
    version: Mapped[DocumentVersion] = relationship(lazy="joined")
