"""How many dispatch passes tenant A's approved message waits while tenant B has 10,000 approved
messages due before it and an SMTP server that hangs (issue 31's fair-delivery target).

    .venv/bin/python -m bench.fair_delivery

B's server takes the connection and never says a word, so each pass that tries it pays the
default connect timeout (``SendTimeouts``, 10 s): the wall time is mostly that one timeout. The
figure is that time beside A's message sent alone (no backlog, no hanging server); the target is
that A's message leaves within two passes. The same target holds in
tests/messages/test_fair_delivery.py with an injected clock and short timeouts. Prints; asserts nothing.
"""

from __future__ import annotations

import socket
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager, nullcontext

from cryptography.fernet import Fernet

from bench.common import BENCH_CONFIG
from service import create_app
from service.adapters.database import close_connections
from service.adapters.migrations import upgrade
from service.application.mailing import send_due
from tests.conftest import DAY_ONE, Api, FakeClock, live_tenant
from tests.messages.conftest import ready_to_send, running_plain_smtp
from tests.messages.test_failing_alone import approved
from tests.seeding import copy_message

BACKLOG = 10_000
MOST_PASSES = 5  # a bench that fails the target still ends


@contextmanager
def _hanging_server() -> Iterator[int]:
    """A port that takes connections and never answers."""
    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen(64)
        yield server.getsockname()[1]


def _message_wait(url: str, backlog: int) -> tuple[float, int]:
    """(ms until A's message was sent, passes it took) with ``backlog`` of B's messages due first."""
    upgrade(url)
    clock = FakeClock(DAY_ONE)
    config = {"SMTP_SECRET_KEYS": Fernet.generate_key().decode(), "MESSAGE_PDF_COPY": False}
    app = create_app({**BENCH_CONFIG, **config, "DATABASE_URL": url, "CLOCK": clock})
    rt, client = app.extensions["runtime"], app.test_client()
    with running_plain_smtp() as (inbox, mailer), _hanging_server() if backlog else nullcontext(0) as hanging:
        if backlog:
            b_id, b_key = live_tenant(rt, "Backlog")
            b = Api(client, b_key, b_id)
            account = {"host": "127.0.0.1", "port": hanging, "security": "starttls"}
            put = b.client.put(
                "/v1/tenant/smtp", json={**account, "username": "b", "password": "p"}, headers=b.headers
            )
            assert put.status_code == 200, put.get_json()
            ready_to_send(b)
            _, first = approved(b)
            with app.extensions["sql_engine"].begin() as connection:
                copy_message(connection, first["id"], backlog - 1, clock.now)
            clock.advance(minutes=1)  # A's message is approved after all of B's
        a_id, a_key = live_tenant(rt, "Live")
        a = Api(client, a_key, a_id)
        ready_to_send(a)
        _, message = approved(a)
        started, passes = time.perf_counter(), 0
        while passes < MOST_PASSES and a.get(f"/v1/messages/{message['id']}").json["status"] != "sent":
            passes += 1
            send_due(rt, mailer)
        elapsed = time.perf_counter() - started
        assert inbox.received, "A's message never left"
    close_connections(app)
    return elapsed * 1000, passes


def message_wait() -> tuple[float, float, int]:
    """(ms with B's backlog and hanging server, ms alone, passes with them), on fresh SQLite files."""
    with tempfile.TemporaryDirectory() as tmp:
        alone, _ = _message_wait(f"sqlite:///{tmp}/alone.sqlite3", 0)
        behind, passes = _message_wait(f"sqlite:///{tmp}/behind.sqlite3", BACKLOG)
    return behind, alone, passes


def main() -> None:
    behind, alone, passes = message_wait()
    print(f"A's message sent after {behind:.0f} ms in pass {passes} beside {BACKLOG} of B's")
    print(f"alone: {alone:.0f} ms")


if __name__ == "__main__":
    main()
