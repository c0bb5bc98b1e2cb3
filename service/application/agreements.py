"""The client's signature of the mutual termination agreement: a record entry saying who signed,
on which day and how (``domain/agreement_signature.py``), recorded like an amendment's acceptance."""

from __future__ import annotations

from typing import Any

from service.application.loading import load_for_change
from service.application.record import append_entry
from service.application.runtime import Runtime
from service.application.views import event_view
from service.domain import agreement_signature as signature
from service.domain.agreement_signature import SIGNED_ENTRY
from service.domain.errors import Conflict, InvalidInput
from service.domain.sayings import Said


def sign_termination_agreement(
    rt: Runtime, tenant_id: int, engagement_id: int, body: dict[str, Any]
) -> dict[str, Any]:
    with rt.writer() as uow:
        loaded = load_for_change(rt, uow, tenant_id, engagement_id)
        engagement, now = loaded.engagement, loaded.now
        language = engagement.language
        agreement = signature.agreement_to_sign(engagement, uow.documents.for_engagement(engagement_id))
        if agreement is None:
            raise Conflict(Said("agreement_signature.no_agreement"), language=language)
        earlier = signature.earlier_signature(uow.record.events(engagement_id), agreement)
        if earlier is not None:
            said = Said("agreement_signature.signed_already", on=earlier.payload["accepted_on"])
            raise Conflict(said, language=language)
        refused = signature.date_refused(engagement, agreement, body["accepted_on"], engagement.day_of(now))
        if refused is not None:
            raise InvalidInput({"accepted_on": [refused]})
        payload = signature.signature_payload(engagement, agreement, body)
        event = append_entry(uow, engagement, SIGNED_ENTRY, payload, now)
        uow.flush()
        view = {**payload, "event": event_view(event)}
        uow.commit()
        return view
