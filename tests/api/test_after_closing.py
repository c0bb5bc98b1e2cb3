"""A closed engagement's record is complete: nothing more is written to it, with one exception
decided on purpose: a late payment, and the accounts it unlocks (issue 9)."""

from __future__ import annotations

from typing import Any

from tests.api.test_billing import pay
from tests.api.test_offboarding_journeys import fire_ok, handover
from tests.conftest import Api, FakeClock

WITHHELD = "Handed over once the December invoice is paid"


def closed_while_owed(api: Api) -> tuple[int, list[dict[str, Any]]]:
    """Ended by agreement while the December fee (issued, not due until today) was unpaid: access
    items waived until paid, the first other item waived as not wanted, the rest completed."""
    eid = api.create_engagement()["id"]
    fire_ok(api, eid, "begin_offboarding", reason="mutual", explanation="Budget cuts")
    items = api.get(f"/v1/engagements/{eid}/handover").json
    not_wanted = next(i for i in items if not i["grants_access"])
    for item in items:
        if item["grants_access"]:
            step: tuple[str, str | None] = ("waive", WITHHELD)
        elif item is not_wanted:
            step = ("waive", "The client does not want an export")
        else:
            step = ("complete", None)
        assert handover(api, eid, item["id"], *step).status_code == 200
    fire_ok(api, eid, "close")
    return eid, items


def checklists(api: Api, eid: int) -> list[dict[str, Any]]:
    return [d for d in api.get(f"/v1/engagements/{eid}/documents").json if d["kind"] == "handover_checklist"]


def entries(api: Api, eid: int) -> int:
    return len(api.get(f"/v1/engagements/{eid}/events").json)


def test_access_is_withheld_while_an_issued_invoice_is_unpaid_even_before_it_is_due(api: Api) -> None:
    eid = api.create_engagement()["id"]  # 1 Dec, 09:00: the December fee is due today, not overdue
    assert api.get(f"/v1/engagements/{eid}/invoices").json[0]["status"] == "open"
    fire_ok(api, eid, "begin_offboarding", reason="mutual", explanation="Budget cuts")
    access = [i for i in api.get(f"/v1/engagements/{eid}/handover").json if i["grants_access"]]
    refused = handover(api, eid, access[0]["id"], "complete")
    assert refused.status_code == 409
    assert "restano da saldare 1.200,00\xa0€" in refused.json["detail"]  # in the engagement's Italian


def test_a_closed_record_takes_no_invoice_document_entry_or_transition(api: Api) -> None:
    eid, _ = closed_while_owed(api)
    before = entries(api, eid)
    attempts = [
        api.post(
            f"/v1/engagements/{eid}/invoices",
            json={"description": "Extra", "amount": "10.00", "due_on": "2026-12-31"},
        ),
        api.post(f"/v1/engagements/{eid}/documents", json={"kind": "contract"}),
        api.post(
            f"/v1/engagements/{eid}/incidents",
            json={"kind": "scope", "occurred_on": "2026-12-01", "description": "x"},
        ),
        api.fire(eid, "request_feedback", subject="Anything"),
    ]
    assert [r.status_code for r in attempts] == [409, 409, 409, 409]
    assert all("la sua documentazione è completa" in r.json["detail"] for r in attempts)
    assert entries(api, eid) == before


def test_a_late_payment_after_closing_is_recorded_and_unlocks_the_withheld_accounts(
    api: Api, clock: FakeClock
) -> None:
    eid, items = closed_while_owed(api)
    withheld = [i for i in items if i["grants_access"]]
    assert len(withheld) > 1  # several accounts to give back once paid
    messages_at_close = len(api.get("/v1/messages").json["items"])
    early = handover(api, eid, withheld[0]["id"], "complete")
    assert early.status_code == 409 and "restano da saldare" in early.json["detail"]

    clock.advance(days=20)
    paid = pay(api, eid, "1200.00", "2026-12-21")
    assert paid.status_code == 201, paid.json
    assert paid.json["engagement"]["state"] == "closed"
    assert paid.json["engagement"]["balance_due"] == "0.00"
    assert paid.json["resume_event"] is None

    done = handover(api, eid, withheld[0]["id"], "complete")
    assert done.status_code == 200
    assert done.json["status"] == "completed"
    assert len(checklists(api, eid)) == 1  # more accounts to give back: no letter for this one alone
    for item in withheld[1:]:
        assert handover(api, eid, item["id"], "complete").status_code == 200
    # Issue 30, list 9: each item completed after closing wrote its own checklist and draft;
    # now the last one writes one updated checklist, with one message, for all of them.
    _at_close, updated = checklists(api, eid)
    drafts = [m for m in api.get("/v1/messages").json["items"] if m["document_id"] == updated["id"]]
    assert len(drafts) == 1
    assert len(api.get("/v1/messages").json["items"]) == messages_at_close + 1
    again = handover(api, eid, withheld[0]["id"], "complete")
    assert again.status_code == 409
    assert api.get(f"/v1/engagements/{eid}/events/verify").json["valid"] is True


def test_after_closing_only_withheld_access_items_can_be_completed(api: Api, clock: FakeClock) -> None:
    eid, items = closed_while_owed(api)
    clock.advance(days=1)
    pay(api, eid, "1200.00", "2026-12-02")
    others = [i for i in items if not i["grants_access"]]
    not_wanted, completed = others[0], others[1]
    for item in (not_wanted, completed):
        refused = handover(api, eid, item["id"], "complete")
        assert refused.status_code == 409
        assert "Dopo la chiusura resta solo da completare un accesso trattenuto" in refused.json["detail"]
    waived_now = handover(api, eid, items[0]["id"], "waive", "Changed my mind")
    assert waived_now.status_code == 409
