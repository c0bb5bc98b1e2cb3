"""A date the API cannot read is refused naming the form it wants (issue 30, list 9): a user who
typed "01/12/2026" or "1 marzo 2027" learns to write 2026-12-01, in every body and query."""

from __future__ import annotations

from typing import Any

from tests.conftest import Api, engagement_body

FORM = "Not a valid date: write it as YYYY-MM-DD, e.g. 2027-03-01."
# An Italian engagement's requests are answered in Italian, naming the same form.
FORMA = "Data non valida: scrivetela nel formato YYYY-MM-DD, ad es. 2027-03-01."


def _errors(response: Any) -> dict[str, Any]:
    assert response.status_code == 422, (response.status_code, response.json)
    assert response.headers["Content-Type"].startswith("application/problem+json")
    return response.json["errors"]


def test_a_body_date_in_another_form_names_yyyy_mm_dd(api: Api) -> None:
    eid = api.create_engagement(language="en")["id"]
    created = api.post("/v1/engagements", json={**engagement_body(), "start_date": "01/12/2026"})
    assert _errors(created) == {"start_date": [FORM]}
    payment = api.post(
        f"/v1/engagements/{eid}/payments",
        json={"amount": "10.00", "received_on": "12/01/2026", "reference": "CRO 1"},
    )
    assert _errors(payment) == {"received_on": [FORM]}
    etag = api.get(f"/v1/engagements/{eid}").headers["ETag"]
    change = {"monthly_fee": "1300.00", "effective_on": "1 marzo 2027"}
    changed = api.patch(f"/v1/engagements/{eid}", json=change, headers={"If-Match": etag})
    assert _errors(changed) == {"effective_on": [FORM]}


def test_a_query_date_in_another_form_names_yyyy_mm_dd(api: Api) -> None:
    eid = api.create_engagement(language="en")["id"]
    statement = api.get(f"/v1/engagements/{eid}/statement?as_of=31-12-2026")
    assert FORM in str(_errors(statement)), statement.json
    italian = api.create_engagement()["id"]
    statement = api.get(f"/v1/engagements/{italian}/statement?as_of=31-12-2026")
    assert FORMA in str(_errors(statement)), statement.json
    listed = api.get("/v1/documents?since=yesterday")
    assert FORM in str(_errors(listed)), listed.json


def test_an_italian_engagements_date_error_names_yyyy_mm_dd_in_italian(api: Api) -> None:
    eid = api.create_engagement()["id"]
    payment = api.post(
        f"/v1/engagements/{eid}/payments",
        json={"amount": "10.00", "received_on": "12/01/2026", "reference": "CRO 1"},
    )
    assert _errors(payment) == {"received_on": [FORMA]}
