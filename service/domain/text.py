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


# What a one-line value (a name, a subject, a reference, an address, a filename) may not hold,
# written so Python and an OpenAPI (ECMA) pattern agree:
# - every control character, CR, LF, NEL and the line and paragraph separators: in an e-mail
#   header a line break starts a header of the sender's choosing, and a letter's line breaks;
# - the bidi controls (ALM, LRM, RLM, the embeddings, overrides and isolates), which reorder what
#   a reader sees, and the invisible characters (soft hyphen, zero-width space, word joiner,
#   invisible operators, BOM, interlinear annotations), which hide a difference between two
#   values that read the same;
# - the two non-characters XML 1.0 forbids.
# The zero-width joiner and non-joiner (U+200C, U+200D) are allowed: they shape Persian and
# Indic words and join emoji sequences (👩‍💻), and they hide nothing a reader would misread.
NOT_IN_A_LINE_RANGES = (
    r"\u0000-\u001f\u007f-\u009f\u00ad\u061c\u180e\u200b\u200e\u200f\u2028-\u202e"
    r"\u2060-\u2064\u2066-\u2069\ufeff\ufff9-\ufffb\ufffe\uffff"
)
NOT_IN_A_LINE = re.compile(f"[{NOT_IN_A_LINE_RANGES}]")
ONE_LINE_TEXT = f"^[^{NOT_IN_A_LINE_RANGES}]*$"  # the whole string, for schema patterns


def first_hidden_character(text: str) -> str | None:
    """The first character of ``text`` that one line a reader sees as it is may not hold, as
    ``U+XXXX``; None when every character is visible text."""
    match = NOT_IN_A_LINE.search(text)
    return f"U+{ord(match.group()):04X}" if match else None


def one_line_problem(text: str) -> str | None:
    """What is wrong with ``text`` as one line a reader sees as it is; None when nothing."""
    code = first_hidden_character(text)
    if code is None:
        return None
    return (
        f"Contains {code}: one line of visible text, without line breaks, control, bidi or "
        "zero-width characters."
    )
