"""The committed openapi.yaml is the contract: generated requests against every operation.

Checks are schemathesis' defaults: no server error, status codes, content types and bodies as
documented, and invalid input rejected.
"""

from __future__ import annotations

import pytest
import schemathesis
from flask import Flask
from hypothesis import HealthCheck, settings

from tests.conftest import Api

schema = schemathesis.pytest.from_fixture("api_schema")


@pytest.fixture
def api_schema(app: Flask, api: Api) -> schemathesis.BaseSchema:
    api.create_engagement()  # so that id 1 exists and some requests reach real data
    loaded = schemathesis.openapi.from_wsgi("/openapi.yaml", app)
    loaded.config.update(headers=api.headers)  # schemathesis drops it itself to test auth
    return loaded


@schema.parametrize()
@settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
def test_every_operation_honours_the_contract(case: schemathesis.Case) -> None:
    # Generated keys repeat across unrelated bodies (hypothesis loves "0"), which the API rightly
    # refuses; idempotency has its own tests in tests/api/test_idempotency.py.
    (case.headers or {}).pop("Idempotency-Key", None)
    # The real key comes from the schema config; schemathesis then probes without it and with a
    # wrong one itself (its ignored_auth check), so a generated header would only blur that.
    (case.headers or {}).pop("Authorization", None)
    case.call_and_validate()
