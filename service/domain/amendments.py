"""Changes to the agreed terms: never silent, always from a date.

A change of terms is an amendment with an ``effective_on`` day. Every amendment ever made stays
on the engagement (``term_changes``), so the value of a term on any day can be read back: a
monthly invoice issued on or after the day uses the new fee, one issued before it the old fee,
whenever the clock gets round to issuing it. The engagement's own columns hold the terms in
force today; ``bring_into_force`` moves an amendment's values there once its day has come.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from service.domain.model import Engagement

# The terms an amendment may change; each is a column of the engagement.
TERMS = (
    "monthly_fee",
    "due_day",
    "grace_days",
    "late_payment_policy",
    "response_days",
    "reminders_before_offboarding",
    "revision_rounds",
    "termination_notice_days",
)
_MONEY = frozenset({"monthly_fee"})
_TEXT = frozenset({"late_payment_policy"})


@dataclass(frozen=True)
class Amendment:
    effective_on: date
    changes: dict[str, tuple[Any, Any]]  # term → (old value, new value)


def _stored(term: str, value: Any) -> Any:
    return str(value) if term in _MONEY else value


def _loaded(term: str, value: Any) -> Any:
    if term in _MONEY:
        return Decimal(value)
    return value if term in _TEXT else int(value)


def _amendments(engagement: Engagement) -> list[dict[str, Any]]:
    """Stored amendments by effective day; amendments of one day in the order they were made."""
    return sorted(engagement.term_changes, key=lambda a: a["effective_on"])


def term_on(engagement: Engagement, term: str, day: date) -> Any:
    """The value of ``term`` on ``day``: before the first amendment of it, what that amendment
    replaced; then the latest amendment in force that day."""
    touching = [a for a in _amendments(engagement) if term in a["changes"]]
    if not touching:
        return getattr(engagement, term)
    value = touching[0]["changes"][term]["from"]
    for amendment in touching:
        if date.fromisoformat(amendment["effective_on"]) <= day:
            value = amendment["changes"][term]["to"]
    return _loaded(term, value)


def fee_on(engagement: Engagement, issue_on: date) -> Decimal:
    """The monthly fee of an invoice issued on ``issue_on``."""
    return term_on(engagement, "monthly_fee", issue_on)


def due_day_on(engagement: Engagement, issue_on: date) -> int:
    """The day of the month an invoice issued on ``issue_on`` is due."""
    return term_on(engagement, "due_day", issue_on)


def amend(engagement: Engagement, effective_on: date, new_terms: dict[str, Any]) -> Amendment:
    """Record an amendment of the terms that really change; nothing is in force before its day."""
    changes = {}
    for term in TERMS:
        if term in new_terms:
            old = term_on(engagement, term, effective_on)
            if old != new_terms[term]:
                changes[term] = (old, new_terms[term])
    if changes:
        stored = {t: {"from": _stored(t, old), "to": _stored(t, new)} for t, (old, new) in changes.items()}
        entry = {"effective_on": effective_on.isoformat(), "changes": stored, "in_force": False}
        engagement.term_changes = [*engagement.term_changes, entry]  # a new list: the ORM sees it
    return Amendment(effective_on, changes)


def amend_from_today(engagement: Engagement, today: date, new_terms: dict[str, Any]) -> Amendment:
    """An amendment under a clause the client already signed, applying from ``today``: recorded
    like any other and in force at once (other pending amendments keep their own day)."""
    amendment = amend(engagement, today, new_terms)
    if amendment.changes:
        *earlier, made = engagement.term_changes
        engagement.term_changes = [*earlier, {**made, "in_force": True}]
        for term, (_, new) in amendment.changes.items():
            setattr(engagement, term, new)
    return amendment


def next_in_force_on(engagement: Engagement) -> date | None:
    """The day the next pending amendment comes into force, if any."""
    pending = [a["effective_on"] for a in engagement.term_changes if not a["in_force"]]
    return date.fromisoformat(min(pending)) if pending else None


def bring_into_force(engagement: Engagement, today: date) -> list[Amendment]:
    """Put the amendments whose day has come into the engagement's terms, oldest first."""
    applied, stored = [], []
    for amendment in _amendments(engagement):
        due = not amendment["in_force"] and date.fromisoformat(amendment["effective_on"]) <= today
        if due:
            changes = {}
            for term, change in amendment["changes"].items():
                setattr(engagement, term, _loaded(term, change["to"]))
                changes[term] = (_loaded(term, change["from"]), _loaded(term, change["to"]))
            applied.append(Amendment(date.fromisoformat(amendment["effective_on"]), changes))
            amendment = {**amendment, "in_force": True}
        stored.append(amendment)
    if applied:
        engagement.term_changes = stored
    return applied


def pending(engagement: Engagement) -> list[dict[str, Any]]:
    """The amendments not in force yet, as stored (JSON-safe)."""
    return [a for a in _amendments(engagement) if not a["in_force"]]
