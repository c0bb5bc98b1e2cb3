"""Issue 30, item 5: every letter to the client can leave with proof.

The diffida, the final notice, the statement and the closing record draft a message like every
other notice; legal letters go by PEC where the client has one (else by e-mail, with the advice
to send them by registered post too); a PEC delivery receipt starts the diffida's term; a
sandbox's approved messages leave, dated by its own clock, and an approved message says what it
waits for.
"""

from __future__ import annotations

import email
from email import policy
from typing import Any

from service.adapters.mail import SmtpMailer
from service.application.mailing import send_due
from service.application.runtime import Runtime
from tests.api.test_offboarding_journeys import document_text
from tests.conftest import Api, FakeClock, engagement_body
from tests.messages.conftest import Inbox, ready_to_send
from tests.messages.test_receipts import _upload, pec_receipt

CLIENT_PEC = "bottegarossi@pec.it"


def _with_client(**client: str) -> dict[str, Any]:
    return {**engagement_body()["client"], **client}


def _paused(api: Api, clock: FakeClock, **client: str) -> int:
    """An engagement whose December invoice is unpaid past its grace: paused on Wed 9 December."""
    eid = api.create_engagement(client=_with_client(**client))["id"]
    clock.advance(days=8)
    assert api.post("/v1/clock/tick").status_code == 200
    assert api.get(f"/v1/engagements/{eid}").json["state"] == "paused"
    return eid


def _message_of(api: Api, eid: int, kind: str) -> dict[str, Any]:
    [document] = [d for d in api.get(f"/v1/engagements/{eid}/documents").json if d["kind"] == kind][-1:]
    messages = api.get("/v1/messages?limit=100").json["items"]
    [message] = [m for m in messages if m["document_id"] == document["id"]]
    return message


def test_every_letter_to_the_client_drafts_a_message(api: Api, clock: FakeClock) -> None:
    eid = _paused(api, clock)
    assert api.fire(eid, "send_formal_demand").status_code == 200
    assert api.post(f"/v1/engagements/{eid}/documents", json={"kind": "statement"}).status_code == 201
    for kind in ("formal_demand", "statement"):
        assert _message_of(api, eid, kind)["status"] == "draft", kind

    silent = api.create_engagement()["id"]
    paid = {"amount": "1200.00", "received_on": "2026-12-09", "reference": "Bonifico"}
    assert api.post(f"/v1/engagements/{silent}/payments", json=paid).status_code == 201
    api.fire(silent, "request_feedback", subject="Piano di gennaio")
    for _ in range(2):  # the two promised reminders
        clock.advance(days=7)
        api.post("/v1/clock/tick")
    assert api.fire(silent, "send_final_notice").status_code == 200
    assert _message_of(api, silent, "final_notice")["status"] == "draft"

    ending = api.create_engagement()["id"]
    api.fire(ending, "begin_offboarding", reason="other", explanation="Cambio di strategia")
    for item in api.get(f"/v1/engagements/{ending}/handover").json:
        api.post(
            f"/v1/engagements/{ending}/handover/{item['id']}", json={"action": "waive", "reason": "Fatto"}
        )
    assert api.fire(ending, "close").status_code == 200
    assert _message_of(api, ending, "closing_record")["status"] == "draft"


def test_a_legal_letter_goes_by_pec_where_the_client_has_one(api: Api, clock: FakeClock) -> None:
    by_pec = _paused(api, clock, pec=CLIENT_PEC)
    api.fire(by_pec, "send_formal_demand")
    message = _message_of(api, by_pec, "formal_demand")
    assert (message["channel"], message["to"], message["note"]) == ("pec", [CLIENT_PEC], None)
    assert "a mezzo posta elettronica certificata (PEC) all'indirizzo bottegarossi@pec.it" in _text(
        api, by_pec, "formal_demand"
    )
    reminder = _message_of(api, by_pec, "payment_reminder")  # not a legal letter: by e-mail
    assert (reminder["channel"], reminder["to"], reminder["note"]) == (
        "email",
        ["giulia@bottegarossi.it"],
        None,
    )


def test_without_pec_a_legal_letter_goes_by_email_with_registered_post_advised(
    api: Api, clock: FakeClock
) -> None:
    eid = _paused(api, clock)
    api.fire(eid, "send_formal_demand")
    message = _message_of(api, eid, "formal_demand")
    assert (message["channel"], message["to"]) == ("email", ["giulia@bottegarossi.it"])
    assert "raccomandata con avviso di ricevimento" in message["note"]
    assert "per e-mail all'indirizzo giulia@bottegarossi.it" in _text(api, eid, "formal_demand")


def test_a_pec_delivery_receipt_starts_the_diffidas_term(api: Api, clock: FakeClock) -> None:
    eid = _paused(api, clock, pec=CLIENT_PEC)
    sent = api.fire(eid, "send_formal_demand")  # Wed 9 December + 15 days: Thu 24 December
    assert sent.json["event"]["payload"]["deadline"] == "2026-12-24"
    message = _message_of(api, eid, "formal_demand")
    marked = api.post(
        f"/v1/messages/{message['id']}/mark-sent",
        json={"channel": "pec", "reference": "opec210.20261209", "sent_at": "2026-12-09T09:00:00Z"},
    )
    assert marked.status_code == 200, marked.json
    accepted = _upload(api, message["id"], pec_receipt("accettazione", message["message_id"]))
    assert accepted.status_code == 201
    assert _entries(api, eid, "pec_receipt")[-1]["payload"].get("deadline") is None  # not yet delivered

    # Delivered on Fri 11 December: + 15 days is Sat 26 (Santo Stefano), then Sunday: Mon 28.
    delivered = pec_receipt("avvenuta-consegna", message["message_id"], "Fri, 11 Dec 2026 10:00:09 +0100")
    assert _upload(api, message["id"], delivered).status_code == 201
    entry = _entries(api, eid, "pec_receipt")[-1]["payload"]
    assert (entry["delivered_on"], entry["deadline"]) == ("2026-12-11", "2026-12-28")
    clock.advance(days=16)  # Fri 25 December: past the first deadline, within the one from delivery
    blocked = api.fire(eid, "begin_offboarding", reason="non_payment")
    assert blocked.status_code == 422
    assert any(
        "28 dicembre 2026" in sentence for sentence in blocked.json["blocked_by"]
    )  # Italian: the day in words


def test_a_pec_letter_waits_for_a_pec_mailbox_and_says_so(
    runtime: Runtime, api: Api, clock: FakeClock, plain_smtp: tuple[Inbox, SmtpMailer]
) -> None:
    ready_to_send(api)
    eid = _paused(api, clock, pec=CLIENT_PEC)
    api.fire(eid, "send_formal_demand")
    message = _message_of(api, eid, "formal_demand")
    approved = api.post(f"/v1/messages/{message['id']}/approve").json
    assert "dispatcher" in approved["waiting_for"]
    send_due(runtime, plain_smtp[1])  # the deployment's relay is plain e-mail, not PEC
    shown = api.get(f"/v1/messages/{message['id']}").json
    assert shown["status"] == "approved" and plain_smtp[0].received == []
    assert "PEC" in shown["waiting_for"] and "PUT /v1/tenant/smtp" in shown["waiting_for"]


def test_a_sandbox_message_leaves_dated_by_the_sandbox_clock(
    runtime: Runtime, sandbox_api: Api, plain_smtp: tuple[Inbox, SmtpMailer]
) -> None:
    api = sandbox_api
    ready_to_send(api)
    eid = api.create_engagement()["id"]
    assert api.post("/v1/clock/tick", json={"as_of": "2027-01-20T09:00:00Z"}).status_code == 200
    api.fire(eid, "request_feedback", subject="Piano")
    [message] = api.get("/v1/messages?status=draft").json["items"][:1]
    assert api.post(f"/v1/messages/{message['id']}/approve").status_code == 200
    assert send_due(runtime, plain_smtp[1]) == 1  # the real clock is still 1 December 2026
    sent = api.get(f"/v1/messages/{message['id']}").json
    assert sent["status"] == "sent" and sent["sent_at"].startswith("2027-01-20T09:00")
    received = email.message_from_bytes(plain_smtp[0].received[-1]["data"], policy=policy.default)
    assert "20 Jan 2027" in received["Date"]


def _text(api: Api, eid: int, kind: str) -> str:
    return document_text(api, eid, kind).replace("\xa0", " ")


def _entries(api: Api, eid: int, kind: str) -> list[dict[str, Any]]:
    return [e for e in api.get(f"/v1/engagements/{eid}/events").json if e["type"] == kind]


def test_a_client_without_email_is_reached_by_pec_or_by_post(api: Api) -> None:
    client = engagement_body()["client"]
    del client["email"]
    nowhere = api.post("/v1/engagements", json=engagement_body(client={**client, "address": ""}))
    assert nowhere.status_code == 422 and "PEC" in nowhere.json["errors"]["client.email"][0]

    by_pec = api.create_engagement(client={**client, "pec": CLIENT_PEC})["id"]
    api.fire(by_pec, "request_feedback", subject="Piano")
    message = _message_of(api, by_pec, "feedback_request")
    assert (message["channel"], message["to"]) == ("pec", [CLIENT_PEC])

    by_post = api.create_engagement(client=client)["id"]
    api.fire(by_post, "request_feedback", subject="Piano")
    message = _message_of(api, by_post, "feedback_request")
    assert (message["channel"], message["to"]) == ("post", [])
    assert "stampate la lettera" in message["note"]
    refused = api.post(f"/v1/messages/{message['id']}/approve")
    assert refused.status_code == 409 and "raccomandata" in refused.json["detail"]
    posted = api.post(
        f"/v1/messages/{message['id']}/mark-sent",
        json={"channel": "post", "reference": "Raccomandata 1234", "sent_at": "2026-12-01T08:00:00Z"},
    )
    assert posted.status_code == 200 and posted.json["status"] == "sent"
