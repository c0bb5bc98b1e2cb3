"""The formal demand: how long it must give the client, and the day its deadline falls on.

Italy (art. 1454 c.c.) asks a *diffida ad adempiere* for a term of at least 15 days; the EU
engagements follow the same floor (the service names no other country's rule for them); in
England and Wales a letter before action customarily gives a business 14 days. A term that
ends on a weekend or a public holiday ends on the next working day (art. 2963 c.c.; CPR 2.8).
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from service.domain.calendar import next_working_day
from service.domain.model import Engagement

MINIMUM_DAYS = {"IT": 15, "EU": 15, "GB": 14}


def minimum_days(engagement: Engagement) -> int:
    return MINIMUM_DAYS[engagement.jurisdiction]


def demand_deadline(engagement: Engagement, sent_on: date, days: int) -> date:
    """The last day the client has to pay: ``days`` calendar days after ``sent_on``, moved to the
    next working day of the engagement's calendar when it falls on a weekend or holiday."""
    return next_working_day(sent_on + timedelta(days=days), engagement.working_calendar)


def first_day_after_demand(engagement: Engagement) -> date | None:
    """The first day the demand's term has passed; None when no demand was sent."""
    if engagement.formal_demand_deadline is None:
        return None
    return engagement.formal_demand_deadline + timedelta(days=1)


def deadline_from_delivery(
    engagement: Engagement, kind: str, sent_at: datetime, days: int, delivered_at: datetime
) -> date | None:
    """The new deadline of the letter of ``kind`` sent at ``sent_at``, counted from the day its
    PEC delivery receipt says the client received it (its term runs "dalla ricezione"); stored on
    the engagement while that letter is the one in force. None when a later letter replaced it.
    A deadline never moves earlier than the one counted from the sending day."""
    sent_on, delivered_on = engagement.day_of(sent_at), engagement.day_of(delivered_at)
    counted = demand_deadline(engagement, max(sent_on, delivered_on), days)
    if kind == "formal_demand" and engagement.formal_demand_on == sent_on:
        current = engagement.formal_demand_deadline
        engagement.formal_demand_deadline = max(counted, current) if current else counted
        return engagement.formal_demand_deadline
    final_at = engagement.final_notice_at
    if kind == "final_notice" and final_at is not None and engagement.day_of(final_at) == sent_on:
        current = engagement.final_notice_deadline
        engagement.final_notice_deadline = max(counted, current) if current else counted
        return engagement.final_notice_deadline
    return None
