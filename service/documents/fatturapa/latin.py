"""Text the FatturaPA schema accepts: its string types allow Basic Latin and Latin-1 Supplement
only (U+0000-U+00FF), and an XML 1.0 file holds no control characters. Typographic punctuation
is transliterated (’ becomes '); letters with marks outside Latin-1 lose the mark (ł stays
refused, ć becomes c); anything left (an emoji, a CJK name) is refused, naming the field.
"""

from __future__ import annotations

import re
import unicodedata

from service.domain.errors import InvalidInput
from service.domain.sayings import Said

_PUNCTUATION = str.maketrans(
    {
        "\u2018": "'",
        "\u2019": "'",
        "\u201a": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u201e": '"',
        "\u2013": "-",
        "\u2014": "-",
        "\u2026": "...",
        "\u00a0": " ",
        "\u20ac": "EUR",
    }
)
_REFUSED = re.compile(r"[^\t\n\r\x20-\x7e\xa0-\xff]")  # outside the schema's range, or a control
_BASIC = re.compile(r"[^\x20-\x7e]")


def latin(text: str, field: str, *, basic: bool = False) -> str:
    """``text`` as the schema's Latin types accept it (``basic``: Basic Latin only, as codes and
    e-mail addresses are), or InvalidInput naming ``field``."""
    folded = text.translate(_PUNCTUATION)
    if _REFUSED.search(folded) or (basic and _BASIC.search(folded)):
        decomposed = unicodedata.normalize("NFKD", folded)
        folded = unicodedata.normalize("NFC", "".join(c for c in decomposed if not unicodedata.combining(c)))
    if _REFUSED.search(folded) or (basic and _BASIC.search(folded)):
        raise InvalidInput({field: [Said("fatturapa.not_latin", field=field)]})
    words = " ".join(folded.split())
    if not words:  # the schema's strings hold at least one character
        raise InvalidInput({field: [Said("fatturapa.blank", field=field)]})
    return words
