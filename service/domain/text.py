"""Client text that a Word (XML 1.0) document can hold: one definition for the API and the renderer."""

from __future__ import annotations

import re

# The control characters XML 1.0 forbids, written so Python and an OpenAPI (ECMA) pattern agree.
XML_ILLEGAL_RANGES = r"\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff"
XML_ILLEGAL = re.compile(f"[{XML_ILLEGAL_RANGES}]")
XML_LEGAL_TEXT = f"^[^{XML_ILLEGAL_RANGES}]*$"  # the whole string, for schema patterns


def first_illegal_character(text: str) -> str | None:
    """The first character of ``text`` a document cannot hold, as ``U+XXXX``; None when all fit."""
    match = XML_ILLEGAL.search(text)
    return f"U+{ord(match.group()):04X}" if match else None
