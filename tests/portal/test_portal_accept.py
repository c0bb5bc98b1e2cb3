"""Acceptance through the portal, with Flask's test client on both backends: the consents first
(each onerous clause by number), the code last; every refusal named beside its field."""

from __future__ import annotations

import re
from io import BytesIO
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from service.application.runtime import Runtime
from tests.acceptance.conftest import Contract, KeptMail, code_in, make_pdf_ready, pdf_saying
from tests.acceptance.test_signed_copies import pades
from tests.conftest import Api
from tests.desk.conftest import Desk

_CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')
_CLAUSE = re.compile(r'name="clause" value="([^"]+)"')


class Acceptor:
    """The client on the acceptance page: reads the CSRF token and the clauses off it."""

    def __init__(self, client: FlaskClient, base: str) -> None:
        self.client, self.base = client, base

    def page(self) -> Any:
        return self.client.get(self.base)

    def clauses(self) -> list[str]:
        return _CLAUSE.findall(self.page().get_data(as_text=True))

    def post(self, step: str, *, csrf: str | None = None, **form: Any) -> Any:
        if csrf is None:
            found = _CSRF.search(self.page().get_data(as_text=True))
            assert found, "no CSRF token on the acceptance page"
            csrf = found.group(1)
        return self.client.post(f"{self.base}/{step}", data={"csrf_token": csrf, **form})


def _csrf_of(acceptor: Acceptor) -> str:
    """The session's CSRF token, from the page's other form (the signed copy's upload)."""
    found = _CSRF.search(acceptor.page().get_data(as_text=True))
    assert found
    return found.group(1)


def _portal_path(api: Api, engagement_id: int) -> str:
    url = api.post(f"/v1/engagements/{engagement_id}/portal-links", json={}).json["url"]
    return url[url.index("/p/") :]


def _record(api: Api, engagement_id: int) -> tuple[int, list[str]]:
    shown = api.get(f"/v1/engagements/{engagement_id}").json
    return shown["version"], [e["type"] for e in api.get(f"/v1/engagements/{engagement_id}/events").json]


@pytest.fixture
def acceptor(app: Flask, api: Api, contract: Contract) -> Acceptor:
    return Acceptor(app.test_client(), _portal_path(api, contract.engagement_id) + "/accept/contract")


def test_the_portal_lists_the_contract_to_accept_and_opening_it_changes_nothing(
    app: Flask,
    api: Api,
    contract: Contract,
    acceptor: Acceptor,
) -> None:
    home = app.test_client().get(acceptor.base.removesuffix("/accept/contract"))
    assert "Leggete e accettate il contratto" in home.get_data(as_text=True)
    before = _record(api, contract.engagement_id)
    for _ in range(2):  # a mail scanner, then the client
        page = acceptor.page()
        assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert "Apri il contratto (PDF)" in text and "Inviatemi un codice" in text
    assert text.index("Le condizioni") < text.index("Ultimo passo")  # the signature comes last
    assert acceptor.clauses(), "an Italian contract's onerous clauses, each to tick by number"
    pdf = acceptor.client.get(acceptor.base + "/pdf")
    assert pdf.status_code == 200 and pdf.data == contract.pdf
    assert _record(api, contract.engagement_id) == before


def test_no_code_is_sent_until_the_consents_are_ticked_and_each_missing_one_is_named(
    acceptor: Acceptor,
    mail: KeptMail,
) -> None:
    numbers = acceptor.clauses()
    refused = acceptor.post("code", clause=numbers[:-1])
    text = refused.get_data(as_text=True)
    assert refused.status_code == 422 and mail.sent == []
    assert 'id="terms-error"' in text and 'id="clauses-error"' in text
    assert numbers[-1] in text[text.index('id="clauses-error"') :]
    sent = acceptor.post("code", terms="yes", clause=numbers)
    assert sent.status_code == 200 and len(mail.sent) == 1
    assert "Un codice è in arrivo a giulia@bottegarossi.it" in sent.get_data(as_text=True)


def test_a_wrong_code_is_named_and_the_right_one_records_the_clients_acceptance(
    api: Api,
    acceptor: Acceptor,
    contract: Contract,
    mail: KeptMail,
    desk: Desk,
) -> None:
    numbers = acceptor.clauses()
    acceptor.post("code", terms="yes", clause=numbers)
    code = code_in(mail.sent[-1])
    wrong = acceptor.post(
        "confirm", terms="yes", clause=numbers, code="000000" if code != "000000" else "111111"
    )
    assert wrong.status_code == 422 and 'id="code-error"' in wrong.get_data(as_text=True)
    unticked = acceptor.post("confirm", clause=numbers, code=code)
    assert unticked.status_code == 422 and 'id="terms-error"' in unticked.get_data(as_text=True)
    done = acceptor.post("confirm", terms="yes", clause=numbers, code=code)
    assert done.status_code == 303 and done.headers["Location"].endswith("answered=accepted")
    events = api.get(f"/v1/engagements/{contract.engagement_id}/events").json
    [entry] = [e["payload"] for e in events if e["type"] == "client_accepted"]
    links = api.get(f"/v1/engagements/{contract.engagement_id}/portal-links").json
    assert str(entry["link_id"]) in {str(link["id"]) for link in links}
    assert entry["contact"] == "giulia@bottegarossi.it" and entry["address"] == "127.0.0.1"
    home = acceptor.client.get(acceptor.base.removesuffix("/accept/contract") + "?answered=accepted")
    assert "Leggete e accettate il contratto" not in home.get_data(as_text=True)  # accepted: off the list
    assert api.get(f"/v1/engagements/{contract.engagement_id}/events/verify").json["valid"] is True
    # The freelancer's timeline marks the acceptance as the client's own doing.
    timeline = desk.get(f"/app/engagements/{contract.engagement_id}").get_data(as_text=True)
    [line] = [li for li in timeline.split("<li") if "Accettato da giulia@bottegarossi.it" in li]
    assert 'class="client-answer"' in line and '<mark class="client">' in line


def test_an_amendment_accepted_in_the_portal_becomes_accepted(
    app: Flask,
    api: Api,
    runtime: Runtime,
    contract: Contract,
    mail: KeptMail,
) -> None:
    eid = contract.engagement_id
    etag = api.get(f"/v1/engagements/{eid}").headers["ETag"]
    body = {"monthly_fee": "1350.00", "effective_on": "2027-03-01"}
    assert api.patch(f"/v1/engagements/{eid}", json=body, headers={"If-Match": etag}).status_code == 200
    [letter] = [
        d for d in api.get(f"/v1/engagements/{eid}/documents").json if d["kind"] == "contract_amendment"
    ]
    make_pdf_ready(api, runtime, letter["id"], pdf_saying("Modifica n. 1"))
    path = _portal_path(api, eid)
    assert "/accept/amendment/1" in app.test_client().get(path).get_data(as_text=True)
    acceptor = Acceptor(app.test_client(), path + "/accept/amendment/1")
    assert acceptor.clauses() == []  # clauses are approved with the contract, not with an amendment
    acceptor.post("code", terms="yes")
    done = acceptor.post("confirm", terms="yes", code=code_in(mail.sent[-1]))
    assert done.status_code == 303
    [pending] = api.get(f"/v1/engagements/{eid}").json["pending_terms"]
    assert (pending["id"], pending["status"]) == (1, "accepted")
    types = [e["type"] for e in api.get(f"/v1/engagements/{eid}/events").json]
    assert types.index("client_accepted") < types.index("terms_accepted")
    assert "/accept/amendment/1" not in app.test_client().get(path).get_data(as_text=True)


def test_csrf_is_refused_and_nothing_is_sent(
    acceptor: Acceptor,
    mail: KeptMail,
) -> None:
    refused = acceptor.post("code", csrf="forged", terms="yes", clause=acceptor.clauses())
    assert refused.status_code == 400 and mail.sent == []
    no_token = acceptor.client.post(acceptor.base + "/confirm", data={"terms": "yes", "code": "123456"})
    assert no_token.status_code == 400


def test_an_upload_that_is_not_the_signed_contract_is_named_beside_the_file(
    api: Api,
    acceptor: Acceptor,
    contract: Contract,
) -> None:
    before = _record(api, contract.engagement_id)
    refused = acceptor.post("signed-copy", file=(BytesIO(contract.pdf), "contratto.pdf"))
    assert refused.status_code == 422 and 'id="file-error"' in refused.get_data(as_text=True)
    empty = acceptor.post("signed-copy")
    assert empty.status_code == 422 and "Scegliete il file firmato" in empty.get_data(as_text=True)
    assert _record(api, contract.engagement_id) == before


def test_the_contract_signed_with_the_clients_own_signature_is_kept_as_theirs(
    api: Api, acceptor: Acceptor, contract: Contract
) -> None:
    uploaded = acceptor.post("signed-copy", file=(BytesIO(pades(contract.pdf)), "contratto-firmato.pdf"))
    assert uploaded.status_code == 303 and uploaded.headers["Location"].endswith("answered=signed")
    events = api.get(f"/v1/engagements/{contract.engagement_id}/events").json
    [entry] = [e["payload"] for e in events if e["type"] == "signed_copy_received"]
    assert entry["format"] == "pades" and entry["signer"]
    assert entry["contact"] == "giulia@bottegarossi.it" and entry["address"] == "127.0.0.1"
    home = acceptor.client.get(acceptor.base.removesuffix("/accept/contract"))
    assert "Leggete e accettate il contratto" not in home.get_data(as_text=True)


def test_too_many_codes_are_refused_on_the_page_in_the_engagements_language(
    acceptor: Acceptor, mail: KeptMail
) -> None:
    numbers = acceptor.clauses()
    for _ in range(5):
        assert acceptor.post("code", terms="yes", clause=numbers).status_code == 200
    refused = acceptor.post("code", terms="yes", clause=numbers)
    assert refused.status_code == 409 and len(mail.sent) == 5
    text = refused.get_data(as_text=True)
    assert "Sono già stati chiesti 5 codici" in text  # the refusal said, in Italian, on the page


def test_before_its_pdf_is_ready_the_contract_is_shown_as_preparing_and_no_code_is_sent(
    app: Flask, api: Api, mail: KeptMail
) -> None:
    eid = api.create_engagement()["id"]
    acceptor = Acceptor(app.test_client(), _portal_path(api, eid) + "/accept/contract")
    text = acceptor.page().get_data(as_text=True)
    assert "Il PDF è in preparazione" in text and "Inviatemi un codice" not in text
    refused = acceptor.post("code", csrf=_csrf_of(acceptor), terms="yes")
    assert refused.status_code == 409 and mail.sent == []
