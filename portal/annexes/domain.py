"""Rules of annexes, annex agreements and amendments (R6-R9): who uploads and acknowledges, when a
document may go to signature, which flags changed between two check runs."""

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

from portal.agreements.domain import AnnexProcedure
from portal.auth.domain import Role
from portal.checks import Severity
from portal.documents.domain import SIGNED_KINDS, CheckStatus, DocumentKind
from portal.memberships.domain import Standing, may_administer

JUSTIFICATION_MIN = 10


class AdoptionStatus(StrEnum):
    """An annex version uploaded after entry into force: pending until the agreement's procedure
    adopts it; superseded when a newer version is uploaded before that."""

    pending = "pending"
    adopted = "adopted"
    superseded = "superseded"


def needs_adoption(kind: DocumentKind, main_in_force: bool) -> bool:
    """An annex is part of the agreement (R6): a new one or a new version of one after the main
    agreement entered into force goes through the procedure the agreement sets (issue 12).
    Before entry into force it is part of what the parties approve and sign."""
    return kind is DocumentKind.annex and main_in_force


def may_adopt(s: Standing, procedure: AnnexProcedure, organisation_id: int | None) -> bool:
    """Who records an annex version's adoption: the steering group's decision the secretary
    (who keeps its minutes); under `own_part` also the representative of the party whose part
    it updates, by that party's own decision."""
    if may_administer(s):
        return True
    return (
        procedure is AnnexProcedure.own_part
        and organisation_id is not None
        and organisation_id in s.parties(Role.representative)
    )


def may_upload(s: Standing) -> bool:
    """Lawyers of any party of the agreement, and its secretary."""
    return may_administer(s) or Role.lawyer in s.roles


def may_handle(s: Standing, kind: DocumentKind, bound_org_ids: set[int]) -> bool:
    """Who acknowledges a document's flags and uploads its next versions: the secretary, and a
    lawyer of a party the document concerns. An annex or an amendment concerns every party of the
    agreement; an annex agreement only its own parties and the party whose lawyer drafted it (R7):
    a lawyer of Akaa does not judge an annex agreement of Tampere and Nokia. The lawyer's parties
    are those of their lawyer memberships in this agreement."""
    if may_administer(s):
        return True
    lawyer_of = s.parties(Role.lawyer)
    if not lawyer_of:
        return False
    return kind != DocumentKind.annex_agreement or bool(lawyer_of & bound_org_ids)


def may_add_version(s: Standing, kind: DocumentKind, bound_org_ids: set[int], first: bool) -> bool:
    """Who stores a document's next version. The main agreement's text only the secretary: its
    parties sign what the secretary opens, and a party's user must not replace the draft the
    others read. An annex's first version whoever may upload; its later versions whoever may
    handle it."""
    if kind == DocumentKind.main:
        return may_administer(s)
    if first:
        return may_upload(s)
    return may_handle(s, kind, bound_org_ids)


def requires_approval(kind: DocumentKind, asked: bool) -> bool:
    """An amendment takes effect only when approved and signed (R8); an annex is not signed on
    its own; an annex agreement's own terms say whether its parties' approvals are needed."""
    return {DocumentKind.amendment: True, DocumentKind.annex: False}.get(kind, asked)


@dataclass(frozen=True)
class FlagState:
    """What the rules need to know of a stored flag."""

    code: str
    severity: Severity
    message_id: str
    params: dict
    acknowledged: bool = False


def needs_acknowledgement(flag: FlagState) -> bool:
    """A warning stands until a person acknowledges it with a justification."""
    return flag.severity is Severity.warning and not flag.acknowledged


class GateRefusal(StrEnum):
    not_signed_kind = "not_signed_kind"
    checks_pending = "checks_pending"
    checks_failed = "checks_failed"
    flags_blocker = "flags_blocker"
    flags_unacknowledged = "flags_unacknowledged"


def signature_gate(
    kind: DocumentKind, check_status: CheckStatus | None, flags: Iterable[FlagState]
) -> GateRefusal | None:
    """Why this document may not go to signature yet, or None. The main agreement is not checked
    against itself; an annex, annex agreement or amendment needs a finished check, no blocker
    (only a new version clears one) and every warning acknowledged."""
    if kind not in SIGNED_KINDS:
        return GateRefusal.not_signed_kind
    if kind == DocumentKind.main:
        return None
    if check_status == CheckStatus.failed:
        return GateRefusal.checks_failed
    if check_status != CheckStatus.done:
        return GateRefusal.checks_pending
    flags = list(flags)
    if any(f.severity is Severity.blocker for f in flags):
        return GateRefusal.flags_blocker
    if any(needs_acknowledgement(f) for f in flags):
        return GateRefusal.flags_unacknowledged
    return None


def _said(flags: Iterable[FlagState], code: str) -> frozenset:
    return frozenset(
        (f.severity, f.message_id, tuple(sorted(f.params.items()))) for f in flags if f.code == code
    )


def changed_codes(previous: list[FlagState] | None, current: list[FlagState]) -> set[str]:
    """The codes under which `current` says something else than `previous` (nothing is changed
    on a first run, when `previous` is None)."""
    if previous is None:
        return set()
    codes = {f.code for f in previous} | {f.code for f in current}
    return {code for code in codes if _said(previous, code) != _said(current, code)}


def carries_acknowledgement(old: FlagState, new: FlagState) -> bool:
    """A re-check keeps a person's acknowledgement only for the very same warning."""
    return (
        old.acknowledged
        and new.severity is Severity.warning
        and old.code == new.code
        and old.message_id == new.message_id
        and old.params == new.params
    )
