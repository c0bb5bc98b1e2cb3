"""Messages to clients, always read by tenant; the dispatcher's claims of those due to send."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from service.adapters.orm import message_receipts, messages
from service.domain.messages import Message, Receipt, SmtpAccount


class MessageRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def add(self, message: Message) -> None:
        self.session.add(message)

    def get(self, tenant_id: int, message_id: int, *, lock: bool = False) -> Message | None:
        """``lock``: the row locked, and read again once the lock is held. Without
        ``populate_existing`` a message this session loaded before waiting keeps the status it had
        then, and twelve approves or a discard racing the dispatcher all see "draft" (issue 31)."""
        query = select(Message).where(messages.c.tenant_id == tenant_id, messages.c.id == message_id)
        if lock:
            query = query.with_for_update().execution_options(populate_existing=True)
        return self.session.scalars(query).first()

    def page(self, tenant_id: int, status: str | None, limit: int, before: int | None) -> Sequence[Message]:
        m = messages.c
        query = select(Message).where(m.tenant_id == tenant_id)
        if status is not None:
            query = query.where(m.status == status)
        if before is not None:
            query = query.where(m.id < before)
        return self.session.scalars(query.order_by(m.id.desc()).limit(limit)).all()

    def for_engagement(self, engagement_id: int) -> Sequence[Message]:
        query = select(Message).where(messages.c.engagement_id == engagement_id)
        return self.session.scalars(query.order_by(messages.c.id)).all()

    def claim_due(self, now: datetime, limit: int, share: int) -> list[Message]:
        """Approved messages whose time has come, at most ``share`` per tenant, round-robin: every
        tenant's oldest first, then every tenant's second, ... Locked (others' claims skipped)."""
        m = messages.c
        rank = func.row_number().over(partition_by=m.tenant_id, order_by=(m.next_attempt_at, m.id))
        ranked = (
            select(m.id, m.next_attempt_at, rank.label("rank"))
            .where(m.status == "approved", m.next_attempt_at <= now)
            .subquery()
        )
        r = ranked.c
        order = (
            self.session.execute(
                select(r.id).where(r.rank <= share).order_by(r.rank, r.next_attempt_at, r.id).limit(limit)
            )
            .scalars()
            .all()
        )
        if not order:
            return []
        # The window chose them; the lock is taken here (PostgreSQL locks no windowed rows), and
        # a row another dispatcher claimed meanwhile is no longer approved and due.
        query = (
            select(Message)
            .where(m.id.in_(order), m.status == "approved", m.next_attempt_at <= now)
            .with_for_update(skip_locked=True)
        )
        found = {message.id: message for message in self.session.scalars(query).all()}
        return [found[i] for i in order if i in found]

    def abandoned(self, now: datetime, limit: int) -> Sequence[Message]:
        """Messages a dispatcher began to send and never reported on: it stopped mid-way."""
        m = messages.c
        query = (
            select(Message)
            .where(m.status == "sending", m.lease_until < now)
            .limit(limit)
            .with_for_update(skip_locked=True)
        )
        return self.session.scalars(query).all()

    def add_receipt(self, receipt: Receipt) -> None:
        self.session.add(receipt)

    def receipts(self, message_ids: list[int]) -> Sequence[Receipt]:
        r = message_receipts.c
        query = select(Receipt).where(r.message_id.in_(message_ids)).order_by(r.id)
        return self.session.scalars(query).all() if message_ids else []

    def smtp_account(self, tenant_id: int) -> SmtpAccount | None:
        return self.session.get(SmtpAccount, tenant_id)

    def save_smtp_account(self, account: SmtpAccount) -> None:
        self.session.merge(account)

    def delete_smtp_account(self, account: SmtpAccount) -> None:
        self.session.delete(account)

    def all_smtp_accounts(self) -> Sequence[SmtpAccount]:
        return self.session.scalars(select(SmtpAccount)).all()
