"""The rules of who hears of what and how: delivery per kind, the digest's day, the parties an
annex concerns, what each act settles, and running health."""

from datetime import date, datetime, timedelta

import pytest

from portal.health.domain import WorkerState, delivery_stalled, worker_state
from portal.notifications.domain import (
    Act,
    Delivery,
    NotificationKind,
    concerned_parties,
    delivery,
    digest_day,
    digest_key,
    settled_kinds,
)

K = NotificationKind


@pytest.mark.parametrize(
    ("kind", "chosen", "expected"),
    [
        (K.annex_version, None, Delivery.immediate),
        (K.annex_version, "daily", Delivery.daily),
        (K.annex_blocker, Delivery.none, Delivery.none),
        (K.sign_reminder, "daily", Delivery.daily),
        # what law or the agreement requires goes at once whatever was chosen
        (K.sign_invitation, "none", Delivery.immediate),
        (K.in_force, "daily", Delivery.immediate),
        (K.contact_changed, "none", Delivery.immediate),
    ],
)
def test_delivery(kind, chosen, expected):
    assert delivery(kind, chosen) is expected


@pytest.mark.parametrize(
    ("now", "hour", "expected"),
    [
        (datetime(2026, 12, 2, 4, 59), 7, None),  # 06:59 in Helsinki (UTC+2)
        (datetime(2026, 12, 2, 5, 0), 7, date(2026, 12, 2)),  # 07:00
        (datetime(2026, 12, 2, 22, 30), 7, None),  # 00:30 the next day: not yet
        (datetime(2026, 12, 2, 22, 30), 0, date(2026, 12, 3)),
        (datetime(2026, 7, 1, 4, 0), 7, date(2026, 7, 1)),  # summer time: 07:00 is 04:00 UTC
    ],
)
def test_digest_day(now, hour, expected):
    assert digest_day(now, hour) == expected


def test_one_digest_key_per_person_and_day():
    assert digest_key(4, date(2026, 12, 2)) == "digest:4:2026-12-02"
    assert digest_key(4, date(2026, 12, 3)) != digest_key(4, date(2026, 12, 2))


@pytest.mark.parametrize(
    ("document_parties", "agreement_parties", "expected"),
    [
        ([3, 5, 7], list(range(1, 26)), [3, 5, 7]),  # an annex agreement: its own parties (R7)
        ([], [1, 2, 3], [1, 2, 3]),  # an annex of the main agreement: every party (R6)
        ([1, 2, 3], [1, 2, 3], [1, 2, 3]),  # an amendment: every party (R8)
    ],
)
def test_concerned_parties(document_parties, agreement_parties, expected):
    assert concerned_parties(document_parties, agreement_parties) == expected


@pytest.mark.parametrize(
    ("act", "settled"),
    [
        (Act.signed, {K.sign_invitation, K.sign_reminder}),
        (Act.reviewed, {K.annex_version}),
        (Act.acknowledged, {K.annex_version}),
        (Act.new_version, {K.annex_version, K.annex_blocker}),
        (Act.decided, {K.decision_due}),
    ],
)
def test_what_each_act_settles(act, settled):
    assert settled_kinds(act) == settled
    assert not settled_kinds(act) & {K.in_force, K.contact_changed}  # news, never "to do"


NOW = datetime(2026, 12, 2, 10, 0)
STALE = timedelta(minutes=30)


@pytest.mark.parametrize(
    ("last_run", "expected"),
    [
        (None, WorkerState.never_ran),
        (NOW - timedelta(seconds=5), WorkerState.running),
        (NOW - timedelta(minutes=31), WorkerState.silent),
    ],
)
def test_worker_state(last_run, expected):
    assert worker_state(NOW, last_run, STALE) is expected


@pytest.mark.parametrize(
    ("last_sent", "oldest_waiting", "stalled"),
    [
        (None, None, False),  # nothing waits
        (None, NOW - timedelta(minutes=5), False),  # it just arrived
        (None, NOW - timedelta(minutes=30), True),  # never delivered, waited long enough
        (NOW - timedelta(minutes=45), NOW - timedelta(minutes=40), True),
        (NOW - timedelta(minutes=2), NOW - timedelta(hours=3), False),  # delivering, a backlog
        (NOW - timedelta(days=2), None, False),  # quiet, nothing waits
    ],
)
def test_delivery_stalled(last_sent, oldest_waiting, stalled):
    assert delivery_stalled(NOW, last_sent, oldest_waiting, STALE) is stalled
