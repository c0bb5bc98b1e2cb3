"""Calendar rules: due dates clamped to month ends, working days, and days in a time zone.

Working days skip weekends and, given a ``WorkingCalendar``, the public holidays of a
jurisdiction (the ``holidays`` package): Italy's national holidays for ``IT``; the bank holidays
of England and Wales for ``GB``; for ``EU`` Italy's when the tenant writes in Italian, otherwise
weekends only (an EU engagement names no country whose holidays we could pick honestly).
Without a calendar, only weekends are skipped.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from functools import cache
from zoneinfo import ZoneInfo, available_timezones

import holidays

JURISDICTIONS = ("IT", "GB", "EU")
DEFAULT_JURISDICTION = {"it": "IT", "en": "GB"}
DEFAULT_TIMEZONE = {"it": "Europe/Rome", "en": "Europe/London"}


@dataclass(frozen=True)
class WorkingCalendar:
    """Which public holidays are not working days: a country (ISO 3166) and subdivision, or none."""

    country: str | None = None
    subdivision: str | None = None

    @property
    def name(self) -> str:
        if self.country is None:
            return "weekends only"
        return f"{self.country}-{self.subdivision}" if self.subdivision else self.country

    def holiday(self, day: date) -> str | None:
        """The public holiday's name, or None."""
        if self.country is None:
            return None
        return _holidays(self.country, self.subdivision).get(day)

    def is_working_day(self, day: date) -> bool:
        return day.weekday() < 5 and self.holiday(day) is None


WEEKENDS_ONLY = WorkingCalendar()
ITALY = WorkingCalendar("IT")
ENGLAND_AND_WALES = WorkingCalendar("GB", "ENG")


@cache
def _holidays(country: str, subdivision: str | None) -> holidays.HolidayBase:
    # Years fill in lazily on first look-up; one instance per process serves every engagement.
    return holidays.country_holidays(country, subdiv=subdivision)


def calendar_for(jurisdiction: str, tenant_language: str = "en") -> WorkingCalendar:
    if jurisdiction == "IT":
        return ITALY
    if jurisdiction == "GB":
        return ENGLAND_AND_WALES
    return ITALY if tenant_language == "it" else WEEKENDS_ONLY


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


def add_business_days(start: date, days: int, working: WorkingCalendar) -> date:
    """The date ``days`` working days after ``start`` (weekends and the calendar's holidays skipped)."""
    current = start
    remaining = days
    while remaining > 0:
        current += timedelta(days=1)
        if working.is_working_day(current):
            remaining -= 1
    return current


def next_working_day(day: date, working: WorkingCalendar) -> date:
    """``day`` itself if it is a working day, else the first one after it: a legal term that ends
    on a holiday or a weekend ends on the next working day (art. 2963 c.c.; CPR 2.8 in England)."""
    while not working.is_working_day(day):
        day += timedelta(days=1)
    return day


def is_timezone(name: str) -> bool:
    """An IANA zone name this machine knows ("Europe/Rome"); never a path or an abbreviation."""
    return name in _zones()


@cache
def _zones() -> frozenset[str]:
    return frozenset(available_timezones())


def local_day(instant: datetime, zone: str) -> date:
    """The calendar day ``instant`` falls on in ``zone``: 23:30 UTC on 1 December is already
    2 December in Rome, still 1 December in London."""
    aware = instant if instant.tzinfo is not None else instant.replace(tzinfo=UTC)
    return aware.astimezone(ZoneInfo(zone)).date()


def start_of_local_day(day: date, zone: str) -> datetime:
    """The UTC instant at which ``day`` begins in ``zone`` (midnight local time). At the edges of
    the calendar (1 January of year 1 east of Greenwich) that instant is before the first one a
    datetime holds: the earliest instant stands for it, so a filter "since year 1" keeps all."""
    try:
        return datetime.combine(day, time.min, tzinfo=ZoneInfo(zone)).astimezone(UTC)
    except OverflowError:
        return datetime.min.replace(tzinfo=UTC) if day.year == 1 else datetime.max.replace(tzinfo=UTC)


def as_utc(moment: datetime) -> datetime:
    """Stored times are UTC; naive values (SQLite returns them) are read as UTC."""
    if moment.tzinfo is None:
        return moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)


def in_zone(moment: datetime, zone: str) -> datetime:
    """``moment`` as UTC, a naive one read as a wall-clock time in ``zone`` (an IANA name)."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=ZoneInfo(zone))
    return moment.astimezone(UTC)


def utc_timestamp(moment: datetime) -> str:
    """ISO 8601 in UTC with a ``Z``: how the record and the export write instants."""
    return as_utc(moment).isoformat().replace("+00:00", "Z")
