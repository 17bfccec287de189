from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from portal.dbtypes import EnumString
from portal.extensions import Model
from portal.organisations.domain import OrganisationKind


class Organisation(Model):
    __tablename__ = "organisation"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    #: the Swedish name where the organisation has one ("Tammerfors stad")
    name_sv: Mapped[str | None] = mapped_column(String(200))
    kind: Mapped[OrganisationKind] = mapped_column(EnumString(OrganisationKind, 40))
    business_id: Mapped[str] = mapped_column(String(9), unique=True)
    street_address: Mapped[str] = mapped_column(String(200), default="")
    postal_code: Mapped[str] = mapped_column(String(10), default="")
    city: Mapped[str] = mapped_column(String(100), default="")

    def __repr__(self) -> str:
        return f"<Organisation {self.business_id} {self.name}>"
