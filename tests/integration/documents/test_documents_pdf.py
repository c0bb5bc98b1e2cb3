"""PDF conversion needs LibreOffice: CI installs it, so its absence is a failure, not a skip."""

from __future__ import annotations

import shutil
from collections.abc import Callable

import pytest

from service.documents import DocumentRenderer, DocumentRequest
from service.documents.pdf import convert_to_pdf


def test_a_rendered_letter_converts_to_pdf(
    renderer: DocumentRenderer, request_for: Callable[..., DocumentRequest]
) -> None:
    if shutil.which("soffice") is None:
        pytest.fail(
            "LibreOffice is missing: apt-get install -y --no-install-recommends libreoffice-writer-nogui"
        )
    pdf = convert_to_pdf(renderer.render(request_for("stop_work_notice", "it")).content)
    assert pdf.startswith(b"%PDF")
    assert len(pdf) > 1000
