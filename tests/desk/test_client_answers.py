"""The desk's timeline shows an answer given in the portal as the client's own, verified."""

from __future__ import annotations

import re

from flask import Flask

from tests.conftest import Api
from tests.desk.conftest import Desk
from tests.portal.conftest import Client, link_in


def test_the_timeline_marks_the_clients_portal_answer_as_theirs_in_a_verified_record(
    app: Flask, api: Api, desk: Desk
) -> None:
    engagement = api.create_engagement()
    api.fire(engagement["id"], "request_feedback", subject="the January plan")
    client = Client(app.test_client(), link_in(api, "January"))
    request_id = int(re.search(r"/feedback/(\d+)", client.page().get_data(as_text=True)).group(1))
    assert client.answer("feedback", request_id, "approved").status_code == 303
    page = desk.get(f"/app/engagements/{engagement['id']}").get_data(as_text=True)
    line = next(li for li in page.split("<li") if "client-answer" in li)
    assert "Risposta del cliente, data nel portale" in line
    assert "Risposta del cliente (giulia@bottegarossi.it) nel portale su «the January plan»: approved" in line
    assert 'class="verified"' in page


def test_the_desk_issues_a_link_showing_it_once_and_revokes_it(app: Flask, api: Api, desk: Desk) -> None:
    engagement = api.create_engagement()
    page_path = f"/app/engagements/{engagement['id']}"
    issued = desk.post(f"{page_path}/portal-links", page=page_path)
    assert issued.status_code == 201
    url = re.search(r"<code>(http[^<]+/p/[^<]+)</code>", issued.get_data(as_text=True)).group(1)
    portal = app.test_client()
    path = url[url.index("/p/") :]
    assert portal.get(path).status_code == 200
    assert path not in desk.get(page_path).get_data(as_text=True)  # shown that once only
    link = api.get(f"/v1/engagements/{engagement['id']}/portal-links").json[0]
    revoked = desk.post(f"{page_path}/portal-links/{link['id']}/revoke", page=page_path)
    assert revoked.status_code == 303
    assert api.get(f"/v1/engagements/{engagement['id']}/portal-links").json[0]["status"] == "revoked"
    assert portal.get(path).status_code == 404
