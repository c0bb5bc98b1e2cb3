"""The portal's stories in a real browser: the client opens the link from the e-mail that asked for
feedback and approves, or asks for changes on a post; the links that no longer open show nothing.
Every portal page passes an axe scan."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from playwright.sync_api import Page, expect

from service.application.tenants import update_tenant
from tests.browser.conftest import serious_violations
from tests.conftest import Api, FakeClock
from tests.portal.conftest import link_in

SHOTS = Path("/tmp/portal-shots")
IBAN = "IT60X0542811101000000123456"


@pytest.fixture
def sent_request(app: Flask, api: Api) -> dict[str, Any]:
    """An engagement waiting for feedback, whose request was sent by e-mail; the account's IBAN on file."""
    update_tenant(app.extensions["runtime"], api.tenant_id, {"iban": IBAN, "bic": "BPMOIT22XXX"})
    engagement = api.create_engagement()
    api.fire(engagement["id"], "request_feedback", subject="Piano editoriale di gennaio")
    message = next(m for m in api.get("/v1/messages").json["items"] if "gennaio" in m["subject"])
    sent = {"sent_at": "2026-12-01T09:00:00Z", "channel": "email", "reference": "Sent from my mail"}
    assert api.post(f"/v1/messages/{message['id']}/mark-sent", json=sent).status_code == 200
    return engagement


def _shot(page: Page, name: str) -> None:
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def test_a_client_approves_from_the_feedback_email_and_the_work_resumes(
    api: Api, live_url: str, page: Page, sent_request: dict[str, Any]
) -> None:
    page.goto(live_url + link_in(api, "gennaio"))
    expect(page.get_by_role("heading", name="Cosa ci serve da voi")).to_be_visible()
    expect(
        page.get_by_text("Vi abbiamo chiesto un riscontro su «Piano editoriale di gennaio»")
    ).to_be_visible()
    expect(page.get_by_role("img", name="Codice QR per un bonifico SEPA")).to_be_visible()
    expect(page.get_by_role("link", name="Scarica Richiesta di riscontro")).to_be_visible()
    _shot(page, "portal-feedback")
    assert serious_violations(page) == []
    request = page.get_by_role("article").filter(has_text="Riscontro richiesto")
    request.get_by_label("Confermo che questa risposta è mia").check()
    request.get_by_role("button", name="Approvo").click()
    expect(page.get_by_role("status")).to_have_text("Grazie: la vostra risposta è registrata.")
    _shot(page, "portal-answered")
    assert serious_violations(page) == []
    shown = api.get(f"/v1/engagements/{sent_request['id']}").json
    assert shown["state"] == "active"
    events = api.get(f"/v1/engagements/{sent_request['id']}/events").json
    items = events["items"] if isinstance(events, dict) else events
    answered = [e for e in items if e["type"] == "client_answered"]
    assert len(answered) == 1 and answered[0]["payload"]["decision"] == "approved"
    assert api.get(f"/v1/engagements/{sent_request['id']}/events/verify").json["valid"] is True


def test_a_client_asks_for_changes_on_a_post_and_a_revision_round_is_used(
    api: Api, live_url: str, page: Page, sent_request: dict[str, Any]
) -> None:
    approval = api.post(
        f"/v1/engagements/{sent_request['id']}/approvals",
        json={"item": "Post del 12", "description": "Carosello."},
    ).json
    page.goto(live_url + link_in(api, "gennaio"))
    post = page.get_by_role("article").filter(has_text="Da approvare")
    expect(post).to_contain_text("Giri di revisione rimasti: 2 dei 2 concordati.")
    post.get_by_label("Il vostro commento").fill("Un'altra foto, per favore")
    post.get_by_label("Confermo che questa risposta è mia").check()
    post.get_by_role("button", name="Chiedo modifiche").click()
    expect(page.get_by_role("status")).to_have_text("Grazie: la vostra risposta è registrata.")
    post = page.get_by_role("article").filter(has_text="Da approvare")
    expect(post).to_contain_text("Giri di revisione rimasti: 1 dei 2 concordati.")
    _shot(page, "portal-changes")
    decided = next(
        a
        for a in api.get(f"/v1/engagements/{sent_request['id']}/approvals").json
        if a["id"] == approval["id"]
    )
    assert (decided["status"], decided["rounds"]) == ("changes_requested", 1)


def test_links_that_no_longer_open_show_nothing_and_pass_the_scan(
    api: Api, live_url: str, page: Page, sent_request: dict[str, Any], clock: FakeClock
) -> None:
    page.goto(f"{live_url}/p/not-a-link")
    expect(page.get_by_role("heading", name="This link does not open anything")).to_be_visible()
    assert serious_violations(page) == []
    clock.advance(days=40)
    page.goto(live_url + link_in(api, "gennaio"))
    expect(page.get_by_role("heading", name="Questo link è scaduto")).to_be_visible()
    expect(page.get_by_text("Bottega Rossi")).to_have_count(0)
    _shot(page, "portal-expired")
    assert serious_violations(page) == []
    page.get_by_role("button", name="Inviatemi un nuovo link").click()
    expect(page.get_by_role("status")).to_contain_text("un nuovo link vi è stato inviato")
    assert serious_violations(page) == []
