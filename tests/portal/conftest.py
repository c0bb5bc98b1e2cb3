"""The client's portal through Flask's test client: links taken from the drafted messages."""

from __future__ import annotations

import re
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from tests.acceptance.conftest import contract, mail  # noqa: F401  (acceptance through the portal)
from tests.conftest import Api
from tests.desk.conftest import desk, user_email  # noqa: F401  (the freelancer's side of an answer)

_CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')
_SHOWN = re.compile(r'name="shown_sha256" value="([0-9a-f]{64})"')


def link_in(api: Api, subject_part: str) -> str:
    """The portal path in the newest message whose subject names ``subject_part``."""
    messages = api.get("/v1/messages").json["items"]
    body = next(m["body"] for m in messages if subject_part in m["subject"])
    url = next(word for word in body.split() if "/p/" in word)
    return url[url.index("/p/") :]


class Client:
    """The client's browser: cookies kept, the CSRF token and the shown hash read off the page."""

    def __init__(self, client: FlaskClient, path: str) -> None:
        self.client = client
        self.path = path

    def page(self) -> Any:
        return self.client.get(self.path)

    def form_values(self) -> tuple[str, list[str]]:
        text = self.page().get_data(as_text=True)
        token = _CSRF.search(text)
        assert token, "no CSRF token on the portal page"
        return token.group(1), _SHOWN.findall(text)

    def answer(self, kind: str, item_id: int, decision: str, comment: str = "", **extra: Any) -> Any:
        csrf, shown = self.form_values()
        data = {"csrf_token": csrf, "decision": decision, "comment": comment, "consent": "yes"}
        data["shown_sha256"] = shown[0] if shown else ""
        data.update(extra)
        return self.client.post(f"{self.path}/{kind}/{item_id}", data=data)


@pytest.fixture
def asked(api: Api) -> dict[str, Any]:
    """An engagement waiting for the client's feedback on "the January plan"."""
    engagement = api.create_engagement()
    fired = api.fire(engagement["id"], "request_feedback", subject="the January plan")
    assert fired.status_code == 200, fired.json
    return api.get(f"/v1/engagements/{engagement['id']}").json


@pytest.fixture
def client_of(app: Flask, api: Api, asked: dict[str, Any]) -> Client:
    return Client(app.test_client(), link_in(api, "January"))
