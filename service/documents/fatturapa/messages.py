"""An SdI receipt read from the XML file the intermediary hands over, as the official schema of
SdI's messages (``MessaggiTypes_v1.1.xsd``, namespace below) lays it out: the root names the
message, its children are unqualified. The signature (``ds:Signature``) is kept in the bytes
and not checked: the intermediary received the message from SdI and is trusted for it.

Nothing hostile is parsed: a DTD (and so any entity) is refused before the parser runs, and
every field's length and shape is checked against the schema; a refusal names the field.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from datetime import datetime
from zoneinfo import ZoneInfo

from service.domain.errors import InvalidInput
from service.domain.sayings import Said
from service.domain.sdi import OUTCOMES, Receipt

NAMESPACE = "http://www.fatturapa.gov.it/sdi/messaggi/v1.0"
KINDS = {
    "RicevutaConsegna": "RC",
    "NotificaScarto": "NS",
    "NotificaMancataConsegna": "MC",
    "NotificaEsito": "NE",
    "NotificaDecorrenzaTermini": "DT",
    "AttestazioneTrasmissioneFattura": "AT",
}
SDI_ZONE = ZoneInfo("Europe/Rome")  # a time written without its offset is SdI's own
MAX_ERRORS = 200  # ListaErrori_Type
_DECLARATIONS = re.compile(rb"<!(DOCTYPE|ENTITY)", re.IGNORECASE)
_IDENTIFIER = re.compile(r"\d{1,12}")  # IdentificativoSdI_Type: an integer of up to 12 digits
_CODE = re.compile(r"[0-9A-Za-z]{5}")  # Codice_Type: five characters (SdI's are digits)


def _refuse(field: str, said: Said) -> InvalidInput:
    return InvalidInput({field: [said]})


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _child(parent: ET.Element, name: str) -> ET.Element | None:
    return next((c for c in parent if isinstance(c.tag, str) and _local(c.tag) == name), None)


def _text(parent: ET.Element, path: str, limit: int, *, required: bool = True) -> str:
    """The text of ``path`` (dotted local names under ``parent``), at most ``limit`` characters."""
    node: ET.Element | None = parent
    for name in path.split("."):
        node = _child(node, name) if node is not None else None
    text = " ".join((node.text or "").split()) if node is not None else ""
    if required and not text:
        raise _refuse(path, Said("sdi.missing", field=path))
    if len(text) > limit:
        raise _refuse(path, Said("sdi.too_long", field=path, limit=str(limit)))
    return text


def _moment(root: ET.Element, name: str) -> datetime | None:
    text = _text(root, name, 40, required=False)
    if not text:
        return None
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise _refuse(name, Said("sdi.not_a_time", field=name)) from None
    return moment if moment.tzinfo else moment.replace(tzinfo=SDI_ZONE)


def _errors(root: ET.Element) -> tuple[tuple[str, str], ...]:
    errors = _child(root, "ListaErrori")
    found = [e for e in (errors if errors is not None else []) if _local(str(e.tag)) == "Errore"]
    if not found:
        raise _refuse("ListaErrori.Errore", Said("sdi.missing", field="ListaErrori.Errore"))
    if len(found) > MAX_ERRORS:
        raise _refuse(
            "ListaErrori.Errore", Said("sdi.too_many", field="ListaErrori.Errore", limit=str(MAX_ERRORS))
        )
    codes = []
    for error in found:
        code = _text(error, "Codice", 5)
        if not _CODE.fullmatch(code):
            raise _refuse(
                "ListaErrori.Errore.Codice", Said("sdi.not_a_code", field="ListaErrori.Errore.Codice")
            )
        codes.append((code, _text(error, "Descrizione", 255, required=False)))
    return tuple(codes)


def parse(data: bytes) -> Receipt:
    """The receipt in ``data``; InvalidInput naming the field when it is not one SdI writes."""
    if _DECLARATIONS.search(data):
        raise _refuse("file", Said("sdi.declarations", field="file"))
    try:
        root = ET.fromstring(data)
    except ET.ParseError:
        raise _refuse("file", Said("sdi.not_xml", field="file")) from None
    namespace, _, name = root.tag[1:].partition("}") if root.tag.startswith("{") else ("", "", root.tag)
    if namespace != NAMESPACE or name not in KINDS:
        raise _refuse("file", Said("sdi.not_a_receipt", field="file", name=name[:60], kinds=", ".join(KINDS)))
    kind = KINDS[name]
    identifier = _text(root, "IdentificativoSdI", 12)
    if not _IDENTIFIER.fullmatch(identifier):
        raise _refuse("IdentificativoSdI", Said("sdi.not_an_identifier", field="IdentificativoSdI"))
    outcome = None
    if kind == "NE":
        outcome = _text(root, "EsitoCommittente.Esito", 4)
        if outcome not in OUTCOMES:
            raise _refuse(
                "EsitoCommittente.Esito", Said("sdi.not_an_outcome", field="EsitoCommittente.Esito")
            )
    description = (
        _text(root, "EsitoCommittente.Descrizione", 255, required=False)
        if kind == "NE"
        else _text(root, "Descrizione", 255, required=False)
    )
    return Receipt(
        kind=kind,
        identifier=identifier,
        file_name=_text(root, "NomeFile", 50),
        at=_moment(root, "DataOraConsegna") or _moment(root, "DataOraRicezione"),
        errors=_errors(root) if kind == "NS" else (),
        outcome=outcome,
        description=description,
    )
