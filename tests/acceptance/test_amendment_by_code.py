"""An amendment accepted with the code taken from a real SMTP server (aiosmtpd): it goes through
the amendments' own acceptance (method ``portal``), so the new terms apply from their day."""

from __future__ import annotations

from typing import Any

import pytest

from service.adapters.mail import SmtpMailer
from service.application.acceptance import acceptance_terms, confirm_acceptance, request_acceptance_code
from service.application.runtime import Runtime
from service.domain.acceptance import Consents
from service.domain.errors import Conflict
from tests.acceptance.conftest import CLIENT, code_in, make_pdf_ready, pdf_saying
from tests.conftest import Api, FakeClock
from tests.messages.conftest import Inbox


def _propose(api: Api, eid: int) -> None:
    etag = api.get(f"/v1/engagements/{eid}").headers["ETag"]
    body = {"monthly_fee": "1350.00", "effective_on": "2027-03-01"}
    assert api.patch(f"/v1/engagements/{eid}", json=body, headers={"If-Match": etag}).status_code == 200


def _amendment_letter(api: Api, eid: int) -> dict[str, Any]:
    [letter] = [
        d for d in api.get(f"/v1/engagements/{eid}/documents").json if d["kind"] == "contract_amendment"
    ]
    return letter


def test_an_amendment_accepted_with_the_mailed_code_binds_from_its_day(
    runtime: Runtime,
    api: Api,
    clock: FakeClock,
    plain_smtp: tuple[Inbox, SmtpMailer],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    inbox, mailer = plain_smtp
    monkeypatch.setattr(runtime, "mailer", mailer)
    eid = api.create_engagement()["id"]
    _propose(api, eid)
    letter = _amendment_letter(api, eid)
    make_pdf_ready(api, runtime, letter["id"], pdf_saying("Modifica n. 1"))

    terms = acceptance_terms(runtime, api.tenant_id, eid, amendment_id=1)
    assert terms["document_id"] == letter["id"] and terms["onerous_clauses"] == []
    request_acceptance_code(runtime, api.tenant_id, eid, CLIENT, amendment_id=1)
    [received] = inbox.received
    assert received["to"] == ["giulia@bottegarossi.it"]
    code = code_in(received["data"])

    result = confirm_acceptance(
        runtime, api.tenant_id, eid, code, Consents(terms=True), CLIENT, amendment_id=1
    )
    assert result["amendment"]["status"] == "accepted"
    assert result["amendment"]["acceptance"]["method"] == "portal"
    assert result["amendment"]["acceptance"]["accepted_by"] == "Giulia Rossi"
    types = [e["type"] for e in api.get(f"/v1/engagements/{eid}/events").json]
    assert types.index("client_accepted") < types.index("terms_accepted")
    with pytest.raises(Conflict):  # accepted now: no longer a proposal to ask a code for
        request_acceptance_code(runtime, api.tenant_id, eid, CLIENT, amendment_id=1)

    for days in (30, 30, 30):  # to 1 March 2027: the new fee from its day, not before
        clock.advance(days=days)
        api.post("/v1/clock/tick")
    invoices = {i["period"]: i for i in api.get(f"/v1/engagements/{eid}/invoices").json}
    assert (invoices["2027-02"]["amount"], invoices["2027-03"]["amount"]) == ("1200.00", "1350.00")
