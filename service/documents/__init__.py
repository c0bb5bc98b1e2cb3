"""The document layer: Word notices for each engagement transition."""

from service.documents.base import DocumentRenderError
from service.documents.renderer import DocumentRenderer, DocumentSetupError
from service.documents.request import DOCUMENT_KINDS, DocumentRequest, RenderedDocument
from service.documents.safety import IllegalCharacterError, find_illegal_characters

__all__ = [
    "DOCUMENT_KINDS",
    "DocumentRenderError",
    "DocumentRenderer",
    "DocumentRequest",
    "DocumentSetupError",
    "IllegalCharacterError",
    "RenderedDocument",
    "find_illegal_characters",
]
