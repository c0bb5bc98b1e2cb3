"""Issue 30, item 2: the reminders stop at the agreed count, and no ordinary reminder follows a
final notice (it would read as waiving the notice by conduct)."""

from __future__ import annotations

from tests.conftest import Api, FakeClock


def _reminders(api: Api, eid: int) -> list[int]:
    events = api.get(f"/v1/engagements/{eid}/events").json
    return [
        e["payload"]["reminder_number"] for e in events if e["payload"].get("trigger") == "remind_feedback"
    ]


def test_the_clock_sends_the_agreed_reminders_then_nothing_but_the_final_notice(
    api: Api, clock: FakeClock
) -> None:
    eid = api.create_engagement()["id"]  # 2 reminders before the engagement may end
    api.post(f"/v1/engagements/{eid}/payments", json={"amount": "1200.00", "received_on": "2026-12-01"})
    api.fire(eid, "request_feedback", subject="Approve the December plan")
    for _ in range(30):  # a month of daily ticks with no answer
        clock.advance(days=1)
        api.post("/v1/clock/tick")
    assert _reminders(api, eid) == [1, 2]
    first, last = api.document_texts(eid, "feedback_reminder")
    assert "vi scriveremo nuovamente" in first
    assert "ultimo dei 2 solleciti previsti" in last and "vi scriveremo nuovamente" not in last
    more = api.fire(eid, "remind_feedback")
    assert more.status_code == 422 and "I 2 solleciti concordati" in more.json["blocked_by"][0]

    assert api.fire(eid, "send_final_notice").status_code == 200
    for _ in range(10):
        clock.advance(days=1)
        api.post("/v1/clock/tick")
    assert _reminders(api, eid) == [1, 2]  # nothing ordinary after the final notice
