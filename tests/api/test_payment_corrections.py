"""Issue 30, item 7: money typed wrong can be corrected, and the record keeps both entries.

A payment repeating another (same amount and reference, received within 7 days) is refused with
409 naming it unless confirmed; a payment can be reversed; an invoice can be cancelled by a
credit note in its own series, written as a document. The balance and the ladder follow; the
letters already written stay as they were.
"""

from __future__ import annotations

from typing import Any

from tests.api.test_offboarding_journeys import document_text
from tests.conftest import Api, FakeClock

PAID = {"amount": "1200.00", "received_on": "2026-12-09", "reference": "Bonifico 0912"}


def _paused(api: Api, clock: FakeClock) -> int:
    eid = api.create_engagement()["id"]
    clock.advance(days=8)  # Wed 9 December: overdue since the 2nd, paused after the grace
    assert api.post("/v1/clock/tick").status_code == 200
    return eid


def _pay(api: Api, eid: int, **changes: Any) -> Any:
    return api.post(f"/v1/engagements/{eid}/payments", json={**PAID, **changes})


def _state(api: Api, eid: int) -> dict[str, Any]:
    return api.get(f"/v1/engagements/{eid}").json


def test_a_repeated_payment_is_refused_naming_the_earlier_one_unless_confirmed(
    api: Api, clock: FakeClock
) -> None:
    eid = _paused(api, clock)
    first = _pay(api, eid, amount="600.00")
    assert first.status_code == 201
    earlier = first.json["payment"]["id"]
    again = _pay(api, eid, amount="600.00", received_on="2026-12-07", reference=" bonifico  0912")
    assert again.status_code == 409
    assert f"Il pagamento {earlier} di 600,00 €" in again.json["detail"].replace("\xa0", " ")
    assert "confirm_duplicate" in again.json["detail"]
    assert _state(api, eid)["balance_due"] == "600.00"  # nothing half-applied
    confirmed = _pay(api, eid, amount="600.00", confirm_duplicate=True)
    assert confirmed.status_code == 201 and _state(api, eid)["balance_due"] == "0.00"
    a_week_later = {"amount": "10.00", "reference": "Canone"}
    assert _pay(api, eid, received_on="2026-12-01", **a_week_later).status_code == 201
    assert _pay(api, eid, received_on="2026-12-09", **a_week_later).status_code == 201  # 8 days apart


def test_a_reversed_payment_stays_on_record_and_the_balance_and_ladder_follow(
    api: Api, clock: FakeClock
) -> None:
    eid = _paused(api, clock)
    paid = _pay(api, eid)
    assert paid.json["resume_event"] is not None  # work resumed on the payment
    resume_letter = document_text(api, eid, "resume_notice")
    payment_id = paid.json["payment"]["id"]

    assert api.post(f"/v1/engagements/{eid}/payments/{payment_id}/reversal", json={}).status_code == 422
    reversed_ = api.post(
        f"/v1/engagements/{eid}/payments/{payment_id}/reversal",
        json={"reason": "Il bonifico è stato respinto"},
    )
    assert reversed_.status_code == 201, reversed_.json
    assert reversed_.json["payment"]["reversal_reason"] == "Il bonifico è stato respinto"
    assert reversed_.json["engagement"]["balance_due"] == "1200.00"
    types = [e["type"] for e in api.get(f"/v1/engagements/{eid}/events").json]
    assert "payment_received" in types and types[-1] == "payment_reversed"
    assert api.get(f"/v1/engagements/{eid}/events/verify").json["valid"] is True
    again = api.post(f"/v1/engagements/{eid}/payments/{payment_id}/reversal", json={"reason": "Twice"})
    assert again.status_code == 409

    clock.advance(days=1)
    steps = [s["trigger"] for s in api.post("/v1/clock/tick").json["steps"]]
    assert "mark_payment_overdue" in steps  # the ladder starts again from the unpaid invoice
    assert _state(api, eid)["state"] != "active"
    assert document_text(api, eid, "resume_notice") == resume_letter  # earlier letters stay


def test_a_cancelled_invoice_gets_a_credit_note_in_its_own_series(api: Api, clock: FakeClock) -> None:
    eid = _paused(api, clock)
    [invoice] = api.get(f"/v1/engagements/{eid}/invoices").json
    path = f"/v1/engagements/{eid}/invoices/{invoice['id']}/cancellation"
    cancelled = api.post(path, json={"reason": "Fatturato per errore"})
    assert cancelled.status_code == 201, cancelled.json
    assert cancelled.json["invoice"]["credit_note_number"] == "NC-2026-0001"
    assert cancelled.json["invoice"]["status"] == "cancelled"
    assert [d["kind"] for d in cancelled.json["documents"]] == ["credit_note"]
    assert cancelled.json["resume_event"] is not None  # nothing overdue any more
    assert _state(api, eid)["balance_due"] == "0.00"
    letter = document_text(api, eid, "credit_note").replace("\xa0", " ")
    assert f"Nota di credito n. NC-2026-0001 – storno della fattura n. {invoice['number']}" in letter
    assert "«Fatturato per errore»" in letter
    assert "non richiede alcun pagamento" in letter
    messages = api.get("/v1/messages?limit=50").json["items"]
    assert any(m["document_id"] == cancelled.json["documents"][0]["id"] for m in messages)
    assert api.get(f"/v1/engagements/{eid}/events/verify").json["valid"] is True
    assert api.post(path, json={"reason": "Again"}).status_code == 409

    other = api.post(
        f"/v1/engagements/{eid}/invoices",
        json={"description": "Extra", "amount": "50.00", "due_on": "2026-12-31"},
    ).json
    second = api.post(
        f"/v1/engagements/{eid}/invoices/{other['id']}/cancellation", json={"reason": "Omaggio"}
    )
    assert second.json["invoice"]["credit_note_number"] == "NC-2026-0002"
    assert other["number"] == "2026-0002"  # invoices keep their own series
