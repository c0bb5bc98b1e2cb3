"""PEC receipts of a sent message, kept byte for byte; a delivery receipt starts the term of the
letters whose term runs from the client's receipt (the diffida, the final notice)."""

from __future__ import annotations

import hashlib
from datetime import datetime
from typing import Any

from service.application.loading import load_for_change
from service.application.messages import receipt_view, require_message
from service.application.record import append_entry
from service.application.runtime import Runtime
from service.application.unit_of_work import UnitOfWork
from service.documents.emails import parse_pec_receipt
from service.domain.demand import deadline_from_delivery
from service.domain.errors import InvalidInput
from service.domain.messages import DELIVERED, RECEIPT_KINDS, TERM_FROM_DELIVERY, Message, Receipt
from service.domain.model import Engagement, Tenant


def add_receipt(rt: Runtime, tenant_id: int, message_id: int, data: bytes) -> dict[str, Any]:
    """Keep a PEC receipt (accettazione, avvenuta consegna, ...) byte for byte and record it."""
    try:
        parsed = parse_pec_receipt(data)
    except ValueError as exc:
        raise InvalidInput({"body": [f"Not a PEC receipt: {exc}."]}) from exc
    if parsed.kind not in RECEIPT_KINDS:
        raise InvalidInput(
            {"body": [f"Unknown receipt type '{parsed.kind[:40]}'; one of {', '.join(RECEIPT_KINDS)}."]}
        )

    def check(message: Message, tenant: Tenant, now: datetime) -> None:
        message.require("add_receipt")
        # Sent by the service, the Message-ID is ours; sent by hand, the mail client chose it.
        reference = parsed.referenced_message_id
        if message.eml is not None and reference and reference != message.message_id:
            raise InvalidInput(
                {"body": [f"This receipt is about {reference[:200]}, not {message.message_id}."]}
            )

    with rt.writer() as uow:
        message = require_message(uow, tenant_id, message_id)
        change = load_for_change(rt, uow, tenant_id, message.engagement_id)
        message = require_message(uow, tenant_id, message_id, lock=True)
        check(message, change.tenant, change.now)
        receipt = Receipt(
            tenant_id=tenant_id,
            message_id=message_id,
            kind=parsed.kind,
            issued_at=parsed.issued_at,
            filename=f"message-{message_id}-{parsed.kind}-{len(uow.messages.receipts([message_id])) + 1}.eml",
            content=data,
            sha256=hashlib.sha256(data).hexdigest(),
            created_at=change.now,
            referenced_message_id=parsed.referenced_message_id,
        )
        uow.messages.add_receipt(receipt)
        uow.flush()
        payload = {
            "message_id": message_id,
            "receipt_id": receipt.id,
            "kind": receipt.kind,
            "issued_at": receipt.issued_at.isoformat(),
            "sha256": receipt.sha256,
        }
        if receipt.kind == DELIVERED:
            payload.update(_term_from_delivery(uow, change.engagement, message, receipt.issued_at))
        append_entry(uow, change.engagement, "pec_receipt", payload, change.now)
        uow.commit()
        return receipt_view(receipt)


def _term_from_delivery(
    uow: UnitOfWork, engagement: Engagement, message: Message, delivered_at: datetime
) -> dict[str, str]:
    """A diffida's or final notice's term runs from its receipt: the delivery receipt moves the
    deadline the record and the guards hold to the day it names."""
    document = uow.documents.get(message.tenant_id, message.document_id)
    if document is None or document.kind not in TERM_FROM_DELIVERY or document.event_id is None:
        return {}
    cause = uow.record.get(document.event_id)
    days = cause.payload.get("days") if cause is not None else None
    if cause is None or not days:
        return {}
    deadline = deadline_from_delivery(engagement, document.kind, cause.occurred_at, int(days), delivered_at)
    if deadline is None:
        return {}
    return {"delivered_on": engagement.day_of(delivered_at).isoformat(), "deadline": deadline.isoformat()}
