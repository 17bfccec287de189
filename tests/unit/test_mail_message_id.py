"""The Message-ID of an outbox mail: the same on every attempt, different for every row and
every installation."""

from datetime import datetime

from portal.mail.domain import message_id

CREATED = datetime(2026, 12, 2, 8, 30, 15, 123456)


def test_message_id_is_stable_per_row():
    first = message_id(7, "contact-change:1:2", CREATED, "key-a", "https://sopu.example.fi")
    assert first == message_id(7, "contact-change:1:2", CREATED, "key-a", "https://sopu.example.fi")
    assert first.startswith("<") and first.endswith("@sopu.example.fi>")


def test_message_id_differs_per_row_event_and_installation():
    ids = {
        message_id(7, "contact-change:1:2", CREATED, "key-a", "https://sopu.example.fi"),
        message_id(8, "contact-change:1:2", CREATED, "key-a", "https://sopu.example.fi"),
        message_id(7, "contact-change:1:3", CREATED, "key-a", "https://sopu.example.fi"),
        message_id(7, "contact-change:1:2", CREATED.replace(year=2027), "key-a", "https://sopu.example.fi"),
        message_id(7, "contact-change:1:2", CREATED, "key-b", "https://sopu.example.fi"),
    }
    assert len(ids) == 5
