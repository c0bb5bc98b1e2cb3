"""The values that cross the boundary with the application layer."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from service.domain.model import Engagement, Tenant
from service.domain.suspensions import Suspension


@dataclass(frozen=True)
class DocumentRequest:
    kind: str
    engagement: Engagement
    tenant: Tenant
    now: datetime  # timezone-aware UTC: the document's date
    payload: dict[str, Any]  # the transition's record payload; {} for the contract
    # When work stood still, from the record (the final report lists them); read by the caller.
    suspensions: tuple[Suspension, ...] = ()

    @property
    def day(self) -> date:
        """The document's date: the tenant's day at ``now``, in its time zone."""
        return self.engagement.day_of(self.now)
