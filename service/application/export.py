"""The evidence export: every document, the record as JSON and CSV, and a manifest of sha256 sums.

The zip is written to a spooled temporary file (on disk past ``SPOOL_IN_MEMORY``) that the
route streams, and record.json is written entry by entry into it: a long record (10,000
entries, 200 documents) adds tens of megabytes less to the worker than a zip built in memory
and copied into the answer (``make bench-scale``: ``export_rss_growth``).
"""

from __future__ import annotations

import hashlib
import json
import tempfile
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import IO, Any

from service.application.loading import load_for_reading
from service.application.record import verify_evidence
from service.application.record_csv import record_csv
from service.application.runtime import Runtime
from service.domain import record
from service.domain.calendar import as_utc, utc_timestamp
from service.domain.messages import Message, Receipt
from service.domain.model import Document, Event
from service.domain.sdi_files import ReceiptFile

HOW_TO_VERIFY = (
    "Each entry's hash is sha256(prev_hash + canonical JSON of engagement_id, seq, type, "
    "occurred_at and payload, keys sorted, no spaces, UTF-8); the first prev_hash is 64 zeros. "
    "The last hash (the head) is signed with the server's Ed25519 key: record.signature.signature "
    "(base64) over the UTF-8 bytes of record.signature.message, checked with public_key.pem. "
    "Each document's sha256 is also in its document_generated entry, and each SdI receipt's "
    "(sdi_receipts/invoice-N/...) in its sdi_receipt entry. A sealed acceptance's PDF "
    "signature is checked with sealing_certificate.pem as its trust root."
)


SPOOL_IN_MEMORY = 1024 * 1024


@dataclass(frozen=True)
class Export:
    filename: str
    content: IO[bytes]  # the zip, rewound; whoever sends it closes it
    size: int


def _entry(event: Event) -> dict[str, Any]:
    return {**record.event_content(event), "prev_hash": event.prev_hash, "hash": event.hash}


def _document_files(documents: list[Document]) -> tuple[dict[str, bytes], dict[str, dict[str, Any]]]:
    """documents/<id>-<kind in its language>.docx, unique by the id; and what the manifest says
    of each file: its kind and document id."""
    files: dict[str, bytes] = {}
    described: dict[str, dict[str, Any]] = {}
    for document in documents:
        path = f"documents/{document.download_name}"
        files[path] = document.content
        described[path] = {"kind": document.kind, "document_id": document.id, "language": document.language}
    return files, described


# A ZIP entry's date is an MS-DOS date: 1980 to 2107 only. A sandbox clock may be outside it;
# the true time is in manifest.json's exported_at either way.
ZIP_EARLIEST = (1980, 1, 1, 0, 0, 0)
ZIP_LATEST = (2107, 12, 31, 23, 59, 58)


def zip_timestamp(at: datetime) -> tuple[int, int, int, int, int, int]:
    stamp = tuple(as_utc(at).timetuple()[:6])
    return min(max(stamp, ZIP_EARLIEST), ZIP_LATEST)  # type: ignore[return-value]


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
            "sent_at": utc_timestamp(message.sent_at) if message.sent_at else None,
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
                {"kind": receipt.kind, "issued_at": utc_timestamp(receipt.issued_at), "path": path}
            )
        listed.append(entry)
    return listed


def _described(kept: ReceiptFile) -> dict[str, object]:
    return {"kind": f"sdi_receipt_{kept.kind}", "invoice_id": kept.invoice_id}


class _Archive:
    """A zip written file by file into a spooled temporary file, each file's sha256 and size kept
    for the manifest."""

    def __init__(self, at: datetime) -> None:
        self.spool = tempfile.SpooledTemporaryFile(max_size=SPOOL_IN_MEMORY)  # noqa: SIM115 (returned open)
        self.zip = zipfile.ZipFile(self.spool, "w", zipfile.ZIP_DEFLATED)
        self.stamp = zip_timestamp(at)
        self.listed: list[dict[str, Any]] = []

    def _info(self, path: str) -> zipfile.ZipInfo:
        info = zipfile.ZipInfo(path, self.stamp)
        info.compress_type = zipfile.ZIP_DEFLATED
        return info

    def put(self, path: str, content: bytes) -> None:
        self.zip.writestr(self._info(path), content, zipfile.ZIP_DEFLATED)
        self.listed.append(
            {"path": path, "sha256": hashlib.sha256(content).hexdigest(), "size": len(content)}
        )

    def put_chunks(self, path: str, chunks: Iterable[bytes]) -> None:
        digest, size = hashlib.sha256(), 0
        with self.zip.open(self._info(path), "w") as member:
            for chunk in chunks:
                member.write(chunk)
                digest.update(chunk)
                size += len(chunk)
        self.listed.append({"path": path, "sha256": digest.hexdigest(), "size": size})

    def close(self) -> tuple[IO[bytes], int]:
        self.zip.close()
        size = self.spool.tell()
        self.spool.seek(0)
        return self.spool, size  # type: ignore[return-value]


def _json_array(items: Iterable[dict[str, Any]]) -> Iterable[bytes]:
    """The bytes of ``json.dumps(list(items), indent=2, ensure_ascii=False)``, an item at a time."""
    first = True
    for item in items:
        lines = json.dumps(item, indent=2, ensure_ascii=False).replace("\n", "\n  ")
        yield (("[\n  " if first else ",\n  ") + lines).encode()
        first = False
    yield b"[]" if first else b"\n]"


def export_engagement(rt: Runtime, tenant_id: int, engagement_id: int) -> Export:
    with rt.reader() as uow:
        loaded = load_for_reading(rt, uow, tenant_id, engagement_id)
        engagement, now = loaded.engagement, loaded.now
        events = list(uow.record.events(engagement_id))
        documents = list(uow.documents.for_engagement(engagement_id))
        messages = list(uow.messages.for_engagement(engagement_id))
        receipts = list(uow.messages.receipts([m.id or 0 for m in messages]))
        sdi_receipts = uow.sdi_files.for_engagement(engagement_id)
        verification = verify_evidence(rt, engagement, events, documents, messages, sdi_receipts)
        sealing = uow.acceptances.certificate(tenant_id)
    files, described = _document_files(documents)
    sent = _message_files(messages, receipts, files)
    for kept in sdi_receipts:  # SdI's receipts as uploaded: their sha256 is in their entries
        files[kept.export_path] = kept.content
        described[kept.export_path] = _described(kept)
    archive = _Archive(now)
    for path, content in files.items():
        archive.put(path, content)
    archive.put_chunks("record.json", _json_array(_entry(e) for e in events))
    archive.put(
        "record.csv", record_csv(events, engagement.language, loaded.tenant.timezone, engagement.currency)
    )
    archive.put("public_key.pem", rt.signer.public_key_pem.encode())
    if sealing is not None:  # the account's own certificate, to check the sealed acceptances with
        archive.put("sealing_certificate.pem", sealing.certificate_pem.encode())
    manifest = {
        "engagement_id": engagement_id,
        "client": engagement.client_name,
        "state": engagement.state,
        "exported_at": utc_timestamp(now),
        "files": [{"path": e["path"], **described.get(e["path"], {}), **e} for e in archive.listed],
        "messages": sent,
        "record": {
            "count": verification.count,
            "head": verification.head,
            "valid": verification.valid,
            "first_broken": verification.first_broken_seq,
            "problem": verification.problem,
            "how_to_verify": HOW_TO_VERIFY,
            "signature": {
                "algorithm": record.ALGORITHM,
                "message": record.head_message(
                    engagement_id, engagement.record_seq, engagement.record_head
                ).decode(),
                "signature": engagement.record_signature,
                "key_id": rt.signer.key_id,
                "public_key": "public_key.pem",
            },
        },
    }
    archive.put("manifest.json", json.dumps(manifest, indent=2, ensure_ascii=False).encode())
    filename = f"{engagement.day_of(now).isoformat()}-engagement-{engagement_id}-evidence.zip"
    return Export(filename, *archive.close())
