"""The desk through Flask's test client: a person signed in to one account."""

from __future__ import annotations

import re
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from service.application.people import People
from service.desk.signin import SignInLimits
from tests.conftest import Api

PASSWORD = "correct horse battery staple"
_CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


class Desk:
    """A browser-like client: keeps cookies, reads the CSRF token off a page as a form would."""

    def __init__(self, client: FlaskClient) -> None:
        self.client = client

    def get(self, path: str, **kwargs: Any) -> Any:
        return self.client.get(path, **kwargs)

    def csrf(self, page: str = "/app/login") -> str:
        found = _CSRF.search(self.client.get(page).get_data(as_text=True))
        assert found, f"no CSRF token on {page}"
        return found.group(1)

    def post(self, path: str, data: dict[str, Any] | None = None, *, page: str = "/app/login") -> Any:
        return self.client.post(path, data={"csrf_token": self.csrf(page), **(data or {})})

    def sign_in(self, email: str, password: str = PASSWORD) -> Any:
        return self.post("/app/login", {"email": email, "password": password})


def people(app: Flask) -> People:
    return app.extensions["people"]


@pytest.fixture(autouse=True)
def fresh_signin_limits(app: Flask) -> None:
    """Each test counts its own failed sign-ins, in a window that does not roll over mid-test."""
    app.extensions["signin_limits"] = SignInLimits(app.config["SIGNIN_LIMIT"], clock=lambda: 1_800_000_000.0)


@pytest.fixture
def user_email(app: Flask, api: Api) -> str:
    people(app).create_user(api.tenant_id, "anna@bianchi.example", PASSWORD)
    return "anna@bianchi.example"


@pytest.fixture
def desk(app: Flask, user_email: str) -> Desk:
    signed_in = Desk(app.test_client())
    assert signed_in.sign_in(user_email).status_code == 303
    return signed_in
