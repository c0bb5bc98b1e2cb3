"""Storage for the outbox, webhook endpoints and deliveries; the dispatcher's claims.

Several dispatchers share the work: a claim marks rows with a lease inside a writer
transaction (PostgreSQL: ``FOR UPDATE SKIP LOCKED``, so a second dispatcher takes other rows
instead of waiting; SQLite: the writer lock serialises the claims). Sending happens after the
claim commits; a dispatcher that dies lets its lease run out and another takes the rows.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import and_, delete, func, insert, or_, select, update
from sqlalchemy.orm import Session

from service.adapters.orm import outbox, webhook_attempts, webhook_deliveries, webhook_endpoints
from service.domain.queues import ClaimedDelivery
from service.domain.webhooks import OutboxMessage, WebhookAttempt, WebhookDelivery, WebhookEndpoint

# What one try sets on its delivery, besides counting the attempt and dropping the lease.
_OUTCOME_COLUMNS = (
    "status",
    "last_status_code",
    "last_error",
    "next_attempt_at",
    "completed_at",
)


class WebhookRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    # The outbox -------------------------------------------------------------------------
    def announce(self, message: OutboxMessage) -> None:
        self.session.add(message)

    def fan_out(self, now: datetime, limit: int) -> int:
        """Turn pending outbox rows into one delivery per subscribed, enabled endpoint."""
        pending = (
            select(outbox.c.id, outbox.c.tenant_id, outbox.c.type)
            .where(outbox.c.dispatched_at.is_(None))
            .order_by(outbox.c.id)
            .limit(limit)
            .with_for_update(skip_locked=True)
        )
        rows = self.session.execute(pending).all()
        if not rows:
            return 0
        tenants = {row.tenant_id for row in rows}
        endpoints: dict[int, list[WebhookEndpoint]] = {}
        for endpoint in self.session.scalars(
            select(WebhookEndpoint).where(
                webhook_endpoints.c.tenant_id.in_(tenants), webhook_endpoints.c.disabled_at.is_(None)
            )
        ):
            endpoints.setdefault(endpoint.tenant_id, []).append(endpoint)
        deliveries = [
            {
                "tenant_id": row.tenant_id,
                "endpoint_id": endpoint.id,
                "outbox_id": row.id,
                "status": "pending",
                "attempts": 0,
                "next_attempt_at": now,
                "created_at": now,
            }
            for row in rows
            for endpoint in endpoints.get(row.tenant_id, [])
            if endpoint.subscribes_to(row.type)
        ]
        if deliveries:
            self.session.execute(insert(webhook_deliveries), deliveries)
        ids = [row.id for row in rows]
        self.session.execute(update(outbox).where(outbox.c.id.in_(ids)).values(dispatched_at=now))
        return len(rows)

    def prune_delivered(self, cutoff: datetime, limit: int) -> tuple[int, int]:
        """Delete up to ``limit`` outbox rows fanned out before ``cutoff`` with no delivery still
        pending, oldest first, and their deliveries (their attempts follow by cascade). Returns
        (rows chosen, rows deleted): a delivery made pending again meanwhile (a retry) keeps its
        row, re-checked as it is deleted."""
        d = webhook_deliveries.c
        owed = select(d.id).where(d.outbox_id == outbox.c.id, d.status == "pending").exists()
        oldest = (
            select(outbox.c.id)
            .where(outbox.c.dispatched_at < cutoff, ~owed)
            .order_by(outbox.c.dispatched_at, outbox.c.id)
            .limit(limit)
        )
        ids = list(self.session.scalars(oldest))
        if not ids:
            return 0, 0
        self.session.execute(delete(webhook_deliveries).where(d.outbox_id.in_(ids), d.status != "pending"))
        deleted = self.session.execute(delete(outbox).where(outbox.c.id.in_(ids), ~owed))
        return len(ids), int(deleted.rowcount)  # type: ignore[attr-defined]

    def claim(self, now: datetime, limit: int, share: int, lease_until: datetime) -> list[ClaimedDelivery]:
        """Due deliveries, at most ``share`` per tenant, round-robin (every tenant's oldest, then
        every tenant's second, ...), leased; in the order to post them."""
        d, e = webhook_deliveries.c, webhook_endpoints.c
        is_due = (
            d.status == "pending",
            d.next_attempt_at <= now,
            or_(d.lease_until.is_(None), d.lease_until < now),
        )
        rank = func.row_number().over(partition_by=d.tenant_id, order_by=(d.next_attempt_at, d.id))
        ranked = select(d.id, d.next_attempt_at, rank.label("rank")).where(*is_due).subquery()
        r = ranked.c
        order = list(
            self.session.scalars(
                select(r.id).where(r.rank <= share).order_by(r.rank, r.next_attempt_at, r.id).limit(limit)
            )
        )
        if not order:
            return []
        due = (
            select(
                d.id,
                d.tenant_id,
                d.endpoint_id,
                d.outbox_id,
                d.attempts,
                e.url,
                e.secret,
                e.previous_secret,
                e.previous_secret_expires_at,
                outbox.c.body,
            )
            .join(webhook_endpoints, e.id == d.endpoint_id)
            .join(outbox, outbox.c.id == d.outbox_id)
            .where(d.id.in_(order), *is_due)  # the window chose them; the lock is taken here
            .with_for_update(skip_locked=True, of=webhook_deliveries)
        )
        found = {row.id: row for row in self.session.execute(due).all()}
        rows = [found[i] for i in order if i in found]
        if not rows:
            return []
        token = uuid.uuid4().hex
        self.session.execute(
            update(webhook_deliveries)
            .where(d.id.in_([row.id for row in rows]))
            .values(lease_until=lease_until, lease_token=token)
        )
        claimed = []
        for row in rows:
            keys = [row.secret]
            expires = row.previous_secret_expires_at
            if row.previous_secret and expires is not None and now < expires:
                keys.append(row.previous_secret)
            claimed.append(
                ClaimedDelivery(
                    row.id,
                    row.tenant_id,
                    row.endpoint_id,
                    row.outbox_id,
                    row.attempts,
                    row.url,
                    row.body,
                    keys,
                    token,
                )
            )
        return claimed

    def finish_attempts(
        self, outcomes: list[tuple[ClaimedDelivery, WebhookAttempt, dict[str, Any]]]
    ) -> set[int]:
        """Store each try's outcome for the rows this dispatcher still holds (a few statements
        for the whole batch); returns their ids. A row whose lease ran out and was taken by
        another dispatcher is left to that one."""
        if not outcomes:
            return set()
        d = webhook_deliveries.c
        tokens = {claimed.lease_token for claimed, _, _ in outcomes}
        held = set(
            self.session.scalars(
                select(d.id)
                .where(d.id.in_([claimed.id for claimed, _, _ in outcomes]), d.lease_token.in_(tokens))
                .with_for_update()
            )
        )
        # Rows with the same outcome (a batch's successes, typically all of them) share one
        # statement; the latency of each try lives in its attempt row.
        groups: dict[tuple[Any, ...], list[int]] = {}
        for claimed, _, changes in outcomes:
            if claimed.id in held:
                groups.setdefault(tuple(changes.get(k) for k in _OUTCOME_COLUMNS), []).append(claimed.id)
        for values, ids in groups.items():
            self.session.execute(
                update(webhook_deliveries)
                .where(d.id.in_(ids))
                .values(
                    attempts=d.attempts + 1,
                    lease_until=None,
                    lease_token=None,
                    **dict(zip(_OUTCOME_COLUMNS, values, strict=True)),
                )
            )
        if not groups:
            return held
        self.session.execute(
            insert(webhook_attempts),
            [
                {
                    "delivery_id": attempt.delivery_id,
                    "attempted_at": attempt.attempted_at,
                    "status_code": attempt.status_code,
                    "latency_ms": attempt.latency_ms,
                    "error": attempt.error,
                }
                for claimed, attempt, _ in outcomes
                if claimed.id in held
            ],
        )
        return held

    def release(self, unposted: list[ClaimedDelivery]) -> None:
        """Let rows go that this dispatcher claimed but did not get to post."""
        if unposted:
            d = webhook_deliveries.c
            self.session.execute(
                update(webhook_deliveries)
                .where(d.id.in_([c.id for c in unposted]), d.lease_token == unposted[0].lease_token)
                .values(lease_until=None, lease_token=None)
            )

    def fail_pending(self, endpoint_id: int, reason: str, now: datetime) -> None:
        d = webhook_deliveries.c
        self.session.execute(
            update(webhook_deliveries)
            .where(d.endpoint_id == endpoint_id, d.status == "pending")
            .values(status="failed", last_error=reason, next_attempt_at=None, completed_at=now)
        )

    # Endpoints and their deliveries, always by tenant ---------------------------------------
    def add_endpoint(self, endpoint: WebhookEndpoint) -> None:
        self.session.add(endpoint)

    def endpoint(self, tenant_id: int, endpoint_id: int, *, lock: bool = False) -> WebhookEndpoint | None:
        query = select(WebhookEndpoint).where(
            webhook_endpoints.c.tenant_id == tenant_id, webhook_endpoints.c.id == endpoint_id
        )
        return self.session.scalars(query.with_for_update() if lock else query).first()

    def endpoints(self, tenant_id: int) -> Sequence[WebhookEndpoint]:
        query = select(WebhookEndpoint).where(webhook_endpoints.c.tenant_id == tenant_id)
        return self.session.scalars(query.order_by(webhook_endpoints.c.id)).all()

    def delete_endpoint(self, endpoint: WebhookEndpoint) -> None:
        self.session.delete(endpoint)

    def deliveries(
        self, tenant_id: int, endpoint_id: int, limit: int, before: int | None
    ) -> Sequence[WebhookDelivery]:
        d = webhook_deliveries.c
        conditions = [d.tenant_id == tenant_id, d.endpoint_id == endpoint_id]
        if before is not None:
            conditions.append(d.id < before)
        query = select(WebhookDelivery).where(and_(*conditions)).order_by(d.id.desc()).limit(limit)
        return self.session.scalars(query).all()

    def delivery(self, tenant_id: int, delivery_id: int) -> WebhookDelivery | None:
        d = webhook_deliveries.c
        query = select(WebhookDelivery).where(d.tenant_id == tenant_id, d.id == delivery_id)
        return self.session.scalars(query).first()

    def attempts(self, delivery_ids: list[int]) -> dict[int, list[WebhookAttempt]]:
        found: dict[int, list[WebhookAttempt]] = {i: [] for i in delivery_ids}
        if delivery_ids:
            a = webhook_attempts.c
            query = select(WebhookAttempt).where(a.delivery_id.in_(delivery_ids)).order_by(a.id)
            for attempt in self.session.scalars(query):
                found[attempt.delivery_id].append(attempt)
        return found

    def outbox_message(self, outbox_id: int) -> OutboxMessage | None:
        return self.session.get(OutboxMessage, outbox_id)
