"""Webhook tests run against a real receiver on a loopback port, which the deployment's SSRF
guard would refuse: these fixtures lift it (as WEBHOOK_ALLOW_PRIVATE_TARGETS=1 does)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import pytest

from service.adapters.webhook_http import WebhookHttp
from service.application.runtime import Runtime
from tests.conftest import Api, FakeClock
from tests.webhooks.receiver import Receiver, running_receiver


@pytest.fixture
def clock() -> FakeClock:
    # Receivers check webhook-timestamp against their own wall clock (five minutes' tolerance),
    # so these tests' fake clock starts at the real time; it still only moves by hand.
    return FakeClock(datetime.now(UTC).replace(microsecond=0))


@pytest.fixture
def open_targets(runtime: Runtime, monkeypatch: pytest.MonkeyPatch) -> Iterator[WebhookHttp]:
    http = WebhookHttp(allow_private=True)
    monkeypatch.setattr(runtime, "webhook_http", http)
    yield http
    http.close()


@pytest.fixture
def receiver(open_targets: WebhookHttp) -> Iterator[Receiver]:
    with running_receiver() as running:
        yield running


def subscribe(api: Api, url: str, events: list[str] | None = None, **more: Any) -> dict[str, Any]:
    response = api.post("/v1/webhook-endpoints", json={"url": url, "events": events or ["*"], **more})
    assert response.status_code == 201, response.json
    return response.json
