"""Calendar and money rules."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from service.domain.calendar import (
    ENGLAND_AND_WALES,
    ITALY,
    WEEKENDS_ONLY,
    add_business_days,
    calendar_for,
    due_date,
    is_timezone,
    local_day,
    next_working_day,
    start_of_local_day,
)
from service.domain.money import is_currency


@pytest.mark.parametrize(
    ("year", "month", "day", "expected"),
    [
        (2026, 2, 31, date(2026, 2, 28)),
        (2028, 2, 31, date(2028, 2, 29)),
        (2026, 4, 31, date(2026, 4, 30)),
        (2026, 12, 31, date(2026, 12, 31)),
        (2026, 12, 1, date(2026, 12, 1)),
    ],
)
def test_due_day_past_month_end_means_last_day(year, month, day, expected) -> None:
    assert due_date(year, month, day) == expected


def test_business_days_skip_weekends() -> None:
    friday = date(2026, 12, 4)
    assert add_business_days(friday, 1, WEEKENDS_ONLY) == date(2026, 12, 7)
    assert add_business_days(friday, 5, WEEKENDS_ONLY) == date(2026, 12, 11)
    assert add_business_days(friday, 0, WEEKENDS_ONLY) == friday


def test_currency_codes_are_iso_4217() -> None:
    assert is_currency("EUR") and is_currency("USD")
    assert not is_currency("EURO") and not is_currency("eur")


def test_three_business_days_from_wednesday_23_december_end_on_tuesday_29_in_italy() -> None:
    # 24 Thu (1), 25 Christmas, 26 Santo Stefano (Sat), 27 Sun, 28 Mon (2), 29 Tue (3)
    assert add_business_days(date(2026, 12, 23), 3, ITALY) == date(2026, 12, 29)


def test_england_skips_the_observed_boxing_day_italy_works() -> None:
    # Boxing Day 2026 is a Saturday: England takes Monday 28 off, Italy does not.
    assert add_business_days(date(2026, 12, 23), 3, ENGLAND_AND_WALES) == date(2026, 12, 30)
    assert ENGLAND_AND_WALES.holiday(date(2026, 12, 28)) == "Boxing Day (observed)"
    assert ITALY.is_working_day(date(2026, 12, 28))


@pytest.mark.parametrize(
    ("day", "working"),
    [
        (date(2026, 4, 6), False),  # Easter Monday: a bank holiday in England, not in Scotland
        (date(2026, 8, 31), False),  # England's summer bank holiday, the last Monday of August
        (date(2026, 8, 3), True),  # Scotland's, the first Monday of August
        (date(2026, 11, 30), True),  # St Andrew's Day, Scotland only
        (date(2027, 1, 4), True),  # Monday: 2 January (Scotland) observed
        (date(2026, 3, 17), True),  # St Patrick's Day, Northern Ireland only
    ],
)
def test_english_deadlines_count_the_bank_holidays_of_england_and_wales(day: date, working: bool) -> None:
    """A GB engagement is under the law of England and Wales: another UK nation's holidays move
    no deadline, and England's own do."""
    assert calendar_for("GB").is_working_day(day) is working
    assert calendar_for("GB", "it").is_working_day(day) is working


def test_without_a_calendar_only_weekends_are_skipped() -> None:
    assert add_business_days(date(2026, 12, 23), 3, WEEKENDS_ONLY) == date(2026, 12, 28)


@pytest.mark.parametrize(
    ("day", "working", "expected"),
    [
        (date(2026, 12, 8), ITALY, date(2026, 12, 9)),  # Immacolata, a Tuesday
        (date(2026, 12, 25), ITALY, date(2026, 12, 28)),  # Christmas, Santo Stefano (Sat), Sunday
        (date(2026, 12, 25), ENGLAND_AND_WALES, date(2026, 12, 29)),  # ... and Boxing Day observed
        (date(2026, 6, 2), ITALY, date(2026, 6, 3)),  # Festa della Repubblica
        (date(2026, 6, 2), ENGLAND_AND_WALES, date(2026, 6, 2)),
        (date(2026, 12, 9), ITALY, date(2026, 12, 9)),  # already a working day
    ],
)
def test_a_term_ending_on_a_holiday_or_weekend_moves_to_the_next_working_day(day, working, expected) -> None:
    assert next_working_day(day, working) == expected


@pytest.mark.parametrize(
    ("jurisdiction", "language", "expected"),
    [("IT", "en", ITALY), ("GB", "it", ENGLAND_AND_WALES), ("EU", "it", ITALY), ("EU", "en", WEEKENDS_ONLY)],
)
def test_each_jurisdiction_has_its_holiday_calendar(jurisdiction, language, expected) -> None:
    assert calendar_for(jurisdiction, language) == expected


def test_an_instant_late_in_the_utc_evening_is_already_tomorrow_in_rome_but_not_in_london() -> None:
    instant = datetime(2026, 12, 1, 23, 30, tzinfo=UTC)
    assert local_day(instant, "Europe/Rome") == date(2026, 12, 2)
    assert local_day(instant, "Europe/London") == date(2026, 12, 1)


def test_a_local_day_starts_at_its_own_midnight_in_utc() -> None:
    assert start_of_local_day(date(2026, 12, 2), "Europe/Rome") == datetime(2026, 12, 1, 23, 0, tzinfo=UTC)
    assert start_of_local_day(date(2026, 7, 2), "Europe/London") == datetime(2026, 7, 1, 23, 0, tzinfo=UTC)


@pytest.mark.parametrize("name", ["Europe/Rome", "Europe/London", "America/New_York", "UTC"])
def test_iana_zone_names_are_accepted(name: str) -> None:
    assert is_timezone(name)


@pytest.mark.parametrize("name", ["Rome", "CET+1", "../../etc/passwd", "europe/rome", "", "Europe/Atlantis"])
def test_anything_else_is_not_a_zone(name: str) -> None:
    assert not is_timezone(name)


def test_the_first_day_of_year_1_in_rome_starts_at_the_earliest_instant() -> None:
    # Midnight of 1 January of year 1 in Rome is 31 December of year 0 in UTC, which no datetime
    # holds: a document filter "since 0001-01-01" once answered 500 (found by schemathesis).
    assert start_of_local_day(date(1, 1, 1), "Europe/Rome") == datetime.min.replace(tzinfo=UTC)
    # The day after is an ordinary instant: Rome's local mean time then, UTC+00:49:56.
    assert start_of_local_day(date(1, 1, 2), "Europe/Rome") == datetime(1, 1, 1, 23, 10, 4, tzinfo=UTC)
