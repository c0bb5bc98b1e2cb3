"""Tenant isolation, route by route: another tenant's ids answer 404 on every route that takes one.

The routes come from the app's URL map, so a route added later is covered (or this test fails,
asking for an id of the new kind) without anyone remembering to extend it.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from flask import Flask

from tests.conftest import Api

# A valid body per kind of write, keyed by the route's last fixed segment: validation runs before
# the lookup, so an invalid body would answer 422 and prove nothing about isolation.
BODIES = {
    "transitions": {"trigger": "receive_feedback"},
    "documents": {"kind": "contract"},
    "invoices": {"description": "Extra campaign", "amount": "100.00", "due_on": "2026-12-31"},
    "payments": {"amount": "100.00", "received_on": "2026-12-01", "reference": "transfer"},
    "work-log": {"date": "2026-12-01", "summary": "Editorial plan"},
    "incidents": {"kind": "scope", "occurred_on": "2026-12-01", "description": "Asked for more"},
    "approvals": {"item": "Post 12"},
    "decision": {"decision": "approved"},
    "handover": {"action": "waive", "reason": "Not needed"},
}
QUERIES = {"forecast": "?until=2027-06-30"}


def _their_ids(other: Api) -> dict[str, Callable[[], int]]:
    engagement = other.create_engagement()
    documents = other.get(f"/v1/engagements/{engagement['id']}/documents").json
    approval = other.post(f"/v1/engagements/{engagement['id']}/approvals", json={"item": "Post"}).json
    other.fire(engagement["id"], "begin_offboarding", reason="mutual", explanation="Agreed by phone")
    handover = other.get(f"/v1/engagements/{engagement['id']}/handover").json
    return {
        "engagement_id": lambda: engagement["id"],
        "document_id": lambda: documents[0]["id"],
        "approval_id": lambda: approval["id"],
        "item_id": lambda: handover[0]["id"],
    }


def test_every_route_with_an_id_answers_404_for_another_tenants_id(
    app: Flask, api: Api, other_api: Api
) -> None:
    ids = _their_ids(other_api)
    checked = 0
    for rule in app.url_map.iter_rules():
        params = sorted(rule.arguments)
        if not params:
            continue
        missing = [p for p in params if p not in ids]
        assert not missing, f"{rule.rule}: give this test another tenant's {missing} to try"
        path = re.sub(r"<(?:[^:<>]+:)?([^<>]+)>", lambda m: str(ids[m.group(1)]()), rule.rule)
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            segment = next(s for s in reversed(rule.rule.split("/")) if s and not s.startswith("<"))
            body = BODIES.get(segment) if method != "GET" else None
            assert method == "GET" or body is not None, f"{method} {rule.rule}: add a valid body to BODIES"
            query = QUERIES.get(segment, "") if method == "GET" else ""
            response = api.client.open(path + query, method=method, json=body, headers=api.headers)
            assert response.status_code == 404, (method, rule.rule, response.status_code, response.json)
            checked += 1
    assert checked >= 8
    # And nothing of theirs shows up in our own listings.
    assert api.get("/v1/engagements").json["items"] == []
