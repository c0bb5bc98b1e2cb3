"""Search keys: what a name is compared by, so that "citta" finds "Città" and "ROSSI" finds
"Rossi" the same way on every database (neither SQLite's LIKE nor a plain index folds accents)."""

from __future__ import annotations

import unicodedata


def search_key(text: str) -> str:
    """Case folded, accents removed (NFKD, then the combining marks dropped)."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))
