"""The parties of a FatturaPA file as the schema has them: ids, name, seat, and how SdI reaches
the client. ``writer`` writes them into the file; ``check_client`` writes the client's into a
scratch element when an engagement is made, so both ask the same code."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass

from service.documents.fatturapa.latin import latin
from service.domain.errors import InvalidInput
from service.domain.sayings import Said

NO_CODE = "0000000"  # the recipient has no SDI code: delivery by PEC, or through their tax drawer
# "Via Po 2, 10123 Torino (TO)": street, CAP, town, optional province; lines count as commas.
_ADDRESS = re.compile(
    r"^(?P<street>.+?),\s*(?P<cap>\d{5})\s+(?P<town>[^,()]+?)\s*(?:\((?P<province>[A-Za-z]{2})\))?"
    r"\s*(?:,\s*(?:Italia|Italy))?$"
)


@dataclass(frozen=True)
class Party:
    name: str
    address: str
    vat_number: str  # partita IVA, with or without the IT prefix
    tax_code: str  # codice fiscale
    field: str  # "tenant" or "client": the prefix a refusal names


def add(parent: ET.Element, tag: str, text: str | None = None) -> ET.Element:
    child = ET.SubElement(parent, tag)
    if text is not None:
        child.text = text
    return child


def vat_id(party: Party) -> str:
    digits = party.vat_number.strip().upper().removeprefix("IT").replace(" ", "")
    if party.field == "tenant" and not re.fullmatch(r"\d{11}", digits):
        raise InvalidInput({"tenant.vat_number": [Said("fatturapa.vat_number")]})
    return latin(digits, f"{party.field}.vat_number", basic=True)


def address(parent: ET.Element, party: Party) -> None:
    field = f"{party.field}.address"
    match = _ADDRESS.match(", ".join(latin(part, field) for part in party.address.splitlines() if part))
    if match is None:
        raise InvalidInput({field: [Said("fatturapa.address")]})
    sede = add(parent, "Sede")
    add(sede, "Indirizzo", match["street"][:60])
    add(sede, "CAP", match["cap"])
    add(sede, "Comune", match["town"][:60])
    if match["province"]:
        add(sede, "Provincia", match["province"].upper())
    add(sede, "Nazione", "IT")


def routing(transmission: ET.Element, sdi_code: str, pec: str) -> None:
    add(transmission, "CodiceDestinatario", sdi_code.upper() or NO_CODE)
    if not sdi_code and pec:
        add(transmission, "PECDestinatario", latin(pec, "client.pec", basic=True))


def client_ids(data: ET.Element, client: Party) -> None:
    if not (client.tax_code or client.vat_number):
        raise InvalidInput({"client.tax_code": [Said("fatturapa.client_id")]})
    if client.vat_number:
        vat = add(data, "IdFiscaleIVA")
        add(vat, "IdPaese", "IT")
        add(vat, "IdCodice", vat_id(client))
    if client.tax_code:
        add(data, "CodiceFiscale", latin(client.tax_code, "client.tax_code", basic=True).upper())


def client_name(data: ET.Element, client: Party) -> None:
    add(add(data, "Anagrafica"), "Denominazione", latin(client.name, "client.name")[:80])


def check_client(client: Party, sdi_code: str, pec: str) -> None:
    """Whether the client's data can make a valid file, asked when an engagement is made (so the
    user hears it then, not when the month's invoice is due): each part is written as ``render``
    writes it, into a scratch element, and InvalidInput names every field at fault. A business
    (a client with a VAT number) must also be reachable: companies and professionals have a PEC
    by law, and SdI delivers to it or to their SDI code."""
    errors: dict[str, list[str]] = {}
    scratch = ET.Element("DatiAnagrafici")
    for part in (client_ids, client_name, address):
        try:
            part(scratch, client)
        except InvalidInput as refused:
            errors.update(refused.errors)
    try:
        routing(scratch, sdi_code, pec)
    except InvalidInput as refused:
        errors.update(refused.errors)
    if client.vat_number and not (sdi_code or pec):
        errors.setdefault("client.sdi_code", []).append(Said("fatturapa.routing"))
    if errors:
        raise InvalidInput(errors)
