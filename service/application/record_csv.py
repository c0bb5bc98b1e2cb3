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
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from babel.dates import format_datetime

from service.domain import record
from service.domain.calendar import as_utc
from service.domain.model import Event
from service.domain.sayings import ENGLISH, Day, Money, sentence

COLUMNS = ("seq", "occurred_at", "type", "summary", "amount", "payload", "prev_hash", "hash")
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
PLAIN_NUMBER = re.compile(r"-?[0-9]+(\.[0-9]+)?")
SUMMARY_LENGTH = 200
BREAKS = re.compile(r"(?:(?!\xa0)\s)+")
# Payload values that are amounts, of the entry's own currency or else the engagement's.
MONEY_FIELDS = frozenset({"amount", "monthly_fee", "balance_due", "fee", "total"})
AMOUNT = re.compile(r"-?[0-9]+(\.[0-9]{1,2})?")
INSTANT = re.compile(r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}")


def neutralised(cell: str) -> str:
    """A cell a spreadsheet shows as text, never evaluates."""
    if cell.startswith(FORMULA_STARTS) and not PLAIN_NUMBER.fullmatch(cell):
        return "'" + cell
    return cell


def _fields(event: Event) -> dict[str, Any]:
    # A payload tampered into another shape still exports (verify names the entry): no fields.
    return event.payload if isinstance(event.payload, dict) else {}


def _shown(name: str, value: Any, language: str, currency: str, zone: str | None) -> Any:
    """A payload value as the line reads it: a day in words ("1° dicembre 2026", never the
    payload's ISO form, which the payload column keeps), a list joined, nothing for None; outside
    English an amount as the letters write it ("1.200,00 €", never "1200.00 EUR") and an instant
    in the tenant's zone in words ("3 dicembre 2026, 10:15", a PEC receipt's time)."""
    if isinstance(value, list):
        return ", ".join(map(str, value))
    if value is None:
        return ""
    text = str(value)
    if ISO_DAY.fullmatch(text):
        return Day(date.fromisoformat(text))
    if language == ENGLISH:
        return text  # English keeps the API's own forms, as sayings does
    if name in MONEY_FIELDS and currency and AMOUNT.fullmatch(text):
        return Money(Decimal(text), currency)
    if zone and INSTANT.match(text):
        try:
            moment = datetime.fromisoformat(text)
        except ValueError:
            return text
        if moment.tzinfo is not None:
            return format_datetime(moment, "d MMMM y, HH:mm", tzinfo=ZoneInfo(zone), locale=language)
    return text


def summary(event: Event, language: str, *, currency: str = "", zone: str | None = None) -> str:
    """The entry as one line in ``language`` (``messages.record.<type>`` in the wording files);
    ``currency`` (the engagement's, unless the entry names its own) and ``zone`` (the tenant's)
    let amounts and instants read as the letters write them."""
    fields = _fields(event)
    currency = str(fields.get("currency") or currency)
    values = {name: _shown(name, value, language, currency, zone) for name, value in fields.items()}
    try:
        said = sentence(language, f"record.{event.type}", values, blank_missing=True)
    except KeyError:  # a type no service code writes (a tampered entry): still exported, by its name
        said = event.type.replace("_", " ")
    # One line, whatever the client typed; the no-break space that holds an amount or a day
    # together ("1.200,00 €") stays.
    line = BREAKS.sub(" ", said).strip()
    return line if len(line) <= SUMMARY_LENGTH else line[: SUMMARY_LENGTH - 1] + "…"


def local_time(moment: datetime, zone: str) -> str:
    """The instant as the tenant's wall clock shows it, with its offset."""
    return as_utc(moment).astimezone(ZoneInfo(zone)).isoformat(sep=" ")


def record_csv(events: list[Event], engagement_language: str, zone: str, currency: str = "") -> bytes:
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
            summary(event, engagement_language, currency=currency, zone=zone),
            "" if amount is None else str(amount),
            record.canonical(event.payload).decode(),
            event.prev_hash,
            event.hash,
        ]
        writer.writerow([neutralised(cell) for cell in row])
    # The byte-order mark is what makes Excel read the file as UTF-8 (accents, emoji).
    return buffer.getvalue().encode("utf-8-sig")
