"""Several messages approved or discarded at once, each through the same use case as one at a
time: one that cannot go is reported by its subject and reason, and the others still go."""

from __future__ import annotations

import html
from typing import Any

from tests.conftest import Api
from tests.desk.conftest import Desk


def _drafts(api: Api, count: int, topic: str = "Piano") -> list[dict[str, Any]]:
    for n in range(count):
        engagement = api.create_engagement()
        api.fire(engagement["id"], "request_feedback", subject=f"{topic} {n}")
    return api.get("/v1/messages?status=draft").json["items"]


def _status(api: Api, message: dict[str, Any]) -> str:
    return str(api.get(f"/v1/messages/{message['id']}").json["status"])


def test_several_are_approved_at_once_and_one_that_cannot_be_is_reported(desk: Desk, api: Api) -> None:
    first, second, third = _drafts(api, 3)
    assert api.post(f"/v1/messages/{second['id']}/approve").status_code == 200  # gone before the click
    answer = desk.post(
        "/app/outbox/bulk",
        {"action": "approve", "ids": [first["id"], second["id"], third["id"]]},
        page="/app/outbox",
    )
    assert answer.status_code == 200
    page = html.unescape(answer.get_data(as_text=True))
    assert [_status(api, m) for m in (first, second, third)] == ["approved"] * 3
    assert f"Approvato, {first['subject']}" in page and f"Approvato, {third['subject']}" in page
    assert f"Non fatto, {second['subject']}:" in page  # named, with the use case's own refusal
    assert f"Approvato, {second['subject']}" not in page
    approved = list(api.get(f"/v1/engagements/{first['engagement_id']}/events").json)
    assert "message_approved" in [e["type"] for e in approved]  # the record, as one at a time writes it


def test_several_are_discarded_at_once_with_one_reason(desk: Desk, api: Api) -> None:
    first, second = _drafts(api, 2)
    answer = desk.post(
        "/app/outbox/bulk",
        {"action": "discard", "ids": [first["id"], second["id"]], "reason": "Piano cambiato"},
        page="/app/outbox",
    )
    assert answer.status_code == 200
    assert [_status(api, m) for m in (first, second)] == ["discarded"] * 2
    events = api.get(f"/v1/engagements/{second['engagement_id']}/events").json
    [discarded] = [e for e in events if e["type"] == "message_discarded"]
    assert discarded["payload"]["reason"] == "Piano cambiato"


def test_nothing_ticked_is_said_and_nothing_changes(desk: Desk, api: Api) -> None:
    [draft] = _drafts(api, 1)
    answer = desk.post("/app/outbox/bulk", {"action": "approve"}, page="/app/outbox")
    assert answer.status_code == 422
    assert "Spunta almeno un messaggio" in html.unescape(answer.get_data(as_text=True))
    assert _status(api, draft) == "draft"


def test_without_the_csrf_token_nothing_is_approved(desk: Desk, api: Api) -> None:
    [draft] = _drafts(api, 1)
    answer = desk.client.post("/app/outbox/bulk", data={"action": "approve", "ids": [draft["id"]]})
    assert answer.status_code == 400
    assert _status(api, draft) == "draft"


def test_another_accounts_message_is_not_found_and_untouched(desk: Desk, api: Api, other_api: Api) -> None:
    [mine] = _drafts(api, 1)
    [theirs] = _drafts(other_api, 1, "Their plan")
    answer = desk.post(
        "/app/outbox/bulk", {"action": "approve", "ids": [theirs["id"], mine["id"]]}, page="/app/outbox"
    )
    page = html.unescape(answer.get_data(as_text=True))
    assert _status(other_api, theirs) == "draft" and _status(api, mine) == "approved"
    assert f"Non fatto, #{theirs['id']}" in page and theirs["subject"] not in page
