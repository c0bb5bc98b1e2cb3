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


def test_an_address_that_keeps_failing_gets_429_for_its_failures_only(limited: Flask) -> None:
    """Issue 31: 20 bad keys a minute from one address locked out every key from it, and behind
    one proxy every client shares an address. Now the failures wait; a valid key does not."""
    runtime = limited.extensions["runtime"]
    _, key = create_tenant(runtime, "Victim")
    client = limited.test_client()
    statuses = [
        client.get("/v1/workflow", headers={"Authorization": f"Bearer eng_{n:08x}_wrong"}).status_code
        for n in range(8)
    ]
    assert statuses == [401] * 5 + [429] * 3
    refused = client.get("/v1/workflow", headers={"Authorization": "Bearer eng_ffffffff_wrong"})
    assert refused.status_code == 429 and refused.mimetype == "application/problem+json"
    assert int(refused.headers["Retry-After"]) > 0
    for _ in range(3):  # the valid tenant keeps polling from the same address while the bad keys go on
        assert client.get("/v1/workflow", headers={"Authorization": f"Bearer {key}"}).status_code == 200
        missing = client.get("/v1/workflow")
        assert missing.status_code == 429


def test_a_prefix_that_keeps_failing_is_refused_without_lookups(limited: Flask) -> None:
    """Guessing one key's secret from many addresses: its prefix is locked, the database untouched."""
    runtime = limited.extensions["runtime"]
    runtime.keys = counting = CountingKeys(runtime.keys)
    client = limited.test_client()
    statuses = [
        client.get(
            "/v1/workflow",
            headers={"Authorization": f"Bearer eng_0123abcd_guess{n}"},
            environ_base={"REMOTE_ADDR": f"198.51.100.{n}"},
        ).status_code
        for n in range(8)
    ]
    assert statuses == [401] * 5 + [429] * 3
    assert counting.lookups == 5  # the refusals past the limit asked the database nothing
    other = client.get("/v1/workflow", headers={"Authorization": "Bearer eng_99999999_x"})
    assert other.status_code == 401  # another prefix, from an address that has not failed before


def test_a_known_wrong_key_is_refused_from_memory(limited: Flask) -> None:
    runtime = limited.extensions["runtime"]
    runtime.keys = counting = CountingKeys(runtime.keys)
    client = limited.test_client()
    for spelling in ("Bearer eng_0123abcd_wrong", "bearer  eng_0123abcd_wrong"):
        assert client.get("/v1/workflow", headers={"Authorization": spelling}).status_code == 401
    assert counting.lookups == 1


def _failures_then_status(client: Any, failing: str, other: str) -> int:
    """Six failures from ``failing`` (one past the limit), then what ``other`` gets without a key."""
    for _ in range(6):
        client.get("/v1/workflow", headers={"X-Forwarded-For": failing})
    return int(client.get("/v1/workflow", headers={"X-Forwarded-For": other}).status_code)


def test_behind_a_trusted_proxy_each_client_has_its_own_address(database_url: str, app: Flask) -> None:
    behind = create_app(
        {
            "DATABASE_URL": database_url,
            "TESTING": True,
            "FAILED_AUTH_LIMIT": "5 per minute",
            "TRUSTED_PROXIES": 1,
        }
    )
    try:
        client = behind.test_client()  # every request comes from the proxy, 127.0.0.1
        assert _failures_then_status(client, "203.0.113.7", "203.0.113.8") == 401
        assert client.get("/v1/workflow", headers={"X-Forwarded-For": "203.0.113.7"}).status_code == 429
        # The client's own X-Forwarded-For is left of what the proxy appended: not trusted.
        spoofed = client.get("/v1/workflow", headers={"X-Forwarded-For": "192.0.2.1, 203.0.113.7"})
        assert spoofed.status_code == 429
    finally:
        close_connections(behind)


def test_without_trusted_proxies_x_forwarded_for_is_ignored(limited: Flask) -> None:
    client = limited.test_client()
    assert _failures_then_status(client, "203.0.113.7", "203.0.113.8") == 429  # both are 127.0.0.1
