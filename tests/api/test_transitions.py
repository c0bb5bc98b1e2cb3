"""Listing and firing triggers through the API: statuses, problems and the record it answers.

What a transition does (state, record, documents, dates) is tested through the fake unit of work
in tests/unit/application/test_transitions.py."""

from __future__ import annotations

from tests.conftest import Api


def test_listing_shows_every_trigger_from_the_state_and_why_blocked(api: Api) -> None:
    e = api.create_engagement(language="en")
    body = api.get(f"/v1/engagements/{e['id']}/transitions").json
    assert body["state"] == "active"
    listed = {t["trigger"]: t for t in body["transitions"]}
    # Every trigger the workflow file allows from the state, whatever the file holds today.
    workflow = api.get("/v1/workflow").json["transitions"]
    assert set(listed) == {t["trigger"] for t in workflow if "active" in t["source"]}
    assert listed["request_feedback"]["allowed"] is True
    assert listed["issue_conduct_warning"]["allowed"] is False
    assert listed["issue_conduct_warning"]["blocked_by"][0].startswith("Document at least one incident")


def test_trigger_not_valid_from_the_state_is_409_and_changes_nothing(api: Api) -> None:
    e = api.create_engagement()
    response = api.fire(e["id"], "receive_feedback")
    assert response.status_code == 409
    assert response.content_type == "application/problem+json"
    assert api.get(f"/v1/engagements/{e['id']}").json["version"] == e["version"]


def test_blocked_guard_is_422_with_sentences(api: Api) -> None:
    e = api.create_engagement(language="en")
    response = api.fire(e["id"], "begin_offboarding", reason="controlling")
    assert response.status_code == 422
    assert response.json["blocked_by"] == [
        "A conduct warning must be issued before ending the engagement for controlling conduct."
    ]
    assert len(api.get(f"/v1/engagements/{e['id']}/events").json) == 3  # created, contract, invoice


def test_bad_trigger_data_is_422_naming_the_field(api: Api) -> None:
    e = api.create_engagement()
    wrong = api.fire(e["id"], "begin_offboarding", reason="bored")
    assert wrong.status_code == 422 and "data.reason" in wrong.json["errors"]
    extra = api.fire(e["id"], "request_feedback", subject="x", deadline="tomorrow")
    assert extra.status_code == 422 and "data.deadline" in extra.json["errors"]


def test_unknown_trigger_is_422_naming_it(api: Api) -> None:
    e = api.create_engagement()
    response = api.fire(e["id"], "teleport")
    assert response.status_code == 422
    assert response.json["errors"]["trigger"][0].startswith("'teleport' is not a trigger of this workflow")
    assert api.get(f"/v1/engagements/{e['id']}").json["version"] == e["version"]  # nothing applied


def test_stale_if_match_is_412_and_current_one_applies(api: Api) -> None:
    e = api.create_engagement()
    path = f"/v1/engagements/{e['id']}/transitions"
    body = {"trigger": "request_feedback", "data": {"subject": "Plan"}}
    stale = api.post(path, json=body, headers={"If-Match": f'"{e["version"] - 1}"'})
    assert stale.status_code == 412
    current = api.post(path, json=body, headers={"If-Match": f'"{e["version"]}"'})
    assert current.status_code == 200


def test_verify_reports_an_intact_record(api: Api) -> None:
    e = api.create_engagement()
    api.fire(e["id"], "request_feedback", subject="Plan")
    result = api.get(f"/v1/engagements/{e['id']}/events/verify").json
    events = api.get(f"/v1/engagements/{e['id']}/events").json
    assert result == {"valid": True, "count": 5, "head": events[-1]["hash"], "first_broken": None}


def test_workflow_and_its_diagram(api: Api) -> None:
    workflow = api.get("/v1/workflow").json
    names = {s["name"] for s in workflow["states"]}
    assert workflow["initial"] == "active" and "active" in names
    sources = {s for t in workflow["transitions"] for s in t["source"]}
    assert sources <= names  # every state a transition leaves is listed
    e = api.create_engagement()
    diagram = api.get(f"/v1/workflow/diagram?engagement={e['id']}")
    assert diagram.content_type.startswith("text/plain")
    text = diagram.get_data(as_text=True)
    assert text.startswith("stateDiagram-v2")
    assert "active --> awaiting_feedback: request_feedback" in text
    assert "class active current" in text
    assert "class " not in api.get("/v1/workflow/diagram").get_data(as_text=True)


def test_an_italian_engagement_is_refused_in_italian(api: Api) -> None:
    """Guards' blocked_by, the problem's detail and the listing speak the engagement's language."""
    e = api.create_engagement(language="it")
    response = api.fire(e["id"], "begin_offboarding", reason="controlling")
    assert response.status_code == 422
    assert response.json["detail"] == "'begin_offboarding' non può ancora avvenire."
    assert response.json["blocked_by"] == [
        "Per concludere l'incarico a causa delle modalità di controllo occorre prima inviare un richiamo."
    ]
    listed = {t["trigger"]: t for t in api.get(f"/v1/engagements/{e['id']}/transitions").json["transitions"]}
    assert listed["issue_conduct_warning"]["blocked_by"] == [
        "Prima di inviare un richiamo, documentate almeno un episodio, o un'approvazione andata oltre "
        "i 2 cicli di revisione concordati."
    ]
    wrong_state = api.fire(e["id"], "receive_feedback")
    assert wrong_state.status_code == 409
    assert (
        wrong_state.json["detail"]
        == "'receive_feedback' non può avvenire mentre l'incarico è nello stato active."
    )
