"""A proposed amendment of the terms: the client's acceptance, or its withdrawal.

An amendment proposed by PATCH binds only once the client has accepted it (art. 1326 c.c.);
the acceptance is a record entry naming who accepted, on which day and how, so the file holds
the evidence. A proposal still pending may be withdrawn (art. 1328 c.c.). Accepted terms come
into force at 00:00 of their day (the schedule's ``terms_in_force`` step); accepted on that day
or recorded after it, they apply at once.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from service.application.deadlines import amendment_payload, bring_terms_into_force
from service.application.loading import load_for_change
from service.application.record import append_entry
from service.application.runtime import Runtime
from service.application.unit_of_work import UnitOfWork
from service.domain import amendments
from service.domain.errors import Conflict, InvalidInput, NotFound
from service.domain.model import Engagement
from service.domain.sayings import Said


def accept_amendment(
    rt: Runtime, tenant_id: int, engagement_id: int, amendment_id: int, acceptance: dict[str, Any]
) -> dict[str, Any]:
    with rt.writer() as uow:
        loaded = load_for_change(rt, uow, tenant_id, engagement_id)
        view = accept_in(uow, loaded.engagement, loaded.now, amendment_id, acceptance)
        uow.commit()
        return view


def accept_in(
    uow: UnitOfWork, engagement: Engagement, now: datetime, amendment_id: int, acceptance: dict[str, Any]
) -> dict[str, Any]:
    """The acceptance inside the caller's transaction: the portal's sealed acceptance takes this
    same step, so the new terms apply from their day however the client said yes."""
    accepted_on: date = acceptance["accepted_on"]
    if accepted_on > engagement.day_of(now):
        message = Said("amendments.accepted_in_future", today=engagement.day_of(now).isoformat())
        raise InvalidInput({"accepted_on": [message]})
    stored = {
        "accepted_by": acceptance["accepted_by"],
        "accepted_on": accepted_on.isoformat(),
        "method": acceptance["method"],
        "note": acceptance.get("note", ""),
    }
    amendment = _refusing(
        engagement.language,
        amendment_id,
        amendments.accept,
        engagement,
        amendment_id,
        stored,
        accepted_on,
    )
    payload = {**amendment_payload(amendment), **stored}
    append_entry(uow, engagement, "terms_accepted", payload, now)
    bring_terms_into_force(uow, engagement, now)  # its day has come already: in force now
    return amendment_view(amendments.find(engagement, amendment_id) or {})


def withdraw_amendment(
    rt: Runtime, tenant_id: int, engagement_id: int, amendment_id: int, reason: str
) -> dict[str, Any]:
    with rt.writer() as uow:
        loaded = load_for_change(rt, uow, tenant_id, engagement_id)
        engagement = loaded.engagement
        amendment = _refusing(
            engagement.language, amendment_id, amendments.withdraw, engagement, amendment_id, reason
        )
        append_entry(
            uow, engagement, "terms_withdrawn", {**amendment_payload(amendment), "reason": reason}, loaded.now
        )
        view = amendment_view(amendments.find(engagement, amendment_id) or {})
        uow.commit()
        return view


def _refusing(language: str, amendment_id: int, change: Any, *args: Any) -> amendments.Amendment:
    """The domain's refusals as the API's: an unknown id is 404, a wrong state 409."""
    try:
        return change(*args)
    except LookupError:
        raise NotFound("amendment", amendment_id) from None
    except amendments.AmendmentRefused as refused:
        raise Conflict(refused.said, language=language) from None


def amendment_view(amendment: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": int(amendment.get("id", 0)),
        "status": amendments.status(amendment),
        "effective_on": amendment["effective_on"],
        "changes": amendment["changes"],
        "in_force": amendment["in_force"],
        "acceptance": amendment.get("acceptance"),
        "withdrawal_reason": amendment.get("withdrawal_reason"),
    }
