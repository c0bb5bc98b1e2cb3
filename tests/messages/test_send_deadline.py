"""An SMTP send ends within its total timeout from the first byte (issue 31, "every send has a
connect and total timeout"): a server that drips its greeting, each byte well inside the read
timeout, is cut at the deadline, and another tenant's message in the same pass still leaves."""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from contextlib import suppress
from dataclasses import dataclass, field

import pytest
from cryptography.fernet import Fernet

from service.adapters.mail import SmtpMailer
from service.adapters.secret_box import SecretBox
from service.application.mailing import send_due
from service.application.runtime import Runtime
from service.domain.messages import SendTimeouts
from tests.conftest import Api
from tests.messages.conftest import Inbox, ready_to_send
from tests.messages.test_failing_alone import approved

# A valid greeting, dripped a byte every DRIP seconds (~2.5 s in all), then a quick server: only a
# deadline that covers the greeting stops a send before the server has heard a command.
GREETING = b"220-slow\r\n" * 4 + b"220 ready\r\n"
DRIP = 0.05
TIMEOUTS = SendTimeouts(connect=1, reply=1, total=0.5)


@dataclass
class DrippingServer:
    port: int = 0
    commands: list[bytes] = field(default_factory=list)


def _serve(connection: socket.socket, server: DrippingServer, stop: threading.Event) -> None:
    with connection, suppress(OSError):  # the client hangs up: this connection is done
        for byte in GREETING:
            if stop.wait(DRIP):
                return
            connection.sendall(bytes([byte]))
        lines = connection.makefile("rb")
        for line in lines:
            server.commands.append(line.split()[0].upper() if line.split() else b"")
            verb = server.commands[-1]
            if verb == b"DATA":
                connection.sendall(b"354 go on\r\n")
                while lines.readline() not in (b".\r\n", b""):
                    pass
            connection.sendall(b"221 bye\r\n" if verb == b"QUIT" else b"250 ok\r\n")


@pytest.fixture
def dripping_smtp() -> Iterator[DrippingServer]:
    stop, server = threading.Event(), DrippingServer()
    listener = socket.create_server(("127.0.0.1", 0))
    listener.settimeout(0.05)
    server.port = listener.getsockname()[1]

    def accept() -> None:
        while not stop.is_set():
            with suppress(TimeoutError):
                connection, _ = listener.accept()
                threading.Thread(target=_serve, args=(connection, server, stop), daemon=True).start()

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        stop.set()
        thread.join()
        listener.close()


def test_a_dripped_greeting_is_cut_at_the_total_timeout(dripping_smtp: DrippingServer) -> None:
    mailer = SmtpMailer("127.0.0.1", dripping_smtp.port, timeouts=TIMEOUTS)

    handed = mailer.send("anna@studiobianchi.it", ["giulia@bottegarossi.it"], b"Subject: hi\r\n\r\nhi\r\n")

    assert not handed.accepted and not handed.permanent
    assert handed.reply == "TimeoutError: no answer within 0.5 s in all"
    assert dripping_smtp.commands == []  # cut during the greeting, before a word was said


def test_another_tenants_message_leaves_in_the_pass_that_cuts_a_dripping_server(
    runtime: Runtime,
    api: Api,
    other_api: Api,
    plain_smtp: tuple[Inbox, SmtpMailer],
    dripping_smtp: DrippingServer,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    inbox, mailer = plain_smtp
    monkeypatch.setattr(runtime, "secrets", SecretBox(Fernet.generate_key().decode()))
    monkeypatch.setattr(runtime, "smtp_timeouts", TIMEOUTS)
    account = {"host": "127.0.0.1", "port": dripping_smtp.port, "security": "starttls", "username": "b"}
    response = other_api.client.put(
        "/v1/tenant/smtp", json={**account, "password": "p"}, headers=other_api.headers
    )
    assert response.status_code == 200, response.json
    ready_to_send(other_api)
    _, dripped = approved(other_api)  # the older message: taken first in the pass
    ready_to_send(api)
    _, message = approved(api)

    assert send_due(runtime, mailer) == 2

    assert api.get(f"/v1/messages/{message['id']}").json["status"] == "sent"
    assert [r["to"] for r in inbox.received] == [["giulia@bottegarossi.it"]]
    waiting = other_api.get(f"/v1/messages/{dripped['id']}").json
    assert waiting["status"] == "approved" and waiting["next_attempt_at"] is not None  # tried again later
    assert waiting["reason"] == "TimeoutError: no answer within 0.5 s in all"
