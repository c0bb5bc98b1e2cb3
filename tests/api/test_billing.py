"""Invoices, payments and the clock's ladder through the API, on SQLite and PostgreSQL.

The billing rules themselves are tested through the fake unit of work in
tests/unit/application/test_billing.py; these hold the HTTP side and the storage."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from tests.conftest import Api, FakeClock
from tests.ladder import ladder


def midnight_in_rome(day: date) -> str:
    """When a step dated ``day`` falls due for an Italian account, as the API writes it."""
    return datetime(day.year, day.month, day.day, tzinfo=ZoneInfo("Europe/Rome")).astimezone(UTC).isoformat()


def tick(api: Api, **body: Any) -> Any:
    return api.post("/v1/clock/tick", json=body)


def steps(response: Any) -> list[tuple[str, str]]:
    assert response.status_code == 200, response.json
    return [(s["trigger"], s["at"]) for s in response.json["steps"]]


def pay(api: Api, engagement_id: int, amount: str, received_on: str, **extra: Any) -> Any:
    body = {"amount": amount, "received_on": received_on, "reference": "bank transfer", **extra}
    return api.post(f"/v1/engagements/{engagement_id}/payments", json=body)


def invoices(api: Api, engagement_id: int) -> list[dict[str, Any]]:
    return api.get(f"/v1/engagements/{engagement_id}/invoices").json


def test_a_monthly_invoice_is_described_in_the_engagements_language(api: Api) -> None:
    """Issue 30, list 9: "Monthly fee 2026-12 (Bottega Rossi S.r.l.)" for an Italian engagement,
    a period in ISO form and the client's own name; now the month in words, in its language."""
    for language, description in (
        ("it", "Compenso mensile dicembre 2026"),
        ("en", "Monthly fee, December 2026"),
    ):
        e = api.create_engagement(language=language)
        [first] = invoices(api, e["id"])
        assert first["description"] == description, first


def test_the_whole_ladder_and_back(api: Api, clock: FakeClock) -> None:
    e = api.create_engagement()  # Tue 1 Dec 2026 09:00, due on the 1st, 7 days' grace
    [first] = invoices(api, e["id"])
    assert (first["period"], first["due_on"], first["outstanding"]) == ("2026-12", "2026-12-01", "1200.00")
    assert e["balance_due"] == "1200.00"
    assert e["next_deadline"] == "2026-12-01T23:00:00+00:00"  # 2 December begins in Rome
    assert api.fire(e["id"], "request_feedback", subject="Approve the plan").status_code == 200

    (overdue, overdue_on), (pause, pause_on) = ladder(date(2026, 12, 1))
    clock.advance(days=1)
    assert steps(tick(api)) == [(overdue, midnight_in_rome(overdue_on))]
    assert invoices(api, e["id"])[0]["reminded_at"] == "2026-12-01T23:00:00+00:00"
    clock.advance(days=7)
    assert steps(tick(api)) == [(pause, midnight_in_rome(pause_on))]

    partial = pay(api, e["id"], "500.00", "2026-12-09")
    assert partial.status_code == 201, partial.json
    assert partial.json["resume_event"] is None
    assert partial.json["engagement"]["state"] == "paused"
    assert partial.json["engagement"]["balance_due"] == "700.00"

    full = pay(api, e["id"], "700.00", "2026-12-09")
    assert full.json["resume_event"]["payload"]["by"] == "payment"
    assert full.json["engagement"]["state"] == "awaiting_feedback"  # the request is still open
    [settled] = invoices(api, e["id"])
    assert (settled["outstanding"], settled["paid_on"], settled["days_late"]) == ("0.00", "2026-12-09", 8)
    record = api.get(f"/v1/engagements/{e['id']}/events").json
    types = [
        (ev["type"], ev["payload"].get("trigger")) for ev in record if ev["type"] != "document_generated"
    ]
    assert [ev["payload"]["kind"] for ev in record if ev["type"] == "document_generated"] == [
        "contract",
        "feedback_request",
        "payment_reminder",
        "stop_work_notice",
        "resume_notice",
    ]
    assert types == [
        ("engagement_created", None),
        ("invoice_issued", None),
        ("transition", "request_feedback"),
        ("transition", "mark_payment_overdue"),
        ("transition", "pause_work"),
        ("payment_received", None),
        ("payment_received", None),
        ("transition", "resume"),
    ]
    assert api.get(f"/v1/engagements/{e['id']}/events/verify").json["valid"] is True


def test_the_forecast_answers_the_clock_steps_ahead(api: Api) -> None:
    """The steps themselves are the application's (tests/unit/application/test_billing.py)."""
    e = api.create_engagement(start_date="2026-12-15", payment_terms={"due_day": 1})
    response = api.get(f"/v1/engagements/{e['id']}/forecast?until=2026-12-16")
    assert response.status_code == 200, response.json
    assert response.json["until"] == "2026-12-16"
    assert [(s["trigger"], s["at"]) for s in response.json["steps"]] == [
        ("issue_invoice", "2026-12-14T23:00:00+00:00"),  # midnight in Rome
        ("mark_payment_overdue", "2026-12-15T23:00:00+00:00"),
    ]


def test_sandbox_clock_only_moves_forward_and_live_accounts_cannot_move_it(
    api: Api, sandbox_api: Api
) -> None:
    e = sandbox_api.create_engagement()
    assert steps(tick(sandbox_api, as_of="2026-12-03T00:00:00Z")) == [
        ("mark_payment_overdue", "2026-12-02T00:00:00+00:00")
    ]
    back = tick(sandbox_api, as_of="2026-12-02T12:00:00Z")
    assert back.status_code == 409 and back.content_type == "application/problem+json"
    assert steps(tick(sandbox_api, as_of="2026-12-03T00:00:00Z")) == []  # same time: nothing new
    # Everything the sandbox does now happens at its own time.
    paid = pay(sandbox_api, e["id"], "1200.00", "2026-12-03").json
    assert paid["resume_event"]["occurred_at"] == "2026-12-03T00:00:00+00:00"
    live = tick(api, as_of="2027-01-01T00:00:00Z")
    assert live.status_code == 403 and live.content_type == "application/problem+json"
