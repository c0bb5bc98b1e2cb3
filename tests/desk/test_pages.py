"""The desk's pages over the same use cases as the API: what one sees, and another account never."""

from __future__ import annotations

import re

import pytest
from flask import Flask

from tests.conftest import Api
from tests.desk.conftest import Desk

NEW = {
    "client.name": "Bottega Rossi & Figli <srl>",
    "client.email": "giulia@bottegarossi.it",
    "client.address": "Via Roma 1, 20121 Milano",
    "language": "it",
    "currency": "EUR",
    "monthly_fee": "1200.00",
    "start_date": "2026-12-01",
    "payment_terms.due_day": "1",
    "services": "Piano editoriale Instagram\nReport mensile",
}


def _engagement_id(answer) -> int:
    found = re.search(r"/app/engagements/(\d+)$", answer.headers["Location"])
    assert found, answer.headers.get("Location")
    return int(found.group(1))


def test_an_engagement_made_on_the_desk_is_the_apis_with_its_contract(desk: Desk, api: Api) -> None:
    answer = desk.post("/app/engagements", NEW, page="/app/engagements/new")
    assert answer.status_code == 303
    engagement_id = _engagement_id(answer)
    made = api.get(f"/v1/engagements/{engagement_id}").json
    assert made["client"]["name"] == "Bottega Rossi & Figli <srl>"
    assert made["monthly_fee"] == "1200.00" and made["services"] == [
        "Piano editoriale Instagram",
        "Report mensile",
    ]
    assert [d["kind"] for d in api.get(f"/v1/engagements/{engagement_id}/documents").json] == ["contract"]
    page = desk.get(f"/app/engagements/{engagement_id}").get_data(as_text=True)
    assert "Bottega Rossi &amp; Figli &lt;srl&gt;" in page  # client text is data, escaped
    assert "<srl>" not in page


def test_a_bad_field_is_named_and_nothing_is_made(desk: Desk, api: Api) -> None:
    answer = desk.post("/app/engagements", {**NEW, "monthly_fee": "twelve"}, page="/app/engagements/new")
    assert answer.status_code == 422
    page = answer.get_data(as_text=True)
    field = re.search(r'<input id="monthly_fee"[^>]*>\s*<small id="monthly_fee-error">([^<]*)', page)
    assert field and 'value="twelve"' in field.group(0) and 'aria-invalid="true"' in field.group(0)
    assert "al massimo due decimali" in field.group(1)  # the Italian desk says it in Italian (issue 30)
    assert api.get("/v1/engagements").json["items"] == []


def test_a_trigger_fired_on_the_desk_moves_the_state_and_its_letter_waits_in_the_outbox(
    desk: Desk, api: Api
) -> None:
    engagement_id = api.create_engagement()["id"]
    page = f"/app/engagements/{engagement_id}"
    answer = desk.post(
        f"{page}/transitions", {"trigger": "request_feedback", "subject": "Piano di gennaio"}, page=page
    )
    assert answer.status_code == 303
    assert api.get(f"/v1/engagements/{engagement_id}").json["state"] == "awaiting_feedback"
    drafts = api.get("/v1/messages?status=draft").json["items"]
    assert len(drafts) == 1
    today = desk.get("/app/today").get_data(as_text=True)
    assert drafts[0]["subject"] in today  # the letter waiting for approval, with its action
    assert desk.post(f"/app/messages/{drafts[0]['id']}/approve", page="/app/outbox").status_code == 303
    assert api.get(f"/v1/messages/{drafts[0]['id']}").json["status"] == "approved"


def test_a_blocked_trigger_shows_its_reason_and_changes_nothing(desk: Desk, api: Api) -> None:
    engagement_id = api.create_engagement()["id"]
    page = f"/app/engagements/{engagement_id}"
    answer = desk.post(f"{page}/transitions", {"trigger": "issue_conduct_warning", "reason": "x"}, page=page)
    assert answer.status_code == 422
    assert api.get(f"/v1/engagements/{engagement_id}").json["version"] == 1


def test_a_payment_recorded_on_the_desk_lowers_the_balance(desk: Desk, api: Api) -> None:
    engagement_id = api.create_engagement()["id"]
    api.post("/v1/clock/tick")
    before = api.get(f"/v1/engagements/{engagement_id}").json["balance_due"]
    page = f"/app/engagements/{engagement_id}"
    answer = desk.post(
        f"{page}/payments",
        {"amount": "200.00", "received_on": "2026-12-01", "reference": "Bonifico"},
        page=page,
    )
    assert answer.status_code == 303
    after = api.get(f"/v1/engagements/{engagement_id}").json["balance_due"]
    assert float(before) - float(after) == pytest.approx(200.0)


ROUTES = [
    ("get", "/app/engagements/{e}"),
    ("post", "/app/engagements/{e}/transitions"),
    ("post", "/app/engagements/{e}/payments"),
    ("post", "/app/engagements/{e}/handover/{h}"),
    ("get", "/app/engagements/{e}/export"),
    ("get", "/app/documents/{d}"),
    ("get", "/app/messages/{m}"),
    ("post", "/app/messages/{m}/approve"),
    ("post", "/app/messages/{m}/discard"),
    ("post", "/app/messages/{m}/edit"),
    ("post", "/app/settings/keys/{k}/revoke"),
    ("post", "/app/settings/users/{u}/disable"),
]


@pytest.mark.parametrize(("method", "route"), ROUTES)
def test_another_accounts_things_are_not_found_on_every_route(
    app: Flask, desk: Desk, other_api: Api, method: str, route: str
) -> None:
    theirs = other_api.create_engagement()
    other_api.fire(theirs["id"], "request_feedback", subject="Their plan")
    message = other_api.get("/v1/messages?status=draft").json["items"][0]
    document = other_api.get(f"/v1/engagements/{theirs['id']}/documents").json[0]
    other_api.post("/v1/tenant/keys", json={"name": "spare"})  # so that theirs is not the last key
    key = other_api.get("/v1/tenant/keys").json["items"][0]
    user = app.extensions["people"].create_user(other_api.tenant_id, "someone@else.example", "x" * 12)
    path = route.format(e=theirs["id"], d=document["id"], m=message["id"], h=1, k=key["id"], u=user)
    data = {
        "trigger": "receive_feedback",
        "amount": "1.00",
        "received_on": "2026-12-01",
        "reason": "x",
        "action": "waive",
        "to": "someone@else.example",
        "body": "Not theirs to change",
    }
    answer = desk.get(path) if method == "get" else desk.post(path, data, page="/app/today")
    assert answer.status_code == 404
    assert other_api.get(f"/v1/messages/{message['id']}").json["status"] == "draft"
    assert other_api.get(f"/v1/engagements/{theirs['id']}").json["state"] == "awaiting_feedback"
    assert other_api.get("/v1/tenant/keys").json["items"][0]["status"] == "active"
    assert app.extensions["people"].list_users(other_api.tenant_id)[0].disabled_at is None


def test_pages_forbid_other_hosts_scripts_and_framing(desk: Desk) -> None:
    headers = desk.get("/app/today").headers
    assert headers["Content-Security-Policy"].startswith("default-src 'self'")
    assert "frame-ancestors 'none'" in headers["Content-Security-Policy"]
    assert headers["Cache-Control"] == "no-store"
