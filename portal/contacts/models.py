from datetime import datetime

from sqlalchemy import JSON, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.extensions import Model
from portal.organisations.models import Organisation
from portal.timeutil import utcnow


class ContactPerson(Model):
    """A contact person a party names for one agreement (R2)."""

    __tablename__ = "contact_person"

    id: Mapped[int] = mapped_column(primary_key=True)
    agreement_id: Mapped[int] = mapped_column(ForeignKey("agreement.id"), index=True)
    #: the party the person speaks for
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"))
    #: the person's own account (role contact_person), if they have one
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    title: Mapped[str] = mapped_column(String(200), default="")
    email: Mapped[str] = mapped_column(String(254))
    phone: Mapped[str] = mapped_column(String(50), default="")
    #: language of the mail the person receives: fi, sv or en
    language: Mapped[str] = mapped_column(String(5), default="fi")
    #: false once replaced: kept for the history, no longer told anything
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)

    organisation: Mapped[Organisation] = relationship(lazy="joined")

    def details(self) -> dict:
        return {
            "name": self.name,
            "title": self.title,
            "email": self.email,
            "phone": self.phone,
            "language": self.language,
        }


class ContactChange(Model):
    """One change of a contact person's details, or a replacement, with the old and new values."""

    __tablename__ = "contact_change"

    id: Mapped[int] = mapped_column(primary_key=True)
    contact_id: Mapped[int] = mapped_column(ForeignKey("contact_person.id"), index=True)
    #: the replacing contact person, when an administrator replaced this one
    replaced_by_id: Mapped[int | None] = mapped_column(ForeignKey("contact_person.id"))
    changed_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    changed_at: Mapped[datetime] = mapped_column(default=utcnow)
    old: Mapped[dict] = mapped_column(JSON)
    new: Mapped[dict] = mapped_column(JSON)

    contact: Mapped[ContactPerson] = relationship(foreign_keys=[contact_id])
