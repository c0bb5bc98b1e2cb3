"""Appending to, reading and verifying the hash-chained record.

Verification covers more than the chain: the head's signature by the server's key (a chain
recomputed without the key fails), each document's bytes and each sent e-mail's bytes and
recipients against their entries, and the money and
state replayed from the entries against the tables (``domain/evidence.py``).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from service.application.runtime import Runtime
from service.application.unit_of_work import UnitOfWork, require_engagement
from service.domain import evidence, record
from service.domain.errors import RecordTampered
from service.domain.messages import Message
from service.domain.model import Document, Engagement, Event
from service.domain.sdi_files import ReceiptFile, check_receipt_files
from service.domain.webhooks import OutboxMessage, entry_announcement


def append_entry(
    uow: UnitOfWork, engagement: Engagement, type_: str, payload: dict[str, Any], at: datetime
) -> Event:
    """Append an entry in the current transaction. Not flushed here: the commit writes it, and
    whoever needs its id first (a document citing it) flushes.

    Every entry passes here, so this is where the announced ones join the outbox: in the same
    transaction, so an announcement exists exactly when its change does."""
    uow.touch(engagement)
    event = record.append(engagement, type_, payload, at)
    uow.record.add(event)
    announcement = entry_announcement(engagement, event)
    if announcement is not None:
        event_type, body = announcement
        uow.webhooks.announce(OutboxMessage(engagement.tenant_id, event_type, body, at))
    return event


def list_events(rt: Runtime, tenant_id: int, engagement_id: int) -> list[Event]:
    """The entries, oldest first. One whose payload is no longer an object was altered in the
    database: the answer is the verification's finding, not a listing that cannot describe it."""
    with rt.reader() as uow:
        engagement = require_engagement(uow, tenant_id, engagement_id)
        events = list(uow.record.events(engagement.id or 0))
        if not all(isinstance(event.payload, dict) for event in events):
            found = record.verify(events, engagement)
            raise RecordTampered(
                f"The record fails verification: {found.problem}. GET .../events/verify names the "
                "first broken entry; the export carries the record as stored."
            )
        return events


def seal_head(signer: record.Signer, engagement: Engagement) -> None:
    """Sign the record's head as it now stands (the unit of work calls this before each flush)."""
    if engagement.id is not None and engagement.record_seq:
        engagement.record_signature = signer.sign(
            engagement.id, engagement.record_seq, engagement.record_head
        )


def sign_heads(rt: Runtime, previous: record.Signer | None, *, unsigned: bool) -> tuple[int, list[int]]:
    """Sign each record head again with the current key: those ``previous`` (a retired key)
    signed, and with ``unsigned`` those that carry no signature yet (written before signing
    existed). A head whose chain does not verify, or whose signature is neither, is left as it
    is and reported: signing it would bless a forgery. Returns (signed, refused ids)."""
    signed, refused, after = 0, [], 0
    while batch := list(_ids(rt, after)):
        for engagement_id in batch:
            with rt.writer() as uow:
                engagement = uow.engagements.lock_for_operator(engagement_id)
                if engagement is None:
                    continue
                chain = record.verify(uow.record.events(engagement_id), engagement)
                current = engagement.record_signature
                trusted = (unsigned and not current) or (
                    previous is not None
                    and previous.verifies(engagement_id, chain.count, chain.head, current)
                )
                if rt.signer.verifies(engagement_id, chain.count, chain.head, current):
                    continue
                if not (chain.valid and trusted):
                    refused.append(engagement_id)
                    continue
                seal_head(rt.signer, engagement)
                uow.commit()
                signed += 1
        after = batch[-1]
    return signed, refused


def _ids(rt: Runtime, after: int) -> Sequence[int]:
    with rt.reader() as uow:
        return uow.engagements.ids_after(after, 500)


def verify_record(rt: Runtime, tenant_id: int, engagement_id: int) -> record.Verification:
    with rt.reader() as uow:
        engagement = require_engagement(uow, tenant_id, engagement_id)
        events = list(uow.record.events(engagement.id or 0))
        documents = list(uow.documents.for_engagement(engagement.id or 0))
        messages = list(uow.messages.for_engagement(engagement.id or 0))
        receipts = uow.sdi_files.for_engagement(engagement.id or 0)
        return verify_evidence(rt, engagement, events, documents, messages, receipts)


def verify_evidence(
    rt: Runtime,
    engagement: Engagement,
    events: Sequence[Event],
    documents: Sequence[Document],
    messages: Sequence[Message],
    sdi_receipts: Sequence[ReceiptFile] = (),
) -> record.Verification:
    """The chain, then its signed head, then the documents, the sent e-mails and the books: the
    first problem."""
    chain = record.verify(events, engagement)
    if not chain.valid:
        return chain
    if not rt.signer.verifies(engagement.id or 0, chain.count, chain.head, engagement.record_signature):
        problem = (
            "the record head's signature does not verify with this server's key: the chain was "
            "rewritten without it, or signed by another key"
        )
        return record.Verification(False, chain.count, chain.head, None, problem)
    finding = (
        evidence.check_documents(events, documents)
        or evidence.check_messages(events, messages)
        or check_receipt_files(events, sdi_receipts)
        or evidence.check_books(events, engagement, rt.workflow.definition.initial)
    )
    if finding is not None:
        return record.Verification(False, chain.count, chain.head, finding.seq, finding.problem)
    return chain
