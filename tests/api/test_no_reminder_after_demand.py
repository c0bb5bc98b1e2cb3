"""Issue 30, item 2, the money half: nothing ordinary follows a formal demand. The next month's
invoice falls due unpaid after the diffida, and still no payment reminder goes out (it would
read as granting more time, waiving the demand's deadline by conduct)."""

from __future__ import annotations

from tests.conftest import Api, FakeClock


def test_no_payment_reminder_follows_a_formal_demand(api: Api, clock: FakeClock) -> None:
    eid = api.create_engagement()["id"]  # December's fee, due 1 December, never paid
    clock.advance(days=9)  # 10 December: reminded on the 2nd, paused on the 9th
    api.post("/v1/clock/tick")
    assert len(api.document_texts(eid, "payment_reminder")) == 1
    assert api.fire(eid, "send_formal_demand").status_code == 200
    for _ in range(5):  # to 14 January: January's fee issued and overdue too
        clock.advance(days=7)
        assert api.post("/v1/clock/tick").status_code == 200
    invoices = api.get(f"/v1/engagements/{eid}/invoices").json
    assert [i["status"] for i in invoices] == ["overdue", "overdue"]
    assert len(api.document_texts(eid, "payment_reminder")) == 1
    triggers = [e["payload"].get("trigger") for e in api.get(f"/v1/engagements/{eid}/events").json]
    assert triggers.count("mark_payment_overdue") == 1
