"""The periods work stood still, read from the record's transitions (pause and resume)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from service.domain.calendar import as_utc
from service.domain.model import Event


@dataclass(frozen=True)
class Suspension:
    start: date
    end: date | None  # None: still suspended


def suspension_periods(events: Iterable[Event], stopped_states: frozenset[str]) -> list[Suspension]:
    """Each stretch between entering a state with the ``work_stopped`` role and leaving it."""
    periods: list[Suspension] = []
    started: date | None = None
    for event in events:
        if event.type != "transition":
            continue
        source, dest = event.payload.get("from"), event.payload.get("to")
        day = as_utc(event.occurred_at).date()
        if dest in stopped_states and source not in stopped_states and started is None:
            started = day
        elif source in stopped_states and dest not in stopped_states and started is not None:
            periods.append(Suspension(started, day))
            started = None
    if started is not None:
        periods.append(Suspension(started, None))
    return periods
