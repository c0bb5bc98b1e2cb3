"""The compiled fast path writes exactly what plain docxtpl writes, part by part."""

from __future__ import annotations

import zipfile
from collections.abc import Callable
from io import BytesIO

import pytest

from service.documents import DOCUMENT_KINDS, DocumentRenderer, DocumentRequest
from service.documents.kinds import KINDS


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
    from service.documents.kinds import TEMPLATE_SHAPES

    assert {template for template, _ in KINDS.values()} == set(TEMPLATE_SHAPES)


def test_equal_documents_are_equal_bytes(
    renderer: DocumentRenderer, request_for: Callable[..., DocumentRequest]
) -> None:
    first = renderer.render(request_for("contract")).content
    assert renderer.render(request_for("contract")).content == first
