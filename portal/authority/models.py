from datetime import datetime

from sqlalchemy import String, Text
from sqlalchemy.orm import Mapped, mapped_column

from portal.extensions import Model
from portal.timeutil import utcnow


class AuthorityKey(Model):
    """The portal's CA, its document-seal (certification) key and its own TSA's, kept in the
    database so that every app process shares them; the private keys are encrypted with the
    configured key, or kept in a PKCS#11 token (then private_key_encrypted holds "pkcs11:<label>",
    see portal/authority/keysource.py)."""

    __tablename__ = "authority_key"

    #: "ca", "seal" or "tsa"
    name: Mapped[str] = mapped_column(String(20), primary_key=True)
    certificate_pem: Mapped[str] = mapped_column(Text)
    private_key_encrypted: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
