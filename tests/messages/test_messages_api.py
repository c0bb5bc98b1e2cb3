"""Approve before send: the draft list, editing, discarding, .eml download, and sent by hand."""

from __future__ import annotations

import email
from email import policy
from typing import Any

from flask import Flask
from sqlalchemy import select

from service.adapters.orm import outbox
from service.application.tenants import update_tenant
from tests.conftest import Api, FakeClock
from tests.messages.conftest import ready_to_send


def _draft(api: Api, **changes: Any) -> dict[str, Any]:
    engagement = api.create_engagement(**changes)
    assert api.fire(engagement["id"], "request_feedback", subject="Piano di dicembre").status_code == 200
    return api.get("/v1/messages?status=draft").json["items"][0]


def test_a_draft_can_be_edited_until_it_is_approved(api: Api) -> None:
    ready_to_send(api)
    message = _draft(api)
    path = f"/v1/messages/{message['id']}"
    edited = api.patch(
        path,
        json={
            "to": ["amministrazione@bottegarossi.it"],
            "cc": ["giulia@bottegarossi.it"],
            "subject": "Piano",
            "body": "Gentile Giulia,\n...",
        },
    )
    assert edited.status_code == 200
    assert (edited.json["to"], edited.json["cc"], edited.json["subject"]) == (
        ["amministrazione@bottegarossi.it"],
        ["giulia@bottegarossi.it"],
        "Piano",
    )
    assert api.patch(path, json={"document_id": 1}).status_code == 422  # the attachment is the document
    assert api.post(f"{path}/approve").json["status"] == "approved"
    refused = api.patch(path, json={"subject": "Later"})
    assert refused.status_code == 409 and "draft" in refused.json["detail"]
    assert api.get("/v1/messages?status=draft").json["items"] == []
    assert [m["id"] for m in api.get("/v1/messages?status=approved").json["items"]] == [message["id"]]


def test_discarding_needs_a_reason_and_joins_the_record(api: Api) -> None:
    message = _draft(api)
    assert api.post(f"/v1/messages/{message['id']}/discard", json={}).status_code == 422
    discarded = api.post(f"/v1/messages/{message['id']}/discard", json={"reason": "Told her by phone"})
    assert discarded.json["status"] == "discarded" and discarded.json["reason"] == "Told her by phone"
    events = api.get(f"/v1/engagements/{message['engagement_id']}/events").json
    assert (
        events[-1]["type"] == "message_discarded" and events[-1]["payload"]["reason"] == "Told her by phone"
    )
    assert api.post(f"/v1/messages/{message['id']}/approve").status_code == 409


def test_the_eml_carries_the_notice_to_send_from_ones_own_client(api: Api) -> None:
    ready_to_send(api)
    message = _draft(api)
    response = api.get(f"/v1/messages/{message['id']}/eml")
    assert response.status_code == 200 and response.mimetype == "message/rfc822"
    assert response.headers["Content-Disposition"] == f'attachment; filename="message-{message["id"]}.eml"'
    parsed = email.message_from_bytes(response.data, policy=policy.default)
    assert parsed["Message-ID"] == message["message_id"]
    assert parsed["Subject"] == message["subject"]
    assert parsed["To"] == "giulia@bottegarossi.it"
    assert parsed["Reply-To"] == "anna@studiobianchi.it"
    [attachment] = list(parsed.iter_attachments())
    assert attachment.get_content() == api.get(f"/v1/documents/{message['document_id']}/content").data
    assert parsed.get_body(("plain",)).get_content().rstrip("\n") == message["body"].rstrip("\n")


def test_a_message_sent_by_hand_is_recorded(api: Api, clock: FakeClock) -> None:
    message = _draft(api)
    body = {"sent_at": "2026-12-01T08:30:00+00:00", "channel": "pec", "reference": "Ricevuta di consegna 123"}
    marked = api.post(f"/v1/messages/{message['id']}/mark-sent", json=body)
    assert marked.status_code == 200
    assert (marked.json["status"], marked.json["channel"], marked.json["reference"]) == (
        "sent",
        "pec",
        "Ricevuta di consegna 123",
    )
    [entry] = [
        e
        for e in api.get(f"/v1/engagements/{message['engagement_id']}/events").json
        if e["type"] == "message_sent"
    ]
    assert entry["payload"]["by"] == "hand" and entry["payload"]["reference"] == "Ricevuta di consegna 123"
    future = {**body, "sent_at": "2027-01-01T00:00:00+00:00"}
    other = _draft(api)
    assert api.post(f"/v1/messages/{other['id']}/mark-sent", json=future).status_code == 422


def test_message_sent_is_announced_through_the_outbox(app: Flask, api: Api) -> None:
    message = _draft(api)
    body = {"sent_at": "2026-12-01T08:30:00+00:00", "channel": "email", "reference": "Sent from Outlook"}
    api.post(f"/v1/messages/{message['id']}/mark-sent", json=body)
    with app.extensions["sql_engine"].connect() as connection:
        types = [row.type for row in connection.execute(select(outbox.c.type).order_by(outbox.c.id))]
    assert types[-1] == "message.sent"


def test_auto_mode_approves_at_once_and_manual_never_sends(api: Api) -> None:
    ready_to_send(api)
    api.patch("/v1/tenant", json={"delivery_mode": "auto"})
    engagement = api.create_engagement()
    api.fire(engagement["id"], "request_feedback", subject="Piano di dicembre")
    assert api.get("/v1/messages?status=draft").json["items"] == []
    [approved] = api.get("/v1/messages?status=approved").json["items"]
    assert approved["engagement_id"] == engagement["id"]
    api.patch("/v1/tenant", json={"delivery_mode": "manual"})
    manual = _draft(api)
    refused = api.post(f"/v1/messages/{manual['id']}/approve")
    assert refused.status_code == 409 and "manual" in refused.json["detail"]
    assert api.get("/v1/tenant").json["delivery_mode"] == "manual"


def test_approval_needs_a_sender_address(app: Flask, api: Api) -> None:
    message = _draft(api)  # letters need the address now (issue 16): it goes after the draft
    update_tenant(app.extensions["runtime"], api.tenant_id, {"sender_email": ""})
    refused = api.post(f"/v1/messages/{message['id']}/approve")
    assert refused.status_code == 422 and "email" in refused.json["errors"]
