from datetime import datetime

from sqlalchemy import String, Text
from sqlalchemy.orm import Mapped, mapped_column

from portal.extensions import Model
from portal.timeutil import utcnow


class AuthorityKey(Model):
    """The portal's CA and its document-seal (certification) key, kept in the database so that
    every app process shares them; the private keys are encrypted with the configured key."""

    __tablename__ = "authority_key"

    #: "ca" or "seal"
    name: Mapped[str] = mapped_column(String(20), primary_key=True)
    certificate_pem: Mapped[str] = mapped_column(Text)
    private_key_encrypted: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
