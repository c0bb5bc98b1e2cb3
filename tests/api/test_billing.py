"""Invoices, payments and the clock's ladder through the API, on SQLite and PostgreSQL."""

from __future__ import annotations

from typing import Any

from tests.conftest import Api, FakeClock


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


def test_the_whole_ladder_and_back(api: Api, clock: FakeClock) -> None:
    e = api.create_engagement()  # Tue 1 Dec 2026 09:00, due on the 1st, 7 days' grace
    [first] = invoices(api, e["id"])
    assert (first["period"], first["due_on"], first["outstanding"]) == ("2026-12", "2026-12-01", "1200.00")
    assert e["balance_due"] == "1200.00"
    assert e["next_deadline"] == "2026-12-02T00:00:00+00:00"
    assert api.fire(e["id"], "request_feedback", subject="Approve the plan").status_code == 200

    clock.advance(days=1)
    assert steps(tick(api)) == [("mark_payment_overdue", "2026-12-02T00:00:00+00:00")]
    assert invoices(api, e["id"])[0]["reminded_at"] == "2026-12-02T00:00:00+00:00"
    clock.advance(days=7)
    assert steps(tick(api)) == [("pause_work", "2026-12-09T00:00:00+00:00")]

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


def test_one_tick_a_month_later_catches_up_in_order(api: Api, clock: FakeClock) -> None:
    e = api.create_engagement()
    clock.advance(days=31)  # 1 January 2027, 09:00
    assert steps(tick(api)) == [
        ("mark_payment_overdue", "2026-12-02T00:00:00+00:00"),
        ("pause_work", "2026-12-09T00:00:00+00:00"),
        ("issue_invoice", "2027-01-01T00:00:00+00:00"),
    ]
    events = api.get(f"/v1/engagements/{e['id']}/events").json
    later = [(ev["type"], ev["occurred_at"]) for ev in events if ev["occurred_at"] > e["created_at"]]
    assert later == [
        ("transition", "2026-12-02T00:00:00+00:00"),
        ("document_generated", "2026-12-02T00:00:00+00:00"),  # the payment reminder, dated then
        ("transition", "2026-12-09T00:00:00+00:00"),
        ("document_generated", "2026-12-09T00:00:00+00:00"),  # the stop-work notice
        ("invoice_issued", "2027-01-01T00:00:00+00:00"),
    ]
    # Paused, it waits for a payment; the next clock step is February's invoice.
    assert api.get(f"/v1/engagements/{e['id']}").json["next_deadline"] == "2027-02-01T00:00:00+00:00"


def test_a_second_tick_at_the_same_time_changes_nothing(api: Api, clock: FakeClock) -> None:
    e = api.create_engagement()
    clock.advance(days=10)
    assert len(steps(tick(api))) == 2
    before = api.get(f"/v1/engagements/{e['id']}").json
    assert steps(tick(api)) == []
    assert api.get(f"/v1/engagements/{e['id']}").json == before


def test_overpayment_becomes_credit_for_the_next_invoice(api: Api, clock: FakeClock) -> None:
    e = api.create_engagement()
    paid = pay(api, e["id"], "1500.00", "2026-12-01").json
    assert (paid["engagement"]["credit"], paid["engagement"]["balance_due"]) == ("300.00", "0.00")
    clock.advance(days=31)
    assert steps(tick(api)) == [("issue_invoice", "2027-01-01T00:00:00+00:00")]
    january = invoices(api, e["id"])[1]
    assert (january["paid_amount"], january["outstanding"]) == ("300.00", "900.00")
    assert api.get(f"/v1/engagements/{e['id']}").json["credit"] == "0.00"


def test_one_off_invoice_is_listed_and_goes_overdue(api: Api, clock: FakeClock) -> None:
    e = api.create_engagement(payment_terms={"due_day": 20, "grace_days": 5})
    body = {"description": "Extra campaign", "amount": "250.00", "due_on": "2026-12-05"}
    created = api.post(f"/v1/engagements/{e['id']}/invoices", json=body)
    assert created.status_code == 201, created.json
    assert created.json["period"] is None
    clock.advance(days=9)  # 10 December
    listed = {i["description"]: i for i in invoices(api, e["id"])}
    assert listed["Extra campaign"]["days_late"] == 5
    assert listed["Extra campaign"]["status"] == "overdue"
    assert steps(tick(api)) == [("mark_payment_overdue", "2026-12-06T00:00:00+00:00")]


def test_due_day_31_is_the_last_day_of_short_months(sandbox_api: Api) -> None:
    e = sandbox_api.create_engagement(start_date="2027-01-15", payment_terms={"due_day": 31})
    assert invoices(sandbox_api, e["id"]) == []  # the first month is billed on the start date
    pay(sandbox_api, e["id"], "20000.00", "2026-12-01")  # paid ahead: no reminders in between
    for as_of in ("2027-12-01T08:00:00Z", "2028-04-01T08:00:00Z"):  # at most 400 days a tick
        assert tick(sandbox_api, as_of=as_of).status_code == 200
    due = [(i["period"], i["due_on"]) for i in invoices(sandbox_api, e["id"])]
    assert due[:4] == [
        ("2027-01", "2027-01-31"),
        ("2027-02", "2027-02-28"),
        ("2027-03", "2027-03-31"),
        ("2027-04", "2027-04-30"),
    ]
    assert ("2028-02", "2028-02-29") in due


def test_a_start_mid_month_is_billed_from_the_start_date(api: Api) -> None:
    e = api.create_engagement(start_date="2026-12-15", payment_terms={"due_day": 1})
    assert e["next_deadline"] == "2026-12-15T00:00:00+00:00"
    forecast = api.get(f"/v1/engagements/{e['id']}/forecast?until=2027-01-02").json["steps"]
    assert [(s["trigger"], s["at"][:10]) for s in forecast] == [
        ("issue_invoice", "2026-12-15"),  # due the same day: never before it is issued
        ("mark_payment_overdue", "2026-12-16"),
        ("pause_work", "2026-12-23"),
        ("issue_invoice", "2027-01-01"),
    ]


def test_payment_in_another_currency_is_refused(api: Api) -> None:
    e = api.create_engagement()
    response = pay(api, e["id"], "1200.00", "2026-12-01", currency="USD")
    assert response.status_code == 422
    assert "currency" in response.json["errors"]
    assert pay(api, e["id"], "1200.00", "2026-12-01", currency="EUR").status_code == 201


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
