"""What the service sent is part of the evidence (issue 31, finding 6): verify and the export
check each sent e-mail's stored bytes and recipients against its ``message_sent`` entry."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest

from service.adapters.mail import SmtpMailer
from service.application.mailing import send_due
from service.application.runtime import Runtime
from service.domain.messages import Message
from tests.api.test_export import exported
from tests.conftest import Api
from tests.messages.conftest import Inbox, ready_to_send
from tests.messages.test_failing_alone import approved


def _sent(runtime: Runtime, api: Api, mailer: SmtpMailer) -> tuple[int, int]:
    ready_to_send(api)
    engagement, message = approved(api)
    assert send_due(runtime, mailer) == 1
    return engagement["id"], message["id"]


def _tamper(runtime: Runtime, api: Api, message_id: int, change: Callable[[Message], None]) -> None:
    with runtime.writer() as uow:  # as someone with the database's password would
        message = uow.messages.get(api.tenant_id, message_id)
        assert message is not None
        change(message)
        uow.commit()


def _swap_a_byte(message: Message) -> None:
    assert message.eml is not None and b"\r\nSubject: " in message.eml
    message.eml = message.eml.replace(b"\r\nSubject: ", b"\r\nSubject:  ", 1)


def _redirect(message: Message) -> None:
    message.to = ["someone.else@example.com"]


@pytest.mark.parametrize(
    ("change", "problem"),
    [(_swap_a_byte, "stored bytes do not match the sha256"), (_redirect, "recipients are not the ones")],
    ids=["bytes", "recipient"],
)
def test_a_changed_sent_message_is_named_by_verify_and_the_export(
    runtime: Runtime, api: Api, plain_smtp: tuple[Inbox, SmtpMailer], change: Any, problem: str
) -> None:
    _, mailer = plain_smtp
    eid, message_id = _sent(runtime, api, mailer)
    assert api.get(f"/v1/engagements/{eid}/events/verify").json["valid"] is True
    [entry] = [e for e in api.get(f"/v1/engagements/{eid}/events").json if e["type"] == "message_sent"]

    _tamper(runtime, api, message_id, change)

    verified = api.get(f"/v1/engagements/{eid}/events/verify").json
    assert verified["valid"] is False
    assert verified["first_broken"]["seq"] == entry["seq"]
    assert f"message {message_id}'s {problem}" in verified["first_broken"]["problem"]
    record = json.loads(exported(api, eid).read("manifest.json"))["record"]
    assert record["valid"] is False and f"message {message_id}'s {problem}" in record["problem"]
