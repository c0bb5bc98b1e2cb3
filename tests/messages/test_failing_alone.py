"""A message whose stored data or whose server fails, fails alone (issue 31, findings 1 and 2).

Bad values are written straight into the database, as a row stored before input was checked:
the API refuses them today.
"""

from __future__ import annotations

import email
from email import policy
from email.header import decode_header, make_header
from typing import Any

from service.adapters.mail import SmtpMailer
from service.application.mailing import send_due
from service.application.runtime import Runtime
from service.domain.messages import SEND_RETRY_SCHEDULE
from tests.api.test_offboarding_journeys import fire_ok, handover
from tests.conftest import Api, FakeClock
from tests.messages.conftest import Inbox, ready_to_send


def approved(api: Api, **client: Any) -> tuple[dict[str, Any], dict[str, Any]]:
    engagement = api.create_engagement()
    assert api.fire(engagement["id"], "request_feedback", subject="Piano editoriale").status_code == 200
    [message] = [
        m
        for m in api.get("/v1/messages?status=draft").json["items"]
        if m["engagement_id"] == engagement["id"]
    ]
    assert api.post(f"/v1/messages/{message['id']}/approve").status_code == 200
    return engagement, message


def _entries(api: Api, engagement_id: int, type_: str) -> list[dict[str, Any]]:
    return [e for e in api.get(f"/v1/engagements/{engagement_id}/events").json if e["type"] == type_]


def _store_tenant_name(runtime: Runtime, tenant_id: int, name: str) -> None:
    with runtime.writer() as uow:
        tenant = uow.tenants.get(tenant_id)
        assert tenant is not None
        tenant.name = name
        uow.commit()


def test_a_stored_name_with_a_line_break_is_encoded_not_sent_as_a_header(
    runtime: Runtime, api: Api, plain_smtp: tuple[Inbox, SmtpMailer]
) -> None:
    inbox, mailer = plain_smtp
    ready_to_send(api)
    for name in ("Studio\r\nBcc: eve@attacker.example", "Studio\nX-Injected: 1", "Studio\rBianchi"):
        _store_tenant_name(runtime, api.tenant_id, name)
        _, message = approved(api)

        assert send_due(runtime, mailer) == 1

        assert api.get(f"/v1/messages/{message['id']}").json["status"] == "sent"
        data = inbox.received[-1]["data"]
        parsed = email.message_from_bytes(data, policy=policy.compat32)
        assert parsed["Bcc"] is None and parsed["X-Injected"] is None  # no header of its own
        assert str(make_header(decode_header(parsed["From"]))).startswith("Studio")
        assert inbox.received[-1]["to"] == ["giulia@bottegarossi.it"]


def test_a_message_that_cannot_be_built_fails_alone_after_its_attempts(
    runtime: Runtime, api: Api, other_api: Api, plain_smtp: tuple[Inbox, SmtpMailer], clock: FakeClock
) -> None:
    inbox, mailer = plain_smtp
    ready_to_send(api)
    ready_to_send(other_api)
    engagement, broken = approved(api)
    with runtime.writer() as uow:  # a recipient stored before addresses were checked
        stored = uow.messages.get(api.tenant_id, broken["id"])
        assert stored is not None
        stored.to = ["giulia@bottegarossi.it\nBcc: eve@attacker.example"]
        uow.commit()
    _, fine = approved(other_api)

    assert send_due(runtime, mailer) == 2  # the dispatcher did not stop at the broken one

    assert api.get(f"/v1/messages/{fine['id']}", headers=other_api.headers).json["status"] == "sent"
    waiting = api.get(f"/v1/messages/{broken['id']}").json
    assert waiting["status"] == "approved" and "HeaderParseError" in waiting["reason"]
    for delay in SEND_RETRY_SCHEDULE[1:]:
        clock.advance(seconds=delay.total_seconds())
        assert send_due(runtime, mailer) == 1
    failed = api.get(f"/v1/messages/{broken['id']}").json
    assert failed["status"] == "failed" and "HeaderParseError" in failed["reason"]
    [entry] = _entries(api, engagement["id"], "message_failed")
    assert "HeaderParseError" in entry["payload"]["reason"]
    assert len(inbox.received) == 1  # only the other tenant's message ever left


def test_a_message_approved_before_closing_is_sent_and_recorded_after_it(
    runtime: Runtime, api: Api, plain_smtp: tuple[Inbox, SmtpMailer], clock: FakeClock
) -> None:
    """Finding 2's steps: the server answers 451, the engagement closes, the server accepts."""
    inbox, mailer = plain_smtp
    ready_to_send(api)
    engagement, message = approved(api)
    inbox.answer = "451 4.3.0 Try again later"
    assert send_due(runtime, mailer) == 1
    assert api.get(f"/v1/messages/{message['id']}").json["status"] == "approved"

    fire_ok(api, engagement["id"], "begin_offboarding", reason="mutual", explanation="Budget cuts")
    closed = _close(api, engagement["id"])
    # Closing names what is still on its way, in the record.
    assert closed["event"]["payload"]["messages_in_flight"] == [message["id"]]

    inbox.answer = "250 2.0.0 Ok: queued as 4F2A"
    clock.advance(seconds=SEND_RETRY_SCHEDULE[1].total_seconds())
    assert send_due(runtime, mailer) == 1

    sent = api.get(f"/v1/messages/{message['id']}").json
    assert sent["status"] == "sent" and len(inbox.received) == 1
    [entry] = _entries(api, engagement["id"], "message_sent")
    assert entry["payload"]["sha256"] == sent["sha256"]
    verified = api.get(f"/v1/engagements/{engagement['id']}/events/verify").json
    assert verified["valid"] is True and verified["head"] == entry["hash"]  # chained like any other


def _close(api: Api, engagement_id: int) -> dict[str, Any]:
    """Every handover item waived (the December fee is unpaid), then closed."""
    for item in api.get(f"/v1/engagements/{engagement_id}/handover").json:
        assert handover(api, engagement_id, item["id"], "waive", "Not wanted").status_code == 200
    return fire_ok(api, engagement_id, "close")
