"""Settings on the desk: the sender details a live account still lacks, API keys (shown once,
revoked) and users (listed, disabled), through the same use cases and schemas as the API."""

from __future__ import annotations

import re

from flask import Flask

from service.application.tenants import update_tenant
from tests.conftest import Api
from tests.desk.conftest import PASSWORD, Desk, people

PAGE = "/app/settings"


def test_a_live_account_sees_the_sender_details_it_lacks_and_fills_them(
    app: Flask, desk: Desk, api: Api
) -> None:
    update_tenant(app.extensions["runtime"], api.tenant_id, {"signatory": "", "sender_address": ""})
    shown = desk.get(PAGE).get_data(as_text=True)
    missing = re.search(r'<p id="missing">[^<]*</p>\s*<ul>(.*?)</ul>', shown, re.S)
    assert missing and re.findall(r"<li>([^<]*)</li>", missing.group(1)) == [
        "Indirizzo postale",
        "Chi firma le lettere",
    ]
    answer = desk.post(
        f"{PAGE}/sender", {"address": "Via Po 2, 10123 Torino", "signatory": "Anna Bianchi"}, page=PAGE
    )
    assert answer.status_code == 303
    account = api.get("/v1/tenant").json
    assert (account["address"], account["signatory"]) == ("Via Po 2, 10123 Torino", "Anna Bianchi")
    assert account["name"] == "Studio Bianchi"  # a blank field keeps what it held
    assert 'id="missing"' not in desk.get(PAGE).get_data(as_text=True)


def test_a_bad_sender_field_is_named_and_nothing_changes(desk: Desk, api: Api) -> None:
    before = api.get("/v1/tenant").json
    answer = desk.post(f"{PAGE}/sender", {"email": "not-an-address", "city": "Torino"}, page=PAGE)
    assert answer.status_code == 422
    assert 'id="sender-email-error"' in answer.get_data(as_text=True)
    assert api.get("/v1/tenant").json == before


def test_a_new_key_is_shown_once_works_and_is_revoked(desk: Desk, api: Api) -> None:
    answer = desk.post(f"{PAGE}/keys", {"name": "laptop"}, page=PAGE)
    assert answer.status_code == 201
    found = re.search(r'<code id="new-key">([^<]+)</code>', answer.get_data(as_text=True))
    assert found
    key = found.group(1)
    assert api.client.get("/v1/tenant", headers={"Authorization": f"Bearer {key}"}).status_code == 200
    assert key not in desk.get(PAGE).get_data(as_text=True)  # never shown again
    [made] = [k for k in api.get("/v1/tenant/keys").json["items"] if k["name"] == "laptop"]
    assert desk.post(f"{PAGE}/keys/{made['id']}/revoke", page=PAGE).status_code == 303
    assert api.client.get("/v1/tenant", headers={"Authorization": f"Bearer {key}"}).status_code == 401


def test_the_last_working_key_is_not_revoked(desk: Desk, api: Api) -> None:
    [only] = api.get("/v1/tenant/keys").json["items"]
    assert desk.post(f"{PAGE}/keys/{only['id']}/revoke", page=PAGE).status_code == 409
    assert api.get("/v1/tenant").status_code == 200


def test_a_disabled_user_can_no_longer_sign_in_and_one_cannot_disable_oneself(
    app: Flask, desk: Desk, api: Api, user_email: str
) -> None:
    other = people(app).create_user(api.tenant_id, "marco@bianchi.example", PASSWORD)
    shown = desk.get(PAGE).get_data(as_text=True)
    assert "marco@bianchi.example" in shown and user_email in shown
    assert desk.post(f"{PAGE}/users/{other}/disable", page=PAGE).status_code == 303
    assert Desk(app.test_client()).sign_in("marco@bianchi.example").status_code != 303
    [me] = [u for u in people(app).list_users(api.tenant_id) if u.email == user_email]
    assert desk.post(f"{PAGE}/users/{me.id}/disable", page=PAGE).status_code == 409
    assert desk.get(PAGE).status_code == 200  # still signed in
