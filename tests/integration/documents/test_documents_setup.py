"""Start-up checks, the sandbox, the TEMPLATES_DIR override and control characters."""

from __future__ import annotations

from collections.abc import Callable
from io import BytesIO
from pathlib import Path

import pytest
from conftest import read_docx
from docx import Document
from jinja2.exceptions import SecurityError

from service.documents import (
    DocumentRenderer,
    DocumentRequest,
    DocumentSetupError,
    IllegalCharacterError,
)
from service.documents.renderer import BUILTIN_TEMPLATES_DIR


def write_docx(path: Path, *paragraphs: str) -> None:
    document = Document()
    for text in paragraphs:
        document.add_paragraph(text)
    document.save(path)


@pytest.mark.parametrize("expression", ["{{ ''.__class__ }}", "{{ ''.__class__.__mro__ }}"])
def test_the_sandbox_refuses_template_internals(
    tmp_path: Path, request_for: Callable[..., DocumentRequest], expression: str
) -> None:
    write_docx(tmp_path / "letter.docx", "{{ subject }}", expression)
    renderer = DocumentRenderer(templates_dir=tmp_path)
    with pytest.raises(SecurityError):
        renderer.render(request_for("payment_reminder"))


def test_an_undeclared_variable_stops_start_up(tmp_path: Path) -> None:
    write_docx(tmp_path / "letter.docx", "{{ subject }}", "{{ client_vat_code }}")
    with pytest.raises(DocumentSetupError, match=r"letter\.docx.*client_vat_code"):
        DocumentRenderer(templates_dir=tmp_path)


def test_a_broken_template_file_is_named(tmp_path: Path) -> None:
    (tmp_path / "final_report.docx").write_bytes(b"not a zip")
    with pytest.raises(DocumentSetupError, match=r"final_report\.docx"):
        DocumentRenderer(templates_dir=tmp_path)


def test_an_overridden_letter_is_used_and_missing_files_fall_back(
    tmp_path: Path, request_for: Callable[..., DocumentRequest]
) -> None:
    letter = Document(BUILTIN_TEMPLATES_DIR / "letter.docx")
    letter.paragraphs[0].insert_paragraph_before("AURORA LETTERHEAD")
    letter.save(tmp_path / "letter.docx")
    custom, builtin = DocumentRenderer(templates_dir=tmp_path), DocumentRenderer()

    reminder = custom.render(request_for("payment_reminder"))
    assert Document(BytesIO(reminder.content)).paragraphs[0].text == "AURORA LETTERHEAD"
    assert "Monthly fee, December 2026" in read_docx(reminder.content)
    assert reminder.template_sha256 != builtin.render(request_for("resume_notice")).template_sha256

    contract = custom.render(request_for("contract"))
    assert contract.template_sha256 == builtin.render(request_for("contract")).template_sha256


def test_the_renderer_refuses_control_characters(
    renderer: DocumentRenderer, request_for: Callable[..., DocumentRequest]
) -> None:
    with pytest.raises(IllegalCharacterError, match="U\\+0001"):
        renderer.render(request_for("contract", client_name="Acme\x01"))


def test_rendered_files_are_valid_docx(
    renderer: DocumentRenderer, request_for: Callable[..., DocumentRequest]
) -> None:
    content = renderer.render(request_for("final_report", "it")).content
    assert len(Document(BytesIO(content)).tables) == 4
