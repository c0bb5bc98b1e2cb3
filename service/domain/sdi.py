"""What the exchange system (SdI) said of an invoice's FatturaPA file, or of its credit note's.

Sending is the user's intermediary's job; the user brings back each receipt it gave them
(specifications 1.9, §§ 2.4-2.6; the messages' schema is ``MessaggiTypes_v1.1.xsd``):

- RC *ricevuta di consegna*: delivered to the client;
- NS *notifica di scarto*: rejected, with its error codes; the file was never issued;
- MC *mancata consegna*: not delivered, but made available in the client's reserved area, so
  (for a client that is not a public administration) the invoice is issued all the same;
- NE *notifica di esito*: a public administration accepted (EC01) or refused (EC02) it;
- DT *decorrenza termini*: a public administration did not answer within 15 days;
- AT *attestazione di avvenuta trasmissione*: a public administration could not be reached.

An invoice keeps every receipt (``Invoice.sdi_receipts``) and the status of its own file's last
one (``Invoice.sdi_status``); a credit note's status is read from its receipts.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from service.domain.errors import Conflict, InvalidInput
from service.domain.model import Engagement, Invoice
from service.domain.sayings import Said

STATUSES = {
    "RC": "delivered",
    "NS": "rejected",
    "MC": "not_delivered",
    "DT": "terms_expired",
    "AT": "transmission_attested",
}
OUTCOMES = {"EC01": "accepted", "EC02": "refused"}  # NE: the public administration's answer
ALL_STATUSES = (*STATUSES.values(), *OUTCOMES.values())
INVOICE, CREDIT_NOTE = "invoice", "credit_note"  # which file a receipt is about
SIGNED_SUFFIX = ".p7m"  # a file the intermediary signed (CAdES) keeps its name with this suffix


@dataclass(frozen=True)
class Receipt:
    kind: str  # RC, NS, MC, NE, DT, AT
    identifier: str  # IdentificativoSdI: one per transmission of a file
    file_name: str  # NomeFile: the name the file was sent under
    at: datetime | None  # when SdI received (or delivered) the file; NE carries none
    errors: tuple[tuple[str, str], ...] = ()  # NS: (Codice, Descrizione)
    outcome: str | None = None  # NE: EC01 or EC02
    description: str = ""

    @property
    def status(self) -> str:
        return OUTCOMES[self.outcome or ""] if self.kind == "NE" else STATUSES[self.kind]


def _bare(name: str) -> str:
    name = name.strip()
    return name[: -len(SIGNED_SUFFIX)] if name.lower().endswith(SIGNED_SUFFIX) else name


def document_of(receipt: Receipt, files: dict[str, list[str]]) -> str:
    """Which of the invoice's files (``{INVOICE: [names], CREDIT_NOTE: [names]}``, a name per
    sending, the current last) the receipt is about; 422 naming NomeFile when none: a receipt of
    another invoice is the wrong upload. A sending's name differs from every other in more than
    case, so comparing without case still finds the one file."""
    for document, names in files.items():
        if any(_bare(receipt.file_name).casefold() == name.casefold() for name in names):
            return document
    expected = " / ".join(names[-1] for names in files.values())
    raise InvalidInput({"NomeFile": [Said("sdi.other_file", name=receipt.file_name, expected=expected)]})


def status_of(invoice: Invoice, document: str) -> str | None:
    for entry in reversed(invoice.sdi_receipts):
        if entry["document"] == document:
            return str(entry["status"])
    return None


def record(
    engagement: Engagement, invoice: Invoice, receipt: Receipt, document: str, sha256: str, at: datetime
) -> dict[str, Any]:
    """Add the receipt to the invoice's history and return the entry. A receipt with another
    IdentificativoSdI than the file's last is a conflict (409), not bad input: it is well formed
    and names this file, but SdI gives a file a new identifier only when it is sent again, which
    follows a rejection (NS) alone."""
    own = [e for e in invoice.sdi_receipts if e["document"] == document]
    if any(e["sha256"] == sha256 for e in own):
        raise Conflict(Said("sdi.already_recorded", kind=receipt.kind), language=engagement.language)
    last = own[-1] if own else None
    if last is not None and last["identifier"] != receipt.identifier and last["status"] != "rejected":
        said = Said("sdi.other_transmission", identifier=receipt.identifier, recorded=last["identifier"])
        raise Conflict(said, language=engagement.language)
    entry = {
        "document": document,
        "kind": receipt.kind,
        "status": receipt.status,
        "identifier": receipt.identifier,
        "file_name": receipt.file_name,
        "at": receipt.at.isoformat() if receipt.at else None,
        "errors": [{"code": code, "description": text} for code, text in receipt.errors],
        "outcome": receipt.outcome,
        "description": receipt.description,
        "sha256": sha256,
        "recorded_at": at.isoformat(),
    }
    invoice.sdi_receipts = [*invoice.sdi_receipts, entry]  # a new list: the JSON column sees the change
    if document == INVOICE:
        invoice.sdi_status = receipt.status
    return entry
