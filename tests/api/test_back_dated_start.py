"""Issue 30, item 4: an engagement created after its start date bills the past months from
the start, never with an invoice due before it is issued, never with interest or a reminder
before the client could pay, and says so in the answer and in the contract."""

from __future__ import annotations

from datetime import UTC, datetime
from io import BytesIO

import docx

from tests.conftest import Api, FakeClock


def _contract(api: Api, eid: int) -> str:
    [doc] = [d for d in api.get(f"/v1/engagements/{eid}/documents").json if d["kind"] == "contract"]
    document = docx.Document(BytesIO(api.get(f"/v1/documents/{doc['id']}/content").data))
    return "\n".join(p.text for p in document.paragraphs).replace("\xa0", " ")


def test_a_start_in_the_current_month_is_issued_today_and_due_no_earlier(api: Api, clock: FakeClock) -> None:
    clock.now = datetime(2026, 12, 9, 9, 0, tzinfo=UTC)
    created = api.post("/v1/engagements", json=_body(start_date="2026-12-01"))
    assert created.status_code == 201, created.json
    [invoice] = api.get(f"/v1/engagements/{created.json['id']}/invoices").json
    assert invoice["due_on"] == "2026-12-09"  # issued on the 9th: never due on the 1st
    assert invoice["issued_at"].startswith("2026-12-09")
    assert created.json["warnings"] and "dicembre 2026" in created.json["warnings"][0]
    # No reminder nor stop-work in the creation's minute, nor on that day.
    clock.advance(hours=12)
    api.post("/v1/clock/tick")
    types = [e["type"] for e in api.get(f"/v1/engagements/{created.json['id']}/events").json]
    assert "transition" not in types
    # The interest of a later statement runs from the day after it fell due, never before issue.
    clock.advance(days=30)
    statement = api.get(f"/v1/engagements/{created.json['id']}/statement").json
    [line] = statement["invoices"]
    assert line["days_late"] == 30 and line["rate_periods"][0]["from"] == "2026-12-10"


def test_past_months_are_billed_from_the_start_and_stated(api: Api, clock: FakeClock) -> None:
    clock.now = datetime(2026, 12, 7, 9, 0, tzinfo=UTC)
    body = _body(start_date="2026-10-01", payment_terms={"due_day": 10, "grace_days": 7})
    created = api.post("/v1/engagements", json=body)
    assert created.status_code == 201, created.json
    invoices = api.get(f"/v1/engagements/{created.json['id']}/invoices").json
    assert [(i["period"], i["due_on"]) for i in invoices] == [
        ("2026-10", "2026-12-16"),  # today plus the contract's 9 days from a month's start
        ("2026-11", "2026-12-16"),
        ("2026-12", "2026-12-16"),  # December's own due day (10th) has passed too
    ]
    assert all(i["issued_at"].startswith("2026-12-07") for i in invoices)
    [warning] = created.json["warnings"]
    # In the engagement's Italian: months and days in words, never ISO (issue 30, list 9).
    assert "(ottobre 2026, novembre 2026 e dicembre 2026)" in warning and "16 dicembre 2026" in warning
    assert "Poiché il lavoro è iniziato prima della sottoscrizione" in _contract(api, created.json["id"])
    assert "ottobre 2026, novembre 2026, dicembre 2026" in _contract(api, created.json["id"])


def test_a_start_from_today_warns_of_nothing(api: Api) -> None:
    created = api.post("/v1/engagements", json=_body())
    assert created.json["warnings"] == []
    assert "prima della sottoscrizione" not in _contract(api, created.json["id"])


def _body(**changes: object) -> dict[str, object]:
    from tests.conftest import engagement_body

    return engagement_body(**changes)


def test_a_start_a_year_back_is_billed_and_a_day_further_is_refused_naming_the_field(
    api: Api, clock: FakeClock
) -> None:
    """A year covers a late set-up; 2016 typed for 2026 would bill 120 months at once."""
    clock.now = datetime(2026, 12, 9, 9, 0, tzinfo=UTC)
    a_year = api.post("/v1/engagements", json=_body(start_date="2025-12-09"))
    assert a_year.status_code == 201, a_year.json
    assert len(api.get(f"/v1/engagements/{a_year.json['id']}/invoices").json) == 13  # Dec 2025 to Dec 2026
    further = api.post("/v1/engagements", json=_body(start_date="2025-12-08"))
    assert further.status_code == 422
    assert list(further.json["errors"]) == ["start_date"]
    assert len(api.get("/v1/engagements").json["items"]) == 1  # nothing half-made
