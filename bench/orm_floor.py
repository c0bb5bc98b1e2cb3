"""The floor under any transition saved through our ORM mapping, measured beside the bare route.

The service's own locked read of the engagement (its tenant, invoices and feedback requests),
its state flipped, one hash-chained entry appended through the record repository, one commit in
the service's unit of work. No auth, no rate limit, no schema, no workflow engine, no answer
body: what the persistence layer alone costs for a transition.
"""

from __future__ import annotations

import os
from datetime import UTC, datetime

from flask import Flask, jsonify

from service.adapters import orm
from service.adapters.database import make_engine
from service.adapters.unit_of_work import SqlAlchemyUnitOfWork, session_factories
from service.domain import record


def create_orm_floor_app(url: str | None = None) -> Flask:
    app = Flask(__name__)
    orm.start_mappers()
    sessions = session_factories(make_engine(url or os.environ["DATABASE_URL"]))

    @app.post("/orm/<int:tenant_id>/<int:engagement_id>")
    def fire(tenant_id: int, engagement_id: int):  # type: ignore[no-untyped-def]
        with SqlAlchemyUnitOfWork(sessions.writer) as uow:
            loaded = uow.engagements.get_with_tenant(tenant_id, engagement_id, for_change=True)
            assert loaded is not None
            engagement, _tenant = loaded
            # Flip back and forth so one engagement serves any number of requests.
            source = engagement.state
            engagement.state = "active" if source == "awaiting_feedback" else "awaiting_feedback"
            uow.touch(engagement)
            payload = {"trigger": "receive_feedback", "from": source, "to": engagement.state}
            uow.record.add(record.append(engagement, "transition", payload, datetime.now(UTC)))
            uow.commit()
            return jsonify({"id": engagement_id, "state": engagement.state, "version": engagement.version})

    return app
