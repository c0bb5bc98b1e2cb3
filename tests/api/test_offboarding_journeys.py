"""One journey per difficult-client kind, from the first sign to a closed engagement (SPEC §1–2)."""

from __future__ import annotations

from collections import Counter
from typing import Any

from tests.api.test_billing import pay
from tests.api.test_documents import text_of
from tests.conftest import Api, FakeClock


def kinds(api: Api, eid: int) -> Counter[str]:
    return Counter(d["kind"] for d in api.get(f"/v1/engagements/{eid}/documents").json)


def document_text(api: Api, eid: int, kind: str) -> str:
    latest = [d for d in api.get(f"/v1/engagements/{eid}/documents").json if d["kind"] == kind][-1]
    return text_of(api.get(f"/v1/documents/{latest['id']}/content").data)


def fire_ok(api: Api, eid: int, trigger: str, **data: Any) -> dict[str, Any]:
    response = api.fire(eid, trigger, **data)
    assert response.status_code == 200, response.json
    return response.json


def handover(api: Api, eid: int, item_id: int, action: str, reason: str | None = None) -> Any:
    body = {"action": action} if reason is None else {"action": action, "reason": reason}
    return api.post(f"/v1/engagements/{eid}/handover/{item_id}", json=body)


def close_and_check(api: Api, eid: int) -> None:
    closed = fire_ok(api, eid, "close")
    assert closed["engagement"]["state"] == "closed"
    assert [d["kind"] for d in closed["documents"]] == ["closing_record"]
    verified = api.get(f"/v1/engagements/{eid}/events/verify").json
    assert verified["valid"] is True
    late = api.post(f"/v1/engagements/{eid}/work-log", json={"date": "2026-12-01", "summary": "After"})
    assert late.status_code == 409  # the record of a closed engagement is complete
    assert api.get(f"/v1/engagements/{eid}/events/verify").json == verified


def test_unresponsive_client(api: Api, clock: FakeClock) -> None:
    eid = api.create_engagement()["id"]
    assert pay(api, eid, "1200.00", "2026-12-01").status_code == 201  # this client pays, but is silent
    api.post(
        f"/v1/engagements/{eid}/work-log", json={"date": "2026-12-01", "summary": "Reels for the launch"}
    )
    fire_ok(api, eid, "request_feedback", subject="Approve the December plan")  # due Fri 4 Dec
    early = api.fire(eid, "remind_feedback")
    assert (
        early.status_code == 422
        and "il prossimo sollecito è previsto il 7 dicembre 2026" in early.json["blocked_by"][0]
    )
    clock.advance(days=6)  # Mon 7 Dec: the first business day after the deadline
    assert fire_ok(api, eid, "remind_feedback")["event"]["payload"]["reminder_number"] == 1
    blocked = api.fire(eid, "begin_offboarding", reason="unresponsive")
    # An Italian engagement is told why in Italian, in agreement with the count (issue 16).
    assert blocked.json["blocked_by"] == ["Risulta 1 sollecito senza risposta su 2 richiesti."]
    clock.advance(days=4)  # Fri 11 Dec: three business days later (Tue 8 is the Immacolata)
    fire_ok(api, eid, "remind_feedback")
    signal = api.get(f"/v1/engagements/{eid}/health").json["unresponsive"]
    assert signal["level"] == "act" and signal["evidence"][0]["reminders_sent"] == 2
    final = fire_ok(api, eid, "send_final_notice")  # Fri 11 Dec + 7 days: Fri 18 December
    assert final["event"]["payload"]["final_notice_deadline"] == "2026-12-18"
    clock.advance(days=8)  # Sat 19 Dec: the final notice's date has passed unanswered

    begun = fire_ok(api, eid, "begin_offboarding", reason="unresponsive")
    assert begun["engagement"]["state"] == "offboarding"
    assert [d["kind"] for d in begun["documents"]] == [
        "termination_notice",
        "handover_checklist",
        "final_report",
    ]
    assert "Reels for the launch" in document_text(api, eid, "final_report")
    items = api.get(f"/v1/engagements/{eid}/handover").json
    assert len(items) == 8 and {i["status"] for i in items} == {"open"}
    blocked = api.fire(eid, "close")
    assert blocked.status_code == 422 and blocked.json["blocked_by"][0].startswith(
        "8 attività del passaggio di consegne non sono né completate né tralasciate"
    )
    for item in items[:-1]:
        done = handover(api, eid, item["id"], "complete")
        assert done.status_code == 200, done.json
    waived = handover(api, eid, items[-1]["id"], "waive", "The client exports content themselves").json
    assert (waived["status"], waived["reason"]) == ("waived", "The client exports content themselves")
    again = handover(api, eid, items[0]["id"], "complete")
    assert again.status_code == 409
    close_and_check(api, eid)
    assert kinds(api, eid) == Counter(
        contract=1, feedback_request=1, feedback_reminder=2, final_notice=1, termination_notice=1,
        handover_checklist=1, final_report=1, closing_record=1,
    )  # fmt: skip
    steps = [ev for ev in api.get(f"/v1/engagements/{eid}/events").json if ev["type"] == "handover_step"]
    assert len(steps) == 8


def test_controlling_client(api: Api, clock: FakeClock) -> None:
    eid = api.create_engagement(approval_terms={"revision_rounds": 1})["id"]
    pay(api, eid, "1200.00", "2026-12-01")
    incident = {
        "kind": "micromanagement",
        "occurred_on": "2026-12-01",
        "description": "Asked to approve every story",
    }
    api.post(f"/v1/engagements/{eid}/incidents", json=incident)
    approval = api.post(f"/v1/engagements/{eid}/approvals", json={"item": "Carousel 8 December"}).json
    for _ in range(2):
        api.post(f"/v1/approvals/{approval['id']}/decision", json={"decision": "changes_requested"})
    assert api.get(f"/v1/engagements/{eid}/health").json["controlling"]["level"] == "watch"

    warned = fire_ok(api, eid, "issue_conduct_warning", summary="Please let us work as agreed.")
    assert warned["engagement"]["state"] == "active"
    warning = document_text(api, eid, "conduct_warning")
    assert "Asked to approve every story" in warning and "Carousel 8 December" in warning
    # 1 Dec + 7 days = 8 Dec, a public holiday in Italy: the client has until Wed 9 December.
    assert "entro il 9 dicembre 2026" in warning
    clock.advance(days=2)
    scope = {"kind": "scope", "occurred_on": "2026-12-03", "description": "Asked for a TikTok account too"}
    api.post(f"/v1/engagements/{eid}/incidents", json=scope)
    body = api.get(f"/v1/engagements/{eid}/health").json
    assert body["controlling"]["level"] == "act"
    # The health advice waits for the same day as the guard below, in the engagement's language.
    assert body["recommendation"] == (
        "Il richiamo concede al cliente tempo fino al 9 dicembre 2026 per adeguarsi: continuate a "
        "registrare gli episodi; dal 10 dicembre 2026, se ne è stato registrato uno dopo il richiamo, "
        "avviate la conclusione dell'incarico per ingerenze (controlling), oppure inviate un "
        "secondo richiamo."
    )

    early = api.fire(eid, "begin_offboarding", reason="controlling")
    assert early.status_code == 422
    assert early.json["blocked_by"] == [
        "Il richiamo concede al cliente tempo fino al 9 dicembre 2026 per adeguarsi; l'incarico può "
        "concludersi per questo motivo dal 10 dicembre 2026, oppure dopo un secondo richiamo."
    ]
    clock.advance(days=7)  # 10 Dec
    advice = api.get(f"/v1/engagements/{eid}/health").json["recommendation"]
    assert advice == (
        "Il richiamo non ha cambiato nulla: avviate la conclusione dell'incarico per ingerenze (controlling)."
    )
    begun = fire_ok(api, eid, "begin_offboarding", reason="controlling")
    assert begun["engagement"]["offboarding_reason"] == "controlling"
    for item in api.get(f"/v1/engagements/{eid}/handover").json:
        assert handover(api, eid, item["id"], "complete").status_code == 200
    close_and_check(api, eid)
    assert kinds(api, eid)["conduct_warning"] == 1


def test_client_who_does_not_pay(api: Api, clock: FakeClock) -> None:
    eid = api.create_engagement()["id"]  # the December fee is due on Tue 1 Dec
    clock.advance(days=1)
    assert fire_ok(api, eid, "mark_payment_overdue")["engagement"]["state"] == "payment_overdue"
    too_early = api.fire(eid, "pause_work")
    assert too_early.status_code == 422
    clock.advance(days=7)  # 9 Dec: the 7 days of grace after 1 Dec are over
    assert fire_ok(api, eid, "pause_work")["engagement"]["state"] == "paused"
    body = api.get(f"/v1/engagements/{eid}/health").json
    assert body["late_payment"]["level"] == "act"
    assert {e["type"] for e in body["late_payment"]["evidence"]} == {"invoice", "pause"}
    assert body["recommendation"].startswith("Il lavoro è sospeso fino al pagamento")

    demand = fire_ok(api, eid, "send_formal_demand")  # 9 Dec + 15 days: Thu 24 Dec
    assert demand["event"]["payload"]["deadline"] == "2026-12-24"
    clock.advance(days=16)  # 25 Dec: the demand's term has passed unpaid
    begun = fire_ok(api, eid, "begin_offboarding", reason="non_payment")
    assert begun["engagement"]["balance_due"] == "1200.00"
    items = api.get(f"/v1/engagements/{eid}/handover").json
    access = [i for i in items if i["grants_access"]]
    assert len(access) == 4
    refused = handover(api, eid, access[0]["id"], "complete")
    assert refused.status_code == 409 and "restano da saldare 1.200,00\xa0€" in refused.json["detail"]
    no_reason = handover(api, eid, access[0]["id"], "waive", "  ")
    assert no_reason.status_code == 422 and "reason" in no_reason.json["errors"]
    reason = "Access is handed over once the December invoice is paid"
    for item in access[:-1]:
        assert handover(api, eid, item["id"], "waive", reason).status_code == 200
    for item in items:
        if not item["grants_access"]:
            assert handover(api, eid, item["id"], "complete").status_code == 200
    # The client pays at last: the remaining access item can now be handed over.
    assert pay(api, eid, "1200.00", "2026-12-25").json["engagement"]["state"] == "offboarding"
    assert handover(api, eid, access[-1]["id"], "complete").status_code == 200
    close_and_check(api, eid)
    assert {
        "payment_reminder",
        "stop_work_notice",
        "formal_demand",
        "termination_notice",
        "closing_record",
    } <= set(kinds(api, eid))
    assert reason in document_text(api, eid, "closing_record")
