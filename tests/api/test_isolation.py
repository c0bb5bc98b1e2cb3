"""Tenant isolation, route by route: another tenant's ids answer 404 on every route that takes one.

The routes come from the app's URL map, so a route added later is covered (or this test fails,
asking for an id of the new kind) without anyone remembering to extend it.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from flask import Flask

from service.api.auth import PROTECTED_PREFIX
from service.application.dispatcher import fan_out
from tests.bodies import valid_bodies
from tests.conftest import Api

QUERIES = {"forecast": "?until=2027-06-30"}
BODILESS = ("GET", "DELETE")


def _their_ids(app: Flask, other: Api) -> dict[str, Callable[[], int]]:
    engagement = other.create_engagement()
    endpoint = other.post(
        "/v1/webhook-endpoints", json={**valid_bodies()[("post", "/v1/webhook-endpoints")], "events": ["*"]}
    ).json
    fan_out(app.extensions["runtime"], app.extensions["runtime"].clock())  # their deliveries, unsent
    deliveries = other.get(f"/v1/webhook-endpoints/{endpoint['id']}/deliveries").json["items"]
    documents = other.get(f"/v1/engagements/{engagement['id']}/documents").json
    approval = other.post(f"/v1/engagements/{engagement['id']}/approvals", json={"item": "Post"}).json
    paid = {"amount": "10.00", "received_on": "2026-12-01", "reference": "Theirs"}
    payment = other.post(f"/v1/engagements/{engagement['id']}/payments", json=paid).json
    invoices = other.get(f"/v1/engagements/{engagement['id']}/invoices").json
    proposal = {"monthly_fee": "1300.00", "effective_on": "2027-01-01"}  # their amendment 1
    etag = other.get(f"/v1/engagements/{engagement['id']}").headers["ETag"]
    other.patch(f"/v1/engagements/{engagement['id']}", json=proposal, headers={"If-Match": etag})
    other.fire(engagement["id"], "begin_offboarding", reason="mutual", explanation="Agreed by phone")
    handover = other.get(f"/v1/engagements/{engagement['id']}/handover").json
    other.post("/v1/tenant/keys", json={"name": "spare"})  # so that revoking theirs is not refused as last
    keys = other.get("/v1/tenant/keys").json["items"]
    link = other.post(f"/v1/engagements/{engagement['id']}/portal-links", json={}).json
    return {
        "link_id": lambda: link["id"],
        "key_id": lambda: keys[-1]["id"],
        "engagement_id": lambda: engagement["id"],
        "document_id": lambda: documents[0]["id"],
        "approval_id": lambda: approval["id"],
        "amendment_id": lambda: 1,
        "item_id": lambda: handover[0]["id"],
        "endpoint_id": lambda: endpoint["id"],
        "delivery_id": lambda: deliveries[0]["id"],
        "message_id": lambda: other.get("/v1/messages").json["items"][0]["id"],
        "payment_id": lambda: payment["payment"]["id"],
        "invoice_id": lambda: invoices[0]["id"],
    }


def test_every_route_with_an_id_answers_404_for_another_tenants_id(
    app: Flask, api: Api, other_api: Api
) -> None:
    other = other_api
    ids = _their_ids(app, other)
    bodies = valid_bodies()
    checked = 0
    for rule in app.url_map.iter_rules():
        params = sorted(rule.arguments)
        # Accounts' data lives under /v1 only; outside it (the files /docs loads) nothing is anyone's.
        if not params or not rule.rule.startswith(PROTECTED_PREFIX):
            continue
        missing = [p for p in params if p not in ids]
        assert not missing, f"{rule.rule}: give this test another tenant's {missing} to try"
        path = re.sub(r"<(?:[^:<>]+:)?([^<>]+)>", lambda m: str(ids[m.group(1)]()), rule.rule)
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            # Validation runs before the lookup: only a valid body makes 404 mean "not yours".
            key = (method.lower(), re.sub(r"<(?:[^:<>]+:)?([^<>]+)>", r"{\1}", rule.rule))
            body = bodies.get(key) if method not in BODILESS else None
            assert method in BODILESS or body is not None, f"{key}: add a valid body to tests/bodies.py"
            query = QUERIES.get(rule.rule.rsplit("/", 1)[-1], "") if method == "GET" else ""
            if isinstance(body, bytes):  # an uploaded file (a PEC or an SdI receipt), not JSON
                media = "application/xml" if body.startswith(b"<?xml") else "message/rfc822"
                headers = {**api.headers, "Content-Type": media}
                response = api.client.open(path + query, method=method, data=body, headers=headers)
            else:
                response = api.client.open(path + query, method=method, json=body, headers=api.headers)
            assert response.status_code == 404, (method, rule.rule, response.status_code, response.json)
            checked += 1
    assert checked >= 8
    # And nothing of theirs shows up in our own listings; their keys all still work.
    assert api.get("/v1/engagements").json["items"] == []
    assert api.get("/v1/engagements?client=bottega&health=ok").json["items"] == []
    assert api.get("/v1/documents").json["items"] == []
    assert api.get(f"/v1/documents?engagement={ids['engagement_id']()}").json["items"] == []
    assert len(api.get("/v1/tenant/keys").json["items"]) == 1
    assert {k["status"] for k in other.get("/v1/tenant/keys").json["items"]} == {"active"}
    assert api.get("/v1/webhook-endpoints").json == []
    assert api.get("/v1/messages").json["items"] == []
