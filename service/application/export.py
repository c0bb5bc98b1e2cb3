"""The evidence export: every document, the record as JSON and CSV, and a manifest of sha256 sums.

Built in memory: an engagement's documents are a few dozen small Word files.
"""

from __future__ import annotations

import hashlib
import io
import json
import zipfile
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from service.application.loading import load_for_reading
from service.application.record_csv import record_csv
from service.application.runtime import Runtime
from service.domain import record
from service.domain.calendar import as_utc
from service.domain.model import Document, Event

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


def _document_files(documents: list[Document]) -> dict[str, bytes]:
    """documents/<filename>; a second copy of the same name (a regenerated one) gets its id."""
    files: dict[str, bytes] = {}
    for document in documents:
        path = f"documents/{document.filename}"
        if path in files:
            path = path.removesuffix(".docx") + f"-{document.id}.docx"
        files[path] = document.content
    return files


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
        verification = record.verify(events, engagement)
    files = _document_files(documents)
    entries = [_entry(e) for e in events]
    files["record.json"] = json.dumps(entries, indent=2, ensure_ascii=False).encode()
    files["record.csv"] = record_csv(events, engagement.language, loaded.tenant.language)
    manifest = {
        "engagement_id": engagement_id,
        "client": engagement.client_name,
        "state": engagement.state,
        "exported_at": _timestamp(now),
        "files": [
            {"path": path, "sha256": hashlib.sha256(content).hexdigest(), "size": len(content)}
            for path, content in files.items()
        ],
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
