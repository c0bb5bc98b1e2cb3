"""Documents through the API: stored with each change, downloadable, regenerable, isolated."""

from __future__ import annotations

import hashlib
from io import BytesIO

import docx

from tests.conftest import Api

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def text_of(content: bytes) -> str:
    """The letterhead, paragraphs and cells; no-break spaces (dates, amounts) read as spaces."""
    document = docx.Document(BytesIO(content))
    header = [p.text for s in document.sections for p in s.first_page_header.paragraphs]
    cells = [c.text for t in document.tables for row in t.rows for c in row.cells]
    return "\n".join(header + [p.text for p in document.paragraphs] + cells).replace("\xa0", " ")


def test_creating_an_engagement_stores_its_contract(api: Api) -> None:
    e = api.create_engagement()
    listed = api.get(f"/v1/engagements/{e['id']}/documents").json
    assert [(d["kind"], d["language"], d["event_seq"]) for d in listed] == [("contract", "it", 1)]
    content = api.get(f"/v1/documents/{listed[0]['id']}/content")
    assert content.status_code == 200
    assert content.content_type == DOCX_TYPE
    # The Italian contract downloads under its id and its Italian kind name (issue 16).
    name = f"{listed[0]['id']}-contratto.docx"
    assert listed[0]["filename"] == name
    assert (
        content.headers["Content-Disposition"] == f"attachment; filename=\"{name}\"; filename*=UTF-8''{name}"
    )
    assert hashlib.sha256(content.data).hexdigest() == listed[0]["sha256"]
    text = text_of(content.data)
    assert "Bottega Rossi S.r.l." in text
    assert "il giorno 1° di ogni mese" in text
    assert "1.200,00" in text


def test_a_transition_stores_its_notice_in_the_same_step(api: Api) -> None:
    e = api.create_engagement()
    fired = api.fire(e["id"], "request_feedback", subject="Approvate il piano di dicembre?").json
    [notice] = fired["documents"]
    assert notice["kind"] == "feedback_request"
    assert notice["event_seq"] == fired["event"]["seq"]
    content = api.get(f"/v1/documents/{notice['id']}/content").data
    assert "Approvate il piano di dicembre?" in text_of(content)
    record = api.get(f"/v1/engagements/{e['id']}/events").json
    assert record[-1]["type"] == "document_generated"
    assert record[-1]["payload"]["sha256"] == notice["sha256"]


def test_document_metadata_and_regeneration(api: Api) -> None:
    e = api.create_engagement()
    api.patch("/v1/tenant", json={"name": "Studio Bianchi & Co."})
    regenerated = api.post(f"/v1/engagements/{e['id']}/documents", json={"kind": "contract"})
    assert regenerated.status_code == 201
    meta = api.get(f"/v1/documents/{regenerated.json['id']}").json
    assert meta["kind"] == "contract" and meta["template_name"] == "contract.docx"
    content = api.get(f"/v1/documents/{meta['id']}/content").data
    assert "Studio Bianchi & Co." in text_of(content)  # the new sender details, literally
    assert len(api.get(f"/v1/engagements/{e['id']}/documents").json) == 2


def test_regenerating_an_unknown_kind_is_422(api: Api) -> None:
    e = api.create_engagement()
    response = api.post(f"/v1/engagements/{e['id']}/documents", json={"kind": "love_letter"})
    assert response.status_code == 422
    assert "kind" in response.json["errors"]


def test_another_tenants_documents_are_404(api: Api, other_api: Api) -> None:
    theirs = other_api.create_engagement()
    [doc] = other_api.get(f"/v1/engagements/{theirs['id']}/documents").json
    for path in (f"/v1/documents/{doc['id']}", f"/v1/documents/{doc['id']}/content"):
        assert api.get(path).status_code == 404
    assert api.get(f"/v1/engagements/{theirs['id']}/documents").status_code == 404


def test_tenant_sender_details(api: Api) -> None:
    changed = api.patch(
        "/v1/tenant",
        json={"address": "Via Po 2, Torino", "email": "studio@bianchi.it", "vat_number": "IT01234567890"},
    )
    assert changed.status_code == 200
    assert api.get("/v1/tenant").json | {} == changed.json
    assert changed.json["vat_number"] == "IT01234567890"
    assert api.patch("/v1/tenant", json={"sandbox": True}).status_code == 422
    assert api.patch("/v1/tenant", json={"email": "nope"}).status_code == 422
