"""The outbox says who each letter is for, what step it belongs to and what approving or not does;
drafts are edited (recipient, cc, body) through the same use case and schema as the API's PATCH."""

from __future__ import annotations

from typing import Any

from tests.conftest import Api
from tests.desk.conftest import Desk


def _draft(api: Api) -> dict[str, Any]:
    engagement = api.create_engagement()
    api.fire(engagement["id"], "request_feedback", subject="Piano di gennaio")
    [draft] = api.get("/v1/messages?status=draft").json["items"]
    return draft


def test_each_message_names_its_client_the_engagements_state_and_the_letter(desk: Desk, api: Api) -> None:
    draft = _draft(api)
    engagement = api.get(f"/v1/engagements/{draft['engagement_id']}").json
    [document] = [
        d
        for d in api.get(f"/v1/engagements/{engagement['id']}/documents").json
        if d["id"] == draft["document_id"]
    ]
    letter = desk.client.application.extensions["runtime"].renderer.kind_name(document["kind"], "it")
    said = f"Per {engagement['client']['name']} · l'incarico ora è In attesa del riscontro del cliente · la lettera: {letter}"
    for path in ("/app/outbox", f"/app/messages/{draft['id']}"):
        page = desk.get(path).get_data(as_text=True).replace("&#39;", "'")
        assert said in page, path
        assert f"Se non approvi: {engagement['client']['name']} non la riceve" in page, path


def test_a_draft_is_edited_and_the_api_sees_the_change(desk: Desk, api: Api) -> None:
    draft = _draft(api)
    page = f"/app/messages/{draft['id']}"
    answer = desk.post(
        f"{page}/edit",
        {
            "to": "giulia@bottega.example, marco@bottega.example",
            "cc": "",
            "body": "Ciao Giulia,\r\necco il piano.",
        },
        page=page,
    )
    assert answer.status_code == 303
    edited = api.get(f"/v1/messages/{draft['id']}").json
    assert edited["to"] == ["giulia@bottega.example", "marco@bottega.example"]
    assert (edited["cc"], edited["body"], edited["subject"]) == (
        [],
        "Ciao Giulia,\necco il piano.",
        draft["subject"],
    )


def test_a_bad_address_is_named_and_nothing_changes(desk: Desk, api: Api) -> None:
    draft = _draft(api)
    page = f"/app/messages/{draft['id']}"
    answer = desk.post(f"{page}/edit", {"to": "not-an-address", "cc": "", "body": "Nuovo testo"}, page=page)
    assert answer.status_code == 422
    shown = answer.get_data(as_text=True)
    assert 'id="edit-to" name="to" rows="2" aria-invalid="true"' in shown and 'id="edit-to-error"' in shown
    assert api.get(f"/v1/messages/{draft['id']}").json == {**draft, "receipts": []}


def test_an_approved_message_can_no_longer_be_edited(desk: Desk, api: Api) -> None:
    draft = _draft(api)
    page = f"/app/messages/{draft['id']}"
    assert desk.post(f"{page}/approve", page=page).status_code == 303
    answer = desk.post(f"{page}/edit", {"to": "x@bottega.example", "cc": "", "body": "Altro"}, page=page)
    assert answer.status_code == 409
    assert api.get(f"/v1/messages/{draft['id']}").json["body"] == draft["body"]
