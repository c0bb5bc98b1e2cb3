"""Webhook tests run against a real receiver on a loopback port, which the deployment's SSRF
guard would refuse: these fixtures lift it (as WEBHOOK_ALLOW_PRIVATE_TARGETS=1 does)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, tzinfo
from typing import Any

import pytest
import standardwebhooks.webhooks

from service.adapters.webhook_http import WebhookHttp
from service.application.runtime import Runtime
from tests.conftest import Api, FakeClock
from tests.webhooks.receiver import Receiver, running_receiver


@pytest.fixture(autouse=True)
def receivers_clock(clock: FakeClock, monkeypatch: pytest.MonkeyPatch) -> datetime:
    """Receivers check webhook-timestamp against their own clock (the standardwebhooks library:
    five minutes' tolerance). Theirs stands at the test clock's start, not at the wall clock, so
    these tests date everything from the suite's pinned day like every other test, on any day."""
    at = clock.now

    class ReceiversTime(datetime):
        @classmethod
        def now(cls, tz: tzinfo | None = None) -> ReceiversTime:  # type: ignore[override]
            return cls.fromtimestamp(at.timestamp(), tz)

    monkeypatch.setattr(standardwebhooks.webhooks, "datetime", ReceiversTime)
    return at


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
