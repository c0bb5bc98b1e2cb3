"""The rate limit holds: one key however it is spelled, and failed keys cost no lookups."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from flask import Flask

from service import create_app
from service.adapters.database import close_connections
from service.application.tenants import create_tenant


@pytest.fixture
def limited(database_url: str, app: Flask) -> Iterator[Flask]:
    """An app of its own (fresh counters) on the test's empty database."""
    limited = create_app(
        {
            "DATABASE_URL": database_url,
            "TESTING": True,
            "RATE_LIMIT": "4 per minute",
            "FAILED_AUTH_LIMIT": "5 per minute",
        }
    )
    yield limited
    close_connections(limited)


def test_spellings_of_one_key_share_one_limit(limited: Flask) -> None:
    _, key = create_tenant(limited.extensions["runtime"], "Busy")
    client = limited.test_client()
    spellings = [f"Bearer {key}", f"bearer {key}", f"BEARER   {key}", f"  Bearer {key}  "]
    statuses = [client.get("/v1/workflow", headers={"Authorization": s}).status_code for s in spellings]
    assert statuses == [200, 200, 200, 200]
    refused = client.get("/v1/workflow", headers={"Authorization": f"bEaReR {key} "})
    assert refused.status_code == 429
    assert refused.headers["Retry-After"]


def test_headers_count_every_spelling_of_the_key(limited: Flask) -> None:
    _, key = create_tenant(limited.extensions["runtime"], "Busy")
    client = limited.test_client()
    client.get("/v1/workflow", headers={"Authorization": f"bearer {key}"})
    answer = client.get("/v1/workflow", headers={"Authorization": f"Bearer  {key}"})
    assert (answer.headers["X-RateLimit-Limit"], answer.headers["X-RateLimit-Remaining"]) == ("4", "2")


class CountingKeys:
    def __init__(self, inner: object) -> None:
        self.inner = inner
        self.lookups = 0

    def candidates(self, prefix: str) -> list[Any]:
        self.lookups += 1
        return self.inner.candidates(prefix)  # type: ignore[attr-defined]

    def mark_used(self, key: Any, now: Any) -> None:
        self.inner.mark_used(key, now)  # type: ignore[attr-defined]


def test_a_new_wrong_key_every_request_is_limited_per_address_without_lookups(limited: Flask) -> None:
    runtime = limited.extensions["runtime"]
    _, key = create_tenant(runtime, "Victim")
    runtime.keys = counting = CountingKeys(runtime.keys)
    client = limited.test_client()
    statuses = [
        client.get("/v1/workflow", headers={"Authorization": f"Bearer eng_{n:08x}_wrong"}).status_code
        for n in range(8)
    ]
    assert statuses == [401] * 5 + [429] * 3
    assert counting.lookups == 5  # the refusals past the limit asked the database nothing
    blocked = client.get("/v1/workflow", headers={"Authorization": f"Bearer {key}"})
    assert blocked.status_code == 429  # the address waits, whatever it sends
    assert blocked.mimetype == "application/problem+json"
    assert int(blocked.headers["Retry-After"]) > 0
    elsewhere = client.get(
        "/v1/workflow", headers={"Authorization": f"Bearer {key}"}, environ_base={"REMOTE_ADDR": "10.0.0.9"}
    )
    assert elsewhere.status_code == 200


def test_a_known_wrong_key_is_refused_from_memory(limited: Flask) -> None:
    runtime = limited.extensions["runtime"]
    runtime.keys = counting = CountingKeys(runtime.keys)
    client = limited.test_client()
    for spelling in ("Bearer eng_0123abcd_wrong", "bearer  eng_0123abcd_wrong"):
        assert client.get("/v1/workflow", headers={"Authorization": spelling}).status_code == 401
    assert counting.lookups == 1
