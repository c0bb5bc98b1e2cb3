"""The outbox as a person reads it: each message with whom it is for, the state of the engagement
it belongs to, and the letter (the step) it carries, so that approving is never a blind click."""

from __future__ import annotations

from typing import Any

from service.application.runtime import Runtime
from service.domain.model import Engagement


def in_context(rt: Runtime, tenant_id: int, views: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The message views given, each with ``client``, ``state`` and ``letter`` (the document's kind)."""
    with rt.reader() as uow:
        kinds = uow.documents.kinds(tenant_id, [v["document_id"] for v in views if v["document_id"]])
        engagements: dict[int, Engagement | None] = {}
        placed = []
        for view in views:
            if view["engagement_id"] not in engagements:
                engagements[view["engagement_id"]] = uow.engagements.get(tenant_id, view["engagement_id"])
            engagement = engagements[view["engagement_id"]]
            placed.append(
                {
                    **view,
                    "client": engagement.client_name if engagement else None,
                    "state": engagement.state if engagement else None,
                    "letter": kinds.get(view["document_id"]),
                }
            )
        return placed
