"""The committed openapi.yaml is the contract: generated requests against every operation.

Checks are schemathesis' defaults: no server error, status codes, content types and bodies as
documented, and invalid input rejected.
"""

from __future__ import annotations

import pytest
import schemathesis
from flask import Flask
from hypothesis import HealthCheck, Phase, settings
from schemathesis import GenerationMode

from tests.conftest import Api, empty_tables
from tests.contract.conftest import SENT

schema = schemathesis.pytest.from_fixture("api_schema")


@pytest.fixture
def api_schema(app: Flask, api: Api) -> schemathesis.BaseSchema:
    api.create_engagement()  # so that id 1 exists and some requests reach real data
    loaded = schemathesis.openapi.from_wsgi("/openapi.yaml", app)

    @loaded.auth()
    class Bearer:
        """The tenant's real key, declared as auth: schemathesis' own probes drop or spoil it."""

        def get(self, case: schemathesis.Case, context: schemathesis.AuthContext) -> str:
            return api.key

        def set(self, case: schemathesis.Case, data: str, context: schemathesis.AuthContext) -> None:
            case.headers = {**(case.headers or {}), "Authorization": f"Bearer {data}"}

    return loaded


@schema.parametrize()
@settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
def test_every_operation_honours_the_contract(case: schemathesis.Case) -> None:
    # Generated keys repeat across unrelated bodies (hypothesis loves "0"), which the API rightly
    # refuses; idempotency has its own tests in tests/api/test_idempotency.py.
    (case.headers or {}).pop("Idempotency-Key", None)
    SENT["requests"] += 1
    case.call_and_validate()


def test_stateful_runs_follow_the_links(app: Flask, api: Api, api_schema: schemathesis.BaseSchema) -> None:
    """Create an engagement, then follow the OpenAPI links: transitions, documents, the record."""
    # Positive data only: here the point is the chain; negative data has its own test above, and
    # mixing modes makes a path parameter's type depend on earlier live responses (flaky draws).
    api_schema.config.generation.update(modes=[GenerationMode.POSITIVE])
    machine = api_schema.as_state_machine()
    reached: set[tuple[str, str, int]] = set()

    class LinkedRuns(machine):  # type: ignore[misc, valid-type]
        def setup(self) -> None:
            # Every scenario starts from the same data, so the same draws meet the same answers:
            # an id drawn by chance must not find an engagement an earlier scenario left behind
            # (hypothesis reports such a difference as flaky data generation).
            empty_tables(app, keep=frozenset({"tenants", "api_keys"}))
            api.create_engagement()

        def before_call(self, case: schemathesis.Case) -> None:
            (case.headers or {}).pop("Idempotency-Key", None)
            super().before_call(case)

        def after_call(self, response: schemathesis.Response, case: schemathesis.Case) -> None:
            reached.add((case.method.upper(), case.operation.path, response.status_code))
            SENT["requests"] += 1
            super().after_call(response, case)

    LinkedRuns.run(
        settings=settings(
            max_examples=25,
            stateful_step_count=6,
            deadline=None,
            suppress_health_check=list(HealthCheck),
            # Link values are ids from the live database, which differ on a replay: generate only,
            # never replay (hypothesis would call that flaky data generation).
            phases=[Phase.generate],
            database=None,
        )
    )
    # The chain really ran: an engagement was created and a linked call found it.
    assert ("POST", "/v1/engagements", 201) in reached, sorted(r for r in reached if r[0] == "POST")
    linked = {(m, p) for m, p, status in reached if "{engagement_id}" in p and status < 300}
    assert linked, reached
