"""Each document's first page as a picture, made from its stored PDF by pdftoppm and kept; a
placeholder while the PDF is not made; another account's document is not found."""

from __future__ import annotations

import hashlib
import html
import subprocess
from pathlib import Path
from typing import Any

import pytest
from flask import Flask

from service.adapters.first_pages import FirstPages
from service.application.pdfs import convert_until_idle
from service.application.runtime import Runtime
from service.domain.pdfs import ConversionFailed
from tests.conftest import Api
from tests.desk.conftest import Desk

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def one_page_pdf(text: str = "Lettera di prova") -> bytes:
    """A real one-page PDF, written by hand: what pdftoppm draws (LibreOffice is not needed)."""
    stream = f"BT /F1 24 Tf 72 760 Td ({text}) Tj ET 72 700 451 4 re f".encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R"
        b" /Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out, offsets = b"%PDF-1.4\n", []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    return out + b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)


class Converter:
    def __init__(self, failure: Exception | None = None) -> None:
        self.failure = failure

    def convert(self, docx: bytes) -> bytes:
        if self.failure:
            raise self.failure
        return one_page_pdf()


@pytest.fixture(autouse=True)
def own_cache(app: Flask, tmp_path: Path) -> Path:
    app.extensions["first_pages"] = FirstPages(tmp_path / "previews")
    return tmp_path / "previews"


def _contract(api: Api) -> tuple[int, dict[str, Any]]:
    engagement_id = api.create_engagement()["id"]
    [contract] = api.get(f"/v1/engagements/{engagement_id}/documents").json
    return engagement_id, contract


def test_a_placeholder_until_the_pdf_is_made_then_the_first_page(
    desk: Desk, api: Api, runtime: Runtime, own_cache: Path
) -> None:
    engagement_id, contract = _contract(api)
    page = f"/app/engagements/{engagement_id}"
    waiting = html.unescape(desk.get(page).get_data(as_text=True))
    assert "L'immagine della prima pagina compare qui appena il PDF è pronto" in waiting
    assert "first-page.png" not in waiting
    assert desk.get(f"/app/documents/{contract['id']}/first-page.png").status_code == 404  # not made yet
    assert convert_until_idle(runtime, Converter()) == 1  # looking at the page asked for the PDF
    shown = desk.get(page).get_data(as_text=True)
    assert f'src="/app/documents/{contract["id"]}/first-page.png"' in shown
    assert 'alt="Prima pagina di' in shown
    picture = desk.get(f"/app/documents/{contract['id']}/first-page.png")
    assert picture.status_code == 200 and picture.mimetype == "image/png"
    assert picture.data.startswith(PNG_SIGNATURE)
    pdf = desk.get(f"/app/documents/{contract['id']}/pdf")
    assert pdf.mimetype == "application/pdf" and pdf.data == one_page_pdf()


def test_the_picture_is_drawn_once_and_kept(
    desk: Desk, api: Api, runtime: Runtime, own_cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _, contract = _contract(api)
    desk.get(f"/app/documents/{contract['id']}/pdf")  # asks for the PDF
    convert_until_idle(runtime, Converter())
    first = desk.get(f"/app/documents/{contract['id']}/first-page.png").data
    # Kept by the PDF's digest: the same PDF is never drawn twice.
    assert [p.name for p in own_cache.iterdir()] == [f"{hashlib.sha256(one_page_pdf()).hexdigest()}-480.png"]

    def no_drawing(*_: Any, **__: Any) -> Any:
        raise AssertionError("drawn again")

    monkeypatch.setattr(subprocess, "run", no_drawing)
    assert desk.get(f"/app/documents/{contract['id']}/first-page.png").data == first


def test_a_pdf_that_could_not_be_made_says_so(desk: Desk, api: Api, runtime: Runtime) -> None:
    engagement_id, _ = _contract(api)
    desk.get(f"/app/engagements/{engagement_id}")
    convert_until_idle(runtime, Converter(ConversionFailed("LibreOffice refused the file")))
    page = html.unescape(desk.get(f"/app/engagements/{engagement_id}").get_data(as_text=True))
    assert "Non è stato possibile fare il PDF di questo documento" in page


def test_the_outbox_shows_the_attached_letters_first_page(desk: Desk, api: Api, runtime: Runtime) -> None:
    engagement_id = api.create_engagement()["id"]
    api.fire(engagement_id, "request_feedback", subject="Piano di gennaio")
    [draft] = api.get("/v1/messages?status=draft").json["items"]
    assert "compare qui appena il PDF è pronto" in html.unescape(
        desk.get("/app/outbox").get_data(as_text=True)
    )
    assert convert_until_idle(runtime, Converter()) == 0  # a list of many asks for no PDF by being seen
    desk.get(f"/app/messages/{draft['id']}")  # the message's own page asks for its letter's
    assert convert_until_idle(runtime, Converter()) == 1
    for path in ("/app/outbox", f"/app/messages/{draft['id']}"):
        assert f'src="/app/documents/{draft["document_id"]}/first-page.png"' in desk.get(path).get_data(
            as_text=True
        ), path


@pytest.mark.parametrize("route", ["/app/documents/{d}/first-page.png", "/app/documents/{d}/pdf"])
def test_another_accounts_document_is_not_found(
    desk: Desk, other_api: Api, runtime: Runtime, route: str
) -> None:
    _, theirs = _contract(other_api)
    other_api.get(f"/v1/documents/{theirs['id']}/content?format=pdf")  # their PDF, made
    convert_until_idle(runtime, Converter())
    answer = desk.get(route.format(d=theirs["id"]))
    assert answer.status_code == 404 and not answer.data.startswith((PNG_SIGNATURE, b"%PDF"))
