"""The rules of ending an engagement that a near-miss would break (SPEC §1–2)."""

from __future__ import annotations

from tests.api.test_billing import pay
from tests.api.test_offboarding_journeys import fire_ok, handover
from tests.conftest import Api

NO_WARNING = "A conduct warning must be issued before ending the engagement for controlling conduct."


def test_an_incident_alone_does_not_allow_offboarding_for_controlling_conduct(api: Api) -> None:
    eid = api.create_engagement()["id"]
    incident = {"kind": "micromanagement", "occurred_on": "2026-12-01", "description": "Every story"}
    assert api.post(f"/v1/engagements/{eid}/incidents", json=incident).status_code == 201
    refused = api.fire(eid, "begin_offboarding", reason="controlling")
    assert refused.status_code == 422, refused.json
    assert refused.json["blocked_by"] == [NO_WARNING]
    assert api.get(f"/v1/engagements/{eid}").json["state"] == "active"

    fire_ok(api, eid, "issue_conduct_warning", summary="Please let us work as agreed.")
    begun = fire_ok(api, eid, "begin_offboarding", reason="controlling")
    assert (begun["engagement"]["state"], begun["engagement"]["offboarding_reason"]) == (
        "offboarding",
        "controlling",
    )


def test_access_waits_for_everything_owed_not_only_what_is_overdue(api: Api) -> None:
    """An invoice issued but not yet due is still owed: handing over access first would lose it."""
    eid = api.create_engagement()["id"]
    assert pay(api, eid, "1200.00", "2026-12-01").status_code == 201  # December's fee: paid
    extra = {"description": "Extra campaign", "amount": "250.00", "due_on": "2026-12-31"}
    assert api.post(f"/v1/engagements/{eid}/invoices", json=extra).status_code == 201
    fire_ok(api, eid, "begin_offboarding", reason="mutual", explanation="Agreed by phone")
    items = api.get(f"/v1/engagements/{eid}/handover").json
    for action in ("transfer_ownership", "hand_over_credentials"):
        item = next(i for i in items if i["action"] == action)
        refused = handover(api, eid, item["id"], "complete")
        assert refused.status_code == 409, (action, refused.json)
        assert "€250.00 is still owed" in refused.json["detail"]
    open_item = next(i for i in items if i["action"] == "remove_our_access")
    assert handover(api, eid, open_item["id"], "complete").status_code == 200  # grants nothing

    assert pay(api, eid, "250.00", "2026-12-01").status_code == 201
    for action in ("transfer_ownership", "hand_over_credentials"):
        item = next(i for i in items if i["action"] == action)
        done = handover(api, eid, item["id"], "complete")
        assert (done.status_code, done.json["status"]) == (200, "completed"), (action, done.json)
