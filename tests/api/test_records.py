"""Work log, incidents and approvals through the API: validated, listed, chained into the record."""

from __future__ import annotations

from tests.conftest import Api


def test_work_log_is_listed_by_day_and_recorded(api: Api) -> None:
    e = api.create_engagement()
    path = f"/v1/engagements/{e['id']}/work-log"
    created = api.post(path, json={"date": "2026-12-01", "summary": "Editorial plan", "hours": "2.50"})
    assert created.status_code == 201
    assert created.json["hours"] == "2.50" and created.json["category"] == "general"
    api.post(path, json={"date": "2026-11-30", "summary": "Kick-off call", "category": "meetings"})
    listed = api.get(path).json
    assert [(w["date"], w["hours"]) for w in listed] == [("2026-11-30", None), ("2026-12-01", "2.50")]
    last = api.get(f"/v1/engagements/{e['id']}/events").json[-1]
    assert last["type"] == "work_logged" and last["payload"]["summary"] == "Kick-off call"


def test_hours_are_a_bounded_decimal_string(api: Api) -> None:
    e = api.create_engagement()
    path = f"/v1/engagements/{e['id']}/work-log"
    for hours in (2.5, "0", "24.01", "1.234", "2.5\n"):
        response = api.post(path, json={"date": "2026-12-01", "summary": "x", "hours": hours})
        assert response.status_code == 422 and "hours" in response.json["errors"], hours
    assert api.post(path, json={"date": "2026-12-01", "summary": "x", "hours": "24"}).status_code == 201


def test_dates_after_today_are_refused(api: Api) -> None:
    e = api.create_engagement()
    work = api.post(f"/v1/engagements/{e['id']}/work-log", json={"date": "2026-12-02", "summary": "x"})
    assert work.status_code == 422 and "date" in work.json["errors"]
    incident = {"kind": "abuse", "occurred_on": "2027-01-01", "description": "x"}
    response = api.post(f"/v1/engagements/{e['id']}/incidents", json=incident)
    assert response.status_code == 422 and "occurred_on" in response.json["errors"]


def test_incidents_are_validated_listed_and_recorded(api: Api) -> None:
    e = api.create_engagement()
    path = f"/v1/engagements/{e['id']}/incidents"
    wrong = api.post(path, json={"kind": "rude", "occurred_on": "2026-11-30", "description": "x"})
    assert wrong.status_code == 422 and "kind" in wrong.json["errors"]
    body = {"kind": "micromanagement", "occurred_on": "2026-11-30", "description": "Every story sent back"}
    created = api.post(path, json=body)
    assert created.status_code == 201
    assert api.get(path).json == [created.json]
    last = api.get(f"/v1/engagements/{e['id']}/events").json[-1]
    assert (last["type"], last["payload"]["incident_id"]) == ("incident_recorded", created.json["id"])


def test_another_tenants_records_answer_404(api: Api, other_api: Api) -> None:
    e = api.create_engagement()
    approval = api.post(f"/v1/engagements/{e['id']}/approvals", json={"item": "Post"}).json
    assert (
        other_api.post(f"/v1/approvals/{approval['id']}/decision", json={"decision": "approved"}).status_code
        == 404
    )
    for collection in ("work-log", "incidents", "approvals", "handover", "health", "export"):
        assert other_api.get(f"/v1/engagements/{e['id']}/{collection}").status_code == 404, collection
    assert api.get(f"/v1/engagements/{e['id']}/approvals").json[0]["status"] == "pending"


def test_a_decision_answers_the_approval_and_a_second_one_is_409(api: Api) -> None:
    """The rounds and the record are the application's (tests/unit/application/test_entries.py)."""
    e = api.create_engagement()
    approval = api.post(f"/v1/engagements/{e['id']}/approvals", json={"item": "Post 12 December"}).json
    decide = f"/v1/approvals/{approval['id']}/decision"
    approved = api.post(decide, json={"decision": "approved", "comment": "Lovely"})
    assert approved.status_code == 200, approved.json
    assert (approved.json["id"], approved.json["status"], approved.json["rounds"]) == (
        approval["id"],
        "approved",
        0,
    )
    again = api.post(decide, json={"decision": "changes_requested"})
    assert (again.status_code, again.content_type) == (409, "application/problem+json")
    assert api.get(f"/v1/engagements/{e['id']}/approvals").json == [approved.json]
