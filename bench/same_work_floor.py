"""The floor that does the same work as our receive_feedback: Flask and SQLAlchemy Core by hand.

What our route does for this trigger, written out once without our framework (no flask-smorest,
no marshmallow, no ORM session, no workflow engine, no unit of work):

- the bearer key looked up by its digest (one indexed SELECT, the tenant and its zone with it);
- the body checked by hand (an object, this trigger, optional ``data.summary`` up to 5000
  characters, optional ``note``, nothing else);
- one transaction: the engagement locked; its feedback request closed; the record entry with its
  hash chained on the head and the new head signed (Ed25519, the service's own key, so the entry
  verifies with the service); the outbox row announcing it; the next deadline; the state.

It reuses only what defines the stored bytes, so the comparison is of the same rows and never of
two hashing conventions: ``record.chain_hash`` and ``event_content``'s shape, ``HeadSigner``,
``webhooks.body``. The next deadline is computed by hand for what an engagement leaving
``awaiting_feedback`` can have next (the month's invoice, an unpaid invoice's first overdue day);
``tests/integration/test_same_work_floor.py`` checks it writes what ours writes.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from flask import Flask, jsonify, request
from sqlalchemy import Connection, insert, select, update

from service.adapters.database import is_sqlite, make_engine
from service.adapters.orm import api_keys, engagements, events, feedback_requests, invoices, outbox, tenants
from service.adapters.signing import HeadSigner
from service.config import from_environment
from service.domain.record import chain_hash
from service.domain.webhooks import body as announcement_body

SOURCE, DEST, TRIGGER = "awaiting_feedback", "active", "receive_feedback"
MAX_SUMMARY = 5000
Clock = Callable[[], datetime]


def create_same_work_floor_app(
    url: str | None = None, clock: Clock | None = None, signing_key: Path | None = None
) -> Flask:
    """The floor's app; the test passes its pinned clock and the service's key file."""
    app = Flask(__name__)
    engine = make_engine(url or os.environ["DATABASE_URL"])
    writer = engine.execution_options(sqlite_write=True)
    lock = not is_sqlite(engine)
    signer = HeadSigner.from_file(signing_key or from_environment()["RECORD_SIGNING_KEY"])
    now_of = clock or (lambda: datetime.now(UTC))

    def problem(status: int, detail: str) -> tuple[Any, int]:
        return jsonify({"status": status, "detail": detail}), status

    @app.post("/floor/engagements/<int:engagement_id>/transitions")
    def receive_feedback(engagement_id: int):  # type: ignore[no-untyped-def]
        token = request.headers.get("Authorization", "").removeprefix("Bearer ")
        digest = hashlib.sha256(token.encode()).hexdigest()
        now = now_of()
        with engine.connect() as connection:
            key = connection.execute(
                select(api_keys.c.tenant_id, tenants.c.timezone)
                .join(tenants, tenants.c.id == api_keys.c.tenant_id)
                .where(api_keys.c.key_hash == digest, api_keys.c.revoked_at.is_(None))
                .where((api_keys.c.expires_at.is_(None)) | (api_keys.c.expires_at > now))
            ).one_or_none()
        if key is None:
            return problem(401, "a valid bearer key is required")
        found = _checked(request.get_json(silent=True))
        if isinstance(found, str):
            return problem(422, found)
        data, note = found
        with writer.connect() as connection, connection.begin():
            query = select(engagements).where(
                engagements.c.id == engagement_id, engagements.c.tenant_id == key.tenant_id
            )
            row = connection.execute(query.with_for_update() if lock else query).one_or_none()
            if row is None:
                return problem(404, "no such engagement")
            if row.state != SOURCE:
                return problem(409, f"{TRIGGER} cannot happen from {row.state}")
            zone = ZoneInfo(key.timezone)
            closed = _close_feedback_request(connection, engagement_id, now, now.astimezone(zone).date())
            payload = {"trigger": TRIGGER, "from": SOURCE, "to": DEST, "by": "user", "data": data}
            payload.update(note=note, **closed)
            seq, version = row.record_seq + 1, row.version + 1
            content = {
                "engagement_id": engagement_id,
                "seq": seq,
                "type": "transition",
                "occurred_at": now.isoformat().replace("+00:00", "Z"),
                "payload": payload,
            }
            head = chain_hash(row.record_head, content)
            entry = {"engagement_id": engagement_id, "tenant_id": key.tenant_id, "seq": seq}
            connection.execute(
                insert(events).values(
                    **entry,
                    type="transition",
                    occurred_at=now,
                    payload=payload,
                    prev_hash=row.record_head,
                    hash=head,
                )
            )
            announced = {
                "engagement_id": engagement_id,
                "state": DEST,
                "version": version,
                "seq": seq,
                "hash": head,
            }
            announced.update({k: payload[k] for k in ("trigger", "from", "to", "by")})
            kind = "engagement.transitioned"
            connection.execute(
                insert(outbox).values(
                    tenant_id=key.tenant_id,
                    type=kind,
                    body=announcement_body(kind, now, announced),
                    created_at=now,
                )
            )
            deadline = _next_deadline(connection, row, zone)
            connection.execute(
                update(engagements)
                .where(engagements.c.id == engagement_id)
                .values(
                    state=DEST,
                    version=version,
                    record_seq=seq,
                    record_head=head,
                    record_signature=signer.sign(engagement_id, seq, head),
                    next_deadline=deadline,
                )
            )
        return jsonify(
            {"engagement": {"id": engagement_id, "state": DEST, "version": version}, "event": entry}
        )

    return app


def _checked(body: object) -> tuple[dict[str, Any], str | None] | str:
    """(data, note) from a valid body, else what is wrong with it, naming the field."""
    if not isinstance(body, dict):
        return "the body must be a JSON object"
    if unknown := set(body) - {"trigger", "data", "note"}:
        return f"unknown field {sorted(unknown)[0]}"
    if body.get("trigger") != TRIGGER:
        return "trigger: this floor fires receive_feedback only"
    data = body.get("data") or {}
    if not isinstance(data, dict) or set(data) - {"summary"}:
        return "data: only summary is accepted"
    summary = data.get("summary")
    if summary is not None and not (isinstance(summary, str) and len(summary) <= MAX_SUMMARY):
        return f"data.summary: text of at most {MAX_SUMMARY} characters"
    note = body.get("note")
    if note is not None and not isinstance(note, str):
        return "note: text"
    return data, note


def _close_feedback_request(
    connection: Connection, engagement_id: int, now: datetime, today: date
) -> dict[str, Any]:
    """The open request answered now, with how late (our close_feedback_request effect)."""
    open_request = connection.execute(
        select(feedback_requests.c.id, feedback_requests.c.subject, feedback_requests.c.due_on)
        .where(feedback_requests.c.engagement_id == engagement_id, feedback_requests.c.answered_at.is_(None))
        .order_by(feedback_requests.c.id)
        .limit(1)
    ).one_or_none()
    if open_request is None:
        return {}
    days_late = max(0, (today - open_request.due_on).days)
    connection.execute(
        update(feedback_requests)
        .where(feedback_requests.c.id == open_request.id)
        .values(answered_at=now, days_late=days_late, next_reminder_on=None)
    )
    return {"subject": open_request.subject, "days_late": days_late}


def _next_deadline(connection: Connection, row: Any, zone: ZoneInfo) -> datetime:
    """The earlier of the next month's invoice and an unpaid invoice's first overdue day, at the
    start of that day in the tenant's zone: what is due next from ``active`` with no amended terms."""
    billed = connection.execute(
        select(
            invoices.c.period,
            invoices.c.due_on,
            invoices.c.amount - invoices.c.paid_amount - invoices.c.credited,
        ).where(invoices.c.engagement_id == row.id)
    ).all()
    periods = {period for period, _, _ in billed if period}
    year, month = row.start_date.year, row.start_date.month
    while f"{year:04d}-{month:02d}" in periods:
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    first_month = (year, month) == (row.start_date.year, row.start_date.month)
    days = [row.start_date if first_month else date(year, month, 1)]
    unpaid = [due_on for _, due_on, owed in billed if Decimal(owed) > 0]
    if unpaid:
        days.append(min(unpaid) + timedelta(days=1))
    return datetime.combine(min(days), time.min, tzinfo=zone).astimezone(UTC)
