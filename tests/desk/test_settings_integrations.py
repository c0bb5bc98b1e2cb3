"""Settings for the account's own mailbox (SMTP or PEC) and its webhook endpoints, through the
API's schemas and use cases: a password or a signing secret is never shown after the answer that
made it; a failed delivery is tried again; another account's endpoint is not found."""

from __future__ import annotations

import html
import re
from datetime import datetime
from typing import Any

import pytest
from flask import Flask

from service.application.dispatcher import deliver_until_idle, fan_out
from service.application.runtime import Runtime
from service.domain.webhooks import Answer
from tests.bodies import PUBLIC_HOOK_URL
from tests.conftest import Api, FakeClock
from tests.desk.conftest import Desk

MAILBOX = {
    "host": "smtps.pec.example.it",
    "port": "465",
    "security": "tls",
    "username": "studio@pec.example.it",
    "password": "segreta-della-pec",
    "channel": "pec",
    "from_address": "",
}
SECRET = re.compile(r"whsec_[A-Za-z0-9+/=]+")


def _text(answer: Any) -> str:
    return html.unescape(answer.get_data(as_text=True))


def test_a_pec_mailbox_is_saved_as_the_api_sees_it_and_its_password_never_shown(desk: Desk, api: Api) -> None:
    answer = desk.post("/app/settings/mail", MAILBOX, page="/app/settings/mail")
    assert answer.status_code == 303
    saved = api.get("/v1/tenant/smtp").json
    assert (saved["host"], saved["port"], saved["security"], saved["channel"]) == (
        "smtps.pec.example.it",
        465,
        "tls",
        "pec",
    )
    assert saved["from_address"] == "studio@pec.example.it"  # the user name, as the API defaults it
    shown = _text(desk.get("/app/settings/mail"))
    assert "studio@pec.example.it" in shown and "smtps.pec.example.it" in shown
    assert MAILBOX["password"] not in shown


def test_a_refused_mailbox_names_the_field_and_does_not_echo_the_password(desk: Desk, api: Api) -> None:
    answer = desk.post("/app/settings/mail", {**MAILBOX, "port": "99999"}, page="/app/settings/mail")
    assert answer.status_code == 422
    page = _text(answer)
    assert 'id="mail-port-error"' in page and MAILBOX["password"] not in page
    assert api.get("/v1/tenant/smtp").status_code == 404


def test_a_mailbox_is_forgotten(desk: Desk, api: Api) -> None:
    desk.post("/app/settings/mail", MAILBOX, page="/app/settings/mail")
    assert desk.post("/app/settings/mail/forget", page="/app/settings/mail").status_code == 303
    assert api.get("/v1/tenant/smtp").status_code == 404


def test_without_the_csrf_token_no_mailbox_is_saved(desk: Desk, api: Api) -> None:
    assert desk.client.post("/app/settings/mail", data=MAILBOX).status_code == 400
    assert api.get("/v1/tenant/smtp").status_code == 404


def _add_endpoint(desk: Desk) -> tuple[int, str]:
    answer = desk.post(
        "/app/settings/webhooks",
        {"url": PUBLIC_HOOK_URL, "events": ["engagement.created", "engagement.transitioned"]},
        page="/app/settings/webhooks",
    )
    assert answer.status_code == 201
    [secret] = SECRET.findall(_text(answer))
    found = re.search(r"/app/settings/webhooks/(\d+)", _text(answer))
    assert found
    return int(found.group(1)), secret


def test_an_endpoint_is_added_and_its_secret_shown_once(desk: Desk, api: Api) -> None:
    endpoint_id, _ = _add_endpoint(desk)
    [made] = api.get("/v1/webhook-endpoints").json
    assert (made["id"], made["url"], made["events"]) == (
        endpoint_id,
        PUBLIC_HOOK_URL,
        ["engagement.created", "engagement.transitioned"],
    )
    for path in ("/app/settings/webhooks", f"/app/settings/webhooks/{endpoint_id}"):
        assert SECRET.findall(_text(desk.get(path))) == [], path


def test_a_private_address_is_refused_on_its_field(desk: Desk, api: Api) -> None:
    answer = desk.post(
        "/app/settings/webhooks",
        {"url": "http://127.0.0.1/hooks", "events": ["*"]},
        page="/app/settings/webhooks",
    )
    assert answer.status_code == 422 and 'id="hook-url-error"' in _text(answer)
    assert api.get("/v1/webhook-endpoints").json == []


def test_rotation_shows_the_new_secret_once_and_the_old_one_never(
    desk: Desk, api: Api, runtime: Runtime
) -> None:
    endpoint_id, first = _add_endpoint(desk)
    page = f"/app/settings/webhooks/{endpoint_id}"
    answer = desk.post(f"{page}/rotate", page=page)
    assert answer.status_code == 200
    [second] = SECRET.findall(_text(answer))
    with runtime.reader() as uow:
        stored = uow.webhooks.endpoint(api.tenant_id, endpoint_id)
        assert stored is not None and (stored.secret, stored.previous_secret) == (second, first)
    assert SECRET.findall(_text(desk.get(page))) == []


class RefusingReceiver:
    """A receiver that answers 503: every try fails and is logged."""

    def check(self, url: str) -> None:
        return None

    def post(self, url: str, body: bytes, headers: dict[str, str]) -> Answer:
        return Answer(503, 12)


def test_a_failed_delivery_is_logged_and_tried_again(
    desk: Desk, api: Api, runtime: Runtime, clock: FakeClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    endpoint_id, _ = _add_endpoint(desk)
    monkeypatch.setattr(runtime, "webhook_http", RefusingReceiver())
    api.create_engagement()
    deliver_until_idle(runtime)
    page = f"/app/settings/webhooks/{endpoint_id}"
    [logged] = api.get(f"/v1/webhook-endpoints/{endpoint_id}/deliveries").json["items"]
    assert logged["attempts"][0]["status_code"] == 503
    assert datetime.fromisoformat(logged["next_attempt_at"]) > clock.now  # the schedule's next try
    shown = _text(desk.get(page))
    assert "engagement.created" in shown and "503 (12 ms)" in shown
    answer = desk.post(f"{page}/deliveries/{logged['id']}/retry", page=page)
    assert answer.status_code == 303
    [again] = api.get(f"/v1/webhook-endpoints/{endpoint_id}/deliveries").json["items"]
    assert again["status"] == "pending"
    assert datetime.fromisoformat(again["next_attempt_at"]) == clock.now  # now, not at the schedule's


ENDPOINT_ROUTES = [
    ("get", "/app/settings/webhooks/{w}"),
    ("post", "/app/settings/webhooks/{w}/rotate"),
    ("post", "/app/settings/webhooks/{w}/enable"),
    ("post", "/app/settings/webhooks/{w}/delete"),
    ("post", "/app/settings/webhooks/{w}/deliveries/{d}/retry"),
    ("post", "/app/settings/webhooks/{mine}/deliveries/{d}/retry"),  # my endpoint, their delivery
]


@pytest.mark.parametrize(("method", "route"), ENDPOINT_ROUTES)
def test_another_accounts_endpoint_is_not_found(
    app: Flask, desk: Desk, other_api: Api, method: str, route: str
) -> None:
    mine, _ = _add_endpoint(desk)
    theirs = other_api.post("/v1/webhook-endpoints", json={"url": PUBLIC_HOOK_URL, "events": ["*"]}).json
    other_api.create_engagement()
    fan_out(app.extensions["runtime"], app.extensions["runtime"].clock())
    delivery = other_api.get(f"/v1/webhook-endpoints/{theirs['id']}/deliveries").json["items"][0]
    path = route.format(w=theirs["id"], d=delivery["id"], mine=mine)
    answer = desk.get(path) if method == "get" else desk.post(path, page="/app/today")
    assert answer.status_code == 404
    still = other_api.get(f"/v1/webhook-endpoints/{theirs['id']}")
    assert still.status_code == 200 and still.json["enabled"]
    log = other_api.get(f"/v1/webhook-endpoints/{theirs['id']}/deliveries").json["items"]
    assert delivery in log
