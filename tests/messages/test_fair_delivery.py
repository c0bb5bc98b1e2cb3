"""Fair delivery (issue 31, finding 5): each tenant's messages get a bounded share of each
dispatch pass, round-robin, and a tenant whose server hangs costs the others one timeout."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from datetime import timedelta

import pytest
from cryptography.fernet import Fernet
from flask import Flask
from sqlalchemy import select

from service.adapters.mail import SmtpMailer
from service.adapters.orm import messages
from service.adapters.secret_box import SecretBox
from service.application.mailing import SHARE, send_due
from service.application.runtime import Runtime
from service.domain.messages import SendTimeouts
from tests.conftest import Api, FakeClock
from tests.messages.conftest import Inbox, ready_to_send
from tests.messages.test_failing_alone import approved
from tests.seeding import copy_message

BACKLOG = 10_000


@pytest.fixture
def hanging_smtp() -> Iterator[int]:
    """A server that takes connections and never says a word: its port."""
    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen(64)
        yield server.getsockname()[1]


def _seed_backlog(app: Flask, api: Api, clock: FakeClock) -> None:
    """BACKLOG approved messages of ``api``'s tenant, all older than anything else, in one insert."""
    ready_to_send(api)
    _, first = approved(api)
    with app.extensions["sql_engine"].begin() as connection:
        copy_message(connection, first["id"], BACKLOG - 1, clock() - timedelta(hours=1))


def test_a_tenants_message_leaves_within_two_passes_beside_a_hanging_backlog(
    app: Flask,
    runtime: Runtime,
    api: Api,
    other_api: Api,
    plain_smtp: tuple[Inbox, SmtpMailer],
    hanging_smtp: int,
    clock: FakeClock,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    inbox, mailer = plain_smtp
    monkeypatch.setattr(runtime, "secrets", SecretBox(Fernet.generate_key().decode()))
    monkeypatch.setattr(runtime, "smtp_timeouts", SendTimeouts(connect=0.3, reply=0.3, total=1))
    account = {
        "host": "127.0.0.1",
        "port": hanging_smtp,
        "security": "starttls",
        "username": "b",
        "password": "p",
    }
    assert other_api.client.put("/v1/tenant/smtp", json=account, headers=other_api.headers).status_code == 200
    _seed_backlog(app, other_api, clock)
    ready_to_send(api)
    _, message = approved(api)

    passes = 0
    while api.get(f"/v1/messages/{message['id']}").json["status"] != "sent":
        assert passes < 2, "tenant A's message waited more than two passes"
        assert send_due(runtime, mailer) <= 2 * SHARE
        passes += 1

    assert [r["to"] for r in inbox.received] == [["giulia@bottegarossi.it"]]
    with app.extensions["sql_engine"].connect() as connection:
        tried = connection.execute(
            select(messages.c.id).where(messages.c.tenant_id == other_api.tenant_id, messages.c.attempts > 0)
        ).all()
    assert len(tried) == passes  # the hanging server was given one try a pass, not its whole share
