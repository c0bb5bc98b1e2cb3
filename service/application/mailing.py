"""Sending approved messages over SMTP, with proof in the record.

Each send is recorded before it happens: the claim stores the exact bytes, their sha256 and
status ``sending`` under a lease, and commits. Then the bytes go to the SMTP server, and one
transaction per message writes the outcome and a ``message_sent`` (recipients, Message-ID, the
server's reply, the sha256) or ``message_failed`` entry. A dispatcher that dies after the server
accepted leaves the message ``sending``; when the lease runs out it is marked failed as
"outcome unknown" and never resent by itself, so nothing goes out twice. Approving it again
resends the same bytes' Message-ID, which the client's mail program treats as one message.
"""

from __future__ import annotations

import hashlib
import logging
from datetime import datetime, timedelta

from service.application.loading import load_for_change
from service.application.messages import letter_for, pdf_copy, say_about
from service.application.record import append_entry
from service.application.runtime import Mailer, Runtime
from service.application.smtp_accounts import mailer_for
from service.application.unit_of_work import UnitOfWork
from service.documents.emails import compose
from service.domain.errors import NotFound
from service.domain.messages import Handed, Message, next_send_attempt

logger = logging.getLogger(__name__)
BATCH = 50  # messages one pass claims in all ...
SHARE = 5  # ... and at most this many of one tenant's, taken round-robin (fair delivery)
LEASE = timedelta(minutes=10)
NO_MAILER_WAIT = timedelta(minutes=5)


def send_due(rt: Runtime, mailer: Mailer | None) -> int:
    """Send what is approved and due; returns how many messages were handed over or failed."""
    now = rt.clock()
    _give_up_abandoned(rt, now)
    with rt.writer() as uow:
        claimed = []
        for message in uow.messages.claim_due(now, BATCH, SHARE):
            chosen, from_address = mailer_for(rt, uow, message.tenant_id, mailer)
            waits_for = _waits_for(uow, message, chosen, own_account=from_address is not None)
            if waits_for is not None:
                # Nothing fit to send with: look again later instead of blocking the queue's head,
                # and say what it waits for.
                message.next_attempt_at = now + NO_MAILER_WAIT
                message.reason = say_about(uow, message, waits_for)
                continue
            message.move("claim")
            message.attempts += 1
            message.lease_until = now + LEASE
            claimed.append((message.id or 0, message.tenant_id, chosen, from_address))
        uow.commit()
    resting: set[int] = set()  # tenants whose server did not take a message in this pass
    for message_id, tenant_id, chosen, from_address in claimed:
        if tenant_id in resting:
            # One timeout of this tenant's server per pass is its whole cost to the others.
            _put_back(rt, tenant_id, message_id)
        elif not _send_one(rt, tenant_id, message_id, chosen, from_address):
            resting.add(tenant_id)
    return len(claimed)


def _send_one(rt: Runtime, tenant_id: int, message_id: int, mailer: Mailer, from_address: str | None) -> bool:
    """One message on its own: whatever goes wrong with it (its stored data, its server) is
    written on it, and it waits its turn to try again or fails after its attempts, while the
    messages after it go on. False when its server did not take it for now (down, slow, 4xx)."""
    recipients: list[str] = []
    server_answered = True
    try:
        sender, recipients, data = _write_down(rt, tenant_id, message_id, from_address)
        handed = mailer.send(sender, recipients, data)
        server_answered = handed.accepted or handed.permanent
    except Exception as error:  # a fault of this message, not of the dispatcher or the server
        logger.exception("message %s could not be sent", message_id)
        handed = Handed(False, f"{type(error).__name__}: {error}"[:1000])
    try:
        _record(rt, tenant_id, message_id, handed, recipients)
    except Exception:
        # Left `sending`: when its lease runs out it is failed as "outcome unknown", never resent.
        logger.exception("the outcome of message %s could not be written", message_id)
    return server_answered


def _put_back(rt: Runtime, tenant_id: int, message_id: int) -> None:
    """A claimed message not tried in this pass: due again, its attempt not counted."""
    with rt.writer() as uow:
        message = uow.messages.get(tenant_id, message_id, lock=True)
        if message is not None and message.status == "sending":
            message.move("retry")  # due again at once: its next_attempt_at is unchanged
            message.attempts -= 1
            message.lease_until = None
            uow.commit()


def _waits_for(uow: UnitOfWork, message: Message, chosen: Mailer | None, *, own_account: bool) -> str | None:
    """Why an approved message cannot leave now (a ``messages.notes`` key), or None."""
    if chosen is None:
        return "no_smtp"
    if message.channel == "pec":
        # A PEC's receipts are its proof: it leaves only through the account's own PEC mailbox.
        account = uow.messages.smtp_account(message.tenant_id) if own_account else None
        if account is None or account.channel != "pec":
            return "pec_mailbox"
    return None


def _write_down(
    rt: Runtime, tenant_id: int, message_id: int, from_address: str | None
) -> tuple[str, list[str], bytes]:
    """Compose the exact bytes (the PDF copy is converted outside any transaction) and commit
    them with their sha256 before they are sent."""
    with rt.reader() as uow:
        message = uow.messages.get(tenant_id, message_id)
        tenant = uow.tenants.get(tenant_id)
        assert message is not None and tenant is not None
        document = uow.documents.get(tenant_id, message.document_id)
        assert document is not None
    sender = from_address or tenant.sender_email
    dated = rt.now_for(tenant)  # a sandbox's messages leave dated by its own clock
    data = compose(letter_for(message, tenant, document, dated, sender=sender, pdf=pdf_copy(rt, document)))
    with rt.writer() as uow:
        stored = uow.messages.get(tenant_id, message_id, lock=True)
        assert stored is not None
        stored.eml = data
        stored.sha256 = hashlib.sha256(data).hexdigest()
        uow.commit()
    return sender, [*message.to, *message.cc], data


def _record(rt: Runtime, tenant_id: int, message_id: int, handed: Handed, recipients: list[str]) -> None:
    with rt.writer() as uow:
        message = uow.messages.get(tenant_id, message_id)
        if message is None or message.status != "sending":
            return
        # A report of delivery is written also after closing: the message left before the close.
        change = load_for_change(rt, uow, tenant_id, message.engagement_id, after_close=True)
        message = uow.messages.get(tenant_id, message_id, lock=True)
        assert message is not None
        now = rt.clock()
        message.lease_until = None
        message.smtp_reply = handed.reply
        if handed.accepted:
            message.move("hand_over")
            message.sent_at = change.now  # the account's clock: a sandbox's own
            payload = {
                "message_id": message.id,
                "channel": message.channel,
                "smtp_message_id": message.message_id,
                "recipients": recipients,
                "smtp_reply": handed.reply,
                "sha256": message.sha256,
            }
            append_entry(uow, change.engagement, "message_sent", payload, change.now)
        else:
            retry_at = None if handed.permanent else next_send_attempt(message.attempts, now)
            if retry_at is not None:
                message.move("retry")
                message.next_attempt_at = retry_at
                message.reason = handed.reply
            else:
                _fail(message, handed.reply)
                payload = {"message_id": message.id, "channel": message.channel, "reason": handed.reply}
                append_entry(uow, change.engagement, "message_failed", payload, change.now)
        uow.commit()


def _fail(message: Message, reason: str) -> None:
    message.move("fail")
    message.reason = reason[:1000]
    message.next_attempt_at = None
    message.lease_until = None


def _give_up_abandoned(rt: Runtime, now: datetime) -> None:
    """A message left ``sending`` past its lease may or may not have reached the server: fail it
    as unknown rather than risk sending it twice."""
    with rt.reader() as uow:
        stuck = [(m.tenant_id, m.id, m.engagement_id) for m in uow.messages.abandoned(now, BATCH)]
    for tenant_id, message_id, engagement_id in stuck:
        try:
            _give_up(rt, tenant_id, message_id or 0, engagement_id)
        except Exception:  # this message's fault; the others are still given up on
            logger.exception("message %s, abandoned mid-send, could not be marked failed", message_id)


def _give_up(rt: Runtime, tenant_id: int, message_id: int, engagement_id: int) -> None:
    with rt.writer() as uow:
        try:
            change = load_for_change(rt, uow, tenant_id, engagement_id, after_close=True)
        except NotFound:
            return
        message = uow.messages.get(tenant_id, message_id, lock=True)
        if message is None or message.status != "sending":
            return
        reason = (
            "Outcome unknown: the dispatcher stopped after handing the message to the SMTP server. "
            f"Look for Message-ID {message.message_id} in your sent mail; then mark it sent, or approve "
            "it again to resend with the same Message-ID."
        )
        _fail(message, reason)
        payload = {"message_id": message.id, "channel": message.channel, "reason": reason}
        append_entry(uow, change.engagement, "message_failed", payload, change.now)
        uow.commit()
