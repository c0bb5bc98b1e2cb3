"""The document layer: Word notices for each engagement transition."""

from service.documents.base import DocumentRenderError
from service.documents.kinds import DOCUMENT_KINDS
from service.documents.renderer import DocumentRenderer, DocumentSetupError, builtin_kinds
from service.documents.request import DocumentRequest
from service.documents.safety import IllegalCharacterError, find_illegal_characters

__all__ = [
    "DOCUMENT_KINDS",
    "DocumentRenderError",
    "DocumentRenderer",
    "DocumentRequest",
    "DocumentSetupError",
    "IllegalCharacterError",
    "builtin_kinds",
    "find_illegal_characters",
]
