"""A tenant's own SMTP account (a PEC mailbox): sealed at rest, never shown, used to send."""

from __future__ import annotations

import email
from pathlib import Path

import pytest
from cryptography.fernet import Fernet
from flask import Flask
from sqlalchemy import select

from service.adapters.mail import SmtpMailer
from service.adapters.orm import tenant_smtp_accounts
from service.adapters.secret_box import SecretBox
from service.application.mailing import send_due
from service.application.runtime import Runtime
from service.application.smtp_accounts import rotate_secrets
from tests.conftest import Api
from tests.messages.conftest import PASSWORD, USER, Inbox, ready_to_send


@pytest.fixture
def sealed(runtime: Runtime, monkeypatch: pytest.MonkeyPatch, certificate: tuple[Path, Path]) -> str:
    key = Fernet.generate_key().decode()
    monkeypatch.setattr(runtime, "secrets", SecretBox(key))
    monkeypatch.setattr(runtime, "smtp_ca_file", str(certificate[0]))
    return key


def _account(mailer: SmtpMailer, **changes: object) -> dict[str, object]:
    return {
        "host": mailer.host,
        "port": mailer.port,
        "security": "starttls",
        "username": USER,
        "password": PASSWORD,
        "channel": "pec",
        "from_address": "studio.bianchi@pec.it",
        **changes,
    }


def _stored(app: Flask) -> str:
    with app.extensions["sql_engine"].connect() as connection:
        return connection.execute(select(tenant_smtp_accounts.c.password_sealed)).scalar_one()


def test_without_a_sealing_key_no_password_is_stored(
    runtime: Runtime, api: Api, tls_smtp: tuple[Inbox, SmtpMailer], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(runtime, "secrets", None)
    refused = api.client.put("/v1/tenant/smtp", json=_account(tls_smtp[1]), headers=api.headers)
    assert refused.status_code == 503 and "SMTP_SECRET_KEYS" in refused.json["detail"]


def test_the_password_is_sealed_and_never_shown(
    app: Flask, api: Api, sealed: str, tls_smtp: tuple[Inbox, SmtpMailer]
) -> None:
    saved = api.client.put("/v1/tenant/smtp", json=_account(tls_smtp[1]), headers=api.headers)
    assert saved.status_code == 200, saved.json
    shown = api.get("/v1/tenant/smtp")
    for answer in (saved, shown):
        assert PASSWORD not in answer.get_data(as_text=True) and answer.json["password_set"] is True
    stored = _stored(app)
    assert PASSWORD not in stored and SecretBox(sealed).open(stored) == PASSWORD
    assert api.client.delete("/v1/tenant/smtp", headers=api.headers).status_code == 204
    assert api.get("/v1/tenant/smtp").status_code == 404


def test_messages_go_through_the_tenants_pec_mailbox(
    runtime: Runtime, api: Api, sealed: str, tls_smtp: tuple[Inbox, SmtpMailer]
) -> None:
    inbox, server = tls_smtp
    api.client.put("/v1/tenant/smtp", json=_account(server), headers=api.headers)
    ready_to_send(api)
    engagement = api.create_engagement()
    api.fire(engagement["id"], "request_feedback", subject="Piano")
    [message] = api.get("/v1/messages?status=draft").json["items"]
    assert message["channel"] == "pec"
    api.post(f"/v1/messages/{message['id']}/approve")

    assert send_due(runtime, None) == 1  # no deployment relay: the tenant's own account sends

    assert inbox.logins == [USER]
    [received] = inbox.received
    assert received["from"] == "studio.bianchi@pec.it"
    assert email.message_from_bytes(received["data"])["Reply-To"] == "anna@studiobianchi.it"


def test_rotating_the_key_reseals_every_password(
    app: Flask,
    runtime: Runtime,
    api: Api,
    sealed: str,
    tls_smtp: tuple[Inbox, SmtpMailer],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    api.client.put("/v1/tenant/smtp", json=_account(tls_smtp[1]), headers=api.headers)
    new_key = Fernet.generate_key().decode()
    monkeypatch.setattr(runtime, "secrets", SecretBox(f"{new_key},{sealed}"))
    assert rotate_secrets(runtime) == 1
    assert SecretBox(new_key).open(_stored(app)) == PASSWORD  # the old key is no longer needed
