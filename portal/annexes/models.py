from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.auth.models import User
from portal.checks import Severity
from portal.dbtypes import EnumString
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
