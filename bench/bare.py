"""The baseline: a bare Flask route doing a transition's SELECT + UPDATE + INSERT in SQLAlchemy Core.

Same tables, same engine set-up (SQLite WAL and BEGIN IMMEDIATE, or a row lock on PostgreSQL),
same bearer header sent; no auth, no schema, no workflow, no hash chain beyond one sha256.
"""

from __future__ import annotations

import hashlib
import json
import os
from datetime import UTC, datetime

from flask import Flask, jsonify
from sqlalchemy import insert, select, update

from service.adapters.database import is_sqlite, make_engine
from service.adapters.orm import engagements, events


def create_bare_app(url: str | None = None) -> Flask:
    app = Flask(__name__)
    engine = make_engine(url or os.environ["DATABASE_URL"])
    lock = not is_sqlite(engine)

    @app.post("/bare/<int:engagement_id>")
    def fire(engagement_id: int):  # type: ignore[no-untyped-def]
        now = datetime.now(UTC)
        with engine.connect().execution_options(sqlite_write=True) as connection, connection.begin():
            query = select(
                engagements.c.tenant_id,
                engagements.c.state,
                engagements.c.version,
                engagements.c.record_seq,
                engagements.c.record_head,
            ).where(engagements.c.id == engagement_id)
            row = connection.execute(query.with_for_update() if lock else query).one()
            # Flip back and forth so one engagement serves any number of requests.
            dest = "active" if row.state == "awaiting_feedback" else "awaiting_feedback"
            payload = {"trigger": "receive_feedback", "from": row.state, "to": dest}
            digest = hashlib.sha256((row.record_head + json.dumps(payload)).encode()).hexdigest()
            connection.execute(
                update(engagements)
                .where(engagements.c.id == engagement_id)
                .values(
                    state=dest, version=row.version + 1, record_seq=row.record_seq + 1, record_head=digest
                )
            )
            connection.execute(
                insert(events).values(
                    engagement_id=engagement_id,
                    tenant_id=row.tenant_id,
                    seq=row.record_seq + 1,
                    type="transition",
                    occurred_at=now,
                    payload=payload,
                    prev_hash=row.record_head,
                    hash=digest,
                )
            )
        return jsonify({"id": engagement_id, "state": dest, "version": row.version + 1})

    return app
