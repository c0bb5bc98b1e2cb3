"""Messages to the client: each notice written for them, as an e-mail waiting for its turn.

A message moves draft → approved → sending → sent, or ends failed or discarded: ``LIFECYCLE``
says which action may start from which status and where it leads, and ``Message.move`` is the
only way a status changes. Pure rules here; composing the RFC 5322 bytes and SMTP live in the
adapters.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import NamedTuple

from service.domain.errors import Conflict

CHANNELS = ("email", "pec", "post")  # post: printed and sent by hand (registered post)
STATUSES = ("draft", "approved", "sending", "sent", "failed", "discarded")
IN_FLIGHT = ("approved", "sending")  # handed to the dispatcher, not yet sent or failed
DELIVERY_MODES = ("approve", "auto", "manual")


class Move(NamedTuple):
    sources: frozenset[str]  # the statuses the action may start from
    dest: str
    done: str  # how the refusal names the action: "only a draft message can be <done>"


# The lifecycle, as data (tests/unit/test_message_lifecycle.py checks every status × action).
LIFECYCLE: dict[str, Move] = {
    "edit": Move(frozenset({"draft"}), "draft", "edited"),  # its recipients, subject and body
    "approve": Move(frozenset({"draft", "failed"}), "approved", "approved"),
    "discard": Move(frozenset({"draft", "approved", "failed"}), "discarded", "discarded"),
    "mark_sent": Move(frozenset({"draft", "approved", "failed"}), "sent", "marked as sent"),
    "claim": Move(frozenset({"approved"}), "sending", "claimed for sending"),
    "hand_over": Move(frozenset({"sending"}), "sent", "recorded as accepted by the server"),
    # A failure that may pass (a 4xx, no connection): due again later on the retry schedule.
    "retry": Move(frozenset({"sending"}), "approved", "tried again"),
    # Refused for good, the schedule spent, or the outcome unknown after its lease ran out.
    "fail": Move(frozenset({"sending"}), "failed", "failed"),
    "add_receipt": Move(frozenset({"sent"}), "sent", "given receipts"),  # PEC receipts
}
# A fresh portal link the client asked for on an expired link's page: it leaves at once, whatever
# the account's delivery mode, since there is nothing in it for the freelancer to decide and the
# client is waiting for it.
FRESH_LINK_LETTER = "portal_link"
# Documents written to the client, each drafted as a message so it can leave with proof; the
# contract and the reports on request are not letters and create none.
CLIENT_NOTICES = frozenset(
    {
        "feedback_request",
        FRESH_LINK_LETTER,
        "feedback_reminder",
        "payment_reminder",
        "stop_work_notice",
        "resume_notice",
        "contract_amendment",
        "conduct_warning",
        "termination_notice",
        "termination_agreement",
        "handover_checklist",
        "final_report",
        "formal_demand",
        "final_notice",
        "statement",
        "closing_record",
        "credit_note",
    }
)
# Letters whose receipt matters in court: they go by PEC where the client has one (its delivery
# receipt is legal proof, art. 48 D.Lgs. 82/2005); by e-mail only with the advice to send them
# by registered post too.
LEGAL_NOTICES = frozenset({"formal_demand", "final_notice", "termination_notice"})
# Letters whose term runs from the day the client receives them: a PEC delivery receipt sets it.
TERM_FROM_DELIVERY = frozenset({"formal_demand", "final_notice"})
# Delay before each try of a send that failed for a reason that may pass (4xx, no connection).
SEND_RETRY_SCHEDULE = tuple(timedelta(seconds=s) for s in (0, 60, 300, 1800, 7200, 18000, 36000))


@dataclass(eq=False)
class Message:
    tenant_id: int
    engagement_id: int
    document_id: int
    channel: str
    to: list[str]
    subject: str
    body: str
    created_at: datetime
    message_id: str  # the RFC 5322 Message-ID, chosen once: a resend carries the same one
    cc: list[str] = field(default_factory=list)
    status: str = "draft"
    sent_at: datetime | None = None
    reference: str | None = None  # for a message sent outside the service
    reason: str | None = None  # why it was discarded, or why it failed
    note: str | None = None  # advice for the sender (registered post advised, print it)
    attempts: int = 0
    next_attempt_at: datetime | None = None
    lease_until: datetime | None = None
    smtp_reply: str | None = None
    sha256: str | None = None  # of the exact bytes handed to the SMTP server
    eml: bytes | None = None
    id: int | None = None

    def require(self, action: str) -> None:
        """Refuse (409) an action the lifecycle does not allow from this status."""
        move = LIFECYCLE[action]
        if self.status not in move.sources:
            allowed = " or ".join(s for s in STATUSES if s in move.sources)
            raise Conflict(f"This message is {self.status}; only a {allowed} message can be {move.done}.")

    def move(self, action: str) -> None:
        self.require(action)
        self.status = LIFECYCLE[action].dest

    def approve(self, now: datetime) -> None:
        self.move("approve")
        self.next_attempt_at = now
        self.attempts = 0
        self.reason = None

    def discard(self, reason: str) -> None:
        self.move("discard")
        self.reason = reason
        self.next_attempt_at = None

    def mark_sent(self, sent_at: datetime, channel: str, reference: str) -> None:
        self.move("mark_sent")
        self.sent_at = sent_at
        self.channel = channel
        self.reference = reference
        self.next_attempt_at = None


# X-Ricevuta values of a PEC provider's receipts (DPR 68/2005, DM 2 novembre 2005).
RECEIPT_KINDS = (
    "accettazione",
    "non-accettazione",
    "presa-in-carico",
    "avvenuta-consegna",
    "posta-certificata",
    "errore-consegna",
    "preavviso-errore-consegna",
    "rilevazione-virus",
)
DELIVERED = "avvenuta-consegna"  # the receipt that proves the client's mailbox received it


@dataclass(eq=False)
class Receipt:
    """A PEC receipt as the provider sent it: kept byte for byte, as evidence."""

    tenant_id: int
    message_id: int
    kind: str
    issued_at: datetime
    filename: str
    content: bytes
    sha256: str
    created_at: datetime
    referenced_message_id: str | None = None
    id: int | None = None


@dataclass(eq=False)
class SmtpAccount:
    """A tenant's own mailbox to send from (a PEC mailbox is one): its password only sealed."""

    tenant_id: int
    host: str
    port: int
    security: str  # starttls | tls
    username: str
    password_sealed: str
    channel: str  # email | pec: what messages sent through it are
    from_address: str
    updated_at: datetime


@dataclass(frozen=True)
class Route:
    """How a letter reaches the client: the channel, the addresses, and the advice to note."""

    channel: str
    to: list[str]
    note: str | None = None  # a key of ``messages.notes`` in the wording


def route_for(kind: str, email: str, pec: str, account_channel: str) -> Route:
    """PEC for a legal letter where the client has one; else e-mail (with the advice to send a
    legal letter by registered post too); PEC when the client has no e-mail; with neither, the
    letter is printed and posted (the client then has a postal address)."""
    if pec and (kind in LEGAL_NOTICES or not email):
        return Route("pec", [pec])
    if email:
        note = "registered_post" if kind in LEGAL_NOTICES else None
        return Route(account_channel, [email], note)
    return Route("post", [], "print")


def next_send_attempt(attempts_made: int, now: datetime) -> datetime | None:
    """When to try again after a failure that may pass, or None when the schedule is spent."""
    if attempts_made >= len(SEND_RETRY_SCHEDULE):
        return None
    return now + SEND_RETRY_SCHEDULE[attempts_made]


@dataclass(frozen=True)
class Handed:
    """What the SMTP server said: accepted, or refused for good (5xx) or for now."""

    accepted: bool
    reply: str
    permanent: bool = False


@dataclass(frozen=True)
class SendTimeouts:
    """Seconds one send may take: to connect (TLS included for smtps), for each reply, and in all
    once connected. The total is enforced by cutting the connection, so a server that trickles
    its replies still ends inside it."""

    connect: float = 10.0
    reply: float = 30.0
    total: float = 60.0
