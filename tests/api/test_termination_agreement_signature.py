"""Issue 30: the client's signature of the mutual termination agreement is recorded like an
amendment's acceptance (who, when, how), as an entry of the hash chain tied to the agreement."""

from __future__ import annotations

from tests.conftest import Api, FakeClock

SIGNED = {"accepted_by": "Giulia Rossi, amministratrice", "method": "pec_reply", "note": "Firmato e rinviato"}


def _agreed(api: Api, clock: FakeClock) -> tuple[int, dict]:
    eid = api.create_engagement()["id"]
    clock.advance(days=3)
    assert (
        api.fire(eid, "begin_offboarding", reason="mutual", explanation="Agreed by phone").status_code == 200
    )
    [agreement] = [
        d for d in api.get(f"/v1/engagements/{eid}/documents").json if d["kind"] == "termination_agreement"
    ]
    return eid, agreement


def test_the_clients_signature_is_a_record_entry_and_the_chain_verifies(api: Api, clock: FakeClock) -> None:
    eid, agreement = _agreed(api, clock)
    clock.advance(days=2)
    signed = api.post(
        f"/v1/engagements/{eid}/termination-agreement/acceptance",
        json={**SIGNED, "accepted_on": "2026-12-05"},
    )
    assert signed.status_code == 201, signed.json
    assert (
        signed.json["document_id"] == agreement["id"]
        and signed.json["document_sha256"] == agreement["sha256"]
    )
    events = api.get(f"/v1/engagements/{eid}/events").json
    [entry] = [e for e in events if e["type"] == "termination_agreement_signed"]
    payload = entry["payload"]
    assert (payload["accepted_by"], payload["accepted_on"], payload["method"]) == (
        "Giulia Rossi, amministratrice",
        "2026-12-05",
        "pec_reply",
    )
    assert api.get(f"/v1/engagements/{eid}/events/verify").json["valid"] is True
    again = api.post(
        f"/v1/engagements/{eid}/termination-agreement/acceptance",
        json={**SIGNED, "accepted_on": "2026-12-05"},
    )
    assert again.status_code == 409 and "5 dicembre 2026" in again.json["detail"]  # Italian dates in words


def test_a_signature_is_dated_between_the_agreement_and_today(api: Api, clock: FakeClock) -> None:
    eid, _ = _agreed(api, clock)  # written on 4 December
    url = f"/v1/engagements/{eid}/termination-agreement/acceptance"
    for day in ("2026-12-03", "2026-12-05"):  # before the agreement; after today
        refused = api.post(url, json={**SIGNED, "accepted_on": day})
        assert refused.status_code == 422 and list(refused.json["errors"]) == ["accepted_on"], refused.json
    refused = api.post(url, json={**SIGNED, "accepted_on": "2026-12-04", "method": "fax"})
    assert refused.status_code == 422 and list(refused.json["errors"]) == ["method"]


def test_there_is_nothing_to_sign_without_a_mutual_ending(api: Api) -> None:
    eid = api.create_engagement()["id"]
    refused = api.post(
        f"/v1/engagements/{eid}/termination-agreement/acceptance",
        json={**SIGNED, "accepted_on": "2026-12-01"},
    )
    assert refused.status_code == 409, refused.json
