"""Notices leave as e-mail through a real SMTP server, with proof of what was sent in the record."""

from __future__ import annotations

import email
import hashlib
import shutil
from email import policy
from typing import Any

import pytest

from service.adapters.mail import SmtpMailer
from service.application import messages as messages_module
from service.application.mailing import LEASE, send_due
from service.application.pdfs import convert_next
from service.application.runtime import Runtime
from tests.api.test_document_pdfs import FAKE_PDF, CountingConverter
from tests.conftest import Api, FakeClock
from tests.messages.conftest import USER, Inbox, ready_to_send

SUBJECT = "Approvazione del piano editoriale: perché è urgente"


def _draft(api: Api) -> tuple[dict[str, Any], dict[str, Any]]:
    engagement = api.create_engagement()
    fired = api.fire(engagement["id"], "request_feedback", subject=SUBJECT)
    assert fired.status_code == 200, fired.json
    [message] = api.get("/v1/messages?status=draft").json["items"]
    return engagement, message


def _entries(api: Api, engagement_id: int, type_: str) -> list[dict[str, Any]]:
    return [e for e in api.get(f"/v1/engagements/{engagement_id}/events").json if e["type"] == type_]


def test_a_notice_drafts_a_message_in_the_engagements_language(api: Api) -> None:
    engagement, message = _draft(api)
    [document] = [
        d
        for d in api.get(f"/v1/engagements/{engagement['id']}/documents").json
        if d["kind"] == "feedback_request"
    ]
    assert message["document_id"] == document["id"]
    assert message["status"] == "draft" and message["channel"] == "email"
    assert message["to"] == ["giulia@bottegarossi.it"]
    assert message["subject"] == f"Richiesta di riscontro sul punto «{SUBJECT}»"
    assert message["body"].startswith("Gentile Giulia Rossi,")
    assert message["message_id"].startswith("<") and message["message_id"].endswith(">")
    # The contract is not a notice: only the feedback request asked for a message.
    assert len(api.get("/v1/messages").json["items"]) == 1


def test_approved_message_reaches_the_server_byte_for_byte(
    runtime: Runtime, api: Api, plain_smtp: tuple[Inbox, SmtpMailer]
) -> None:
    inbox, mailer = plain_smtp
    ready_to_send(api)
    engagement, message = _draft(api)
    assert api.post(f"/v1/messages/{message['id']}/approve").json["status"] == "approved"

    assert send_due(runtime, mailer) == 1

    [received] = inbox.received
    sent = api.get(f"/v1/messages/{message['id']}").json
    assert sent["status"] == "sent" and sent["sent_at"] is not None
    assert hashlib.sha256(received["data"]).hexdigest() == sent["sha256"]
    [entry] = _entries(api, engagement["id"], "message_sent")
    assert entry["payload"]["sha256"] == sent["sha256"]
    assert entry["payload"]["smtp_message_id"] == message["message_id"]
    assert entry["payload"]["recipients"] == ["giulia@bottegarossi.it"] == received["to"]
    assert entry["payload"]["smtp_reply"].startswith("250") and "4F2A" in entry["payload"]["smtp_reply"]
    parsed = email.message_from_bytes(received["data"], policy=policy.default)
    assert parsed["Subject"] == f"Richiesta di riscontro sul punto «{SUBJECT}»"  # accents survive RFC 2047
    assert parsed["Message-ID"] == message["message_id"]
    assert parsed["From"].addresses[0].addr_spec == "anna@studiobianchi.it" == received["from"]
    [attachment] = list(parsed.iter_attachments())
    content = api.get(f"/v1/documents/{message['document_id']}/content").data
    assert attachment.get_content() == content
    assert attachment.get_filename() == api.get(f"/v1/documents/{message['document_id']}").json["filename"]
    assert send_due(runtime, mailer) == 0  # sent once, never again


def test_starttls_and_auth_are_used_when_the_server_requires_them(
    runtime: Runtime, api: Api, tls_smtp: tuple[Inbox, SmtpMailer]
) -> None:
    inbox, mailer = tls_smtp
    ready_to_send(api)
    _, message = _draft(api)
    api.post(f"/v1/messages/{message['id']}/approve")
    send_due(runtime, mailer)
    assert inbox.logins == [USER]
    [received] = inbox.received
    assert (
        hashlib.sha256(received["data"]).hexdigest()
        == api.get(f"/v1/messages/{message['id']}").json["sha256"]
    )


def test_a_password_is_never_sent_without_tls(
    runtime: Runtime, api: Api, plain_smtp: tuple[Inbox, SmtpMailer], clock: FakeClock
) -> None:
    inbox, plain = plain_smtp
    with_password = SmtpMailer.from_url(f"smtp://{USER}:pw@{plain.host}:{plain.port}")
    ready_to_send(api)
    _, message = _draft(api)
    api.post(f"/v1/messages/{message['id']}/approve")
    send_due(runtime, with_password)
    assert inbox.received == []
    waiting = api.get(f"/v1/messages/{message['id']}").json
    assert waiting["status"] == "approved" and "STARTTLS" in waiting["reason"]
    assert "pw" not in repr(with_password)


def test_a_permanent_refusal_fails_the_message_with_the_reason(
    runtime: Runtime, api: Api, plain_smtp: tuple[Inbox, SmtpMailer]
) -> None:
    inbox, mailer = plain_smtp
    inbox.answer = "554 5.7.1 Message rejected as spam"
    ready_to_send(api)
    engagement, message = _draft(api)
    api.post(f"/v1/messages/{message['id']}/approve")
    send_due(runtime, mailer)
    failed = api.get(f"/v1/messages/{message['id']}").json
    assert failed["status"] == "failed" and "554" in failed["reason"]
    [entry] = _entries(api, engagement["id"], "message_failed")
    assert "spam" in entry["payload"]["reason"]


def test_a_temporary_refusal_is_tried_again_later(
    runtime: Runtime, api: Api, plain_smtp: tuple[Inbox, SmtpMailer], clock: FakeClock
) -> None:
    inbox, mailer = plain_smtp
    inbox.answer = "451 4.3.0 Try again later"
    ready_to_send(api)
    _, message = _draft(api)
    api.post(f"/v1/messages/{message['id']}/approve")
    send_due(runtime, mailer)
    assert api.get(f"/v1/messages/{message['id']}").json["status"] == "approved"
    inbox.answer = "250 OK"
    assert send_due(runtime, mailer) == 0  # not due yet
    clock.advance(seconds=61)
    assert send_due(runtime, mailer) == 1
    assert api.get(f"/v1/messages/{message['id']}").json["status"] == "sent"


def test_a_dispatcher_that_died_mid_send_never_sends_twice(
    runtime: Runtime, api: Api, plain_smtp: tuple[Inbox, SmtpMailer], clock: FakeClock
) -> None:
    inbox, mailer = plain_smtp
    ready_to_send(api)
    engagement, message = _draft(api)
    api.post(f"/v1/messages/{message['id']}/approve")

    class DiesAfterHandingOver:
        def send(self, sender: str, recipients: list[str], data: bytes) -> Any:
            mailer.send(sender, recipients, data)  # the server accepts ...
            raise SystemExit("killed")  # ... and the dispatcher dies before writing it down

    with pytest.raises(SystemExit):
        send_due(runtime, DiesAfterHandingOver())
    assert len(inbox.received) == 1
    clock.advance(seconds=LEASE.total_seconds() + 1)
    assert send_due(runtime, mailer) == 0
    assert len(inbox.received) == 1  # not sent again
    unknown = api.get(f"/v1/messages/{message['id']}").json
    assert unknown["status"] == "failed" and message["message_id"] in unknown["reason"]
    assert _entries(api, engagement["id"], "message_failed")
    # Approving again resends under the same Message-ID, so the client's mail sees one message.
    api.post(f"/v1/messages/{message['id']}/approve")
    send_due(runtime, mailer)
    ids = {email.message_from_bytes(r["data"])["Message-ID"] for r in inbox.received}
    assert ids == {message["message_id"]}


def test_leases_are_not_taken_early(
    runtime: Runtime, api: Api, plain_smtp: tuple[Inbox, SmtpMailer], clock: FakeClock
) -> None:
    _, mailer = plain_smtp
    ready_to_send(api)
    _, message = _draft(api)
    api.post(f"/v1/messages/{message['id']}/approve")

    class Dies:
        def send(self, *_: Any) -> Any:
            raise SystemExit("killed before the server answered")

    with pytest.raises(SystemExit):
        send_due(runtime, Dies())
    clock.advance(seconds=LEASE.total_seconds() - 1)
    send_due(runtime, mailer)
    assert api.get(f"/v1/messages/{message['id']}").json["status"] == "sending"
    clock.advance(seconds=2)
    send_due(runtime, mailer)
    assert api.get(f"/v1/messages/{message['id']}").json["status"] == "failed"


def test_a_pdf_copy_goes_beside_the_docx_when_libreoffice_is_here(
    runtime: Runtime, api: Api, plain_smtp: tuple[Inbox, SmtpMailer], monkeypatch: pytest.MonkeyPatch
) -> None:
    if shutil.which("soffice") is None:
        pytest.skip("LibreOffice is not installed on this host")
    monkeypatch.setattr(runtime, "pdf_copies", True)
    inbox, mailer = plain_smtp
    ready_to_send(api)
    _, message = _draft(api)
    api.post(f"/v1/messages/{message['id']}/approve")
    send_due(runtime, mailer)
    [received] = inbox.received
    parsed = email.message_from_bytes(received["data"], policy=policy.default)
    docx, pdf = parsed.iter_attachments()
    assert docx.get_content() == api.get(f"/v1/documents/{message['document_id']}/content").data
    assert pdf.get_content_type() == "application/pdf" and pdf.get_content().startswith(b"%PDF")
    assert pdf.get_filename() == docx.get_filename().removesuffix(".docx") + ".pdf"
    assert (
        hashlib.sha256(received["data"]).hexdigest()
        == api.get(f"/v1/messages/{message['id']}").json["sha256"]
    )


def test_a_pdf_made_for_a_download_is_the_copy_that_goes(
    runtime: Runtime, api: Api, plain_smtp: tuple[Inbox, SmtpMailer], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(runtime, "pdf_copies", True)
    monkeypatch.setattr(messages_module, "convert_to_pdf", _no_cold_conversion)
    inbox, mailer = plain_smtp
    ready_to_send(api)
    _, message = _draft(api)
    assert api.get(f"/v1/documents/{message['document_id']}/content?format=pdf").status_code == 202
    assert convert_next(runtime, CountingConverter()) is not None
    api.post(f"/v1/messages/{message['id']}/approve")
    send_due(runtime, mailer)
    [received] = inbox.received
    _, pdf = email.message_from_bytes(received["data"], policy=policy.default).iter_attachments()
    assert pdf.get_content() == FAKE_PDF


def _no_cold_conversion(_docx: bytes) -> bytes:
    raise AssertionError("the stored PDF should have gone, without a conversion")
