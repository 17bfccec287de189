"""Issue 12: what an ended party or agreement may still do is decided on the party a person acts
for in that agreement (their memberships there), never on their home organisation."""

from types import SimpleNamespace

import pytest

from portal.auth.domain import Role
from portal.lifecycle.domain import Ended
from portal.permissions import may_act_after_end

AGREEMENT = 7


def person(home: int, *seats: tuple[int, int, Role], role: Role = Role.lawyer):
    memberships = [SimpleNamespace(agreement_id=a, organisation_id=o, role=r) for a, o, r in seats]
    return SimpleNamespace(organisation_id=home, role=role, active=True, memberships=memberships)


@pytest.mark.parametrize(
    ("user", "ended", "party", "may"),
    [
        # home organisation 1 (ended) but acting for party 2 in this agreement: may
        (person(1, (AGREEMENT, 2, Role.lawyer)), Ended(parties=frozenset({1})), None, True),
        # home organisation 5 (a law firm) acting for the ended party 1: may not
        (person(5, (AGREEMENT, 1, Role.lawyer)), Ended(parties=frozenset({1})), None, False),
        # its seat for party 1 in another agreement does not count here
        (
            person(5, (AGREEMENT, 1, Role.lawyer), (8, 2, Role.lawyer)),
            Ended(parties=frozenset({1})),
            None,
            False,
        ),
        # one of two parties ended: may still act for the other
        (
            person(5, (AGREEMENT, 1, Role.lawyer), (AGREEMENT, 2, Role.lawyer)),
            Ended(parties=frozenset({1})),
            None,
            True,
        ),
        # signing for a named party decides on that party
        (
            person(5, (AGREEMENT, 1, Role.representative), (AGREEMENT, 2, Role.representative)),
            Ended(parties=frozenset({1})),
            1,
            False,
        ),
        # the portal's administrator acts while the agreement lasts, but not once it ended for all
        (person(5, role=Role.administrator), Ended(parties=frozenset({1})), None, True),
        (person(5, role=Role.administrator), Ended(everyone=True, parties=frozenset({1})), None, False),
        (person(2, (AGREEMENT, 2, Role.lawyer)), Ended(everyone=True), None, False),
        (person(2, (AGREEMENT, 2, Role.lawyer)), Ended(), None, True),
    ],
)
def test_an_ended_party_is_read_only_for_whoever_acts_for_it(user, ended, party, may):
    assert may_act_after_end(user, AGREEMENT, ended, party) is may
