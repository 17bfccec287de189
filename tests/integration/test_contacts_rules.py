"""The pure rules of contact persons and of delivery (no app, no database)."""

from datetime import datetime, timedelta

from portal.contacts.domain import Contact, changes, may_edit_own, notice_recipients
from portal.queue.domain import after_failure, retry_delay


def test_changes_names_only_what_differs():
    old = {"name": "A", "title": "", "email": "a@x.fi", "phone": "1", "language": "fi"}
    assert changes(old, {**old, "phone": "2"}) == {"phone": ("1", "2")}
    assert changes(old, dict(old)) == {}


def test_the_changing_party_tells_every_other_party_and_not_itself():
    contacts = [
        Contact(1, 10, True),
        Contact(2, 10, True),
        Contact(3, 20, True),
        Contact(4, 30, True),
        Contact(5, 30, False),
    ]
    assert [c.id for c in notice_recipients(10, contacts)] == [3, 4]


def test_only_the_person_themself_edits():
    assert may_edit_own(7, 7) and not may_edit_own(7, 8) and not may_edit_own(7, None)


def test_backoff_doubles_up_to_the_cap_then_fails():
    now = datetime(2026, 1, 1)
    assert [retry_delay(n, 60).total_seconds() for n in (1, 2, 3)] == [60, 120, 240]
    assert retry_delay(30, 60) == timedelta(hours=6)
    assert after_failure(2, 3, now, 60) == ("queued", now + timedelta(seconds=120))
    assert after_failure(3, 3, now, 60) == ("failed", now)
