"""Evidence that covers what matters: documents, money and state checked against the record,
and the record's head signed with a key the database does not hold. SQLite and PostgreSQL."""

from __future__ import annotations

import base64
import io
import json
import stat
import zipfile
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives.serialization import load_pem_public_key
from flask import Flask
from sqlalchemy import text

from service.adapters.signing import HeadSigner
from service.application.record import sign_heads
from service.domain.model import Event
from service.domain.record import GENESIS, chain_hash, event_content
from tests.api.test_billing import pay
from tests.conftest import Api, FakeClock


def _verify(api: Api, engagement_id: int) -> dict[str, Any]:
    return api.get(f"/v1/engagements/{engagement_id}/events/verify").json


def _manifest(api: Api, engagement_id: int) -> dict[str, Any]:
    archive = zipfile.ZipFile(io.BytesIO(api.get(f"/v1/engagements/{engagement_id}/export").data))
    return json.loads(archive.read("manifest.json"))


def _sql(app: Flask, statement: str, **params: Any) -> None:
    with app.extensions["sql_engine"].begin() as connection:
        connection.execute(text(statement), params)


def _history(api: Api, clock: FakeClock) -> int:
    """Invoices, a late payment with a pause and a resume, an overpayment, a one-off invoice."""
    e = api.create_engagement()
    api.fire(e["id"], "request_feedback", subject="Approve the plan")
    clock.advance(days=9)
    assert api.post("/v1/clock/tick", json={}).status_code == 200  # overdue, then paused
    assert pay(api, e["id"], "1500.00", "2026-12-10").status_code == 201  # resumes; 300.00 credit
    extra = {"description": "Extra campaign", "amount": "250.00", "due_on": "2026-12-20"}
    assert api.post(f"/v1/engagements/{e['id']}/invoices", json=extra).status_code == 201
    return int(e["id"])


def test_a_real_history_verifies_and_its_books_add_up(api: Api, clock: FakeClock) -> None:
    eid = _history(api, clock)
    states = [
        ev["payload"]["to"]
        for ev in api.get(f"/v1/engagements/{eid}/events").json
        if ev["type"] == "transition"
    ]
    assert "paused" in states  # the ladder really ran
    assert _verify(api, eid)["valid"] is True
    assert _manifest(api, eid)["record"]["valid"] is True


def test_a_document_altered_in_the_database_fails_verify_naming_it(
    app: Flask, api: Api, clock: FakeClock
) -> None:
    eid = _history(api, clock)
    documents = api.get(f"/v1/engagements/{eid}/documents").json
    target = documents[1]
    _sql(app, "UPDATE documents SET content = :content WHERE id = :id", content=b"PK forged", id=target["id"])
    found = _verify(api, eid)
    assert found["valid"] is False
    assert (
        f"document {target['id']} ({target['filename']}) does not match the sha256"
        in found["first_broken"]["problem"]
    )
    manifest = _manifest(api, eid)["record"]
    assert (manifest["valid"], manifest["problem"]) == (False, found["first_broken"]["problem"])


def test_an_invoice_amount_altered_in_the_database_fails_verify(
    app: Flask, api: Api, clock: FakeClock
) -> None:
    eid = _history(api, clock)
    [first, *_] = api.get(f"/v1/engagements/{eid}/invoices").json
    _sql(app, "UPDATE invoices SET amount = 12.00 WHERE id = :id", id=first["id"])
    found = _verify(api, eid)
    assert found["valid"] is False
    assert (
        f"invoice {first['id']} is 12.00 in the tables but 1200.00 in entry"
        in found["first_broken"]["problem"]
    )


def test_a_payment_or_a_state_altered_in_the_database_fails_verify(
    app: Flask, api: Api, clock: FakeClock
) -> None:
    eid = _history(api, clock)
    _sql(app, "UPDATE payments SET amount = 2500.00")
    assert "payment" in _verify(api, eid)["first_broken"]["problem"]
    _sql(app, "UPDATE payments SET amount = 1500.00")
    assert _verify(api, eid)["valid"] is True
    _sql(app, "UPDATE engagements SET state = 'closed' WHERE id = :id", id=eid)
    assert (
        "state (closed) is not the record's (awaiting_feedback)"
        in _verify(api, eid)["first_broken"]["problem"]
    )


def test_a_chain_recomputed_without_the_key_fails_on_its_signature(
    app: Flask, api: Api, clock: FakeClock
) -> None:
    """The attacker edits an entry and recomputes every hash after it and the head, as anyone
    with database access can: the chain is consistent again, the signature is not."""
    eid = _history(api, clock)
    with app.extensions["sql_engine"].begin() as connection:
        rows = connection.execute(
            text(
                "SELECT id, seq, type, occurred_at, payload FROM events WHERE engagement_id = :e ORDER BY seq"
            ),
            {"e": eid},
        ).all()
        prev = GENESIS
        for row in rows:
            payload = row.payload if isinstance(row.payload, dict) else json.loads(row.payload)
            at = (
                row.occurred_at
                if isinstance(row.occurred_at, datetime)
                else datetime.fromisoformat(row.occurred_at)
            )
            if row.type == "payment_received":
                payload["reference"] = "Paid in cash, in full, on time"
            event = Event(
                engagement_id=eid,
                tenant_id=0,
                seq=row.seq,
                type=row.type,
                occurred_at=at,
                payload=payload,
                prev_hash=prev,
                hash="",
            )
            digest = chain_hash(prev, event_content(event))
            connection.execute(
                text("UPDATE events SET payload = :p, prev_hash = :prev, hash = :h WHERE id = :id"),
                {"p": json.dumps(payload), "prev": prev, "h": digest, "id": row.id},
            )
            prev = digest
        connection.execute(
            text("UPDATE engagements SET record_head = :h WHERE id = :e"), {"h": prev, "e": eid}
        )
    found = _verify(api, eid)
    assert found["valid"] is False
    assert found["head"] == prev  # the chain itself checks out...
    assert "signature does not verify" in found["first_broken"]["problem"]  # ...the signature does not


def test_the_export_carries_a_head_signature_its_public_key_verifies(api: Api, clock: FakeClock) -> None:
    eid = _history(api, clock)
    archive = zipfile.ZipFile(io.BytesIO(api.get(f"/v1/engagements/{eid}/export").data))
    signed = json.loads(archive.read("manifest.json"))["record"]["signature"]
    key = load_pem_public_key(archive.read("public_key.pem"))
    assert signed["algorithm"] == "Ed25519"
    assert signed["message"].endswith(f"head {_verify(api, eid)['head']}")
    key.verify(base64.b64decode(signed["signature"]), signed["message"].encode())  # raises if not


def test_the_signing_key_is_created_once_readable_by_its_owner_only(tmp_path: Path) -> None:
    path = tmp_path / "keys" / "record-signing.key"
    first = HeadSigner.from_file(path)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    again = HeadSigner.from_file(path)
    assert again.key_id == first.key_id
    signature = first.sign(1, 3, "ab" * 32)
    assert again.verifies(1, 3, "ab" * 32, signature)
    assert not again.verifies(1, 4, "ab" * 32, signature)
    assert not HeadSigner.from_file(tmp_path / "other.key").verifies(1, 3, "ab" * 32, signature)


def test_rotating_the_key_signs_again_only_what_the_retired_key_signed(
    app: Flask, api: Api, clock: FakeClock, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    runtime = app.extensions["runtime"]
    kept, altered, unsigned = _history(api, clock), _history(api, clock), _history(api, clock)
    _sql(
        app,
        "UPDATE events SET payload = :p WHERE engagement_id = :e AND seq = 1",
        p='{"forged": true}',
        e=altered,
    )
    _sql(app, "UPDATE engagements SET record_signature = '' WHERE id = :e", e=unsigned)
    retired = runtime.signer
    monkeypatch.setattr(runtime, "signer", HeadSigner.from_file(tmp_path / "new.key"))
    assert "signature does not verify" in _verify(api, kept)["first_broken"]["problem"]

    assert sign_heads(runtime, retired, unsigned=False) == (1, [altered, unsigned])
    assert _verify(api, kept)["valid"] is True  # now under the new key
    assert sign_heads(runtime, None, unsigned=True) == (1, [altered])  # records from before signing
    assert _verify(api, unsigned)["valid"] is True
    assert _verify(api, altered)["valid"] is False  # a broken chain is never blessed


def test_an_invoice_amount_payable_altered_in_the_database_fails_verify(
    app: Flask, api: Api, clock: FakeClock
) -> None:
    eid = _history(api, clock)
    [first, *_] = api.get(f"/v1/engagements/{eid}/invoices").json
    _sql(app, "UPDATE invoices SET payable = 12.00 WHERE id = :id", id=first["id"])
    found = _verify(api, eid)
    assert found["valid"] is False
    assert (
        f"invoice's amount payable of {first['id']} is 12.00 in the tables but 1200.00 in entry"
        in found["first_broken"]["problem"]
    )
