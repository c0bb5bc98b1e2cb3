"""?format=pdf: converted once outside the request, stored with its sha256, then served.

The converter process's one step (``convert_next``) is run here explicitly with a stand-in
converter that counts its calls, so the flow is deterministic: no LibreOffice, no waiting.
"""

from __future__ import annotations

import hashlib
from typing import Any

from service.application.pdfs import convert_next
from service.application.runtime import Runtime
from service.documents.pdf import PdfConversionError, PdfTimeout, PdfUnavailable
from service.domain.pdfs import BUSY_RETRY_AFTER, MAX_ATTEMPTS, PENDING_PER_TENANT, RETRY_FAILED_AFTER
from tests.conftest import Api, FakeClock

FAKE_PDF = b"%PDF-1.7 a stand-in for LibreOffice's output"


class CountingConverter:
    def __init__(self, *failures: Exception) -> None:
        self.failures = list(failures)
        self.calls: list[bytes] = []

    def convert(self, docx: bytes) -> bytes:
        self.calls.append(docx)
        if self.failures:
            raise self.failures.pop(0)
        return FAKE_PDF


def _contract(api: Api) -> dict[str, Any]:
    engagement = api.create_engagement()
    [contract] = api.get(f"/v1/engagements/{engagement['id']}/documents").json
    return contract


def test_first_request_is_202_then_the_poll_redirects_to_the_stored_pdf(api: Api, runtime: Runtime) -> None:
    contract = _contract(api)
    first = api.get(f"/v1/documents/{contract['id']}/content?format=pdf")
    assert first.status_code == 202
    assert first.headers["Location"] == f"/v1/documents/{contract['id']}/pdf"
    assert first.headers["Retry-After"] == "1"
    assert first.json["status"] == "pending" and first.json["sha256"] is None

    polled = api.get(first.headers["Location"])
    assert polled.status_code == 202  # nothing converted yet
    assert polled.headers["Location"] == first.headers["Location"]

    converter = CountingConverter()
    done = convert_next(runtime, converter)
    assert done is not None and done.status == "ready"
    original = api.get(f"/v1/documents/{contract['id']}/content").data
    assert converter.calls == [original]  # the stored .docx, byte for byte

    ready = api.get(first.headers["Location"])
    assert ready.status_code == 303
    assert ready.headers["Location"] == f"/v1/documents/{contract['id']}/content?format=pdf"
    assert ready.json["sha256"] == hashlib.sha256(FAKE_PDF).hexdigest()
    pdf = api.get(ready.headers["Location"])
    assert pdf.status_code == 200
    assert pdf.content_type == "application/pdf"
    assert pdf.data == FAKE_PDF
    # The download name: the document's id and its kind in its language, as the .docx's.
    name = f"{contract['id']}-{'contratto' if contract['language'] == 'it' else 'agreement'}.pdf"
    assert pdf.headers["Content-Disposition"] == f"attachment; filename=\"{name}\"; filename*=UTF-8''{name}"


def test_the_stored_pdf_is_served_again_without_converting(api: Api, runtime: Runtime) -> None:
    contract = _contract(api)
    path = f"/v1/documents/{contract['id']}/content?format=pdf"
    for _ in range(3):  # asking again while pending queues nothing more
        assert api.get(path).status_code == 202
    converter = CountingConverter()
    assert convert_next(runtime, converter) is not None
    assert convert_next(runtime, converter) is None  # one job for three requests
    for _ in range(3):
        assert api.get(path).data == FAKE_PDF
    assert convert_next(runtime, converter) is None
    assert len(converter.calls) == 1


def test_docx_download_is_unchanged_and_queues_nothing(api: Api, runtime: Runtime) -> None:
    contract = _contract(api)
    response = api.get(f"/v1/documents/{contract['id']}/content")
    assert response.status_code == 200
    assert hashlib.sha256(response.data).hexdigest() == contract["sha256"]
    assert convert_next(runtime, CountingConverter()) is None


def test_a_failed_conversion_is_a_problem_and_is_tried_again_later(
    api: Api, runtime: Runtime, clock: FakeClock
) -> None:
    contract = _contract(api)
    path = f"/v1/documents/{contract['id']}/content?format=pdf"
    api.get(path)
    done = convert_next(runtime, CountingConverter(PdfConversionError("the filter refused it")))
    assert done is not None and done.status == "failed"

    for asked in (path, f"/v1/documents/{contract['id']}/pdf"):
        failed = api.get(asked)
        assert failed.status_code == 503
        assert failed.content_type == "application/problem+json"
        assert failed.json["type"] == "/problems/pdf-conversion-failed"
        assert "the filter refused it" in failed.json["detail"]
        assert failed.headers["Retry-After"] == str(int(RETRY_FAILED_AFTER.total_seconds()))

    clock.advance(seconds=RETRY_FAILED_AFTER.total_seconds())
    assert api.get(path).status_code == 202  # queued again
    assert convert_next(runtime, CountingConverter()) is not None
    assert api.get(path).data == FAKE_PDF


def test_an_unavailable_converter_is_retried_then_given_up(api: Api, runtime: Runtime) -> None:
    contract = _contract(api)
    api.get(f"/v1/documents/{contract['id']}/content?format=pdf")
    converter = CountingConverter(*[PdfTimeout("took longer than 40 s")] * MAX_ATTEMPTS)
    outcomes = [convert_next(runtime, converter) for _ in range(MAX_ATTEMPTS)]
    assert [o.status for o in outcomes if o] == ["pending"] * (MAX_ATTEMPTS - 1) + ["failed"]
    assert api.get(f"/v1/documents/{contract['id']}/pdf").status_code == 503


def test_without_libreoffice_the_answer_says_so(api: Api, runtime: Runtime) -> None:
    contract = _contract(api)
    api.get(f"/v1/documents/{contract['id']}/content?format=pdf")
    missing = PdfUnavailable("LibreOffice (soffice) is not installed on this host.")
    converter = CountingConverter(*[missing] * MAX_ATTEMPTS)
    while convert_next(runtime, converter) is not None:
        pass
    response = api.get(f"/v1/documents/{contract['id']}/content?format=pdf")
    assert response.status_code == 503
    assert "LibreOffice" in response.json["detail"]


def test_another_tenant_can_neither_queue_poll_nor_download(
    api: Api, other_api: Api, runtime: Runtime
) -> None:
    theirs = _contract(other_api)
    paths = (f"/v1/documents/{theirs['id']}/content?format=pdf", f"/v1/documents/{theirs['id']}/pdf")
    for path in paths:
        assert api.get(path).status_code == 404
    assert convert_next(runtime, CountingConverter()) is None  # nothing was queued by those
    assert other_api.get(paths[0]).status_code == 202
    assert convert_next(runtime, CountingConverter()) is not None
    for path in paths:
        assert api.get(path).status_code == 404
    assert other_api.get(paths[0]).data == FAKE_PDF


def test_an_account_may_have_only_so_many_pdfs_waiting(api: Api, other_api: Api, runtime: Runtime) -> None:
    engagement = api.create_engagement()
    for _ in range(PENDING_PER_TENANT):
        api.post(f"/v1/engagements/{engagement['id']}/documents", json={"kind": "contract"})
    documents = [d["id"] for d in api.get(f"/v1/engagements/{engagement['id']}/documents").json]
    for document in documents[:PENDING_PER_TENANT]:
        assert api.get(f"/v1/documents/{document}/content?format=pdf").status_code == 202
    refused = api.get(f"/v1/documents/{documents[-1]}/content?format=pdf")
    assert refused.status_code == 503
    assert refused.headers["Retry-After"] == str(BUSY_RETRY_AFTER)
    assert f"already has {PENDING_PER_TENANT} PDFs waiting" in refused.json["detail"]
    assert api.get(f"/v1/documents/{documents[0]}/pdf").status_code == 202  # already queued: polls
    assert other_api.get(f"/v1/documents/{_contract(other_api)['id']}/content?format=pdf").status_code == 202
    convert_next(runtime, CountingConverter())  # one made: room for one more
    assert api.get(f"/v1/documents/{documents[-1]}/content?format=pdf").status_code == 202
