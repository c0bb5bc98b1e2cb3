"""The payment ladder as one table: the clock steps one unpaid invoice leads to, each on a day
counted from the invoice's due day. The tests that pin the ladder (the engine, the schedule, the
sweep on the fakes, the API) take their days from here, so a new rung or a changed offset is
written once."""

from __future__ import annotations

from datetime import date, timedelta
from typing import NamedTuple


class Rung(NamedTuple):
    trigger: str
    days_after_due: int  # the first day it may run, counted from the due day...
    after_grace: bool  # ...and then past the engagement's grace days


LADDER = (
    Rung("mark_payment_overdue", 1, after_grace=False),  # the day after the due day
    Rung("pause_work", 1, after_grace=True),  # the day after the grace period ends
)
GRACE_DAYS = 7  # the engagements the tests create (tests/unit/builders.py, the API's terms)


def ladder(due_on: date, grace_days: int = GRACE_DAYS) -> list[tuple[str, date]]:
    """(trigger, day) of each rung for an invoice due on ``due_on``, in order."""
    return [
        (rung.trigger, due_on + timedelta(days=rung.days_after_due + (grace_days if rung.after_grace else 0)))
        for rung in LADDER
    ]
