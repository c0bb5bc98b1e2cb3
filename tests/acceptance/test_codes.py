"""The one-time code: 6 digits, 10 minutes, 5 tries, used once, limited, stored only hashed;
and the consents asked before it (the Italian clauses by number)."""

from __future__ import annotations

import pytest
from flask import Flask
from sqlalchemy import select

from service.adapters.orm import acceptance_codes
from service.application.acceptance import acceptance_terms, confirm_acceptance, request_acceptance_code
from service.application.runtime import Runtime
from service.domain.acceptance import Consents
from service.domain.errors import Conflict, InvalidInput
from service.domain.sayings import say
from tests.acceptance.conftest import CLIENT, Contract, KeptMail, code_in, errors_of
from tests.conftest import Api, FakeClock


def _consents(runtime: Runtime, api: Api, contract: Contract) -> Consents:
    terms = acceptance_terms(runtime, api.tenant_id, contract.engagement_id)
    return Consents(terms=True, onerous_clauses=tuple(c["number"] for c in terms["onerous_clauses"]))


def _ask(runtime: Runtime, api: Api, contract: Contract, mail: KeptMail) -> str:
    request_acceptance_code(runtime, api.tenant_id, contract.engagement_id, CLIENT)
    return code_in(mail.sent[-1])


def _confirm(runtime: Runtime, api: Api, contract: Contract, code: str, consents: Consents) -> dict:
    return confirm_acceptance(runtime, api.tenant_id, contract.engagement_id, code, consents, CLIENT)


def _wrong(code: str) -> str:
    return f"{(int(code) + 1) % 1_000_000:06d}"


def test_the_italian_clauses_come_from_the_contract_and_are_named_when_missing(
    runtime: Runtime, api: Api, contract: Contract, mail: KeptMail
) -> None:
    terms = acceptance_terms(runtime, api.tenant_id, contract.engagement_id)
    numbers = [c["number"] for c in terms["onerous_clauses"]]
    # The contract's own numbering of its onerous clauses (duration, suspension, ..., court).
    [text] = api.document_texts(contract.engagement_id, "contract")
    approval = next(line for line in text.splitlines() if "1341" in line)
    assert numbers and all(f"art. {n} (" in approval for n in numbers)
    assert any("1341" in sentence for sentence in terms["consents"])
    code = _ask(runtime, api, contract, mail)

    partly = Consents(terms=True, onerous_clauses=tuple(numbers[:-1]))
    with pytest.raises(InvalidInput) as refused:
        _confirm(runtime, api, contract, code, partly)
    assert list(errors_of(refused)) == ["consents.onerous_clauses"]
    assert numbers[-1] in errors_of(refused)["consents.onerous_clauses"][0]
    with pytest.raises(InvalidInput) as refused:
        _confirm(runtime, api, contract, code, Consents(terms=False, onerous_clauses=tuple(numbers)))
    assert list(errors_of(refused)) == ["consents.terms"]

    # A refusal for a missing consent spends no try: the right code still works.
    assert _confirm(runtime, api, contract, code, Consents(True, tuple(numbers)))["sealed_document_id"]


def test_an_english_contract_under_english_law_asks_for_no_clause_approval(
    runtime: Runtime, api: Api, mail: KeptMail
) -> None:
    from tests.acceptance.conftest import make_pdf_ready, pdf_saying

    engagement = api.create_engagement(language="en", jurisdiction="GB")
    [document] = api.get(f"/v1/engagements/{engagement['id']}/documents").json
    make_pdf_ready(api, runtime, document["id"], pdf_saying("Services agreement"))
    terms = acceptance_terms(runtime, api.tenant_id, engagement["id"])
    assert terms["onerous_clauses"] == [] and len(terms["consents"]) == 1


def test_a_code_expires_after_ten_minutes(
    runtime: Runtime, api: Api, contract: Contract, mail: KeptMail, clock: FakeClock
) -> None:
    code = _ask(runtime, api, contract, mail)
    clock.advance(minutes=10)
    with pytest.raises(InvalidInput) as refused:
        _confirm(runtime, api, contract, code, _consents(runtime, api, contract))
    assert errors_of(refused) == {"code": ["Questo codice è scaduto: chiedetene uno nuovo."]}


def test_five_wrong_tries_kill_the_code(
    runtime: Runtime, api: Api, contract: Contract, mail: KeptMail
) -> None:
    code, consents = _ask(runtime, api, contract, mail), _consents(runtime, api, contract)
    said = []
    for _ in range(5):
        with pytest.raises(InvalidInput) as refused:
            _confirm(runtime, api, contract, _wrong(code), consents)
        said.append(errors_of(refused)["code"][0])
    assert said[0] == "Il codice non è corretto; restano 4 tentativi."
    assert said[-1].startswith("Troppi tentativi errati")
    with pytest.raises(InvalidInput) as refused:
        _confirm(runtime, api, contract, code, consents)  # the right one, too late
    assert errors_of(refused)["code"][0].startswith("Troppi tentativi errati")


def test_a_used_code_is_refused(runtime: Runtime, api: Api, contract: Contract, mail: KeptMail) -> None:
    code, consents = _ask(runtime, api, contract, mail), _consents(runtime, api, contract)
    _confirm(runtime, api, contract, code, consents)
    with pytest.raises(InvalidInput) as refused:
        _confirm(runtime, api, contract, code, consents)
    assert errors_of(refused) == {"code": ["Questo codice è già stato usato: chiedetene uno nuovo."]}


def test_codes_are_stored_only_as_keyed_hashes(
    app: Flask, runtime: Runtime, api: Api, contract: Contract, mail: KeptMail
) -> None:
    codes = [_ask(runtime, api, contract, mail) for _ in range(3)]
    with app.extensions["sql_engine"].connect() as connection:
        rows = connection.execute(select(acceptance_codes)).mappings().all()
    stored = " ".join(str(value) for row in rows for value in row.values())
    assert len(rows) == 3
    assert not any(code in stored for code in codes)
    assert all(len(row["code_hash"]) == 64 for row in rows)


def test_codes_are_limited_per_engagement(
    runtime: Runtime, api: Api, contract: Contract, mail: KeptMail, clock: FakeClock
) -> None:
    for _ in range(5):
        _ask(runtime, api, contract, mail)
    with pytest.raises(Conflict) as refused:
        _ask(runtime, api, contract, mail)
    assert "5 codici nell'ultima ora" in say(refused.value.args[0], refused.value.language)
    clock.advance(hours=1)
    _ask(runtime, api, contract, mail)  # an hour later, one more


def test_a_new_code_replaces_the_one_before(
    runtime: Runtime, api: Api, contract: Contract, mail: KeptMail
) -> None:
    first = _ask(runtime, api, contract, mail)
    second = _ask(runtime, api, contract, mail)
    consents = _consents(runtime, api, contract)
    if first != second:
        with pytest.raises(InvalidInput):
            _confirm(runtime, api, contract, first, consents)
    assert _confirm(runtime, api, contract, second, consents)["sealed_document_id"]
