"""The client's acceptance, on both backends: a contract whose PDF is ready, a mailer that keeps
what it is handed, and the client as the portal will name them."""

from __future__ import annotations

import email
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from io import BytesIO
from typing import Any

import pytest
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.generic import pdf_name
from pyhanko.pdf_utils.writer import PageObject, PdfFileWriter

from service.application.acceptance import ClientAction
from service.application.pdfs import convert_next
from service.application.runtime import Runtime
from service.domain.messages import Handed
from service.domain.sayings import say
from tests.conftest import Api
from tests.messages.conftest import plain_smtp  # noqa: F401  (a real SMTP server, for one test)

CLIENT = ClientAction(
    contact="Giulia Rossi",
    link_id="link-7",
    address="203.0.113.9",
    user_agent="Mozilla/5.0 (Test) Firefox/140",
)


def pdf_saying(text: str) -> bytes:
    """A one-page PDF with ``text`` on it: what LibreOffice would make, in miniature."""
    writer = PdfFileWriter()
    font = generic.DictionaryObject(
        {
            pdf_name("/Type"): pdf_name("/Font"),
            pdf_name("/Subtype"): pdf_name("/Type1"),
            pdf_name("/BaseFont"): pdf_name("/Helvetica"),
        }
    )
    content = writer.add_object(
        generic.StreamObject(stream_data=f"BT /F1 14 Tf 72 760 Td ({text}) Tj ET".encode())
    )
    resources = generic.DictionaryObject(
        {pdf_name("/Font"): generic.DictionaryObject({pdf_name("/F1"): font})}
    )
    writer.insert_page(PageObject(contents=content, media_box=(0, 0, 595, 842), resources=resources))
    out = BytesIO()
    writer.write(out)
    return out.getvalue()


class PdfConverter:
    def __init__(self, pdf: bytes) -> None:
        self.pdf = pdf

    def convert(self, docx: bytes) -> bytes:
        return self.pdf


def make_pdf_ready(api: Api, runtime: Runtime, document_id: int, pdf: bytes) -> None:
    """The portal shows the PDF first: asked for, then made by the converter process."""
    assert api.get(f"/v1/documents/{document_id}/content?format=pdf").status_code == 202
    done = convert_next(runtime, PdfConverter(pdf))
    assert done is not None and done.status == "ready"


@dataclass
class KeptMail:
    """A Mailer that keeps what it is handed, as the SMTP server would."""

    sent: list[bytes] = field(default_factory=list)

    def send(self, sender: str, recipients: list[str], data: bytes) -> Handed:
        self.sent.append(data)
        return Handed(True, "250 2.0.0 Ok")


def code_in(data: bytes) -> str:
    """The 6 digits the e-mail's text gives the client."""
    message = email.message_from_bytes(data)
    text = next(p for p in message.walk() if p.get_content_type() == "text/plain")
    return re.findall(r"\b\d{6}\b", text.get_payload(decode=True).decode())[0]


@pytest.fixture
def mail(runtime: Runtime, monkeypatch: pytest.MonkeyPatch) -> Iterator[KeptMail]:
    kept = KeptMail()
    monkeypatch.setattr(runtime, "mailer", kept)
    yield kept


@dataclass
class Contract:
    engagement_id: int
    document_id: int
    pdf: bytes


@pytest.fixture
def contract(api: Api, runtime: Runtime, mail: KeptMail) -> Contract:
    """An Italian engagement whose contract PDF the client has been shown."""
    engagement = api.create_engagement()
    [document] = api.get(f"/v1/engagements/{engagement['id']}/documents").json
    pdf = pdf_saying("Contratto di servizi")
    make_pdf_ready(api, runtime, document["id"], pdf)
    return Contract(engagement["id"], document["id"], pdf)


def errors_of(excinfo: Any) -> dict[str, list[str]]:
    """Each field's sentences as the client reads them, in the engagement's language."""
    error = excinfo.value
    return {field: [say(said, error.language) for said in saids] for field, saids in error.errors.items()}
