"""The record as a spreadsheet: one row per entry with a readable time and sentence, the exact
payload beside them, and no cell a spreadsheet would run as a formula.

record.json keeps every text exactly as written; here a cell that starts with =, +, -, @, a
tab or a carriage return gets a leading apostrophe (OWASP's CSV injection guidance), and every
cell is quoted.
"""

from __future__ import annotations

import csv
import io
import re
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from service.domain import record
from service.domain.calendar import as_utc
from service.domain.model import Event
from service.domain.sayings import Day, sentence

COLUMNS = ("seq", "occurred_at", "type", "summary", "amount", "payload", "prev_hash", "hash")
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
PLAIN_NUMBER = re.compile(r"-?[0-9]+(\.[0-9]+)?")
SUMMARY_LENGTH = 200


def neutralised(cell: str) -> str:
    """A cell a spreadsheet shows as text, never evaluates."""
    if cell.startswith(FORMULA_STARTS) and not PLAIN_NUMBER.fullmatch(cell):
        return "'" + cell
    return cell


def _fields(event: Event) -> dict[str, Any]:
    # A payload tampered into another shape still exports (verify names the entry): no fields.
    return event.payload if isinstance(event.payload, dict) else {}


def _shown(value: Any) -> Any:
    """A payload value as the line reads it: a day in words ("1° dicembre 2026", never the
    payload's ISO form, which the payload column keeps), a list joined, nothing for None."""
    if isinstance(value, list):
        return ", ".join(map(str, value))
    if isinstance(value, str) and ISO_DAY.fullmatch(value):
        return Day(date.fromisoformat(value))
    return "" if value is None else str(value)


def summary(event: Event, language: str) -> str:
    """The entry as one line in ``language`` (``messages.record.<type>`` in the wording files)."""
    values = {name: _shown(value) for name, value in _fields(event).items()}
    try:
        said = sentence(language, f"record.{event.type}", values, blank_missing=True)
    except KeyError:  # a type no service code writes (a tampered entry): still exported, by its name
        said = event.type.replace("_", " ")
    line = " ".join(said.split())  # one line, whatever the client typed
    return line if len(line) <= SUMMARY_LENGTH else line[: SUMMARY_LENGTH - 1] + "…"


def local_time(moment: datetime, zone: str) -> str:
    """The instant as the tenant's wall clock shows it, with its offset."""
    return as_utc(moment).astimezone(ZoneInfo(zone)).isoformat(sep=" ")


def record_csv(events: list[Event], engagement_language: str, zone: str) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, quoting=csv.QUOTE_ALL)
    writer.writerow(COLUMNS)
    for event in events:
        amount = (
            _fields(event).get("amount") if event.type in ("invoice_issued", "payment_received") else None
        )
        row = [
            str(event.seq),
            local_time(event.occurred_at, zone),
            event.type,
            summary(event, engagement_language),
            "" if amount is None else str(amount),
            record.canonical(event.payload).decode(),
            event.prev_hash,
            event.hash,
        ]
        writer.writerow([neutralised(cell) for cell in row])
    # The byte-order mark is what makes Excel read the file as UTF-8 (accents, emoji).
    return buffer.getvalue().encode("utf-8-sig")
