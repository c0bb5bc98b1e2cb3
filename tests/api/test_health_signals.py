"""GET /health: the three signals with the evidence behind them."""

from __future__ import annotations

from tests.conftest import Api, FakeClock


def test_a_new_engagement_is_ok_said_in_its_language(api: Api) -> None:
    body = api.get(f"/v1/engagements/{api.create_engagement()['id']}/health").json
    assert {name: body[name]["level"] for name in ("unresponsive", "controlling", "late_payment")} == {
        "unresponsive": "ok", "controlling": "ok", "late_payment": "ok",
    }  # fmt: skip
    assert body["late_payment"] == {
        "level": "ok",
        "summary": "Le fatture sono pagate puntualmente.",
        "evidence": [],
    }
    assert body["recommendation"].startswith("Nulla richiede attenzione")
    english = api.get(f"/v1/engagements/{api.create_engagement(language='en')['id']}/health").json
    assert english["late_payment"]["summary"] == "Invoices are paid on time."
    assert english["recommendation"].startswith("Nothing needs attention")


def test_signals_name_the_entries_behind_them(api: Api, clock: FakeClock) -> None:
    eid = api.create_engagement()["id"]
    incident = {"kind": "abuse", "occurred_on": "2026-12-01", "description": "Insults in a voice message"}
    recorded = api.post(f"/v1/engagements/{eid}/incidents", json=incident).json
    request = api.fire(eid, "request_feedback", subject="Which photos?").json
    clock.advance(days=5)  # due Fri 4 Dec; Sun 6 Dec is 2 days past
    body = api.get(f"/v1/engagements/{eid}/health").json
    assert body["controlling"]["level"] == "watch"
    assert body["controlling"]["evidence"] == [
        {"type": "incident", "id": recorded["id"], "kind": "abuse", "occurred_on": "2026-12-01",
         "description": "Insults in a voice message"},
    ]  # fmt: skip
    unresponsive = body["unresponsive"]
    assert unresponsive["level"] == "watch"
    assert unresponsive["evidence"][0]["subject"] == "Which photos?"
    assert unresponsive["summary"] == (
        "La richiesta «Which photos?» è scaduta da 2 giorni (solleciti senza risposta: 0 su 2)."
    )
    assert request["event"]["payload"]["due_on"] == "2026-12-04"
    [invoice] = api.get(f"/v1/engagements/{eid}/invoices").json  # December's, unpaid, within the grace
    assert body["late_payment"]["level"] == "watch"
    [owed] = body["late_payment"]["evidence"]
    assert (owed["type"], owed["id"], owed["days_late"], owed["outstanding"]) == (
        "invoice",
        invoice["id"],
        5,
        "1200.00",
    )
    assert body["recommendation"] == (
        "Continuate a documentare e ribadite le condizioni concordate, con fermezza e cortesia: "
        "tenete d'occhio mancate risposte, ingerenze e ritardi nei pagamenti."
    )
