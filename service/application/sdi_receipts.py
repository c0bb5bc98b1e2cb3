"""SdI's receipts of an invoice's FatturaPA files, brought back from the user's intermediary:
each is a record entry (``sdi_receipt``) and moves the invoice's SdI status (``domain.sdi``)."""

from __future__ import annotations

import hashlib
from typing import Any

from service.application.billing import invoice_view
from service.application.fatturapa import file_names
from service.application.loading import load_for_change
from service.application.record import append_entry
from service.application.runtime import Runtime
from service.application.views import event_view
from service.documents.fatturapa.messages import parse
from service.domain import sdi
from service.domain.errors import NotFound
from service.domain.sdi_files import ReceiptFile


def add_receipt(
    rt: Runtime, tenant_id: int, engagement_id: int, invoice_id: int, data: bytes
) -> dict[str, Any]:
    """Record one receipt file; 422 naming the field of a file that is not a receipt or is about
    another file, 409 for a receipt already recorded or of another transmission."""
    receipt = parse(data)
    with rt.writer() as uow:
        # A receipt is a fact about a file already sent: it is recorded after the close too.
        change = load_for_change(rt, uow, tenant_id, engagement_id, after_close=True)
        engagement, now = change.engagement, change.now
        invoice = next((i for i in engagement.invoices if i.id == invoice_id), None)
        if invoice is None or invoice.id is None:
            raise NotFound("invoice", invoice_id)
        document = sdi.document_of(receipt, file_names(change.tenant, invoice))
        sha256 = hashlib.sha256(data).hexdigest()
        entry = sdi.record(engagement, invoice, receipt, document, sha256, now)
        payload = {
            "invoice_id": invoice.id,
            "number": invoice.credit_note_number if document == sdi.CREDIT_NOTE else invoice.number,
            **{k: entry[k] for k in ("document", "kind", "status", "identifier", "file_name", "at")},
            "error_codes": ", ".join(e["code"] for e in entry["errors"]),
            "errors": entry["errors"],
            "sha256": sha256,
        }
        event = append_entry(uow, engagement, "sdi_receipt", payload, now)
        # The bytes themselves, as evidence: exported, and checked against the entry's sha256.
        kept = ReceiptFile(
            change.tenant.id or 0, engagement.id or 0, invoice.id, receipt.kind, sha256, data, now
        )
        uow.sdi_files.add(kept)
        result = {
            "receipt": entry,
            "invoice": invoice_view(engagement, invoice, engagement.day_of(now)),
            "event": event_view(event),
        }
        uow.commit()
        return result
