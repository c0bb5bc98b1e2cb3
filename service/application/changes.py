"""Correcting an engagement (PATCH): client details at once, terms only by amendment.

Client details, services and accounts are facts about the client: a change applies at once and
the record names each field's old and new value; the next documents carry the new values.
Terms are the agreement itself: a change takes an ``effective_on`` day, never in the past, and
is a *proposal*: it writes a ``contract_amendment`` letter proposing the new text of each
clause it touches, and binds only once the client's acceptance is recorded
(``application/amendments.py``, ``domain/amendments.py``).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from service.application import fatturapa
from service.application.deadlines import amendment_payload
from service.application.documents import issue_documents
from service.application.loading import load_for_change
from service.application.record import append_entry
from service.application.runtime import Runtime
from service.application.views import engagement_view
from service.domain import amendments
from service.domain.errors import InvalidInput, PreconditionRequired
from service.domain.model import CLIENT_FIELDS

DETAILS = (*(f"client_{name}" for name in CLIENT_FIELDS), "services", "accounts")
# The client's details an invoice's file carries (application.fatturapa.client_party, routing).
INVOICED_DETAILS = frozenset(
    f"client_{name}"
    for name in ("name", "address", "registered_office", "vat_number", "tax_code", "pec", "sdi_code")
)


def change_engagement(
    rt: Runtime, tenant_id: int, engagement_id: int, changes: dict[str, Any], if_match: int | None
) -> dict[str, Any]:
    with rt.writer() as uow:
        loaded = load_for_change(rt, uow, tenant_id, engagement_id, expected_version=if_match)
        if if_match is None:  # checked after the lookup: another tenant's id still answers 404
            raise PreconditionRequired(
                "Send If-Match with the engagement's ETag (from GET), so that a change made "
                "meanwhile by someone else is not overwritten."
            )
        engagement, tenant, now = loaded.engagement, loaded.tenant, loaded.now
        terms = {t: changes[t] for t in amendments.TERMS if t in changes}
        effective_on = _effective_on(changes.get("effective_on"), bool(terms), engagement.day_of(now))

        details = {f: (getattr(engagement, f), changes[f]) for f in DETAILS if f in changes}
        details = {f: (old, new) for f, (old, new) in details.items() if old != new}
        if details:
            for name, (_, new) in details.items():
                setattr(engagement, name, new)
            if INVOICED_DETAILS.intersection(details):  # the next FatturaPA file must still be valid
                fatturapa.check_client(tenant, engagement)
            payload = {
                "fields": list(details),
                "changes": {f: {"from": o, "to": n} for f, (o, n) in details.items()},
            }
            append_entry(uow, engagement, "engagement_changed", payload, now)

        if effective_on is not None:
            amendment = amendments.propose(engagement, effective_on, terms, engagement.day_of(now))
            if amendment.changes:
                entry = append_entry(uow, engagement, "terms_proposed", amendment_payload(amendment), now)
                issue_documents(rt, uow, tenant, engagement, ("contract_amendment",), entry, now)
        view = engagement_view(engagement)
        uow.commit()
        return view


def _effective_on(effective_on: date | None, changes_terms: bool, today: date) -> date | None:
    if changes_terms and effective_on is None:
        raise InvalidInput(
            {"effective_on": ["Required when terms change: the day the new terms apply from."]}
        )
    if not changes_terms and effective_on is not None:
        raise InvalidInput(
            {"effective_on": ["Only with a change of terms: fee, payment, feedback, approval, termination."]}
        )
    if effective_on is not None and effective_on < today:
        raise InvalidInput(
            {"effective_on": [f"Terms change from today ({today.isoformat()}) or later, never in the past."]}
        )
    return effective_on
