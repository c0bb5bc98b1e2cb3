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
from collections import defaultdict
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from service.domain import record
from service.domain.calendar import as_utc
from service.domain.model import Event

COLUMNS = ("seq", "occurred_at", "type", "summary", "amount", "payload", "prev_hash", "hash")
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
PLAIN_NUMBER = re.compile(r"-?[0-9]+(\.[0-9]+)?")
SUMMARY_LENGTH = 200

# One line per entry type, in each language; {names} come from the entry's payload.
SUMMARIES: dict[str, dict[str, str]] = {
    "engagement_created": {
        "en": "Engagement created for {client_name}: {monthly_fee} {currency} a month",
        "it": "Incarico creato per {client_name}: {monthly_fee} {currency} al mese",
    },
    "transition": {
        "en": "{trigger}: {from} → {to} (by {by})",
        "it": "{trigger}: {from} → {to} (da {by})",
    },
    "document_generated": {"en": "Document issued: {filename}", "it": "Documento emesso: {filename}"},
    "document_requested": {"en": "Document requested: {kind}", "it": "Documento richiesto: {kind}"},
    "invoice_issued": {
        "en": "Invoice issued: {description}, due {due_on}",
        "it": "Fattura emessa: {description}, scadenza {due_on}",
    },
    "payment_received": {
        "en": "Payment received on {received_on} ({reference}); still due {balance_due}",
        "it": "Pagamento ricevuto il {received_on} ({reference}); ancora dovuto {balance_due}",
    },
    "work_logged": {"en": "Work done on {date}: {summary}", "it": "Lavoro svolto il {date}: {summary}"},
    "incident_recorded": {
        "en": "Incident ({kind}) on {occurred_on}: {description}",
        "it": "Problema ({kind}) del {occurred_on}: {description}",
    },
    "approval_requested": {"en": "Sent for approval: {item}", "it": "Inviato per approvazione: {item}"},
    "approval_decided": {
        "en": "Approval of {item}: {decision} (round {rounds} of {agreed_rounds})",
        "it": "Approvazione di {item}: {decision} (giro {rounds} di {agreed_rounds})",
    },
    "handover_step": {
        "en": "Handover {platform} {handle}: {action} {status}",
        "it": "Passaggio di consegne {platform} {handle}: {action} {status}",
    },
    "engagement_changed": {"en": "Changed: {fields}", "it": "Modificato: {fields}"},
    "terms_amended": {
        "en": "Terms amended from {effective_on}: {fields}",
        "it": "Condizioni modificate dal {effective_on}: {fields}",
    },
    "terms_in_force": {
        "en": "Amended terms in force from {effective_on}: {fields}",
        "it": "Condizioni modificate in vigore dal {effective_on}: {fields}",
    },
}


def neutralised(cell: str) -> str:
    """A cell a spreadsheet shows as text, never evaluates."""
    if cell.startswith(FORMULA_STARTS) and not PLAIN_NUMBER.fullmatch(cell):
        return "'" + cell
    return cell


def _fields(event: Event) -> dict[str, Any]:
    # A payload tampered into another shape still exports (verify names the entry): no fields.
    return event.payload if isinstance(event.payload, dict) else {}


def summary(event: Event, language: str) -> str:
    wording = SUMMARIES.get(event.type, {}).get(language)
    if wording is None:
        return event.type.replace("_", " ")
    values: defaultdict[str, str] = defaultdict(str)
    for name, value in _fields(event).items():
        values[name] = (
            ", ".join(map(str, value)) if isinstance(value, list) else "" if value is None else str(value)
        )
    line = " ".join(wording.format_map(values).split())  # one line, whatever the client typed
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
