"""A webhook post ends within its total deadline (issue 31, "every send has a connect and total
timeout"): a receiver that drips its answer a byte at a time, each byte well inside the read
timeout, costs one deadline, and another tenant's delivery in the same round still goes out."""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from contextlib import suppress

import pytest
from flask import Flask

from service.adapters.webhook_http import WebhookHttp
from service.application.dispatcher import deliver_round
from service.application.runtime import Runtime
from service.config import from_environment
from tests.conftest import Api
from tests.webhooks.conftest import subscribe
from tests.webhooks.receiver import Receiver

# A complete, valid answer, dripped a byte every DRIP seconds: ~3 s in all, each byte far inside
# the 10 s read timeout, so only a deadline on the whole post cuts it short.
ANSWER = b"HTTP/1.1 204 No Content\r\nContent-Length: 0\r\n\r\n"
DRIP = 0.07
DEADLINE = 0.5


def _drip(connection: socket.socket, stop: threading.Event) -> None:
    with connection, suppress(OSError):  # the client hangs up: this connection is done
        connection.recv(65536)  # the request (small: one read holds it)
        for byte in ANSWER:
            if stop.wait(DRIP):
                return
            connection.sendall(bytes([byte]))


@pytest.fixture
def dripping_url() -> Iterator[str]:
    """A receiver that answers every request in full, one byte at a time."""
    stop = threading.Event()
    server = socket.create_server(("127.0.0.1", 0))
    server.settimeout(0.05)

    def serve() -> None:
        while not stop.is_set():
            with suppress(TimeoutError):
                connection, _ = server.accept()
                threading.Thread(target=_drip, args=(connection, stop), daemon=True).start()

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.getsockname()[1]}/hook"
    finally:
        stop.set()
        thread.join()
        server.close()


@pytest.fixture
def configured_http() -> Iterator[WebhookHttp]:
    """The sender as ``create_app`` builds it from the configuration, with a short deadline."""
    config = {
        **from_environment(),
        "WEBHOOK_ALLOW_PRIVATE_TARGETS": True,
        "WEBHOOK_TOTAL_TIMEOUT_SECONDS": DEADLINE,
    }
    http = WebhookHttp.from_config(config)
    yield http
    http.close()


def test_a_dripping_receiver_is_cut_at_the_deadline_and_another_tenants_event_goes_out(
    app: Flask,
    runtime: Runtime,
    api: Api,
    other_api: Api,
    receiver: Receiver,
    dripping_url: str,
    configured_http: WebhookHttp,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(runtime, "webhook_http", configured_http)
    dripping = subscribe(other_api, dripping_url, ["engagement.created"])
    subscribe(api, receiver.url, ["engagement.created"])
    other_api.create_engagement()  # the older event: posted first in the round
    api.create_engagement()

    done = deliver_round(runtime)

    assert done.attempted == 2
    assert [r.headers["webhook-id"] for r in receiver.requests]  # tenant A's event went out
    [delivery] = other_api.get(f"/v1/webhook-endpoints/{dripping['id']}/deliveries").json["items"]
    [attempt] = delivery["attempts"]
    assert delivery["status"] == "pending" and delivery["next_attempt_at"] is not None  # to retry
    assert attempt["status_code"] is None
    assert f"no complete answer within {DEADLINE:g} s in all" in attempt["error"]
    # Cut at the deadline, not after the ~3 s the whole answer takes to drip.
    assert DEADLINE * 1000 <= attempt["latency_ms"] < len(ANSWER) * DRIP * 1000 / 2


def test_the_total_deadline_cannot_outlast_the_dispatchers_lease() -> None:
    with pytest.raises(ValueError, match="total timeout"):
        WebhookHttp(total=31)
    with pytest.raises(ValueError, match="total timeout"):
        WebhookHttp(total=0)
