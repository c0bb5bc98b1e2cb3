"""Calendar rules: due dates clamped to month ends, business days Monday–Friday."""

from __future__ import annotations

import calendar
from datetime import UTC, date, datetime, time, timedelta

# The years the date model accepts: far enough for any real engagement, and well inside what
# Python's dates, the databases and a ZIP file's timestamps can hold after any offset or term.
SUPPORTED_YEARS = range(2000, 2201)
OUTSIDE_SUPPORTED_YEARS = (
    f"Only years {SUPPORTED_YEARS.start} to {SUPPORTED_YEARS.stop - 1} are supported (UTC offsets included)."
)


def in_supported_years(moment: date) -> bool:
    """A date, or a datetime read in its own offset; the UTC reading stays a valid datetime too."""
    return moment.year in SUPPORTED_YEARS


def due_date(year: int, month: int, due_day: int) -> date:
    """The due date in a month; a day past the month's end (31 in April) means its last day."""
    last = calendar.monthrange(year, month)[1]
    return date(year, month, min(due_day, last))


def next_month(year: int, month: int) -> tuple[int, int]:
    return (year + 1, 1) if month == 12 else (year, month + 1)


def add_business_days(start: date, days: int) -> date:
    """The date ``days`` business days after ``start`` (weekends are skipped)."""
    current = start
    remaining = days
    while remaining > 0:
        current += timedelta(days=1)
        if current.weekday() < 5:
            remaining -= 1
    return current


def start_of_day(day: date) -> datetime:
    """Midnight UTC at the start of ``day``: the moment a dated step becomes due."""
    return datetime.combine(day, time.min, tzinfo=UTC)


def as_utc(moment: datetime) -> datetime:
    """Stored times are UTC; naive values (SQLite returns them) are read as UTC."""
    if moment.tzinfo is None:
        return moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)


def utc_timestamp(moment: datetime) -> str:
    """ISO 8601 in UTC with a ``Z``: how the record and the export write instants."""
    return as_utc(moment).isoformat().replace("+00:00", "Z")
