"""What waits for a person on a document, and where it stands (portal.agreements.domain)."""

import pytest

from portal.agreements.domain import (
    DocumentFacts,
    Progress,
    Status,
    Waiting,
    approvals_missing,
    progress,
    waiting,
)

PARTIES = frozenset({1, 2, 3})

CASES = [  # (what the facts say, what waits)
    (DocumentFacts(Status.signing, PARTIES, represented_org_ids=frozenset({1})), [Waiting.sign]),
    (DocumentFacts(Status.signing, PARTIES, frozenset({1}), represented_org_ids=frozenset({1})), []),
    (DocumentFacts(Status.draft, PARTIES, represented_org_ids=frozenset({1})), []),
    (DocumentFacts(Status.signing, PARTIES, represented_org_ids=frozenset({9})), []),
    (
        DocumentFacts(Status.signing, PARTIES, frozenset({1}), represented_org_ids=frozenset({1, 2})),
        [Waiting.sign],
    ),
    (DocumentFacts(Status.in_force, PARTIES, PARTIES, represented_org_ids=frozenset({1})), []),
    (DocumentFacts(Status.draft, PARTIES, open_warnings=2, may_handle=True), [Waiting.acknowledge]),
    (DocumentFacts(Status.signing, PARTIES, open_warnings=1, may_handle=False), []),
    (DocumentFacts(Status.draft, PARTIES, open_warnings=0, may_handle=True), []),
    (DocumentFacts(Status.in_force, PARTIES, open_warnings=1, may_handle=True), []),
    (DocumentFacts(Status.signing, PARTIES, may_decide=True), [Waiting.decide]),
    (DocumentFacts(Status.signing, PARTIES, approved_org_ids=PARTIES, may_decide=True), []),
    (DocumentFacts(Status.signing, PARTIES, approvals_required=False, may_decide=True), []),
    (DocumentFacts(Status.draft, PARTIES, may_decide=True), []),
    (DocumentFacts(Status.signing, PARTIES, may_decide=False), []),
    (DocumentFacts(Status.draft, PARTIES, new_version_unread=True), [Waiting.review]),
    (DocumentFacts(Status.in_force, PARTIES, PARTIES, new_version_unread=True), []),
    (
        DocumentFacts(
            Status.signing,
            PARTIES,
            represented_org_ids=frozenset({2}),
            open_warnings=1,
            may_handle=True,
            may_decide=True,
            new_version_unread=True,
        ),
        [Waiting.sign, Waiting.acknowledge, Waiting.decide, Waiting.review],
    ),
]


@pytest.mark.parametrize(("facts", "expected"), CASES)
def test_what_waits(facts, expected):
    assert waiting(facts) == expected


@pytest.mark.parametrize(
    ("facts", "expected"),
    [
        (DocumentFacts(Status.signing, PARTIES), Progress(3, 0, 0, True)),
        (DocumentFacts(Status.signing, PARTIES, frozenset({1, 2}), frozenset({3})), Progress(3, 2, 1, True)),
        (
            DocumentFacts(Status.signing, PARTIES, frozenset({1, 9}), approvals_required=False),
            Progress(3, 1, 0, False),
        ),
        (DocumentFacts(Status.in_force, PARTIES, PARTIES, PARTIES), Progress(3, 3, 3, True)),
    ],
)
def test_progress(facts, expected):
    assert progress(facts) == expected


@pytest.mark.parametrize(
    ("found", "steps", "done"),
    [
        (Progress(3, 2, 1, True), 6, 3),
        (Progress(3, 2, 1, False), 3, 2),
        (Progress(0, 0, 0, True), 0, 0),
        (Progress(25, 25, 25, True), 50, 50),
    ],
)
def test_progress_steps(found, steps, done):
    assert (found.steps, found.done) == (steps, done)


def test_approvals_missing():
    assert approvals_missing(DocumentFacts(Status.signing, PARTIES, approved_org_ids=frozenset({1}))) == {
        2,
        3,
    }
    assert approvals_missing(DocumentFacts(Status.signing, PARTIES, approvals_required=False)) == frozenset()
