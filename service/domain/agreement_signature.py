"""The client's signature of a mutual termination agreement, as evidence in the record.

A mutual ending is a contract of its own (art. 1321 and 1372 c.c.: a contract is dissolved by
mutual consent): the freelancer's agreement binds only once the client signs it, and the file
must show who signed, when and how, as it does for an amendment's acceptance (art. 1326 c.c.).
The entry names the agreement's document and its sha256, so the signature is tied to the text
the client received; one signature per agreement.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date
from typing import Any

from service.domain.model import Document, Engagement, Event
from service.domain.sayings import Said
from service.domain.termination import MUTUAL

SIGNED_ENTRY = "termination_agreement_signed"
KIND = "termination_agreement"


def agreement_to_sign(engagement: Engagement, documents: Iterable[Document]) -> Document | None:
    """The latest termination agreement of an engagement ended by agreement; None otherwise."""
    if engagement.offboarding_reason != MUTUAL:
        return None
    return next((d for d in reversed(list(documents)) if d.kind == KIND), None)


def earlier_signature(events: Sequence[Event], agreement: Document) -> Event | None:
    return next(
        (e for e in events if e.type == SIGNED_ENTRY and e.payload.get("document_id") == agreement.id), None
    )


def date_refused(engagement: Engagement, agreement: Document, signed_on: date, today: date) -> Said | None:
    """A signature is recorded once given, and cannot predate the agreement it signs."""
    if signed_on > today:
        return Said("agreement_signature.in_future", today=today.isoformat())
    issued = engagement.day_of(agreement.created_at)
    if signed_on < issued:
        return Said("agreement_signature.before_agreement", issued_on=issued.isoformat())
    return None


def signature_payload(
    engagement: Engagement, agreement: Document, signature: dict[str, Any]
) -> dict[str, Any]:
    return {
        "document_id": agreement.id,
        "document_sha256": agreement.sha256,
        "ends_on": engagement.ends_on.isoformat() if engagement.ends_on else None,
        "accepted_by": signature["accepted_by"],
        "accepted_on": signature["accepted_on"].isoformat(),
        "method": signature["method"],
        "note": signature.get("note", ""),
    }
