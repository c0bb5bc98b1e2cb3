"""Issue 30: the desk shows the API schemas' field messages in its own language, beside the
field (an Italian account's create form with a date in another form)."""

from __future__ import annotations

from tests.conftest import Api
from tests.desk.conftest import Desk
from tests.desk.test_new_engagement_e_invoice import _beside
from tests.desk.test_pages import NEW


def test_an_italian_desk_says_a_bad_date_in_italian_beside_the_field(desk: Desk, api: Api) -> None:
    answer = desk.post("/app/engagements", {**NEW, "start_date": "01/12/2026"}, page="/app/engagements/new")
    assert answer.status_code == 422
    beside = _beside(answer.get_data(as_text=True), "start_date")
    assert beside == "Data non valida: scrivetela nel formato YYYY-MM-DD, ad es. 2027-03-01.", beside
    assert api.get("/v1/engagements").json["items"] == []
