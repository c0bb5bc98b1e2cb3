"""The compiled fast path writes exactly what plain docxtpl writes, part by part."""

from __future__ import annotations

import zipfile
from collections.abc import Callable
from io import BytesIO
from pathlib import Path

import pytest
from docx import Document

from service.documents import DOCUMENT_KINDS, DocumentRenderer, DocumentRequest
from service.documents.kinds import KINDS, TEMPLATE_SHAPES
from service.documents.renderer import BUILTIN_TEMPLATES_DIR


def parts(content: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(BytesIO(content)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


@pytest.mark.parametrize("language", ["en", "it"])
@pytest.mark.parametrize("kind", sorted(DOCUMENT_KINDS))
def test_every_part_is_byte_identical_to_plain_docxtpl(
    renderer: DocumentRenderer, request_for: Callable[..., DocumentRequest], kind: str, language: str
) -> None:
    template_name, context = renderer.context_for(request_for(kind, language))
    fast = parts(renderer.render(request_for(kind, language)).content)
    plain = parts(renderer.render_plain(template_name, context))
    assert sorted(fast) == sorted(plain)
    for name, blob in plain.items():
        assert fast[name] == blob, name


def test_every_template_is_covered() -> None:
    assert {template for template, _ in KINDS.values()} == set(TEMPLATE_SHAPES)


def test_equal_documents_are_equal_bytes(
    renderer: DocumentRenderer, request_for: Callable[..., DocumentRequest]
) -> None:
    first = renderer.render(request_for("contract")).content
    assert renderer.render(request_for("contract")).content == first


def test_a_letterhead_with_header_footer_and_title_matches_plain_docxtpl(
    tmp_path: Path, request_for: Callable[..., DocumentRequest]
) -> None:
    # The built-in templates have no header or footer; a user's letterhead usually has both.
    letter = Document(BUILTIN_TEMPLATES_DIR / "letter.docx")
    section = letter.sections[0]
    section.header.paragraphs[0].text = "{{ sender.name }} & co"
    section.footer.paragraphs[0].text = "{{ date }}\t{{ recipient.name }}"
    letter.core_properties.title = "{{ subject }}"
    letter.save(tmp_path / "letter.docx")
    renderer = DocumentRenderer(templates_dir=tmp_path)
    request = request_for("payment_reminder", client_name="R&D <Ltd>")

    fast = parts(renderer.render(request).content)
    plain = parts(renderer.render_plain(*renderer.context_for(request)))

    assert sorted(fast) == sorted(plain)
    assert any(name.startswith("word/header") for name in fast)
    for name, blob in plain.items():
        assert fast[name] == blob, name
