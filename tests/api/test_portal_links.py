"""Portal links through the API: issued (the URL shown once), listed without tokens, revoked;
and every message drafted for the client carries one."""

from __future__ import annotations

from flask import Flask
from sqlalchemy import text

from service.domain.portal import token_digest
from tests.conftest import Api


def test_a_link_is_issued_for_a_contact_on_file_listed_without_its_token_and_revoked(api: Api) -> None:
    engagement = api.create_engagement()
    path = f"/v1/engagements/{engagement['id']}/portal-links"
    made = api.post(path, json={})
    assert made.status_code == 201, made.json
    assert made.json["url"].startswith("http://127.0.0.1:8000/p/")
    assert made.json["contact"] == "giulia@bottegarossi.it"
    # 30 days from the test's day one (no deadline served is later).
    assert made.json["expires_at"].startswith("2026-12-31T09:00:00")
    listed = api.get(path).json
    assert [link["status"] for link in listed] == ["active"]
    assert "url" not in listed[0] and all(
        made.json["url"].rsplit("/", 1)[1] not in str(v) for v in listed[0].values()
    )
    assert api.client.delete(f"{path}/{made.json['id']}", headers=api.headers).status_code == 204
    assert [link["status"] for link in api.get(path).json] == ["revoked"]


def test_a_link_goes_only_to_an_address_the_engagement_holds(api: Api) -> None:
    engagement = api.create_engagement()
    path = f"/v1/engagements/{engagement['id']}/portal-links"
    refused = api.post(path, json={"contact": "someone@elsewhere.example"})
    assert refused.status_code == 422
    assert "contact" in str(refused.json)


def test_a_link_serving_a_later_deadline_lives_30_days_past_it(api: Api) -> None:
    engagement = api.create_engagement()
    extra = {"description": "Extra campaign", "amount": "100.00", "due_on": "2027-02-15"}
    assert api.post(f"/v1/engagements/{engagement['id']}/invoices", json=extra).status_code == 201
    made = api.post(f"/v1/engagements/{engagement['id']}/portal-links", json={}).json
    assert made["expires_at"].startswith("2027-03-16T23:00:00")  # local midnight in Rome, as UTC


def test_the_feedback_request_message_carries_a_link_whose_hash_alone_is_stored(app: Flask, api: Api) -> None:
    engagement = api.create_engagement()
    api.fire(engagement["id"], "request_feedback", subject="the January plan")
    messages = api.get("/v1/messages").json["items"]
    body = next(m["body"] for m in messages if "January" in m["subject"])
    url = next(word for word in body.split() if "/p/" in word)
    token = url.rsplit("/", 1)[1]
    assert "valido fino al" in body  # the engagement's language
    links = api.get(f"/v1/engagements/{engagement['id']}/portal-links").json
    assert links and all(link["contact"] == "giulia@bottegarossi.it" for link in links)
    with app.extensions["sql_engine"].connect() as connection:
        stored = [row[0] for row in connection.execute(text("SELECT token_hash FROM portal_links"))]
    assert token_digest(token) in stored and token not in stored
