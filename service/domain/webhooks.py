"""Webhooks as the Standard Webhooks specification describes them: events, signatures, retries.

Pure: what an announcement says, how it is signed, when the next try is due and what an
answer means. Sending and storage live in the adapters; the dispatcher drives them.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import random
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from service.domain.calendar import as_utc
from service.domain.model import Engagement, Event

SECRET_PREFIX = "whsec_"
# The old secret signs beside the new one this long after a rotation.
ROTATION_OVERLAP = timedelta(hours=24)
# An endpoint that has failed without a single success for this long is disabled.
FAILING_LIMIT = timedelta(days=3)
TIMEOUT_SECONDS = 10.0  # each network operation of a post: a read, a write
TOTAL_TIMEOUT_SECONDS = 30.0  # a whole post, connect to the answer's last byte: the most allowed
# Delay before each try: the first immediately, then backing off over about three days.
RETRY_SCHEDULE = tuple(
    timedelta(seconds=s) for s in (0, 5, 300, 1800, 7200, 18000, 36000, 36000, 36000, 36000)
)
JITTER = 0.1  # each delay moves by up to ±10% so a recovering receiver is not hit all at once
LONGEST_RETRY_AFTER = timedelta(hours=24)

# Record entry type → announced event type; entries not listed here are not announced.
ENTRY_EVENTS = {
    "engagement_created": "engagement.created",
    "transition": "engagement.transitioned",
    "document_generated": "document.generated",
    "invoice_issued": "invoice.issued",
    "payment_received": "payment.received",
    "message_sent": "message.sent",
    "message_failed": "message.failed",
}
ENDPOINT_DISABLED = "webhook_endpoint.disabled"
EVENT_TYPES = (*ENTRY_EVENTS.values(), ENDPOINT_DISABLED)
# What of each entry's payload the announcement carries: enough to act on, never client text
# (a receiver fetches the rest from the API with its key).
_PAYLOAD_FIELDS = {
    "transition": ("trigger", "from", "to", "by"),
    "document_generated": ("document_id", "kind", "sha256", "cause_seq"),
    "invoice_issued": ("invoice_id", "period", "amount", "payable", "due_on"),
    "payment_received": ("payment_id", "amount", "currency", "received_on", "balance_due"),
    "message_sent": ("message_id", "channel", "smtp_message_id"),
    "message_failed": ("message_id", "channel", "reason"),
}


@dataclass(eq=False)
class OutboxMessage:
    """An announcement written in the same transaction as the change it announces."""

    tenant_id: int
    type: str
    body: str  # the exact JSON that is signed and sent, the same on every try
    created_at: datetime
    dispatched_at: datetime | None = None  # when it was fanned out to the endpoints
    id: int | None = None

    @property
    def webhook_id(self) -> str:
        return f"msg_{self.id}"


@dataclass(eq=False)
class WebhookEndpoint:
    tenant_id: int
    url: str
    events: list[str]
    description: str
    secret: str
    created_at: datetime
    previous_secret: str | None = None
    previous_secret_expires_at: datetime | None = None
    disabled_at: datetime | None = None
    disabled_reason: str | None = None
    failing_since: datetime | None = None
    id: int | None = None

    def subscribes_to(self, event_type: str) -> bool:
        return "*" in self.events or event_type in self.events

    def signing_secrets(self, now: datetime) -> list[str]:
        previous = self.previous_secret
        expires = self.previous_secret_expires_at
        return [self.secret] + ([previous] if previous and expires and now < expires else [])


@dataclass(eq=False)
class WebhookDelivery:
    """One announcement to one endpoint, tried until it succeeds or the schedule runs out."""

    tenant_id: int
    endpoint_id: int
    outbox_id: int
    created_at: datetime
    next_attempt_at: datetime | None
    status: str = "pending"  # pending | succeeded | failed
    attempts: int = 0
    last_status_code: int | None = None
    last_error: str | None = None
    completed_at: datetime | None = None
    id: int | None = None


@dataclass(eq=False)
class WebhookAttempt:
    delivery_id: int
    attempted_at: datetime
    status_code: int | None
    latency_ms: int
    error: str | None
    id: int | None = None


def new_secret() -> str:
    return SECRET_PREFIX + base64.b64encode(secrets.token_bytes(24)).decode()


def timestamp(moment: datetime) -> str:
    return as_utc(moment).isoformat().replace("+00:00", "Z")


def entry_announcement(engagement: Engagement, event: Event) -> tuple[str, str] | None:
    """(event type, body) announcing a record entry, or None when the entry is not announced."""
    event_type = ENTRY_EVENTS.get(event.type)
    if event_type is None:
        return None
    data: dict[str, Any] = {
        "engagement_id": engagement.id,
        "state": engagement.state,
        "version": engagement.version,
        "seq": event.seq,
        "hash": event.hash,
    }
    data.update({k: event.payload.get(k) for k in _PAYLOAD_FIELDS.get(event.type, ())})
    return event_type, body(event_type, event.occurred_at, data)


def body(event_type: str, at: datetime, data: dict[str, Any]) -> str:
    return json.dumps({"type": event_type, "timestamp": timestamp(at), "data": data}, separators=(",", ":"))


def signature_header(secrets_: list[str], webhook_id: str, sent_at: int, payload: str) -> str:
    """``v1,<base64 HMAC-SHA256>`` per secret, space-separated (Standard Webhooks)."""
    signed = f"{webhook_id}.{sent_at}.{payload}".encode()
    parts = []
    for secret in secrets_:
        key = base64.b64decode(secret.removeprefix(SECRET_PREFIX))
        digest = hmac.new(key, signed, hashlib.sha256).digest()
        parts.append("v1," + base64.b64encode(digest).decode())
    return " ".join(parts)


@dataclass(frozen=True)
class Answer:
    """What came back from one try: a status code, or an error before any status."""

    status_code: int | None
    latency_ms: int
    error: str | None = None
    retry_after: timedelta | None = None


@dataclass(frozen=True)
class Verdict:
    succeeded: bool
    disable_endpoint: bool = False
    next_attempt_at: datetime | None = None  # None with succeeded False: no more tries


def judge(answer: Answer, attempts_made: int, now: datetime, rng: random.Random | None = None) -> Verdict:
    """2xx succeeds; 410 Gone disables the endpoint; anything else (3xx included: redirects are
    not followed) is tried again on the schedule, or after Retry-After on 429 and 503."""
    code = answer.status_code
    if code is not None and 200 <= code < 300:
        return Verdict(succeeded=True)
    if code == 410:
        return Verdict(succeeded=False, disable_endpoint=True)
    if attempts_made >= len(RETRY_SCHEDULE):
        return Verdict(succeeded=False)
    delay = _jittered(RETRY_SCHEDULE[attempts_made], rng or random.Random())
    if code in (429, 503) and answer.retry_after is not None:
        delay = min(answer.retry_after, LONGEST_RETRY_AFTER)
    return Verdict(succeeded=False, next_attempt_at=now + delay)


def _jittered(delay: timedelta, rng: random.Random) -> timedelta:
    return delay * (1 + rng.uniform(-JITTER, JITTER))
