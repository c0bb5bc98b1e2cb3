"""Changes to the agreed terms: a proposal until the client accepts it, always from a date.

A change of terms the user asks for (PATCH) is a *proposal* with an ``effective_on`` day: it
binds nobody until the client accepts it (art. 1326 c.c.: a contract, and so its amendment, is
made when the proposer learns of the acceptance; art. 1372: a contract changes only by mutual
consent). ``accept`` records the acceptance; ``withdraw`` takes back a proposal still pending
(art. 1328). A change the contract already lets the provider make alone (the prepayment clause,
applied after a late payment) is made *by notice*: binding at once, from its day.

Every amendment ever made stays on the engagement (``term_changes``), so the value of a term on
any day can be read back from the binding ones: a monthly invoice issued on or after the day
uses the new fee, one issued before it the old fee. The engagement's own columns hold the terms
in force today; ``bring_into_force`` moves a binding amendment's values there at 00:00 of its
day (the schedule takes it before any other step dated that day, see ``schedule.next_step``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from service.domain.model import Engagement
from service.domain.sayings import Said

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

PROPOSED, ACCEPTED, WITHDRAWN, BY_NOTICE = "proposed", "accepted", "withdrawn", "by_notice"
# An amendment stored before proposals existed has no status: it was applied as binding then.
_BINDING = frozenset({ACCEPTED, BY_NOTICE})
# How a client's acceptance reached the provider (the record says which, for the evidence).
ACCEPTANCE_METHODS = ("signed_copy", "pec_reply", "email_reply", "portal")


class AmendmentRefused(ValueError):
    """An acceptance or a withdrawal that the amendment's state does not allow."""

    def __init__(self, said: Said) -> None:
        super().__init__(said)
        self.said = said


@dataclass(frozen=True)
class Amendment:
    effective_on: date
    changes: dict[str, tuple[Any, Any]]  # term → (old value, new value)
    id: int = 0


def _stored(term: str, value: Any) -> Any:
    return str(value) if term in _MONEY else value


def _loaded(term: str, value: Any) -> Any:
    if term in _MONEY:
        return Decimal(value)
    return value if term in _TEXT else int(value)


def status(amendment: dict[str, Any]) -> str:
    return str(amendment.get("status", ACCEPTED))


def binding(amendment: dict[str, Any]) -> bool:
    return status(amendment) in _BINDING


def _amendments(engagement: Engagement) -> list[dict[str, Any]]:
    """Stored amendments by effective day; amendments of one day in the order they were made."""
    return sorted(engagement.term_changes, key=lambda a: a["effective_on"])


def _as_domain(amendment: dict[str, Any]) -> Amendment:
    changes = {t: (_loaded(t, c["from"]), _loaded(t, c["to"])) for t, c in amendment["changes"].items()}
    return Amendment(date.fromisoformat(amendment["effective_on"]), changes, int(amendment.get("id", 0)))


def term_on(engagement: Engagement, term: str, day: date) -> Any:
    """The value of ``term`` on ``day`` under the binding amendments: before the first of them,
    what it replaced; then the latest in force that day. A mere proposal changes nothing."""
    touching = [a for a in _amendments(engagement) if term in a["changes"] and binding(a)]
    if not touching:
        return getattr(engagement, term)
    value = touching[0]["changes"][term]["from"]
    for amendment in touching:
        if date.fromisoformat(amendment["effective_on"]) <= day:
            value = amendment["changes"][term]["to"]
    return _loaded(term, value)


def signed_terms(engagement: Engagement) -> dict[str, Any]:
    """The terms as the contract was signed: what the first amendment of each term replaced
    (amendments are stored in the order they were made)."""
    signed: dict[str, Any] = {}
    for amendment in engagement.term_changes:
        for term, change in amendment["changes"].items():
            signed.setdefault(term, _loaded(term, change["from"]))
    return signed


def fee_on(engagement: Engagement, issue_on: date) -> Decimal:
    """The monthly fee of an invoice issued on ``issue_on``."""
    return term_on(engagement, "monthly_fee", issue_on)


def due_day_on(engagement: Engagement, issue_on: date) -> int:
    """The day of the month an invoice issued on ``issue_on`` is due."""
    return term_on(engagement, "due_day", issue_on)


def _changes(
    engagement: Engagement, effective_on: date, new_terms: dict[str, Any]
) -> dict[str, tuple[Any, Any]]:
    changes = {}
    for term in TERMS:
        if term in new_terms:
            old = term_on(engagement, term, effective_on)
            if old != new_terms[term]:
                changes[term] = (old, new_terms[term])
    return changes


def _record(
    engagement: Engagement, effective_on: date, changes: dict[str, tuple[Any, Any]], **extra: Any
) -> Amendment:
    number = max((int(a.get("id", 0)) for a in engagement.term_changes), default=0) + 1
    stored = {t: {"from": _stored(t, old), "to": _stored(t, new)} for t, (old, new) in changes.items()}
    entry = {
        "id": number,
        "effective_on": effective_on.isoformat(),
        "changes": stored,
        "in_force": False,
        **extra,
    }
    engagement.term_changes = [*engagement.term_changes, entry]  # a new list: the ORM sees it
    return Amendment(effective_on, changes, number)


def propose(engagement: Engagement, effective_on: date, new_terms: dict[str, Any], today: date) -> Amendment:
    """A proposal of the terms that really change, from ``effective_on``; binding on acceptance."""
    changes = _changes(engagement, effective_on, new_terms)
    if not changes:
        return Amendment(effective_on, changes)
    return _record(engagement, effective_on, changes, status=PROPOSED, proposed_on=today.isoformat())


def amend_from_today(engagement: Engagement, today: date, new_terms: dict[str, Any]) -> Amendment:
    """An amendment under a clause the client already signed, applying from ``today``: made by
    notice, in force at once (other amendments keep their own day)."""
    changes = _changes(engagement, today, new_terms)
    if not changes:
        return Amendment(today, changes)
    amendment = _record(engagement, today, changes, status=BY_NOTICE)
    *earlier, made = engagement.term_changes
    engagement.term_changes = [*earlier, {**made, "in_force": True}]
    for term, (_, new) in changes.items():
        setattr(engagement, term, new)
    return amendment


def find(engagement: Engagement, amendment_id: int) -> dict[str, Any] | None:
    return next((a for a in engagement.term_changes if int(a.get("id", 0)) == amendment_id), None)


def _replace(engagement: Engagement, amendment_id: int, updated: dict[str, Any]) -> None:
    engagement.term_changes = [
        updated if int(a.get("id", 0)) == amendment_id else a for a in engagement.term_changes
    ]


def accept(
    engagement: Engagement, amendment_id: int, acceptance: dict[str, Any], accepted_on: date
) -> Amendment:
    """The client's acceptance of a pending proposal, given on ``accepted_on`` (at the latest
    the proposal's own day: terms never bind before the client agreed to them). Each term's old
    value is read again, so an amendment accepted meanwhile is what this one replaces."""
    proposal = _pending_proposal(engagement, amendment_id)
    effective_on = date.fromisoformat(proposal["effective_on"])
    if accepted_on > effective_on:
        raise AmendmentRefused(Said("amendments.accepted_too_late", effective_on=effective_on.isoformat()))
    proposed_on = proposal.get("proposed_on")
    if proposed_on and accepted_on < date.fromisoformat(proposed_on):
        raise AmendmentRefused(Said("amendments.accepted_before_proposed", proposed_on=proposed_on))
    changes = {
        t: {"from": _stored(t, term_on(engagement, t, effective_on)), "to": c["to"]}
        for t, c in proposal["changes"].items()
    }
    accepted = {**proposal, "changes": changes, "status": ACCEPTED, "acceptance": acceptance}
    _replace(engagement, amendment_id, accepted)
    return _as_domain(accepted)


def withdraw(engagement: Engagement, amendment_id: int, reason: str) -> Amendment:
    """A proposal taken back before the client accepted it."""
    proposal = _pending_proposal(engagement, amendment_id)
    withdrawn = {**proposal, "status": WITHDRAWN, "withdrawal_reason": reason}
    _replace(engagement, amendment_id, withdrawn)
    return _as_domain(withdrawn)


def _pending_proposal(engagement: Engagement, amendment_id: int) -> dict[str, Any]:
    amendment = find(engagement, amendment_id)
    if amendment is None:
        raise LookupError(amendment_id)
    if status(amendment) != PROPOSED:
        raise AmendmentRefused(Said("amendments.not_pending", id=amendment_id, status=status(amendment)))
    return amendment


def next_in_force_on(engagement: Engagement) -> date | None:
    """The day the next binding amendment comes into force, if any."""
    waiting = [a["effective_on"] for a in engagement.term_changes if binding(a) and not a["in_force"]]
    return date.fromisoformat(min(waiting)) if waiting else None


def bring_into_force(engagement: Engagement, today: date) -> list[Amendment]:
    """Put the binding amendments whose day has come into the engagement's terms, oldest first
    (the stored list keeps the order they were made in: ``signed_terms`` reads it)."""
    applied, done = [], []
    for amendment in _amendments(engagement):
        due = binding(amendment) and not amendment["in_force"]
        if due and date.fromisoformat(amendment["effective_on"]) <= today:
            for term, change in amendment["changes"].items():
                setattr(engagement, term, _loaded(term, change["to"]))
            applied.append(_as_domain(amendment))
            done.append(amendment)
    if applied:
        engagement.term_changes = [
            {**a, "in_force": True} if any(a is d for d in done) else a for a in engagement.term_changes
        ]
    return applied


def pending(engagement: Engagement) -> list[dict[str, Any]]:
    """The amendments not in force yet and not withdrawn (proposals and accepted ones), as stored."""
    return [a for a in _amendments(engagement) if not a["in_force"] and status(a) != WITHDRAWN]
