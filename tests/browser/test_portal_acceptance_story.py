"""Acceptance in a real browser: a client accepts an amendment with the code a real SMTP server
received (aiosmtpd), and the new fee applies from its day; an Italian client accepts the contract,
approving the art. 1341-1342 clauses one by one, and the sealed PDF's signature validates with
pyHanko under the account's exported certificate. Every new page passes an axe scan."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko_certvalidator import ValidationContext

from service.adapters.event_loop import off_loop
from service.adapters.mail import SmtpMailer
from service.adapters.seal import asn1_certificate
from service.application.runtime import Runtime
from tests.acceptance.conftest import Contract, KeptMail, code_in, make_pdf_ready, pdf_saying
from tests.browser.conftest import serious_violations
from tests.conftest import Api, FakeClock
from tests.messages.conftest import Inbox

SHOTS = Path("/tmp/portal-shots")


def _shot(page: Page, name: str) -> None:
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def _portal(api: Api, engagement_id: int) -> str:
    url = api.post(f"/v1/engagements/{engagement_id}/portal-links", json={}).json["url"]
    return url[url.index("/p/") :]


def test_a_client_accepts_an_amendment_with_the_mailed_code_and_the_new_fee_applies_from_its_day(
    api: Api,
    runtime: Runtime,
    clock: FakeClock,
    live_url: str,
    page: Page,
    plain_smtp: tuple[Inbox, SmtpMailer],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    inbox, mailer = plain_smtp
    monkeypatch.setattr(runtime, "mailer", mailer)
    eid = api.create_engagement()["id"]
    etag = api.get(f"/v1/engagements/{eid}").headers["ETag"]
    body = {"monthly_fee": "1350.00", "effective_on": "2027-03-01"}
    assert api.patch(f"/v1/engagements/{eid}", json=body, headers={"If-Match": etag}).status_code == 200
    [letter] = [
        d for d in api.get(f"/v1/engagements/{eid}/documents").json if d["kind"] == "contract_amendment"
    ]
    make_pdf_ready(api, runtime, letter["id"], pdf_saying("Modifica n. 1"))

    page.goto(live_url + _portal(api, eid))
    page.get_by_role("link", name="Leggete e accettate la modifica n. 1").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("modifica n. 1")
    expect(page.get_by_role("link", name="(PDF)")).to_be_visible()
    assert serious_violations(page) == []
    page.get_by_label("Ho letto").check()
    page.get_by_role("button", name="Inviatemi un codice").click()
    expect(page.get_by_role("status")).to_contain_text("giulia@bottegarossi.it")
    [received] = inbox.received
    assert received["to"] == ["giulia@bottegarossi.it"]
    page.get_by_label("Il codice ricevuto").fill(code_in(received["data"]))
    _shot(page, "portal-accept-amendment")
    assert serious_violations(page) == []
    page.get_by_role("button", name="Accetto e firmo").click()
    expect(page.get_by_role("status")).to_contain_text("la vostra accettazione è firmata")
    _shot(page, "portal-accepted")
    assert serious_violations(page) == []

    [pending] = api.get(f"/v1/engagements/{eid}").json["pending_terms"]
    assert pending["status"] == "accepted"
    for days in (30, 30, 30):  # to 1 March 2027: the new fee from its day, not before
        clock.advance(days=days)
        api.post("/v1/clock/tick")
    invoices = {i["period"]: i for i in api.get(f"/v1/engagements/{eid}/invoices").json}
    assert (invoices["2027-02"]["amount"], invoices["2027-03"]["amount"]) == ("1200.00", "1350.00")


def test_an_italian_client_accepts_the_contract_approving_each_onerous_clause_and_the_seal_validates(
    api: Api, live_url: str, page: Page, contract: Contract, mail: KeptMail
) -> None:
    eid = contract.engagement_id
    page.goto(live_url + _portal(api, eid))
    page.get_by_role("link", name="Leggete e accettate il contratto").click()
    clauses = page.get_by_role("group", name="2. Le clausole da approvare specificamente")
    boxes = clauses.get_by_role("checkbox")
    assert boxes.count() >= 2
    assert serious_violations(page) == []
    page.get_by_label("Ho letto").check()
    for box in boxes.all()[:-1]:  # one clause forgotten: named, and no code sent
        box.check()
    page.get_by_role("button", name="Inviatemi un codice").click()
    expect(page.locator("#clauses-error")).to_be_visible()
    assert mail.sent == []
    _shot(page, "portal-accept-clause-missing")
    assert serious_violations(page) == []
    boxes.last.check()
    page.get_by_role("button", name="Inviatemi un codice").click()
    expect(page.get_by_role("status")).to_contain_text("giulia@bottegarossi.it")
    page.get_by_label("Il codice ricevuto").fill(code_in(mail.sent[-1]))
    page.get_by_role("button", name="Accetto e firmo").click()
    expect(page.get_by_role("status")).to_contain_text("la vostra accettazione è firmata")
    assert serious_violations(page) == []

    events = api.get(f"/v1/engagements/{eid}/events").json
    [entry] = [e["payload"] for e in events if e["type"] == "client_accepted"]
    assert "1341" in " ".join(entry["consents"])  # the wording of the separate approval, kept
    [sealed] = [
        d for d in api.get(f"/v1/engagements/{eid}/documents").json if d["kind"] == "sealed_acceptance"
    ]
    pdf = api.get(f"/v1/documents/{sealed['id']}/content?format=pdf").data
    archive = zipfile.ZipFile(io.BytesIO(api.get(f"/v1/engagements/{eid}/export").data))
    certificate = archive.read("sealing_certificate.pem").decode()
    embedded = PdfFileReader(io.BytesIO(pdf)).embedded_signatures[-1]
    context = ValidationContext(trust_roots=[asn1_certificate(certificate)])
    status = off_loop(lambda: validate_pdf_signature(embedded, context))  # Playwright's loop runs here
    assert status.intact and status.valid and status.trusted
    assert api.get(f"/v1/engagements/{eid}/events/verify").json["valid"] is True
