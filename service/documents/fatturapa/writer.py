"""One invoice as a FatturaPA FPR12 file (specifications 1.9, schema 1.2.3): the parties, the
document's taxes as ``domain.tax`` computes them, payment by transfer (MP05). The element
order follows the schema; ``schema.validate`` checks the result before anyone sees it.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from service.documents.fatturapa.latin import latin
from service.domain.errors import InvalidInput
from service.domain.sayings import Said
from service.domain.tax import InvoiceLines, TaxProfile

NAMESPACE = "http://ivaservizi.agenziaentrate.gov.it/docs/xsd/fatture/v1.2"
FORMAT = "FPR12"
NO_CODE = "0000000"  # the recipient has no SDI code: delivery by PEC, or through their tax drawer
# Legal references printed on the file (spec 1.9, RiferimentoNormativo, at most 100 characters).
FLAT_RATE_REFERENCE = "Operazione in franchigia da IVA ai sensi dell'art. 1, commi 54-89, L. 190/2014"
STAMP_LINE = "Imposta di bollo assolta in modo virtuale (art. 15 DPR 633/1972)"
STAMP_NATURE = "N1"  # the stamp recharged to the client is excluded from VAT (art. 15 DPR 633/1972)
FUNDS = {"INPS": "TC22"}  # a fund's name, else its TipoCassa code as given
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


@dataclass(frozen=True)
class Invoice:
    number: str
    issued_on: date
    due_on: date
    description: str
    currency: str
    progressive: str  # ProgressivoInvio, also the file name's suffix
    sdi_code: str
    pec: str
    iban: str
    supplier: Party
    client: Party
    profile: TaxProfile
    lines: InvoiceLines


def _amount(value: Decimal) -> str:
    return f"{value:.2f}"


def _add(parent: ET.Element, tag: str, text: str | None = None) -> ET.Element:
    child = ET.SubElement(parent, tag)
    if text is not None:
        child.text = text
    return child


def _vat_id(party: Party) -> str:
    digits = party.vat_number.strip().upper().removeprefix("IT").replace(" ", "")
    if party.field == "tenant" and not re.fullmatch(r"\d{11}", digits):
        raise InvalidInput({"tenant.vat_number": [Said("fatturapa.vat_number")]})
    return latin(digits, f"{party.field}.vat_number", basic=True)


def _address(parent: ET.Element, party: Party) -> None:
    field = f"{party.field}.address"
    match = _ADDRESS.match(", ".join(latin(part, field) for part in party.address.splitlines() if part))
    if match is None:
        raise InvalidInput({field: [Said("fatturapa.address")]})
    sede = _add(parent, "Sede")
    _add(sede, "Indirizzo", match["street"][:60])
    _add(sede, "CAP", match["cap"])
    _add(sede, "Comune", match["town"][:60])
    if match["province"]:
        _add(sede, "Provincia", match["province"].upper())
    _add(sede, "Nazione", "IT")


def _header(root: ET.Element, invoice: Invoice) -> None:
    header = _add(root, "FatturaElettronicaHeader")
    transmission = _add(header, "DatiTrasmissione")
    sender = _add(transmission, "IdTrasmittente")
    _add(sender, "IdPaese", "IT")
    _add(sender, "IdCodice", latin(invoice.supplier.tax_code, "tenant.tax_code", basic=True))
    _add(transmission, "ProgressivoInvio", invoice.progressive)
    _add(transmission, "FormatoTrasmissione", FORMAT)
    _add(transmission, "CodiceDestinatario", invoice.sdi_code.upper() or NO_CODE)
    if not invoice.sdi_code and invoice.pec:
        _add(transmission, "PECDestinatario", latin(invoice.pec, "client.pec", basic=True))

    supplier = _add(header, "CedentePrestatore")
    data = _add(supplier, "DatiAnagrafici")
    vat = _add(data, "IdFiscaleIVA")
    _add(vat, "IdPaese", "IT")
    _add(vat, "IdCodice", _vat_id(invoice.supplier))
    _add(data, "CodiceFiscale", latin(invoice.supplier.tax_code, "tenant.tax_code", basic=True).upper())
    _add(_add(data, "Anagrafica"), "Denominazione", latin(invoice.supplier.name, "tenant.name")[:80])
    _add(data, "RegimeFiscale", invoice.lines.regime or invoice.profile.regime)
    _address(supplier, invoice.supplier)

    client = _add(header, "CessionarioCommittente")
    data = _add(client, "DatiAnagrafici")
    if invoice.client.vat_number:
        vat = _add(data, "IdFiscaleIVA")
        _add(vat, "IdPaese", "IT")
        _add(vat, "IdCodice", _vat_id(invoice.client))
    if invoice.client.tax_code:
        _add(data, "CodiceFiscale", latin(invoice.client.tax_code, "client.tax_code", basic=True).upper())
    _add(_add(data, "Anagrafica"), "Denominazione", latin(invoice.client.name, "client.name")[:80])
    _address(client, invoice.client)


def _general(body: ET.Element, invoice: Invoice) -> None:
    lines = invoice.lines  # the rates too: those the invoice was issued under
    document = _add(_add(body, "DatiGenerali"), "DatiGeneraliDocumento")
    _add(document, "TipoDocumento", "TD01")
    _add(document, "Divisa", invoice.currency)
    _add(document, "Data", invoice.issued_on.isoformat())
    _add(document, "Numero", latin(invoice.number, "number", basic=True))
    if lines.withholding:
        withholding = _add(document, "DatiRitenuta")
        _add(withholding, "TipoRitenuta", "RT01")  # a natural person's withholding
        _add(withholding, "ImportoRitenuta", _amount(lines.withholding))
        _add(withholding, "AliquotaRitenuta", _amount(lines.withholding_rate or Decimal(0)))
        _add(withholding, "CausalePagamento", "A")  # self-employed professional work (CU code A)
    if lines.stamp:
        stamp = _add(document, "DatiBollo")
        _add(stamp, "BolloVirtuale", "SI")
        _add(stamp, "ImportoBollo", _amount(lines.stamp))
    if lines.surcharge and lines.surcharge_fund:
        fund = _add(document, "DatiCassaPrevidenziale")
        _add(fund, "TipoCassa", FUNDS.get(lines.surcharge_fund, lines.surcharge_fund))
        _add(fund, "AlCassa", _amount(lines.surcharge_rate or Decimal(0)))
        _add(fund, "ImportoContributoCassa", _amount(lines.surcharge))
        _add(fund, "ImponibileCassa", _amount(lines.fee))
        _add(fund, "AliquotaIVA", _amount(lines.vat_rate))
        if lines.nature:
            _add(fund, "Natura", lines.nature)
    _add(document, "ImportoTotaleDocumento", _amount(lines.total_document))


def _line(
    goods: ET.Element,
    number: int,
    text: str,
    amount: Decimal,
    rate: Decimal,
    nature: str | None,
    *,
    withheld: bool,
) -> None:
    line = _add(goods, "DettaglioLinee")
    _add(line, "NumeroLinea", str(number))
    _add(line, "Descrizione", text)
    _add(line, "PrezzoUnitario", _amount(amount))
    _add(line, "PrezzoTotale", _amount(amount))
    _add(line, "AliquotaIVA", _amount(rate))
    if withheld:
        _add(line, "Ritenuta", "SI")
    if nature:
        _add(line, "Natura", nature)


def _summary(
    goods: ET.Element, rate: Decimal, nature: str | None, base: Decimal, tax: Decimal, note: str
) -> None:
    summary = _add(goods, "DatiRiepilogo")
    _add(summary, "AliquotaIVA", _amount(rate))
    if nature:
        _add(summary, "Natura", nature)
    _add(summary, "ImponibileImporto", _amount(base))
    _add(summary, "Imposta", _amount(tax))
    if nature:
        _add(summary, "RiferimentoNormativo", note)
    else:
        _add(summary, "EsigibilitaIVA", "I")  # VAT due at once: a professional's ordinary case


def _goods(body: ET.Element, invoice: Invoice) -> None:
    lines = invoice.lines
    goods = _add(body, "DatiBeniServizi")
    description = latin(invoice.description, "description")[:1000]
    _line(goods, 1, description, lines.fee, lines.vat_rate, lines.nature, withheld=bool(lines.withholding))
    if lines.stamp_charged:
        _line(goods, 2, STAMP_LINE, lines.stamp_charged, Decimal(0), STAMP_NATURE, withheld=False)
    # The fund's contribution belongs to the summary of its own rate (spec 1.9, check 00422).
    _summary(goods, lines.vat_rate, lines.nature, lines.taxable, lines.vat, FLAT_RATE_REFERENCE)
    if lines.stamp_charged:
        _summary(goods, Decimal(0), STAMP_NATURE, lines.stamp_charged, Decimal(0), STAMP_LINE)


def _payment(body: ET.Element, invoice: Invoice) -> None:
    if not invoice.iban:
        raise InvalidInput({"tenant.iban": [Said("fatturapa.iban")]})
    payment = _add(body, "DatiPagamento")
    _add(payment, "CondizioniPagamento", "TP02")  # paid in full, in one instalment
    detail = _add(payment, "DettaglioPagamento")
    _add(detail, "ModalitaPagamento", "MP05")  # bank transfer
    _add(detail, "DataScadenzaPagamento", invoice.due_on.isoformat())
    _add(detail, "ImportoPagamento", _amount(invoice.lines.payable))
    _add(detail, "IBAN", invoice.iban.replace(" ", "").upper())


def render(invoice: Invoice) -> bytes:
    """The file's bytes (UTF-8, with its declaration); InvalidInput names the field that cannot be
    written as the schema requires."""
    if not (invoice.client.tax_code or invoice.client.vat_number):
        raise InvalidInput({"client.tax_code": [Said("fatturapa.client_id")]})
    if not invoice.supplier.tax_code:
        raise InvalidInput({"tenant.tax_code": [Said("fatturapa.tax_code")]})
    ET.register_namespace("p", NAMESPACE)
    root = ET.Element(f"{{{NAMESPACE}}}FatturaElettronica", versione=FORMAT)
    _header(root, invoice)
    body = _add(root, "FatturaElettronicaBody")
    _general(body, invoice)
    _goods(body, invoice)
    _payment(body, invoice)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)


def file_name(supplier_vat_number: str, progressive: str) -> str:
    """``IT<partita IVA>_<progressivo>.xml``, as SdI names a file (spec 1.9, §2.2)."""
    return f"IT{supplier_vat_number.strip().upper().removeprefix('IT')}_{progressive}.xml"
