"""What a validated form holds: WTForms types every field's data as Optional."""

from typing import TypeVar

T = TypeVar("T")


def validated(value: T | None) -> T:
    """A field's data after validate_on_submit(), where its DataRequired/InputRequired validator
    guarantees a value (an empty or missing one fails validation before this is reached)."""
    assert value is not None, "read a required field's data only after the form validated"
    return value
