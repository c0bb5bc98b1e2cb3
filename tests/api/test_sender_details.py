"""No letter without a sender (issue 16): a live account writes no document until its name,
postal address, e-mail and signatory are set; the refusal is a 422 naming each missing field
and changes nothing. A sandbox may rehearse without them: its letters carry marked placeholders.
"""

from __future__ import annotations

import logging
import re
import zipfile
from io import BytesIO
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from service.application.clock import sweep
from service.application.runtime import Runtime
from service.application.tenants import create_tenant
from tests.conftest import SENDER, Api, FakeClock, engagement_body

FIELDS = {"tenant.address", "tenant.email", "tenant.signatory"}  # the name is given at creation


def _docx_text(content: bytes) -> str:
    """Every paragraph of the body, headers and footers, one per line: wherever a layout puts
    the letterhead, its text is here."""
    lines = []
    with zipfile.ZipFile(BytesIO(content)) as package:
        for name in package.namelist():
            if re.fullmatch(r"word/(document|header\d*|footer\d*)\.xml", name):
                xml = package.read(name).decode("utf-8")
                for paragraph in re.findall(r"<w:p[ >].*?</w:p>", xml, flags=re.S):
                    lines.append("".join(re.findall(r"<w:t(?: [^>]*)?>([^<]*)</w:t>", paragraph)))
    return "\n".join(lines).replace("\xa0", " ")


def _text_of(api: Api, document_id: int) -> str:
    response = api.get(f"/v1/documents/{document_id}/content")
    assert response.status_code == 200
    return _docx_text(response.data)


@pytest.fixture
def live(runtime: Runtime, client: FlaskClient) -> Api:
    """A live account exactly as `tenants create` leaves it: a name, no other sender detail."""
    tenant, key = create_tenant(runtime, "Studio Verdi", language="it")
    assert tenant.id is not None
    return Api(client, key, tenant.id)


def _state(api: Api, eid: int) -> dict[str, Any]:
    """Everything a refused request must leave as it was."""
    engagement = api.get(f"/v1/engagements/{eid}").json
    return {
        "state": engagement["state"],
        "version": engagement["version"],
        "events": len(api.get(f"/v1/engagements/{eid}/events").json),
        "documents": [d["id"] for d in api.get(f"/v1/engagements/{eid}/documents").json],
        "messages": len(api.get("/v1/messages").json["items"]),
    }


def _assert_refused(response: Any, missing: set[str]) -> None:
    assert response.status_code == 422, response.json
    assert response.content_type == "application/problem+json"
    assert response.json["type"].endswith("sender-details-missing")
    assert set(response.json["errors"]) == missing
    for field in missing:
        assert field.removeprefix("tenant.") in response.json["detail"]


def test_a_live_account_without_sender_details_creates_no_engagement(live: Api) -> None:
    refused = live.post("/v1/engagements", json=engagement_body())
    _assert_refused(refused, FIELDS)
    assert live.get("/v1/engagements").json["items"] == []  # one transaction: nothing written
    assert live.get("/v1/documents").json["items"] == []


def test_each_missing_detail_is_named_until_all_are_set(live: Api) -> None:
    assert live.patch("/v1/tenant", json={"address": "Via Po 2, 10123 Torino"}).status_code == 200
    _assert_refused(
        live.post("/v1/engagements", json=engagement_body()), {"tenant.email", "tenant.signatory"}
    )
    assert live.patch("/v1/tenant", json={"email": "studio@verdi.example"}).status_code == 200
    _assert_refused(live.post("/v1/engagements", json=engagement_body()), {"tenant.signatory"})
    assert live.patch("/v1/tenant", json={"signatory": "Carla Verdi"}).status_code == 200
    created = live.post("/v1/engagements", json=engagement_body())
    assert created.status_code == 201, created.json
    [contract] = live.get(f"/v1/engagements/{created.json['id']}/documents").json
    text = _text_of(live, contract["id"])
    assert "Via Po 2, 10123 Torino" in text and "Carla Verdi" in text and "sandbox" not in text


def test_a_blank_name_is_named_too(live: Api) -> None:
    # The schema refuses an empty name, but a name of spaces is no name on a letter either.
    assert live.patch("/v1/tenant", json={"name": "   "}).status_code == 200
    assert live.patch("/v1/tenant", json={"address": "Via Po 2", "email": "a@b.example"}).status_code == 200
    _assert_refused(live.post("/v1/engagements", json=engagement_body()), {"tenant.name", "tenant.signatory"})


def test_a_transition_that_writes_a_letter_is_refused_and_changes_nothing(api: Api) -> None:
    eid = api.create_engagement()["id"]
    assert api.patch("/v1/tenant", json={"signatory": ""}).status_code == 200  # details removed later
    before = _state(api, eid)
    refused = api.fire(eid, "request_feedback", subject="Approve the December plan")
    _assert_refused(refused, {"tenant.signatory"})
    assert _state(api, eid) == before
    # A change that writes no document is not held up.
    logged = api.post(f"/v1/engagements/{eid}/work-log", json={"date": "2026-12-01", "summary": "Plan"})
    assert logged.status_code == 201, logged.json


def test_regenerating_a_document_is_refused_and_changes_nothing(api: Api) -> None:
    eid = api.create_engagement()["id"]
    assert api.patch("/v1/tenant", json={"address": ""}).status_code == 200
    before = _state(api, eid)
    _assert_refused(
        api.post(f"/v1/engagements/{eid}/documents", json={"kind": "contract"}), {"tenant.address"}
    )
    assert _state(api, eid) == before


@pytest.mark.parametrize(
    ("language", "marks"),
    [
        ("it", ["[sandbox: indirizzo del mittente non impostato]", "[sandbox: firmatario non impostato]"]),
        ("en", ["[sandbox: sender address not set]", "[sandbox: signatory not set]"]),
    ],
)
def test_a_sandbox_rehearses_with_marked_placeholders(
    sandbox_api: Api, language: str, marks: list[str]
) -> None:
    eid = sandbox_api.create_engagement(language=language)["id"]
    fired = sandbox_api.fire(eid, "request_feedback", subject="Approve the December plan")
    assert fired.status_code == 200, fired.json
    for document in sandbox_api.get(f"/v1/engagements/{eid}/documents").json:  # contract and notice
        text = _text_of(sandbox_api, document["id"])
        for mark in marks:
            assert mark in text, (document["kind"], text)
        assert (
            "E-mail: [sandbox: sender e-mail not set]" if language == "en" else "[sandbox: e-mail"
        ) in text
    # The account itself keeps its blanks: the marks are in the documents only.
    assert sandbox_api.get("/v1/tenant").json["address"] == ""


def test_a_sandbox_with_its_details_set_shows_them_unmarked(sandbox_api: Api) -> None:
    body = {
        "address": "Via Po 2, 10123 Torino",
        "email": "studio@bianchi.example",
        "signatory": "Anna Bianchi",
    }
    assert sandbox_api.patch("/v1/tenant", json=body).status_code == 200
    eid = sandbox_api.create_engagement(language="en")["id"]
    [contract] = sandbox_api.get(f"/v1/engagements/{eid}/documents").json
    text = _text_of(sandbox_api, contract["id"])
    assert "Via Po 2, 10123 Torino" in text and "Anna Bianchi" in text
    assert "[sandbox" not in text


def test_the_sweep_skips_an_account_without_sender_details_and_keeps_its_step_due(
    app: Flask, api: Api, other_api: Api, clock: FakeClock, caplog: pytest.LogCaptureFixture
) -> None:
    runtime: Runtime = app.extensions["runtime"]
    stuck = api.create_engagement()["id"]
    moving = other_api.create_engagement()["id"]
    assert api.patch("/v1/tenant", json={"signatory": ""}).status_code == 200
    before = _state(api, stuck)
    deadline = api.get(f"/v1/engagements/{stuck}").json["next_deadline"]

    clock.advance(days=1)  # 2 December: the invoice due on the 1st is overdue, a reminder is due
    with caplog.at_level(logging.WARNING, logger="service.application.clock"):
        taken = sweep(runtime)

    assert {t.engagement_id for t in taken} == {moving}  # the other account is not held up
    assert any(
        d["kind"] == "payment_reminder" for d in other_api.get(f"/v1/engagements/{moving}/documents").json
    )
    assert _state(api, stuck) == before  # not half-applied: not even the day's invoice steps
    assert api.get(f"/v1/engagements/{stuck}").json["next_deadline"] == deadline  # still due
    [warning] = [r for r in caplog.records if r.levelno == logging.WARNING]
    assert f"engagement {stuck} waits for its account's sender details (signatory)" in warning.getMessage()

    # The account's own tick says why, naming the field, with what was kept.
    ticked = api.post("/v1/clock/tick", json={})
    _assert_refused(ticked, {"tenant.signatory"})
    assert f"engagement(s) {stuck}" in ticked.json["detail"]
    assert _state(api, stuck) == before

    assert api.patch("/v1/tenant", json={"signatory": SENDER["signatory"]}).status_code == 200
    taken = sweep(runtime)
    assert stuck in {t.engagement_id for t in taken}  # the step was not lost
    kinds = [d["kind"] for d in api.get(f"/v1/engagements/{stuck}/documents").json]
    assert kinds == ["contract", "payment_reminder"]
