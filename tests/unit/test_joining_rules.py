"""R10: who asks for an organisation to join, and who adopts an annex version after entry into
force (issue 12)."""

import pytest

from portal.agreements.domain import AnnexProcedure
from portal.annexes.domain import may_adopt
from portal.auth.domain import Role
from portal.memberships.domain import may_ask_to_join, standing


@pytest.mark.parametrize(
    ("role", "home", "organisation", "parties", "may"),
    [
        (Role.representative, 5, 5, {1, 2}, True),  # its own representative, not yet a party
        (Role.representative, 5, 6, {1, 2}, False),  # another organisation's
        (Role.lawyer, 5, 5, {1, 2}, False),  # not its representative
        (Role.representative, 1, 1, {1, 2}, False),  # a party already
        (Role.representative, None, 5, {1, 2}, False),
    ],
)
def test_an_organisation_asks_to_join_through_its_representative(role, home, organisation, parties, may):
    assert may_ask_to_join(role, home, organisation, parties) is may


@pytest.mark.parametrize(
    ("seats", "procedure", "organisation", "may"),
    [
        ([(1, Role.administrator)], AnnexProcedure.steering_group, 2, True),
        ([(2, Role.representative)], AnnexProcedure.steering_group, 2, False),  # the steering group's
        ([(2, Role.representative)], AnnexProcedure.own_part, 2, True),  # its own part
        ([(1, Role.representative)], AnnexProcedure.own_part, 2, False),  # another party's part
        ([(2, Role.lawyer)], AnnexProcedure.own_part, 2, False),  # the representative decides
        ([(2, Role.representative)], AnnexProcedure.own_part, None, False),
    ],
)
def test_who_adopts_an_annex_version(seats, procedure, organisation, may):
    assert may_adopt(standing(False, seats), procedure, organisation) is may
