"""The bytes of each SdI receipt, kept as the user uploaded them: evidence of what SdI said,
exported with the engagement and checked against the sha256 its ``sdi_receipt`` entry recorded."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from service.domain.evidence import Finding
from service.domain.model import Event


@dataclass
class ReceiptFile:
    tenant_id: int
    engagement_id: int
    invoice_id: int
    kind: str  # RC, NS, MC, NE, DT, AT
    sha256: str  # as the sdi_receipt entry recorded it
    content: bytes
    created_at: datetime
    id: int | None = None

    @property
    def export_path(self) -> str:
        """Where the evidence export puts it: by invoice, in the order received."""
        return f"sdi_receipts/invoice-{self.invoice_id}/receipt-{self.id}-{self.kind}.xml"


class ReceiptFileRepository(Protocol):
    def add(self, file: ReceiptFile) -> None: ...

    def for_engagement(self, engagement_id: int) -> list[ReceiptFile]:
        """Oldest first."""
        ...


def check_receipt_files(events: Sequence[Event], files: Iterable[ReceiptFile]) -> Finding | None:
    """The first stored receipt whose bytes are not those an ``sdi_receipt`` entry of its invoice
    recorded (receipts recorded before the bytes were kept have only their entry)."""
    recorded = {
        (event.payload.get("invoice_id"), event.payload.get("sha256")): event
        for event in events
        if event.type == "sdi_receipt"
    }
    for file in files:
        actual = hashlib.sha256(file.content).hexdigest()
        if (file.invoice_id, actual) not in recorded:
            entry = recorded.get((file.invoice_id, file.sha256))
            problem = (
                f"SdI receipt {file.id}: no sdi_receipt entry of invoice {file.invoice_id} has its sha256"
            )
            return Finding(entry.seq if entry else None, problem)
    return None
