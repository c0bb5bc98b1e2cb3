"""PEC receipts join the record, and the evidence export carries each sent .eml with them."""

from __future__ import annotations

import hashlib
import io
import json
import zipfile
from typing import Any

from service.adapters.mail import SmtpMailer
from service.application.mailing import send_due
from service.application.runtime import Runtime
from tests.conftest import Api
from tests.messages.conftest import Inbox, ready_to_send

EML = "message/rfc822"


def pec_receipt(kind: str, about: str, date: str = "Tue, 01 Dec 2026 10:00:05 +0100") -> bytes:
    return (
        f"Date: {date}\r\n"
        "From: posta-certificata@pec.provider.it\r\n"
        "To: anna@pec.studiobianchi.it\r\n"
        f"Subject: {kind.upper()}: Richiesta di riscontro\r\n"
        f"X-Ricevuta: {kind}\r\n"
        f"X-Riferimento-Message-ID: {about}\r\n"
        "X-Trasporto: posta-certificata\r\n"
        "Content-Type: text/plain; charset=utf-8\r\n"
        "\r\n"
        "Il messaggio è stato accettato dal sistema ed inoltrato.\r\n"
    ).encode()


def _sent(runtime: Runtime, api: Api, mailer: SmtpMailer) -> dict[str, Any]:
    ready_to_send(api)
    engagement = api.create_engagement()
    api.fire(engagement["id"], "request_feedback", subject="Piano")
    [message] = api.get("/v1/messages?status=draft").json["items"]
    api.post(f"/v1/messages/{message['id']}/approve")
    send_due(runtime, mailer)
    return api.get(f"/v1/messages/{message['id']}").json


def _upload(api: Api, message_id: int, data: bytes, content_type: str = EML) -> Any:
    return api.client.post(
        f"/v1/messages/{message_id}/receipts",
        data=data,
        headers={**api.headers, "Content-Type": content_type},
    )


def test_receipts_are_parsed_kept_and_recorded(
    runtime: Runtime, api: Api, plain_smtp: tuple[Inbox, SmtpMailer]
) -> None:
    message = _sent(runtime, api, plain_smtp[1])
    accepted = pec_receipt("accettazione", message["message_id"])
    response = _upload(api, message["id"], accepted)
    assert response.status_code == 201, response.json
    assert response.json["kind"] == "accettazione"
    assert response.json["issued_at"] == "2026-12-01T09:00:05+00:00"
    assert response.json["sha256"] == hashlib.sha256(accepted).hexdigest()
    _upload(
        api,
        message["id"],
        pec_receipt("avvenuta-consegna", message["message_id"], "Tue, 01 Dec 2026 10:00:09 +0100"),
    )
    shown = api.get(f"/v1/messages/{message['id']}").json
    assert [r["kind"] for r in shown["receipts"]] == ["accettazione", "avvenuta-consegna"]
    entries = [
        e
        for e in api.get(f"/v1/engagements/{message['engagement_id']}/events").json
        if e["type"] == "pec_receipt"
    ]
    assert [e["payload"]["kind"] for e in entries] == ["accettazione", "avvenuta-consegna"]


def test_a_receipt_uploaded_as_a_form_file_is_kept_byte_for_byte(
    runtime: Runtime, api: Api, plain_smtp: tuple[Inbox, SmtpMailer]
) -> None:
    """What generated clients send: multipart/form-data with the .eml as the field ``file``."""
    message = _sent(runtime, api, plain_smtp[1])
    delivered = pec_receipt("avvenuta-consegna", message["message_id"])
    response = api.client.post(
        f"/v1/messages/{message['id']}/receipts",
        data={"file": (io.BytesIO(delivered), "ricevuta.eml", EML)},
        headers=api.headers,
    )
    assert response.status_code == 201, response.json
    assert response.json["kind"] == "avvenuta-consegna"
    assert response.json["sha256"] == hashlib.sha256(delivered).hexdigest()
    [shown] = api.get(f"/v1/messages/{message['id']}").json["receipts"]
    assert shown["sha256"] == hashlib.sha256(delivered).hexdigest()


def test_a_form_without_the_file_field_is_refused_naming_it(
    runtime: Runtime, api: Api, plain_smtp: tuple[Inbox, SmtpMailer]
) -> None:
    message = _sent(runtime, api, plain_smtp[1])
    delivered = pec_receipt("accettazione", message["message_id"])
    response = api.client.post(
        f"/v1/messages/{message['id']}/receipts",
        data={"receipt": (io.BytesIO(delivered), "ricevuta.eml", EML)},
        headers=api.headers,
    )
    assert response.status_code == 422 and list(response.json["errors"]) == ["file"]
    assert api.get(f"/v1/messages/{message['id']}").json["receipts"] == []


def test_what_is_not_a_receipt_of_this_message_is_refused(
    runtime: Runtime, api: Api, plain_smtp: tuple[Inbox, SmtpMailer]
) -> None:
    message = _sent(runtime, api, plain_smtp[1])
    plain_mail = b"Date: Tue, 01 Dec 2026 10:00:05 +0100\r\nSubject: hello\r\n\r\nhi\r\n"
    refused = _upload(api, message["id"], plain_mail)
    assert refused.status_code == 422 and "X-Ricevuta" in refused.json["errors"]["body"][0]
    other = _upload(api, message["id"], pec_receipt("accettazione", "<someone-else@example.com>"))
    assert other.status_code == 422 and "someone-else" in other.json["errors"]["body"][0]
    assert (
        _upload(
            api, message["id"], pec_receipt("accettazione", message["message_id"]), "text/plain"
        ).status_code
        == 415
    )
    assert _upload(api, message["id"], b"\xff\xfe\x00garbage").status_code == 422
    assert api.get(f"/v1/messages/{message['id']}").json["receipts"] == []


def test_a_draft_takes_no_receipt(api: Api) -> None:
    engagement = api.create_engagement()
    api.fire(engagement["id"], "request_feedback", subject="Piano")
    [message] = api.get("/v1/messages?status=draft").json["items"]
    assert _upload(api, message["id"], pec_receipt("accettazione", message["message_id"])).status_code == 409


def test_the_export_carries_the_sent_eml_and_its_receipts(
    runtime: Runtime, api: Api, plain_smtp: tuple[Inbox, SmtpMailer]
) -> None:
    inbox, mailer = plain_smtp
    message = _sent(runtime, api, mailer)
    receipt = pec_receipt("avvenuta-consegna", message["message_id"])
    _upload(api, message["id"], receipt)
    archive = zipfile.ZipFile(io.BytesIO(api.get(f"/v1/engagements/{message['engagement_id']}/export").data))
    manifest = json.loads(archive.read("manifest.json"))
    [listed] = manifest["messages"]
    assert archive.read(listed["eml"]) == inbox.received[0]["data"]
    assert listed["sha256"] == message["sha256"]
    [kept] = listed["receipts"]
    assert archive.read(kept["path"]) == receipt and kept["kind"] == "avvenuta-consegna"
    sums = {f["path"]: f["sha256"] for f in manifest["files"]}
    assert sums[listed["eml"]] == message["sha256"]
    assert sums[kept["path"]] == hashlib.sha256(receipt).hexdigest()
