"""Signing in to the desk: passwords, limits, one-time links, sessions that end server-side."""

from __future__ import annotations

import pytest
from flask import Flask

from tests.conftest import Api, FakeClock
from tests.desk.conftest import PASSWORD, Desk, people


def test_a_page_of_the_desk_asks_a_stranger_to_sign_in(client) -> None:
    answer = client.get("/app/today")
    assert answer.status_code == 302
    assert answer.headers["Location"].startswith("/app/login?next=/app/today")


def test_the_right_password_opens_a_session_in_an_httponly_lax_cookie(app: Flask, user_email: str) -> None:
    answer = Desk(app.test_client()).sign_in(user_email)
    assert answer.status_code == 303 and answer.headers["Location"] == "/app/today"
    cookie = next(h for h in answer.headers.getlist("Set-Cookie") if h.startswith("desk_session="))
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Path=/app/" in cookie
    assert "Secure" not in cookie  # plain HTTP here; over TLS the cookie is Secure (next test)


def test_over_tls_the_session_cookie_is_secure(app: Flask, user_email: str) -> None:
    desk = Desk(app.test_client())
    token = desk.csrf()
    answer = desk.client.post(
        "/app/login",
        data={"csrf_token": token, "email": user_email, "password": PASSWORD},
        base_url="https://localhost",
        headers={"Referer": "https://localhost/app/login"},  # Flask-WTF checks it over TLS
    )
    cookie = next(h for h in answer.headers.getlist("Set-Cookie") if h.startswith("desk_session="))
    assert "Secure" in cookie


def test_a_wrong_password_and_an_unknown_user_get_the_same_answer(app: Flask, user_email: str) -> None:
    wrong = Desk(app.test_client()).sign_in(user_email, "not the password at all")
    unknown = Desk(app.test_client()).sign_in("nobody@nowhere.example", "not the password at all")
    assert wrong.status_code == unknown.status_code == 401

    def shown(page) -> str:  # the page up to the form's token, without the e-mail typed back
        text = page.get_data(as_text=True).replace(user_email, "").replace("nobody@nowhere.example", "")
        return text.split("csrf_token")[0]

    assert shown(wrong) == shown(unknown)


def test_failed_sign_ins_are_limited_per_email_even_with_the_right_password_after(
    app: Flask, user_email: str
) -> None:
    desk = Desk(app.test_client())
    for _ in range(10):  # SIGNIN_LIMIT: 10 per 15 minutes
        assert desk.sign_in(user_email, "wrong password, again").status_code == 401
    assert desk.sign_in(user_email).status_code == 429


def test_the_limit_per_email_leaves_another_user_free(app: Flask, api: Api, user_email: str) -> None:
    people(app).create_user(api.tenant_id, "luca@bianchi.example", PASSWORD)
    limits = app.extensions["signin_limits"]
    for _ in range(10):
        limits.failed(user_email, "203.0.113.9")
    assert Desk(app.test_client()).sign_in("luca@bianchi.example").status_code == 303


def test_signing_out_ends_the_session_on_the_server(app: Flask, desk: Desk) -> None:
    cookie = desk.client.get_cookie("desk_session", path="/app/")
    assert cookie is not None
    stolen = app.test_client()
    stolen.set_cookie("desk_session", cookie.value, path="/app/")
    assert stolen.get("/app/today").status_code == 200
    assert desk.post("/app/logout", page="/app/today").status_code == 303
    assert stolen.get("/app/today").status_code == 302  # the copied cookie no longer works


def test_a_disabled_user_is_signed_out_at_once(app: Flask, api: Api, desk: Desk) -> None:
    user = people(app).list_users(api.tenant_id)[0]
    people(app).disable_user(api.tenant_id, user.id)
    assert desk.get("/app/today").status_code == 302


def test_a_session_ends_after_twelve_hours(app: Flask, clock: FakeClock, desk: Desk) -> None:
    clock.advance(hours=11, minutes=59)
    assert desk.get("/app/today").status_code == 200
    clock.advance(minutes=2)
    assert desk.get("/app/today").status_code == 302


def test_a_post_without_the_csrf_token_is_refused_and_changes_nothing(app: Flask, desk: Desk) -> None:
    answer = desk.client.post("/app/engagements", data={"client.name": "Forged", "monthly_fee": "1.00"})
    assert answer.status_code == 400
    assert "Forged" not in desk.get("/app/engagements").get_data(as_text=True)


def test_a_signin_link_sets_the_password_once(app: Flask, api: Api) -> None:
    user_id = people(app).create_user(api.tenant_id, "new@bianchi.example", None)
    token = people(app).issue_signin_link(api.tenant_id, user_id)
    desk = Desk(app.test_client())
    opened = desk.get(f"/app/login?token={token}")
    assert opened.status_code == 200 and "new@bianchi.example" in opened.get_data(as_text=True)
    assert desk.get(f"/app/login?token={token}").status_code == 200  # opening it uses nothing up
    chosen = "a long enough new password"
    answer = desk.post("/app/login/link", {"token": token, "password": chosen, "repeat": chosen})
    assert answer.status_code == 303 and desk.get("/app/today").status_code == 200
    again = Desk(app.test_client()).post(
        "/app/login/link", {"token": token, "password": chosen, "repeat": chosen}
    )
    assert again.status_code == 410
    assert Desk(app.test_client()).sign_in("new@bianchi.example", chosen).status_code == 303


@pytest.mark.parametrize(
    ("password", "repeat", "says"),
    [
        ("short one", "short one", "almeno 12 caratteri"),
        ("a long enough password", "a different long one", "sono diverse"),
    ],
)
def test_a_signin_link_refuses_a_weak_or_mistyped_password_and_stays_usable(
    app: Flask, api: Api, password: str, repeat: str, says: str
) -> None:
    user_id = people(app).create_user(api.tenant_id, "new@bianchi.example", None)
    token = people(app).issue_signin_link(api.tenant_id, user_id)
    desk = Desk(app.test_client())
    answer = desk.post("/app/login/link", {"token": token, "password": password, "repeat": repeat})
    assert answer.status_code == 422 and says in answer.get_data(as_text=True)
    assert desk.get(f"/app/login?token={token}").status_code == 200


def test_a_signin_link_expires_after_a_day(app: Flask, api: Api, clock: FakeClock) -> None:
    user_id = people(app).create_user(api.tenant_id, "new@bianchi.example", None)
    token = people(app).issue_signin_link(api.tenant_id, user_id)
    clock.advance(hours=24, seconds=1)
    assert Desk(app.test_client()).get(f"/app/login?token={token}").status_code == 410


def test_next_never_leads_off_the_desk(app: Flask, user_email: str) -> None:
    desk = Desk(app.test_client())
    token = desk.csrf()
    answer = desk.client.post(
        "/app/login?next=//evil.example/app/",
        data={"csrf_token": token, "email": user_email, "password": PASSWORD},
    )
    assert answer.headers["Location"] == "/app/today"
