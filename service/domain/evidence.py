"""What the record says beside what the tables hold: each document's bytes against the sha256
its ``document_generated`` entry holds, and the money and the state replayed from the entries
against the invoices, payments and engagement. The chain proves the entries were not altered;
this proves the rest of the database agrees with them. The e-mails the service sent are checked
the same way: their stored bytes and recipients against their ``message_sent`` entries."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from service.domain.messages import Message
from service.domain.model import Document, Engagement, Event


@dataclass(frozen=True)
class Finding:
    seq: int | None  # the entry the mismatch is measured against, if one
    problem: str


def check_documents(events: Sequence[Event], documents: Iterable[Document]) -> Finding | None:
    """The first stored document whose bytes are not the ones its entry recorded."""
    recorded = {
        event.payload.get("document_id"): event for event in events if event.type == "document_generated"
    }
    for document in documents:
        entry = recorded.pop(document.id, None)
        name = f"document {document.id} ({document.download_name})"  # the name the user downloaded
        if entry is None:
            return Finding(None, f"{name} has no document_generated entry in the record")
        if hashlib.sha256(document.content).hexdigest() != entry.payload.get("sha256"):
            return Finding(entry.seq, f"{name} does not match the sha256 its entry {entry.seq} recorded")
    for document_id, entry in recorded.items():
        return Finding(entry.seq, f"document {document_id}, recorded in entry {entry.seq}, is missing")
    return None


def check_messages(events: Sequence[Event], messages: Iterable[Message]) -> Finding | None:
    """The first message the service sent whose stored bytes or recipients are not what its
    ``message_sent`` entry recorded (one marked sent by hand has no bytes of ours to check)."""
    recorded = {
        event.payload.get("message_id"): event
        for event in events
        if event.type == "message_sent" and "sha256" in event.payload
    }
    for message in messages:
        if message.status != "sent" or message.eml is None:
            continue
        entry = recorded.get(message.id)
        name = f"message {message.id}"
        if entry is None:
            return Finding(None, f"{name} is stored as sent but has no message_sent entry in the record")
        if hashlib.sha256(message.eml).hexdigest() != entry.payload.get("sha256"):
            return Finding(
                entry.seq, f"{name}'s stored bytes do not match the sha256 its entry {entry.seq} recorded"
            )
        if [*message.to, *message.cc] != entry.payload.get("recipients"):
            return Finding(entry.seq, f"{name}'s recipients are not the ones its entry {entry.seq} recorded")
    return None


def check_books(events: Sequence[Event], engagement: Engagement, initial_state: str) -> Finding | None:
    """Invoices, payments, balance and state replayed from the record, compared with the tables."""
    try:
        invoiced = _amounts(events, "invoice_issued", "invoice_id")
        owed = _amounts(events, "invoice_issued", "invoice_id", "payable")
        received = _amounts(events, "payment_received", "payment_id")
        reversed_ = _amounts(events, "payment_reversed", "payment_id")
        credited = _amounts(events, "invoice_cancelled", "invoice_id")
    except (KeyError, TypeError, InvalidOperation) as error:
        return Finding(None, f"a money entry cannot be read ({type(error).__name__})")
    for kind, recorded, stored in (
        ("invoice", invoiced, {i.id: i.amount for i in engagement.invoices}),
        ("invoice's amount payable of", owed, {i.id: i.payable for i in engagement.invoices}),
        ("payment", received, {p.id: p.amount for p in engagement.payments}),
    ):
        found = _compare(kind, recorded, stored)
        if found is not None:
            return found
    # A reversed payment counts for nothing; a credit note takes its amount off the invoices.
    replayed = _total(owed) - _total(received) + _total(reversed_) - _total(credited)
    held = engagement.balance_due - engagement.credit
    if replayed != held:
        return Finding(
            None, f"the balance in the tables ({held}) is not what the record adds up to ({replayed})"
        )
    transitions = [e for e in events if e.type == "transition"]
    state = transitions[-1].payload.get("to") if transitions else initial_state
    if state != engagement.state:
        seq = transitions[-1].seq if transitions else None
        return Finding(seq, f"the engagement's state ({engagement.state}) is not the record's ({state})")
    return None


def _total(amounts: dict[Any, tuple[Decimal, int]]) -> Decimal:
    return sum((a for a, _ in amounts.values()), Decimal(0))


def _amounts(
    events: Sequence[Event], type_: str, id_key: str, key: str = "amount"
) -> dict[Any, tuple[Decimal, int]]:
    """Each entry's amount under ``key`` (an invoice's payable; entries written before it was
    recorded carry the fee alone, which was then what the client owed)."""
    return {
        e.payload[id_key]: (Decimal(e.payload.get(key, e.payload["amount"])), e.seq)
        for e in events
        if e.type == type_
    }


def _compare(
    kind: str, recorded: dict[Any, tuple[Decimal, int]], stored: dict[int | None, Decimal]
) -> Finding | None:
    for row_id, amount in stored.items():
        if row_id not in recorded:
            return Finding(None, f"{kind} {row_id} has no entry in the record")
        entry_amount, seq = recorded[row_id]
        if amount != entry_amount:
            return Finding(
                seq, f"{kind} {row_id} is {amount} in the tables but {entry_amount} in entry {seq}"
            )
    for row_id, (_, seq) in recorded.items():
        if row_id not in stored:
            return Finding(seq, f"{kind} {row_id}, recorded in entry {seq}, is missing from the tables")
    return None
