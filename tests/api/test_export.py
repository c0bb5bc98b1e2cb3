"""The evidence export: a zip whose manifest vouches for every file and for the record."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import zipfile

from flask import Flask
from sqlalchemy import text

from service.domain.record import GENESIS, canonical
from tests.conftest import Api


def exported(api: Api, eid: int) -> zipfile.ZipFile:
    response = api.get(f"/v1/engagements/{eid}/export")
    assert response.status_code == 200
    assert response.content_type == "application/zip"
    assert response.headers["Content-Disposition"] == (
        f'attachment; filename="2026-12-01-engagement-{eid}-evidence.zip"'
    )
    return zipfile.ZipFile(io.BytesIO(response.data))


def engagement_with_history(api: Api) -> int:
    eid = api.create_engagement()["id"]
    api.post(f"/v1/engagements/{eid}/work-log", json={"date": "2026-12-01", "summary": "Piano, “città” & 🎉"})
    api.fire(eid, "request_feedback", subject="Plan")
    api.post(f"/v1/engagements/{eid}/documents", json={"kind": "contract"})  # same name, same day
    return eid


def test_every_file_is_in_the_manifest_with_its_sha256(api: Api) -> None:
    eid = engagement_with_history(api)
    archive = exported(api, eid)
    manifest = json.loads(archive.read("manifest.json"))
    listed = {f["path"]: f for f in manifest["files"]}
    assert set(listed) == set(archive.namelist()) - {"manifest.json"}
    for path, entry in listed.items():
        content = archive.read(path)
        assert (hashlib.sha256(content).hexdigest(), len(content)) == (entry["sha256"], entry["size"])
    documents = api.get(f"/v1/engagements/{eid}/documents").json
    stored = sorted(d["sha256"] for d in documents)
    assert sorted(f["sha256"] for p, f in listed.items() if p.startswith("documents/")) == stored
    assert len([p for p in listed if p.startswith("documents/")]) == len(documents) == 3
    # Each document file is named by its id and Italian kind, and the manifest says which is which.
    for document in documents:
        entry = listed[f"documents/{document['filename']}"]
        assert document["filename"].startswith(f"{document['id']}-")
        assert (entry["kind"], entry["document_id"], entry["language"]) == (
            document["kind"],
            document["id"],
            "it",
        )
    assert {d["kind"]: d["filename"].split("-", 1)[1] for d in documents}["contract"] == "contratto.docx"
    verify = api.get(f"/v1/engagements/{eid}/events/verify").json
    assert manifest["record"] | {"how_to_verify": None, "signature": None} == {
        "count": verify["count"], "head": verify["head"], "valid": True,
        "first_broken": None, "problem": None, "how_to_verify": None, "signature": None,
    }  # fmt: skip


def test_record_csv_opens_in_excel_and_has_one_row_per_event(api: Api) -> None:
    eid = engagement_with_history(api)
    raw = exported(api, eid).read("record.csv")
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    events = api.get(f"/v1/engagements/{eid}/events").json
    assert len(rows) == len(events)
    assert list(rows[0]) == [
        "seq", "occurred_at", "type", "summary", "amount", "payload", "prev_hash", "hash",
    ]  # fmt: skip
    assert [(int(r["seq"]), r["type"], r["hash"]) for r in rows] == [
        (e["seq"], e["type"], e["hash"]) for e in events
    ]
    [work] = [r for r in rows if r["type"] == "work_logged"]
    assert json.loads(work["payload"])["summary"] == "Piano, “città” & 🎉"


def test_record_json_can_be_verified_without_the_service(api: Api) -> None:
    eid = engagement_with_history(api)
    entries = json.loads(exported(api, eid).read("record.json"))
    prev = GENESIS
    for entry in entries:
        content = {k: entry[k] for k in ("engagement_id", "seq", "type", "occurred_at", "payload")}
        assert entry["prev_hash"] == prev
        assert hashlib.sha256(prev.encode() + canonical(content)).hexdigest() == entry["hash"]
        prev = entry["hash"]


def test_a_tampered_record_is_reported_in_the_manifest(app: Flask, api: Api) -> None:
    eid = engagement_with_history(api)
    with app.extensions["sql_engine"].begin() as connection:
        connection.execute(
            text("UPDATE events SET type = 'edited' WHERE engagement_id = :e AND seq = 3"), {"e": eid}
        )
    record = json.loads(exported(api, eid).read("manifest.json"))["record"]
    assert (record["valid"], record["first_broken"]) == (False, 3)
    assert record["problem"] == "entry 3 was altered after it was written"


def test_record_csv_reads_as_sentences_in_the_engagements_language_and_the_tenants_time(
    api: Api, other_api: Api
) -> None:
    eid = engagement_with_history(api)  # an Italian tenant and engagement
    rows = list(csv.DictReader(io.StringIO(exported(api, eid).read("record.csv").decode("utf-8-sig"))))
    created, invoice = rows[0], next(r for r in rows if r["type"] == "invoice_issued")
    assert created["occurred_at"] == "2026-12-01 10:00:00+01:00"  # 09:00 UTC is 10:00 in Rome
    # The amount as the letters write it (issue 30, list 9), never "1200.00 EUR".
    assert created["summary"] == "Incarico creato per Bottega Rossi S.r.l.: 1.200,00\xa0€ al mese"
    assert (invoice["amount"], created["amount"]) == ("1200.00", "")
    assert invoice["summary"] == ("Fattura emessa: Compenso mensile dicembre 2026, scadenza 1° dicembre 2026")
    work = next(r for r in rows if r["type"] == "work_logged")
    assert work["summary"] == "Lavoro svolto il 1° dicembre 2026: Piano, “città” & 🎉"

    english = other_api.create_engagement(language="en")["id"]
    [first, *_] = csv.DictReader(
        io.StringIO(exported(other_api, english).read("record.csv").decode("utf-8-sig"))
    )
    assert first["occurred_at"] == "2026-12-01 09:00:00+00:00"  # London, in winter
    assert first["summary"].startswith("Engagement created for Bottega Rossi S.r.l.: 1200.00 EUR a month")


def test_no_record_csv_cell_can_run_as_a_formula_while_record_json_keeps_the_text(api: Api) -> None:
    eid = api.create_engagement()["id"]
    formula = '=HYPERLINK("http://evil.example","click")'
    api.post(f"/v1/engagements/{eid}/work-log", json={"date": "2026-12-01", "summary": formula})
    api.post(f"/v1/engagements/{eid}/approvals", json={"item": "-2+3", "description": "@SUM(A1)"})
    archive = exported(api, eid)
    raw = archive.read("record.csv").decode("utf-8-sig")
    for row in csv.reader(io.StringIO(raw)):
        for cell in row:
            assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")), cell
    entries = json.loads(archive.read("record.json"))
    assert formula in [e["payload"].get("summary") for e in entries]
    assert "-2+3" in [e["payload"].get("item") for e in entries]
