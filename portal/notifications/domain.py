"""Rules of notification: when a signature reminder is due, the event keys that make each
mail and each portal notification unique per recipient, who is concerned by an annex, how each
person receives each kind of mail (at once, in a daily digest, or not at all) and which action
marks which notification done."""

from collections.abc import Sequence
from datetime import date, datetime, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo

HELSINKI = ZoneInfo("Europe/Helsinki")


class NotificationKind(StrEnum):
    sign_invitation = "sign_invitation"
    sign_reminder = "sign_reminder"
    in_force = "in_force"
    contact_changed = "contact_changed"
    annex_version = "annex_version"
    annex_blocker = "annex_blocker"
    #: the parties' decisions on a document open for signature are to be recorded (portal only:
    #: the secretary's home page lists the same work; no mail)
    decision_due = "decision_due"


class Delivery(StrEnum):
    """How a person receives one kind of mail."""

    immediate = "immediate"
    daily = "daily"
    none = "none"


#: what law or the agreement requires to reach the person: an invitation to sign (R3), entry
#: into force with the identical copy (R3) and the written notice of a contact change (R2).
#: These go at once whatever the person chose.
REQUIRED_KINDS = frozenset(
    {NotificationKind.sign_invitation, NotificationKind.in_force, NotificationKind.contact_changed}
)
#: the kinds a person chooses for, in the order the profile page lists them
CHOOSABLE_KINDS = (
    NotificationKind.sign_reminder,
    NotificationKind.annex_version,
    NotificationKind.annex_blocker,
)


def delivery(kind: str, chosen: Delivery | str | None) -> Delivery:
    """How a mail of `kind` reaches a person who chose `chosen` for it (None: never chose, at
    once). A required kind always goes at once."""
    if kind in REQUIRED_KINDS or chosen is None:
        return Delivery.immediate
    return Delivery(chosen)


def digest_day(now: datetime, hour: int) -> date | None:
    """The Finnish calendar day whose digest may go out at `now` (naive UTC), or None before
    `hour` o'clock Finnish time: one digest per person and day, in the morning."""
    local = now.replace(tzinfo=ZoneInfo("UTC")).astimezone(HELSINKI)
    return local.date() if local.hour >= hour else None


def digest_key(user_id: int, day: date) -> str:
    return f"digest:{user_id}:{day.isoformat()}"


def concerned_parties(document_parties: Sequence[int], agreement_parties: Sequence[int]) -> list[int]:
    """The parties an annex's mail concerns: an annex agreement's and an amendment's own
    parties (R7: it binds only them); an annex with no parties of its own (an annex of the main
    agreement) is part of the agreement every party signed (R6), so it concerns them all."""
    return list(document_parties) if document_parties else list(agreement_parties)


class Act(StrEnum):
    """What a person (or their party) did that settles what a notification asked."""

    signed = "signed"  # the party signed the document
    reviewed = "reviewed"  # the person opened the document's current version
    acknowledged = "acknowledged"  # the person acknowledged a flag of the current version
    new_version = "new_version"  # a new version replaced the one the notification was about
    decided = "decided"  # every party's decision on the current version is recorded


#: which kinds of notification each act marks done (on the same document).
SETTLES: dict[Act, frozenset[NotificationKind]] = {
    Act.signed: frozenset({NotificationKind.sign_invitation, NotificationKind.sign_reminder}),
    Act.reviewed: frozenset({NotificationKind.annex_version}),
    Act.acknowledged: frozenset({NotificationKind.annex_version}),
    Act.new_version: frozenset({NotificationKind.annex_version, NotificationKind.annex_blocker}),
    Act.decided: frozenset({NotificationKind.decision_due}),
}


def settled_kinds(act: Act) -> frozenset[NotificationKind]:
    return SETTLES[act]


def reminder_due(opened_at: datetime, now: datetime, interval_days: float, max_count: int) -> int:
    """The number of the latest reminder due at `now` (0: none yet).

    Reminder n falls due `n * interval_days` after the document opened for signature; no more
    than `max_count` are ever sent. A worker that was down for a while queues only the latest
    one due, so nobody gets a burst of reminders at once."""
    if interval_days <= 0 or max_count <= 0 or now < opened_at:
        return 0
    elapsed = (now - opened_at) / timedelta(days=interval_days)
    return min(int(elapsed), max_count)


def next_reminder_at(
    opened_at: datetime, queued: int, interval_days: float, max_count: int
) -> datetime | None:
    """When reminder `queued + 1` falls due, or None once `max_count` have been queued."""
    if interval_days <= 0 or queued >= max_count:
        return None
    return opened_at + (queued + 1) * timedelta(days=interval_days)


def invitation_key(document_id: int, user_id: int) -> str:
    return f"sign-invitation:{document_id}:{user_id}"


def reminder_key(document_id: int, number: int, user_id: int) -> str:
    return f"sign-reminder:{document_id}:{number}:{user_id}"


def in_force_key(document_id: int, user_id: int) -> str:
    return f"in-force:{document_id}:{user_id}"


def annex_version_key(version_id: int, user_id: int) -> str:
    return f"annex-version:{version_id}:{user_id}"


def decision_due_key(document_id: int, user_id: int) -> str:
    return f"decision-due:{document_id}:{user_id}"


def annex_blocker_key(version_id: int, run: int, user_id: int) -> str:
    return f"annex-blocker:{version_id}:{run}:{user_id}"
