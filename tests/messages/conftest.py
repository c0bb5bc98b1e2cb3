"""A real SMTP server (aiosmtpd) in the test process: plain, or STARTTLS with AUTH."""

from __future__ import annotations

import socket
import ssl
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

from service.adapters.mail import SmtpMailer
from tests.conftest import Api

USER, PASSWORD = "studio", "s3cret pass"


@dataclass
class Inbox:
    received: list[dict[str, Any]] = field(default_factory=list)
    logins: list[str] = field(default_factory=list)
    answer: str = "250 2.0.0 Ok: queued as 4F2A"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        if self.answer.startswith("250"):
            self.received.append(
                {"from": envelope.mail_from, "to": list(envelope.rcpt_tos), "data": envelope.original_content}
            )
        return self.answer


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="session")
def certificate(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    folder = tmp_path_factory.mktemp("tls")
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(
        [
            "openssl",
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-keyout",
            str(key),
            "-out",
            str(cert),
            "-days",
            "2",
            "-subj",
            "/CN=127.0.0.1",
            "-addext",
            "subjectAltName=IP:127.0.0.1",
        ],
        check=True,
        capture_output=True,
    )
    return cert, key


@pytest.fixture
def plain_smtp() -> Iterator[tuple[Inbox, SmtpMailer]]:
    """No TLS, no AUTH: a relay on the same host."""
    with running_plain_smtp() as running:
        yield running


@contextmanager
def running_plain_smtp() -> Iterator[tuple[Inbox, SmtpMailer]]:
    """The ``plain_smtp`` relay outside pytest too (the bench sends through it)."""
    inbox = Inbox()
    port = _free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield inbox, SmtpMailer.from_url(f"smtp://127.0.0.1:{port}")
    finally:
        controller.stop()


@pytest.fixture
def tls_smtp(certificate: tuple[Path, Path]) -> Iterator[tuple[Inbox, SmtpMailer]]:
    """STARTTLS required, then AUTH required, as a provider's submission port."""
    inbox = Inbox()
    cert, key = certificate
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert, key)

    def authenticate(server: Any, session: Any, envelope: Any, mechanism: str, data: Any) -> AuthResult:
        ok = isinstance(data, LoginPassword) and (data.login, data.password) == (
            USER.encode(),
            PASSWORD.encode(),
        )
        if ok:
            inbox.logins.append(data.login.decode())
        return AuthResult(success=ok)

    port = _free_port()
    controller = Controller(
        inbox,
        hostname="127.0.0.1",
        port=port,
        tls_context=context,
        require_starttls=True,
        authenticator=authenticate,
        auth_required=True,
    )
    controller.start()
    try:
        yield inbox, SmtpMailer.from_url(f"smtp://{USER}:s3cret%20pass@127.0.0.1:{port}", ca_file=str(cert))
    finally:
        controller.stop()


def ready_to_send(api: Api) -> None:
    response = api.patch("/v1/tenant", json={"email": "anna@studiobianchi.it", "signatory": "Anna Bianchi"})
    assert response.status_code == 200, response.json
