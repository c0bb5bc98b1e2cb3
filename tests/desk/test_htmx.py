"""The one-click actions answer htmx with the part of the page they replace, and anyone else
(no JavaScript) with a redirect to the full page, as before; refusals come back in the part."""

from __future__ import annotations

import html
import json
import re
from typing import Any

from tests.conftest import Api
from tests.desk.conftest import Desk

HTMX = {"HX-Request": "true"}


def _htmx_post(desk: Desk, path: str, page: str, data: dict[str, Any] | None = None) -> Any:
    return desk.client.post(path, data={"csrf_token": desk.csrf(page), **(data or {})}, headers=HTMX)


def _draft(api: Api) -> dict[str, Any]:
    engagement = api.create_engagement()
    api.fire(engagement["id"], "request_feedback", subject="Piano di gennaio")
    [draft] = api.get("/v1/messages?status=draft").json["items"]
    return draft


def test_approving_in_the_outbox_answers_htmx_with_the_message_alone(desk: Desk, api: Api) -> None:
    draft = _draft(api)
    outbox = desk.get("/app/outbox").get_data(as_text=True)
    approve = f"/app/messages/{draft['id']}/approve"
    assert f'hx-post="{approve}" hx-target="#message-{draft["id"]}"' in outbox
    answer = _htmx_post(desk, approve, "/app/outbox", {"back": "/app/outbox"})
    assert answer.status_code == 200
    part = html.unescape(answer.get_data(as_text=True)).strip()
    assert part.startswith(f'<article id="message-{draft["id"]}">') and "<html" not in part
    assert "Approvato: il servizio lo invia ora" in part and "Approva e invia" not in part
    assert api.get(f"/v1/messages/{draft['id']}").json["status"] == "approved"


def test_a_refused_approval_comes_back_in_the_message_with_its_reason(desk: Desk, api: Api) -> None:
    draft = _draft(api)
    api.post(f"/v1/messages/{draft['id']}/approve")
    answer = _htmx_post(desk, f"/app/messages/{draft['id']}/approve", "/app/outbox")
    assert answer.status_code == 409
    part = answer.get_data(as_text=True)
    assert part.lstrip().startswith("<article") and 'role="alert" class="problem"' in part


def test_without_htmx_approving_still_redirects_to_the_full_page(desk: Desk, api: Api) -> None:
    draft = _draft(api)
    answer = desk.post(f"/app/messages/{draft['id']}/approve", {"back": "/app/outbox"}, page="/app/outbox")
    assert (answer.status_code, answer.headers["Location"]) == (303, "/app/outbox")


def test_firing_a_trigger_answers_htmx_with_the_pages_main_part(desk: Desk, api: Api) -> None:
    engagement_id = api.create_engagement()["id"]
    page = f"/app/engagements/{engagement_id}"
    full = desk.get(page).get_data(as_text=True)
    assert f'hx-post="{page}/transitions" hx-target="#main"' in full
    answer = _htmx_post(
        desk, f"{page}/transitions", page, {"trigger": "request_feedback", "subject": "Piano di gennaio"}
    )
    assert answer.status_code == 200
    part = html.unescape(answer.get_data(as_text=True))
    assert "<html" not in part and "<nav" not in part and "<main" not in part
    assert "<strong>In attesa del riscontro del cliente</strong>" in part  # the new state, in place
    assert "class awaiting_feedback current" in part  # the diagram's new text, for Mermaid to draw
    assert "Chiedi un riscontro al cliente" in part  # the timeline's new entry
    assert api.get(f"/v1/engagements/{engagement_id}").json["state"] == "awaiting_feedback"
    assert "unsafe-inline" in answer.headers["Content-Security-Policy"]  # Mermaid's, as on the page


def test_a_blocked_trigger_comes_back_in_the_part_with_its_reason(desk: Desk, api: Api) -> None:
    engagement_id = api.create_engagement()["id"]
    page = f"/app/engagements/{engagement_id}"
    answer = _htmx_post(desk, f"{page}/transitions", page, {"trigger": "receive_feedback"})
    assert answer.status_code == 409
    part = answer.get_data(as_text=True)
    assert part.lstrip().startswith('<p role="alert" class="problem">') and "<html" not in part
    assert api.get(f"/v1/engagements/{engagement_id}").json["state"] == "active"


def test_without_htmx_firing_still_redirects_to_the_full_page(desk: Desk, api: Api) -> None:
    engagement_id = api.create_engagement()["id"]
    page = f"/app/engagements/{engagement_id}"
    answer = desk.post(f"{page}/transitions", {"trigger": "request_feedback", "subject": "Piano"}, page=page)
    assert (answer.status_code, answer.headers["Location"]) == (303, page)


def test_htmx_is_configured_by_data_within_the_pages_policy(desk: Desk) -> None:
    answer = desk.get("/app/today")
    assert answer.headers["Content-Security-Policy"].startswith("default-src 'self';")
    found = re.search(r"<meta name=\"htmx-config\" content='([^']*)'>", answer.get_data(as_text=True))
    assert found
    config = json.loads(found.group(1))
    assert config["includeIndicatorStyles"] is False  # else htmx adds a <style> the CSP refuses
    assert config["allowEval"] is False
    for status, swapped in (("200", True), ("409", True), ("422", True), ("400", False), ("404", False)):
        # As htmx reads the list: the first rule whose code (a regular expression) matches.
        rule = next(r for r in config["responseHandling"] if re.search(r["code"], status))
        assert rule["swap"] is swapped, status
