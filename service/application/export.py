"""The evidence export: every document, the record as JSON and CSV, and a manifest of sha256 sums.

Built in memory: an engagement's documents are a few dozen small Word files.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import zipfile
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from service.application.loading import load_for_reading
from service.application.runtime import Runtime
from service.domain import record
from service.domain.calendar import as_utc
from service.domain.messages import Message, Receipt
from service.domain.model import Document, Event

CSV_COLUMNS = ("seq", "occurred_at", "type", "payload", "prev_hash", "hash")
HOW_TO_VERIFY = (
    "Each entry's hash is sha256(prev_hash + canonical JSON of engagement_id, seq, type, "
    "occurred_at and payload, keys sorted, no spaces, UTF-8); the first prev_hash is 64 zeros."
)


@dataclass(frozen=True)
class Export:
    filename: str
    content: bytes


def _timestamp(moment: datetime) -> str:
    return as_utc(moment).isoformat().replace("+00:00", "Z")


def _entry(event: Event) -> dict[str, Any]:
    return {**record.event_content(event), "prev_hash": event.prev_hash, "hash": event.hash}


def _record_csv(events: list[Event]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(CSV_COLUMNS)
    for event in events:
        payload = record.canonical(event.payload).decode()
        writer.writerow(
            [event.seq, _timestamp(event.occurred_at), event.type, payload, event.prev_hash, event.hash]
        )
    # The byte-order mark is what makes Excel read the file as UTF-8 (accents, emoji).
    return buffer.getvalue().encode("utf-8-sig")


def _document_files(documents: list[Document]) -> dict[str, bytes]:
    """documents/<filename>; a second copy of the same name (a regenerated one) gets its id."""
    files: dict[str, bytes] = {}
    for document in documents:
        path = f"documents/{document.filename}"
        if path in files:
            path = path.removesuffix(".docx") + f"-{document.id}.docx"
        files[path] = document.content
    return files


def _message_files(
    messages: list[Message], receipts: list[Receipt], files: dict[str, bytes]
) -> list[dict[str, Any]]:
    """messages/<id>.eml (the exact bytes the service sent) and messages/receipts/...: added to
    ``files``; returns the manifest's list of sent messages with their receipts."""
    listed = []
    for message in messages:
        if message.status != "sent":
            continue
        entry: dict[str, Any] = {
            "id": message.id,
            "message_id": message.message_id,
            "channel": message.channel,
            "to": list(message.to),
            "sent_at": _timestamp(message.sent_at) if message.sent_at else None,
            "reference": message.reference,
            "eml": None,
            "receipts": [],
        }
        if message.eml is not None:
            entry["eml"] = path = f"messages/message-{message.id}.eml"
            entry["sha256"] = message.sha256
            files[path] = message.eml
        for receipt in (r for r in receipts if r.message_id == message.id):
            path = f"messages/receipts/{receipt.filename}"
            files[path] = receipt.content
            entry["receipts"].append(
                {"kind": receipt.kind, "issued_at": _timestamp(receipt.issued_at), "path": path}
            )
        listed.append(entry)
    return listed


def _zip(files: dict[str, bytes], at: datetime) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for path, content in files.items():
            archive.writestr(zipfile.ZipInfo(path, as_utc(at).timetuple()[:6]), content, zipfile.ZIP_DEFLATED)
    return buffer.getvalue()


def export_engagement(rt: Runtime, tenant_id: int, engagement_id: int) -> Export:
    with rt.reader() as uow:
        loaded = load_for_reading(rt, uow, tenant_id, engagement_id)
        engagement, now = loaded.engagement, loaded.now
        events = list(uow.record.events(engagement_id))
        documents = list(uow.documents.for_engagement(engagement_id))
        messages = list(uow.messages.for_engagement(engagement_id))
        receipts = list(uow.messages.receipts([m.id or 0 for m in messages]))
        verification = record.verify(events, engagement)
    files = _document_files(documents)
    sent = _message_files(messages, receipts, files)
    entries = [_entry(e) for e in events]
    files["record.json"] = json.dumps(entries, indent=2, ensure_ascii=False).encode()
    files["record.csv"] = _record_csv(events)
    manifest = {
        "engagement_id": engagement_id,
        "client": engagement.client_name,
        "state": engagement.state,
        "exported_at": _timestamp(now),
        "files": [
            {"path": path, "sha256": hashlib.sha256(content).hexdigest(), "size": len(content)}
            for path, content in files.items()
        ],
        "messages": sent,
        "record": {
            "count": verification.count,
            "head": verification.head,
            "valid": verification.valid,
            "first_broken": verification.first_broken_seq,
            "problem": verification.problem,
            "how_to_verify": HOW_TO_VERIFY,
        },
    }
    files["manifest.json"] = json.dumps(manifest, indent=2, ensure_ascii=False).encode()
    filename = f"{now.date().isoformat()}-engagement-{engagement_id}-evidence.zip"
    return Export(filename, _zip(files, now))
