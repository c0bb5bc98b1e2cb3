"""Operational promises: request ids, JSON logs without secrets, rate limits, database outages."""

from __future__ import annotations

import io
import json
import logging

import argon2
from flask import Flask

from service import create_app
from service.adapters.database import close_connections
from service.api.observability import JsonFormatter
from service.application.tenants import create_tenant
from tests.conftest import Api


def test_request_id_is_echoed_or_made_up(api: Api) -> None:
    given = api.get("/v1/workflow", headers={"X-Request-ID": "trace-42"})
    assert given.headers["X-Request-ID"] == "trace-42"
    made = api.get("/v1/workflow", headers={"X-Request-ID": "not safe; <script>"})
    assert len(made.headers["X-Request-ID"]) == 32


def test_logs_are_json_lines_without_keys_or_client_data(api: Api) -> None:
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter())
    logger = logging.getLogger("service")
    logger.addHandler(handler)
    level = logger.level
    logger.setLevel(logging.INFO)
    try:
        created = api.create_engagement()
        api.fire(created["id"], "request_feedback", subject="Secret launch plan")
    finally:
        logger.removeHandler(handler)
        logger.setLevel(level)
    lines = [json.loads(line) for line in stream.getvalue().splitlines()]
    assert {line["path"] for line in lines} >= {
        "/v1/engagements",
        f"/v1/engagements/{created['id']}/transitions",
    }
    assert all(line["request_id"] and line["tenant_id"] == api.tenant_id for line in lines)
    text = stream.getvalue()
    for secret in (api.key, "giulia@bottegarossi.it", "Secret launch plan", "Bottega Rossi"):
        assert secret not in text


def test_each_api_key_has_a_rate_limit(database_url: str, app: Flask) -> None:
    limited = create_app({"DATABASE_URL": database_url, "TESTING": True, "RATE_LIMIT": "3 per minute"})
    try:
        _, key = create_tenant(limited.extensions["runtime"], "Busy")
        _, other_key = create_tenant(limited.extensions["runtime"], "Calm")
        client = limited.test_client()
        statuses = [
            client.get("/v1/workflow", headers={"Authorization": f"Bearer {key}"}).status_code
            for _ in range(4)
        ]
        assert statuses == [200, 200, 200, 429]
        refused = client.get("/v1/workflow", headers={"Authorization": f"Bearer {key}"})
        assert refused.content_type == "application/problem+json"
        assert int(refused.headers["Retry-After"]) > 0
        calm = client.get("/v1/workflow", headers={"Authorization": f"Bearer {other_key}"})
        assert calm.status_code == 200
        assert (calm.headers["X-RateLimit-Limit"], calm.headers["X-RateLimit-Remaining"]) == ("3", "2")
        assert client.get("/healthz").status_code == 200  # health checks are never limited
    finally:
        close_connections(limited)


def test_database_outage_is_a_503_problem_not_a_500() -> None:
    down = create_app({"DATABASE_URL": "postgresql://postgres@127.0.0.1:1/none", "TESTING": True})
    client = down.test_client()
    assert client.get("/healthz").json == {"status": "ok"}  # answered from memory: the process is up
    health = client.get("/readyz")
    assert health.status_code == 503
    assert health.content_type == "application/problem+json"
    assert health.headers["Retry-After"] == "5"
    assert client.get("/v1/workflow", headers={"Authorization": "Bearer eng_12345678_x"}).status_code == 503


def test_a_deployment_hashes_desk_passwords_at_argon2s_full_cost() -> None:
    """The suite hashes at the cheapest cost (ARGON2_PARAMETERS in tests/conftest.py); an app
    configured as a deployment is, with no such override, keeps RFC 9106's 64 MiB, 3 passes, 4 lanes."""
    deployed = create_app({"DATABASE_URL": "postgresql://postgres@127.0.0.1:1/none", "TESTING": True})
    passwords = deployed.extensions["people"].passwords
    assert passwords.parameters == argon2.profiles.RFC_9106_LOW_MEMORY
    assert passwords.hash("correct horse").startswith("$argon2id$v=19$m=65536,t=3,p=4$")
