"""The difficult-client signals of one engagement, read from its data and its record."""

from __future__ import annotations

from typing import Any

from service.application.loading import load_for_reading
from service.application.runtime import Runtime
from service.application.views import health_view
from service.domain import health


def engagement_health(rt: Runtime, tenant_id: int, engagement_id: int) -> dict[str, Any]:
    with rt.reader() as uow:
        loaded = load_for_reading(rt, uow, tenant_id, engagement_id)
        events = list(uow.record.events(engagement_id))
        engagement = loaded.engagement
        today = engagement.day_of(loaded.now)
        assessed = health.assess(engagement, today, events, rt.workflow.definition)
        return health_view(assessed, engagement.language)


def worst_level(assessed: health.Health) -> str:
    """The most pressing of the three signals' levels: what ?health= filters on."""
    signals = (assessed.unresponsive, assessed.controlling, assessed.late_payment)
    return max((s.level for s in signals), key=health.LEVELS.index)
