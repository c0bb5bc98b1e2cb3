"""Issue 30, list 9: a request's field messages are said in the engagement's language. An Italian
engagement's transition with a bad field hears Italian, naming the field; an English one hears
English; a request about no engagement stays English. SQLite and PostgreSQL."""

from __future__ import annotations

from typing import Any

from tests.conftest import Api


def _problem(response: Any) -> dict[str, Any]:
    assert response.status_code == 422, (response.status_code, response.json)
    assert response.headers["Content-Type"].startswith("application/problem+json")
    return response.json


def _bad_transition(api: Api, language: str) -> dict[str, Any]:
    eid = api.create_engagement(language=language)["id"]
    body = {"trigger": 12, "note": "x" * 2001}
    return _problem(api.post(f"/v1/engagements/{eid}/transitions", json=body))


def test_an_italian_engagements_transition_hears_italian_naming_the_field(api: Api) -> None:
    problem = _bad_transition(api, "it")
    # The field names are the contract and stay as they are; the messages are Italian.
    assert problem["errors"] == {
        "trigger": ["Non è un testo valido."],
        "note": ["La lunghezza deve essere tra 0 e 2000 caratteri."],
    }
    assert problem["detail"] == "Alcuni campi non sono validi: note, trigger."


def test_an_english_engagements_transition_hears_english(api: Api) -> None:
    problem = _bad_transition(api, "en")
    assert problem["errors"] == {
        "trigger": ["Not a valid string."],
        "note": ["Length must be between 0 and 2000."],
    }
    assert problem["detail"] == "Some fields are not valid: note, trigger."


def test_a_request_about_no_engagement_stays_english(api: Api) -> None:
    problem = _problem(api.post("/v1/engagements", json={"language": "it"}))
    assert problem["errors"]["monthly_fee"] == ["Missing data for required field."]


def test_the_projects_own_field_messages_are_said_in_italian(api: Api) -> None:
    eid = api.create_engagement()["id"]
    paid = api.post(
        f"/v1/engagements/{eid}/payments",
        json={"amount": "12,50", "received_on": "2026-12-01", "reference": "CRO 1"},
    )
    [said] = _problem(paid)["errors"]["amount"]
    assert said.startswith("Un importo positivo"), said
