from enum import StrEnum

from sqlalchemy import String
from sqlalchemy.types import TypeDecorator


class EnumString(TypeDecorator):
    """A StrEnum stored as its value in a plain VARCHAR (no database enum types to migrate),
    loaded back as the enum member so `status is Status.draft` holds."""

    impl = String
    cache_ok = True

    def __init__(self, enum: type[StrEnum], length: int = 40):
        super().__init__(length)
        self.enum = enum

    def process_bind_param(self, value, dialect):
        return None if value is None else self.enum(value).value

    def process_result_value(self, value, dialect):
        return None if value is None else self.enum(value)
