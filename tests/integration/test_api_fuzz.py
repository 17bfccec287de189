"""schemathesis against /api/v1/openapi.json of the test app (WSGI, in process): every operation
with inputs the schema allows and inputs it forbids, as a lawyer and as the secretary, and
half of the time on a real agreement or document. Fails on any 5xx, on a status code the
document does not list, and on a body or content type the document does not describe.
Bounded: a fixed number of examples per operation (fewer on PostgreSQL), derandomised so that
CI runs the same cases every time; prints what it ran."""

from collections import Counter

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from schemathesis.checks import not_a_server_error
from schemathesis.core.failures import Failure, FailureGroup
from schemathesis.generation import GenerationMode
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from portal.auth.domain import Role, Scope
from tests.factories import AGREEMENT_TEXT, bearer

CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]
EXAMPLES = {"sqlite": 40, "postgresql": 15}  # per operation and generation mode


@pytest.fixture
def world(app, factory):
    agreement, orgs, reps, admin = factory.agreement(parties=2, opened=False)
    lawyer = factory.user(orgs[0], Role.lawyer)
    annex = factory.annex(agreement, lawyer, AGREEMENT_TEXT + "\nKustannukset jaetaan asukasluvun mukaan.")
    factory.session.commit()
    return {
        "tokens": [
            bearer(app, factory.session, lawyer, Scope.read, Scope.write),
            bearer(app, factory.session, admin, Scope.read, Scope.write),
        ],
        "agreements": [agreement.id],
        "documents": [agreement.main_document_id, annex.id],
    }


def fuzz(operation, mode, examples: int, world: dict, statuses: Counter, failures: list) -> None:
    """Run `examples` cases of one operation in one generation mode; collect what they find."""
    ids = world["agreements" if operation.path.startswith("/agreements/") else "documents"]

    @settings(
        max_examples=examples,
        deadline=None,
        database=None,
        derandomize=True,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(case=operation.as_strategy(mode), data=st.data())
    def run(case, data):
        if "id" in (case.path_parameters or {}) and data.draw(st.booleans()):
            case.path_parameters["id"] = data.draw(st.sampled_from(ids))
        case.headers = {**(case.headers or {}), **data.draw(st.sampled_from(world["tokens"]))}
        response = case.call()
        statuses[response.status_code] += 1
        try:
            case.validate_response(response, checks=CHECKS)
        except (Failure, FailureGroup) as found:  # collected, reported together
            failures.extend(
                f"{operation.label} [{mode.value}] → {response.status_code}: "
                f"{failure.title}\n  {case.as_curl_command()}"
                for failure in getattr(found, "exceptions", [found])
            )

    run()


def test_the_api_survives_fuzzing(app, world, capsys):
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    statuses, failures = Counter(), []
    for result in schema.get_all_operations():
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            fuzz(result.ok(), mode, EXAMPLES[app.config["BACKEND"]], world, statuses, failures)
    with capsys.disabled():
        print(
            f"\nschemathesis ({app.config['BACKEND']}): {sum(statuses.values())} cases, "
            f"{sum(n for s, n in statuses.items() if s >= 500)} 5xx, {len(failures)} failures; "
            f"statuses {dict(sorted(statuses.items()))}"
        )
    assert failures[:20] == []
    assert sum(statuses.values()) >= 100 and not any(s >= 500 for s in statuses)
