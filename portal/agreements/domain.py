"""Rules of an agreement's signing (R3): states, who may sign, entry into force. What follows
entry into force (R4, R5) is portal.lifecycle.domain."""

from collections.abc import Sequence, Set
from dataclasses import dataclass
from enum import StrEnum


class Status(StrEnum):
    """The state of a signable document: the main agreement, an annex agreement, an amendment."""

    draft = "draft"
    signing = "signing"
    in_force = "in_force"


class DisputeForum(StrEnum):
    """Where the agreement sends disputes (R14), as the compatibility checks compare them."""

    courts = "courts"  # negotiation, then the administrative court or a general court
    general = "general"  # a general court only
    arbitration = "arbitration"


class AnnexProcedure(StrEnum):
    """How an annex (liite) is added or updated once the main agreement is in force (issue 12).
    `steering_group` (the default, seed 002): the steering group approves it, recorded as a
    decision of its meeting. `own_part` (seed 001: "Jokainen organisaatio tekee täydennykset
    omien hallinnon sääntöjen puitteissa"): each party updates its own part, by its own decision."""

    steering_group = "steering_group"
    own_part = "own_part"


#: the longest notice period an agreement may state, in months
MAX_NOTICE_MONTHS = 120


class SignRefusal(StrEnum):
    not_open = "not_open"
    not_a_representative = "not_a_representative"
    not_a_party = "not_a_party"
    already_signed = "already_signed"


def sign_refusal(
    *,
    status: Status,
    represented_org_ids: Set[int],
    party_org_ids: Set[int],
    signed_org_ids: Set[int],
) -> SignRefusal | None:
    """Why this user may not sign now, or None when they may: a representative signs the field
    of a party they represent in this agreement (their representative memberships), once, while
    the document is open for signature."""
    if not represented_org_ids:
        return SignRefusal.not_a_representative
    mine = set(represented_org_ids) & set(party_org_ids)
    if not mine:
        return SignRefusal.not_a_party
    if mine <= set(signed_org_ids):
        return SignRefusal.already_signed
    if status is not Status.signing:
        return SignRefusal.not_open
    return None


def ready_to_enter_into_force(
    party_org_ids: Set[int],
    approved_org_ids: Set[int],
    signed_org_ids: Set[int],
    approvals_required: bool = True,
) -> bool:
    """R3, R8: in force when the competent body of every party has approved it and every party
    has signed it; an annex agreement whose terms need no approval decisions, once signed (R7)."""
    approved = party_org_ids <= approved_org_ids or not approvals_required
    return bool(party_org_ids) and approved and party_org_ids <= signed_org_ids


def final_file_refusal(
    current_sha256: str | None, stored_sha256: str | None, signatures: Sequence[tuple[str, bool]]
) -> str | None:
    """Why the current file cannot be the one that enters into force, or None: the stored file
    must hash to what the database says is current (`stored_sha256` None: it could not be read),
    every signature (its result SHA-256, whether its revision was verified good as it was made,
    in signing order) must be verified, and the last one's result must be the current file."""
    if stored_sha256 is None or stored_sha256 != current_sha256:
        return "stored_file_mismatch"
    if not signatures or not all(ok for _, ok in signatures):
        return "unverified_signature"
    if signatures[-1][0] != current_sha256:
        return "not_the_last_signature"
    return None


# -- what waits for a person, and where an agreement stands (the home page) -------------------


class Waiting(StrEnum):
    """Something a person has to do on a document, in the order the home page lists them: their
    own party's signature first."""

    sign = "sign"
    acknowledge = "acknowledge"
    decide = "decide"
    review = "review"


@dataclass(frozen=True)
class DocumentFacts:
    """What the home page knows of one document and of the person looking at it. `may_handle`
    and `may_decide` are portal.permissions' answers (handle_document, record_decision);
    `new_version_unread`: a notification of a new version the person has not read yet."""

    status: Status
    party_org_ids: frozenset[int]
    signed_org_ids: frozenset[int] = frozenset()
    approved_org_ids: frozenset[int] = frozenset()
    approvals_required: bool = True
    open_warnings: int = 0
    represented_org_ids: frozenset[int] = frozenset()
    may_handle: bool = False
    may_decide: bool = False
    new_version_unread: bool = False


def approvals_missing(facts: DocumentFacts) -> frozenset[int]:
    """The parties whose approval decision (R3, R12) is still needed; none when the document
    needs no approvals."""
    if not facts.approvals_required:
        return frozenset()
    return facts.party_org_ids - facts.approved_org_ids


def waiting(facts: DocumentFacts) -> list[Waiting]:
    """What waits for the person on this document: their party's signature (sign_refusal says
    they may sign now), a warning to acknowledge (they may handle the document; nothing waits
    once it is in force), the councils' decisions to record (they record decisions, the
    document is open for signature and approvals are missing), a new version to review."""
    found = []
    if (
        sign_refusal(
            status=facts.status,
            represented_org_ids=facts.represented_org_ids,
            party_org_ids=facts.party_org_ids,
            signed_org_ids=facts.signed_org_ids,
        )
        is None
    ):
        found.append(Waiting.sign)
    if facts.may_handle and facts.open_warnings > 0 and facts.status is not Status.in_force:
        found.append(Waiting.acknowledge)
    if facts.may_decide and facts.status is Status.signing and approvals_missing(facts):
        found.append(Waiting.decide)
    if facts.new_version_unread and facts.status is not Status.in_force:
        found.append(Waiting.review)
    return found


@dataclass(frozen=True)
class Progress:
    """Where a document stands at a glance: signed n/N, approved n/N, and a share done."""

    parties: int
    signed: int
    approved: int
    approvals_required: bool

    @property
    def steps(self) -> int:
        """Everything entry into force needs: every signature, and every approval if needed."""
        return self.parties * (2 if self.approvals_required else 1)

    @property
    def done(self) -> int:
        return self.signed + (self.approved if self.approvals_required else 0)


def progress(facts: DocumentFacts) -> Progress:
    parties = facts.party_org_ids
    return Progress(
        len(parties),
        len(parties & facts.signed_org_ids),
        len(parties & facts.approved_org_ids),
        facts.approvals_required,
    )
