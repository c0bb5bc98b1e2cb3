"""PATCH /v1/engagements/{id}: client details change at once and on the record; terms change
only by an amendment from a day, never silently, and apply from that day only."""

from __future__ import annotations

from io import BytesIO
from typing import Any

import docx

from tests.conftest import Api, FakeClock


def _patch(api: Api, eid: int, body: dict[str, Any], etag: str | None = None) -> Any:
    if etag is None:
        etag = api.get(f"/v1/engagements/{eid}").headers["ETag"]
    return api.patch(f"/v1/engagements/{eid}", json=body, headers={"If-Match": etag})


def _text(api: Api, document_id: int) -> str:
    document = docx.Document(BytesIO(api.get(f"/v1/documents/{document_id}/content").data))
    cells = [c.text for t in document.tables for row in t.rows for c in row.cells]
    return "\n".join([p.text for p in document.paragraphs] + cells).replace("\xa0", " ")


def test_if_match_is_required_and_must_be_current(api: Api) -> None:
    eid = api.create_engagement()["id"]
    missing = api.patch(f"/v1/engagements/{eid}", json={"client": {"address": "Via Po 2"}})
    assert missing.status_code == 428 and "If-Match" in missing.json["detail"]
    stale = _patch(api, eid, {"client": {"address": "Via Po 2"}}, etag='"0"')
    assert stale.status_code == 412
    assert api.get(f"/v1/engagements/{eid}").json["client"]["address"] == "Via Roma 1, 20121 Milano"
    changed = _patch(api, eid, {"client": {"address": "Via Po 2"}})
    assert changed.status_code == 200, changed.json
    assert changed.headers["ETag"] == f'"{changed.json["version"]}"'


def test_client_details_change_at_once_the_record_names_old_and_new(api: Api) -> None:
    eid = api.create_engagement()["id"]
    accounts = [{"platform": "tiktok", "handle": "@bottega"}]
    changed = _patch(api, eid, {"client": {"contact_name": "Marco Rossi"}, "accounts": accounts})
    assert changed.json["client"]["contact_name"] == "Marco Rossi"
    assert changed.json["client"]["email"] == "giulia@bottegarossi.it"  # not sent: unchanged
    assert changed.json["accounts"] == accounts
    entry = api.get(f"/v1/engagements/{eid}/events").json[-1]
    assert entry["type"] == "engagement_changed"
    assert entry["payload"]["changes"] == {
        "client_contact_name": {"from": "Giulia Rossi", "to": "Marco Rossi"},
        "accounts": {
            "from": [{"platform": "instagram", "handle": "@bottegarossi"},
                     {"platform": "facebook", "handle": "Bottega Rossi"}],
            "to": accounts,
        },
    }  # fmt: skip
    # The next document carries the new details.
    letter = api.fire(eid, "request_feedback", subject="Plan").json["documents"][0]
    assert "Marco Rossi" in _text(api, letter["id"])


def accept(api: Api, eid: int, amendment_id: int, accepted_on: str = "2026-12-01") -> Any:
    body = {"accepted_by": "Giulia Rossi, amministratrice", "accepted_on": accepted_on, "method": "pec_reply"}
    return api.post(f"/v1/engagements/{eid}/amendments/{amendment_id}/acceptance", json=body)


def test_a_fee_change_from_a_future_day_is_an_amendment_applied_from_that_day_only(
    api: Api, clock: FakeClock
) -> None:
    eid = api.create_engagement()["id"]  # 1 December 2026, 1200.00 a month
    changed = _patch(api, eid, {"monthly_fee": "1500.00", "effective_on": "2027-02-01"})
    assert changed.status_code == 200, changed.json
    assert changed.json["monthly_fee"] == "1200.00"  # not yet
    change = {"monthly_fee": {"from": "1200.00", "to": "1500.00"}}
    assert changed.json["pending_terms"] == [
        {"id": 1, "status": "proposed", "effective_on": "2027-02-01", "changes": change}
    ]
    events = api.get(f"/v1/engagements/{eid}/events").json
    proposed = next(e for e in events if e["type"] == "terms_proposed")
    assert proposed["payload"]["changes"] == change and proposed["payload"]["amendment_id"] == 1
    [letter] = [
        d for d in api.get(f"/v1/engagements/{eid}/documents").json if d["kind"] == "contract_amendment"
    ]
    assert letter["event_seq"] == proposed["seq"]
    text = _text(api, letter["id"])
    assert "Compenso mensile: 1.500,00 € (anziché 1.200,00 €)." in text
    assert (
        "Articolo 2, Compenso (nuovo testo)" in text
        and "1.500,00 € a partire dal giorno 1° febbraio 2027" in text
    )
    assert accept(api, eid, 1).status_code == 201

    forecast = api.get(f"/v1/engagements/{eid}/forecast?until=2027-03-01").json["steps"]
    # Each at midnight in Rome, 23:00 UTC the evening before.
    invoices = [(s["at"], s.get("amount")) for s in forecast if s["trigger"] == "issue_invoice"]
    assert invoices == [
        ("2026-12-31T23:00:00+00:00", "1200.00"),
        ("2027-01-31T23:00:00+00:00", "1500.00"),
        ("2027-02-28T23:00:00+00:00", "1500.00"),
    ]
    assert ("2027-01-31T23:00:00+00:00", "terms_in_force") in [(s["at"], s["trigger"]) for s in forecast]

    # Months go by with nobody looking: the catch-up still bills January at the old fee.
    clock.advance(days=62)  # 1 February 2027, 09:00
    api.post("/v1/clock/tick")
    billed = [(i["period"], i["amount"]) for i in api.get(f"/v1/engagements/{eid}/invoices").json]
    assert billed == [("2026-12", "1200.00"), ("2027-01", "1200.00"), ("2027-02", "1500.00")]
    now = api.get(f"/v1/engagements/{eid}").json
    assert (now["monthly_fee"], now["pending_terms"]) == ("1500.00", [])
    # At 00:00 of its day, before the invoice of that day.
    assert [e["type"] for e in api.get(f"/v1/engagements/{eid}/events").json[-2:]] == [
        "terms_in_force",
        "invoice_issued",
    ]


def test_terms_need_an_effective_day_that_is_not_in_the_past(api: Api) -> None:
    eid = api.create_engagement()["id"]
    missing = _patch(api, eid, {"payment_terms": {"grace_days": 10}})
    assert missing.status_code == 422 and "effective_on" in missing.json["errors"]
    past = _patch(api, eid, {"payment_terms": {"grace_days": 10}, "effective_on": "2026-11-30"})
    assert past.status_code == 422 and "effective_on" in past.json["errors"]
    alone = _patch(api, eid, {"client": {"name": "X"}, "effective_on": "2026-12-05"})
    assert alone.status_code == 422 and "effective_on" in alone.json["errors"]
    assert (
        api.get(f"/v1/engagements/{eid}").json["client"]["name"] == "Bottega Rossi S.r.l."
    )  # nothing applied
    today = _patch(api, eid, {"payment_terms": {"grace_days": 10}, "effective_on": "2026-12-01"})
    assert today.status_code == 200
    assert today.json["payment_terms"]["grace_days"] == 7  # a proposal, until the client accepts
    assert accept(api, eid, 1).status_code == 201
    now = api.get(f"/v1/engagements/{eid}").json
    assert now["payment_terms"]["grace_days"] == 10 and now["pending_terms"] == []


def test_fixed_fields_and_empty_bodies_are_refused_by_name(api: Api) -> None:
    eid = api.create_engagement()["id"]
    for body, field in (({"currency": "USD"}, "currency"), ({"state": "closed"}, "state"), ({}, "_body")):
        refused = _patch(api, eid, body)
        assert refused.status_code == 422 and field in refused.json["errors"], (body, refused.json)


def test_a_closed_engagement_cannot_be_changed(api: Api) -> None:
    eid = api.create_engagement()["id"]
    api.fire(eid, "begin_offboarding", reason="mutual", explanation="Agreed by phone")
    for item in api.get(f"/v1/engagements/{eid}/handover").json:
        api.post(f"/v1/engagements/{eid}/handover/{item['id']}", json={"action": "waive", "reason": "n/a"})
    assert api.fire(eid, "close").status_code == 200
    refused = _patch(api, eid, {"client": {"address": "Via Po 2"}})
    assert refused.status_code == 409 and "L'incarico è chiuso" in refused.json["detail"]
