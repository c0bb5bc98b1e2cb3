"""The tamper-evident record: each event's hash covers the previous hash and its own content."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol

from service.domain.calendar import utc_timestamp
from service.domain.model import Engagement, Event

GENESIS = "0" * 64
# Every type of entry the service writes: append() refuses any other type.
WRITTEN_TYPES = (
    "engagement_created",
    "engagement_changed",
    "terms_proposed",
    "terms_accepted",
    "terms_withdrawn",
    "terms_in_force",
    "transition",
    "document_generated",
    "document_requested",
    "invoice_issued",
    "payment_received",
    "payment_reversed",
    "invoice_cancelled",
    "work_logged",
    "incident_recorded",
    "approval_requested",
    "approval_decided",
    "handover_step",
    "message_approved",
    "message_discarded",
    "message_sent",
    "message_failed",
    "pec_receipt",
    "sdi_receipt",
    "termination_agreement_signed",
    "acceptance_code_sent",
    "client_accepted",
    "signed_copy_received",
    "client_answered",  # in the portal, in the client's own hand
)
# Written by earlier versions (an amendment that bound at once): older records still hold them.
RETIRED_TYPES = ("terms_amended",)
# What a record may hold: the enum openapi.yaml gives clients, which generated clients enforce.
ENTRY_TYPES = WRITTEN_TYPES + RETIRED_TYPES
# Entries of the client's own doing (an answer or acceptance in the portal, a digital signature
# of theirs), which the desk's timeline marks as theirs.
CLIENT_OWN_TYPES = frozenset({"client_answered", "client_accepted", "signed_copy_received"})


def canonical(content: dict[str, Any]) -> bytes:
    return json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def event_content(event: Event) -> dict[str, Any]:
    """What the hash covers: everything that gives the entry its meaning."""
    return {
        "engagement_id": event.engagement_id,
        "seq": event.seq,
        "type": event.type,
        "occurred_at": utc_timestamp(event.occurred_at),
        "payload": event.payload,
    }


def chain_hash(prev_hash: str, content: dict[str, Any]) -> str:
    return hashlib.sha256(prev_hash.encode() + canonical(content)).hexdigest()


def append(engagement: Engagement, type_: str, payload: dict[str, Any], at: datetime) -> Event:
    """Create the next entry and move the engagement's head; the caller persists it."""
    assert engagement.id is not None, "the engagement must be flushed before its record grows"
    if type_ not in WRITTEN_TYPES:
        raise ValueError(
            f"{type_!r} is not in WRITTEN_TYPES, whose list ENTRY_TYPES openapi.yaml gives clients"
        )
    prev = engagement.record_head or GENESIS
    event = Event(
        engagement_id=engagement.id,
        tenant_id=engagement.tenant_id,
        seq=engagement.record_seq + 1,
        type=type_,
        occurred_at=at,
        payload=payload,
        prev_hash=prev,
        hash="",
    )
    event.hash = chain_hash(prev, event_content(event))
    engagement.record_seq = event.seq
    engagement.record_head = event.hash
    return event


@dataclass(frozen=True)
class Verification:
    valid: bool
    count: int
    head: str
    first_broken_seq: int | None = None
    problem: str | None = None


def verify(events: Iterable[Event], engagement: Engagement) -> Verification:
    """Walk the chain in stored order; report the first entry that does not fit.

    The engagement's own head and count catch what a chain alone cannot: a deleted last entry.
    """
    prev, count = GENESIS, 0
    for expected_seq, event in enumerate(events, start=1):
        problem = None
        if event.seq != expected_seq:
            problem = f"entry {expected_seq} is missing or out of order (found seq {event.seq})"
        elif event.prev_hash != prev:
            problem = f"entry {event.seq} does not link to the entry before it"
        elif chain_hash(prev, event_content(event)) != event.hash:
            problem = f"entry {event.seq} was altered after it was written"
        if problem:
            return Verification(False, count, prev, expected_seq, problem)
        prev, count = event.hash, count + 1
    if count != engagement.record_seq or prev != (engagement.record_head or GENESIS):
        missing = count + 1
        return Verification(False, count, prev, missing, f"entry {missing} is missing")
    return Verification(True, count, prev)


# The server signs each record's head (``adapters/signing.py``, the key outside the database), so
# someone who can write to the database cannot forge a consistent chain.
ALGORITHM = "Ed25519"


def head_message(engagement_id: int, seq: int, head: str) -> bytes:
    """What is signed: which engagement, how many entries, and the last entry's hash."""
    return f"engagement-service record head\nengagement {engagement_id}\nentries {seq}\nhead {head}".encode()


class Signer(Protocol):
    key_id: str
    public_key_pem: str

    def sign(self, engagement_id: int, seq: int, head: str) -> str: ...
    def verifies(self, engagement_id: int, seq: int, head: str, signature: str) -> bool: ...
