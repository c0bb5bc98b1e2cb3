"""SdI's receipts are kept byte for byte: the evidence export holds them under sdi_receipts/,
and verification checks them against the sha256 their sdi_receipt entries recorded."""

from __future__ import annotations

import hashlib
import json

from flask import Flask
from sqlalchemy import text

from tests.api.test_export import exported
from tests.api.test_fatturapa_resend import RESENT_ONCE
from tests.api.test_fatturapa_sdi import INVOICE_FILE, first_invoice, italian, upload_receipt
from tests.conftest import Api
from tests.unit.documents.sdi_samples import delivered, rejected


def _with_receipts(api: Api) -> tuple[int, int, list[bytes]]:
    italian(api)
    eid, invoice = first_invoice(api)
    uploads = [rejected(INVOICE_FILE, "7001"), delivered(RESENT_ONCE, "7002")]
    for upload in uploads:
        assert upload_receipt(api, eid, invoice["id"], upload).status_code == 201
    return eid, invoice["id"], uploads


def test_the_export_holds_each_receipts_bytes_with_the_sha256_of_its_entry(api: Api) -> None:
    eid, iid, uploads = _with_receipts(api)
    archive = exported(api, eid)
    manifest = json.loads(archive.read("manifest.json"))
    kept = [f for f in manifest["files"] if f["path"].startswith(f"sdi_receipts/invoice-{iid}/")]
    assert [f["kind"] for f in kept] == ["sdi_receipt_NS", "sdi_receipt_RC"]
    assert [archive.read(f["path"]) for f in kept] == uploads
    entries = [e for e in api.get(f"/v1/engagements/{eid}/events").json if e["type"] == "sdi_receipt"]
    assert [f["sha256"] for f in kept] == [e["payload"]["sha256"] for e in entries]
    assert [hashlib.sha256(u).hexdigest() for u in uploads] == [f["sha256"] for f in kept]
    assert manifest["record"]["valid"] is True


def test_a_receipt_altered_in_storage_fails_verification_and_the_export(app: Flask, api: Api) -> None:
    eid, _, _ = _with_receipts(api)
    assert api.get(f"/v1/engagements/{eid}/events/verify").json["valid"] is True
    with app.extensions["sql_engine"].begin() as connection:
        connection.execute(
            text("UPDATE sdi_receipt_files SET content = :c WHERE kind = 'NS' AND engagement_id = :e"),
            {"c": b"<forged/>", "e": eid},
        )
    verified = api.get(f"/v1/engagements/{eid}/events/verify").json
    ns_entry = next(e for e in api.get(f"/v1/engagements/{eid}/events").json if e["type"] == "sdi_receipt")
    assert verified["valid"] is False
    assert verified["first_broken"]["seq"] == ns_entry["seq"]  # the entry whose receipt was altered
    assert "no sdi_receipt entry" in verified["first_broken"]["problem"]
    record = json.loads(exported(api, eid).read("manifest.json"))["record"]
    assert record["valid"] is False and "SdI receipt" in record["problem"]
