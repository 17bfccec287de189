"""Rules about organisations (R1): their kinds and the Finnish business ID (Y-tunnus).

The business ID rule lives in signing.ca (certificates carry the ID); it is re-exported here."""

from enum import StrEnum

from signing.ca import business_id_check_digit, valid_business_id

__all__ = ["OrganisationKind", "business_id_check_digit", "valid_business_id"]


class OrganisationKind(StrEnum):
    wellbeing_county = "wellbeing_county"
    municipality = "municipality"
    city = "city"
    regional_council = "regional_council"
    joint_authority = "joint_authority"
    other = "other"
