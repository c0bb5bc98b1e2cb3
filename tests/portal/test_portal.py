"""The client's portal: what the client sees, what opening it does (nothing), how answers are
refused when they should be, and how each answer becomes the client's own record entry."""

from __future__ import annotations

import hashlib
import json
from typing import Any

from flask import Flask
from sqlalchemy import text

from tests.conftest import Api, FakeClock
from tests.portal.conftest import Client, link_in


def _state_and_record(api: Api, engagement_id: int) -> tuple[str, int, list[str]]:
    shown = api.get(f"/v1/engagements/{engagement_id}").json
    events = api.get(f"/v1/engagements/{engagement_id}/events").json
    items = events["items"] if isinstance(events, dict) else events
    return shown["state"], shown["version"], [e["type"] for e in items]


def _feedback_id(api: Api, engagement_id: int) -> int:
    """The open feedback request's id (the API's views do not show it)."""
    rt = api.client.application.extensions["runtime"]
    with rt.reader() as uow:
        engagement = uow.engagements.get(api.tenant_id, engagement_id)
        assert engagement is not None and engagement.open_feedback_request is not None
        return int(engagement.open_feedback_request.id or 0)


def test_the_page_shows_what_is_asked_in_the_engagements_language_and_opening_it_changes_nothing(
    api: Api, asked: dict[str, Any], client_of: Client
) -> None:
    before = _state_and_record(api, asked["id"])
    for _ in range(3):  # a mail scanner, a preview, the client
        page = client_of.page()
        assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert "Vi abbiamo chiesto un riscontro su «the January plan»" in text
    assert page.headers["Cache-Control"] == "no-store"
    assert page.headers["Referrer-Policy"] == "no-referrer"
    assert "default-src 'self'" in page.headers["Content-Security-Policy"]
    assert _state_and_record(api, asked["id"]) == before


def test_a_client_who_approves_returns_the_engagement_to_work_with_their_own_entry(
    app: Flask, api: Api, asked: dict[str, Any], client_of: Client
) -> None:
    waiting = asked["state"]
    answered = client_of.answer("feedback", _feedback_id(api, asked["id"]), "approved")
    assert answered.status_code == 303 and answered.headers["Location"].endswith("answered=done")
    state, _, types = _state_and_record(api, asked["id"])
    assert state != waiting and types[-2:] == ["client_answered", "transition"]
    events = api.get(f"/v1/engagements/{asked['id']}/events").json
    items = events["items"] if isinstance(events, dict) else events
    entry = next(e for e in items if e["type"] == "client_answered")["payload"]
    links = api.get(f"/v1/engagements/{asked['id']}/portal-links").json
    assert entry["link_id"] in {link["id"] for link in links}
    assert entry["contact"] == "giulia@bottegarossi.it"
    assert entry["decision"] == "approved" and entry["address"] == "127.0.0.1"
    assert entry["shown"] == "Vi abbiamo chiesto un riscontro su «the January plan» entro il 4 dicembre 2026."
    assert entry["shown_sha256"] == hashlib.sha256(entry["shown"].encode()).hexdigest()
    assert entry["consent"].startswith("Confermo che questa risposta è mia")
    token = client_of.path.rsplit("/", 1)[1]
    assert token not in str(items)  # the link's id, never its token
    transition = items[-1]["payload"]
    assert transition["by"] == "client"
    assert api.get(f"/v1/engagements/{asked['id']}/events/verify").json["valid"] is True


def test_an_answer_to_something_that_changed_since_it_was_shown_is_refused(
    api: Api, asked: dict[str, Any], client_of: Client
) -> None:
    before = _state_and_record(api, asked["id"])
    stale = client_of.answer("feedback", _feedback_id(api, asked["id"]), "approved", shown_sha256="0" * 64)
    assert stale.headers["Location"].endswith("answered=changed")
    unticked = client_of.answer("feedback", _feedback_id(api, asked["id"]), "approved", consent="")
    assert unticked.headers["Location"].endswith("answered=incomplete")
    no_comment = client_of.answer("feedback", _feedback_id(api, asked["id"]), "changes_requested")
    assert no_comment.headers["Location"].endswith("answered=incomplete")
    assert _state_and_record(api, asked["id"]) == before


def test_a_post_without_the_csrf_token_is_refused_and_records_nothing(
    api: Api, asked: dict[str, Any], client_of: Client
) -> None:
    before = _state_and_record(api, asked["id"])
    _, shown = client_of.form_values()
    data = {"decision": "approved", "consent": "yes", "shown_sha256": shown[0]}
    refused = client_of.client.post(f"{client_of.path}/feedback/{_feedback_id(api, asked['id'])}", data=data)
    assert refused.status_code == 400
    assert _state_and_record(api, asked["id"]) == before


def test_a_client_who_asks_for_changes_on_a_post_uses_up_a_revision_round(
    app: Flask, api: Api, asked: dict[str, Any], client_of: Client
) -> None:
    approval = api.post(f"/v1/engagements/{asked['id']}/approvals", json={"item": "Post 12"}).json
    assert "Giri di revisione rimasti: 2 dei 2 concordati." in client_of.page().get_data(as_text=True)
    # The feedback form comes first on the page; the approval's shown hash is the second.
    csrf, shown = client_of.form_values()
    data = {
        "csrf_token": csrf,
        "decision": "changes_requested",
        "comment": "Another photo, please",
        "consent": "yes",
        "shown_sha256": shown[1],
    }
    answered = client_of.client.post(f"{client_of.path}/approval/{approval['id']}", data=data)
    assert answered.headers["Location"].endswith("answered=done")
    decided = api.get(f"/v1/engagements/{asked['id']}/approvals").json[0]
    assert decided["rounds"] == 1 and decided["status"] == "changes_requested"
    assert "Giri di revisione rimasti: 1 dei 2 concordati." in client_of.page().get_data(as_text=True)


def test_expired_revoked_and_unknown_links_show_no_data(
    app: Flask, api: Api, asked: dict[str, Any], client_of: Client, clock: FakeClock
) -> None:
    unknown = app.test_client().get("/p/not-a-token")
    assert unknown.status_code == 404 and "Bottega" not in unknown.get_data(as_text=True)
    links = api.get(f"/v1/engagements/{asked['id']}/portal-links").json
    revoked_path = f"/v1/engagements/{asked['id']}/portal-links/{links[0]['id']}"
    # A second link, revoked; the first, left to expire.
    other = api.post(f"/v1/engagements/{asked['id']}/portal-links", json={}).json
    api.client.delete(f"/v1/engagements/{asked['id']}/portal-links/{other['id']}", headers=api.headers)
    revoked = app.test_client().get(other["url"][other["url"].index("/p/") :])
    assert revoked.status_code == 404 and "January" not in revoked.get_data(as_text=True)
    assert revoked_path  # the first link stays live until it expires
    clock.advance(days=40)  # 30 days past the feedback's due day is 3 January
    expired = client_of.page()
    text = expired.get_data(as_text=True)
    assert expired.status_code == 410 and "January" not in text and "Bottega" not in text
    assert "Inviatemi un nuovo link" in text


def test_an_expired_link_sends_one_fresh_link_to_the_address_on_file(
    app: Flask, api: Api, asked: dict[str, Any], client_of: Client, clock: FakeClock
) -> None:
    clock.advance(days=40)
    csrf = client_of.form_values()[0]
    count = len(api.get("/v1/messages").json["items"])
    for _ in range(2):  # asked twice: one letter
        sent = client_of.client.post(f"{client_of.path}/fresh-link", data={"csrf_token": csrf})
        assert sent.status_code == 303
    messages = api.get("/v1/messages").json["items"]
    assert len(messages) == count + 1
    fresh = link_in(api, "nuovo link")
    assert fresh != client_of.path and messages[0]["to"] == ["giulia@bottegarossi.it"]
    # The client is waiting for it: it leaves without the freelancer's approval (the account's
    # delivery mode here is the default, approve), unlike the letters drafted for review.
    assert api.get("/v1/tenant").json["delivery_mode"] == "approve"
    assert messages[0]["status"] == "approved"
    assert Client(app.test_client(), fresh).page().status_code == 200


def test_one_engagements_link_cannot_answer_for_another(
    app: Flask, api: Api, asked: dict[str, Any], client_of: Client
) -> None:
    theirs = api.create_engagement(client={**_client(), "name": "Altra Srl"})
    api.fire(theirs["id"], "request_feedback", subject="their plan")
    their_request = _feedback_id(api, theirs["id"])
    before = _state_and_record(api, theirs["id"])
    answered = client_of.answer("feedback", their_request, "approved")
    assert answered.status_code == 404
    approval = api.post(f"/v1/engagements/{theirs['id']}/approvals", json={"item": "Their post"}).json
    assert client_of.answer("approval", approval["id"], "approved").status_code == 404
    assert _state_and_record(api, theirs["id"])[0] == before[0]


def _client() -> dict[str, str]:
    return {
        "name": "Altra Srl",
        "contact_name": "Ugo Neri",
        "email": "ugo@altra.example",
        "address": "Via Po 3",
    }


def test_verification_names_a_tampered_client_answer(
    app: Flask, api: Api, asked: dict[str, Any], client_of: Client
) -> None:
    client_of.answer(
        "feedback", _feedback_id(api, asked["id"]), "changes_requested", comment="Shorter, please"
    )
    events = api.get(f"/v1/engagements/{asked['id']}/events").json
    items = events["items"] if isinstance(events, dict) else events
    entry = next(e for e in items if e["type"] == "client_answered")
    altered = json.dumps({**entry["payload"], "decision": "approved"})
    with app.extensions["sql_engine"].begin() as connection:
        connection.execute(
            text("UPDATE events SET payload = CAST(:p AS JSON) WHERE engagement_id = :e AND seq = :s"),
            {"p": altered, "e": asked["id"], "s": entry["seq"]},
        )
    verified = api.get(f"/v1/engagements/{asked['id']}/events/verify").json
    assert verified["first_broken"] == {
        "seq": entry["seq"],
        "problem": f"entry {entry['seq']} was altered after it was written",
    }
