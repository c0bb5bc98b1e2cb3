"""Every list pages the same way: newest first, at most MAX_PAGE items, the cursor being the
last id of the page before (keyset: a page costs the same however deep it is)."""

from __future__ import annotations

from typing import Any

MAX_PAGE = 100


def clamp(limit: int) -> int:
    return max(1, min(limit, MAX_PAGE))


def page_of(rows: list[dict[str, Any]], limit: int) -> tuple[list[dict[str, Any]], int | None]:
    """``rows`` read with ``limit + 1``: the page, and the cursor for the next (None on the last)."""
    items = rows[:limit]
    return items, items[-1]["id"] if len(rows) > limit else None
