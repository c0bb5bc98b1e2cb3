"""One invoice as a FatturaPA FPR12 file (specifications 1.9, schema 1.2.3): the parties, the
document's taxes as ``domain.tax`` computes them, payment by transfer (MP05). The element
order follows the schema; ``schema.validate`` checks the result before anyone sees it.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from service.documents.fatturapa.latin import latin
from service.documents.fatturapa.parties import Party, add, address, client_ids, client_name, routing, vat_id
from service.domain.errors import InvalidInput
from service.domain.sayings import Said
from service.domain.tax import InvoiceLines, TaxProfile, surcharge_in_withholding

NAMESPACE = "http://ivaservizi.agenziaentrate.gov.it/docs/xsd/fatture/v1.2"
FORMAT = "FPR12"
# Legal references printed on the file (spec 1.9, RiferimentoNormativo, at most 100 characters).
FLAT_RATE_REFERENCE = "Operazione in franchigia da IVA ai sensi dell'art. 1, commi 54-89, L. 190/2014"
STAMP_LINE = "Imposta di bollo assolta in modo virtuale (art. 15 DPR 633/1972)"
STAMP_NATURE = "N1"  # the stamp recharged to the client is excluded from VAT (art. 15 DPR 633/1972)
FUNDS = {"INPS": "TC22"}  # a fund's name, else its TipoCassa code as given


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
    kind: str = "TD01"  # TipoDocumento: TD01 an invoice, TD04 a credit note
    corrects: tuple[str, date] | None = None  # a credit note's invoice: its number and date


def _amount(value: Decimal) -> str:
    return f"{value:.2f}"


def _header(root: ET.Element, invoice: Invoice) -> None:
    header = add(root, "FatturaElettronicaHeader")
    transmission = add(header, "DatiTrasmissione")
    sender = add(transmission, "IdTrasmittente")
    add(sender, "IdPaese", "IT")
    add(sender, "IdCodice", latin(invoice.supplier.tax_code, "tenant.tax_code", basic=True))
    add(transmission, "ProgressivoInvio", invoice.progressive)
    add(transmission, "FormatoTrasmissione", FORMAT)
    routing(transmission, invoice.sdi_code, invoice.pec)

    supplier = add(header, "CedentePrestatore")
    data = add(supplier, "DatiAnagrafici")
    vat = add(data, "IdFiscaleIVA")
    add(vat, "IdPaese", "IT")
    add(vat, "IdCodice", vat_id(invoice.supplier))
    add(data, "CodiceFiscale", latin(invoice.supplier.tax_code, "tenant.tax_code", basic=True).upper())
    add(add(data, "Anagrafica"), "Denominazione", latin(invoice.supplier.name, "tenant.name")[:80])
    add(data, "RegimeFiscale", invoice.lines.regime or invoice.profile.regime)
    address(supplier, invoice.supplier)

    client = add(header, "CessionarioCommittente")
    data = add(client, "DatiAnagrafici")
    client_ids(data, invoice.client)
    client_name(data, invoice.client)
    address(client, invoice.client)


def _general(body: ET.Element, invoice: Invoice) -> None:
    lines = invoice.lines  # the rates too: those the invoice was issued under
    general = add(body, "DatiGenerali")
    document = add(general, "DatiGeneraliDocumento")
    add(document, "TipoDocumento", invoice.kind)
    add(document, "Divisa", invoice.currency)
    add(document, "Data", invoice.issued_on.isoformat())
    add(document, "Numero", latin(invoice.number, "number", basic=True))
    if lines.withholding:
        withholding = add(document, "DatiRitenuta")
        add(withholding, "TipoRitenuta", "RT01")  # a natural person's withholding
        add(withholding, "ImportoRitenuta", _amount(lines.withholding))
        add(withholding, "AliquotaRitenuta", _amount(lines.withholding_rate or Decimal(0)))
        add(withholding, "CausalePagamento", "A")  # self-employed professional work (CU code A)
    if lines.stamp:
        stamp = add(document, "DatiBollo")
        add(stamp, "BolloVirtuale", "SI")
        add(stamp, "ImportoBollo", _amount(lines.stamp))
    if lines.surcharge and lines.surcharge_fund:
        fund = add(document, "DatiCassaPrevidenziale")
        add(fund, "TipoCassa", FUNDS.get(lines.surcharge_fund, lines.surcharge_fund))
        add(fund, "AlCassa", _amount(lines.surcharge_rate or Decimal(0)))
        add(fund, "ImportoContributoCassa", _amount(lines.surcharge))
        add(fund, "ImponibileCassa", _amount(lines.fee))
        add(fund, "AliquotaIVA", _amount(lines.vat_rate))
        if surcharge_in_withholding(lines):  # part of the base withheld on (docs/legal.md)
            add(fund, "Ritenuta", "SI")
        if lines.nature:
            add(fund, "Natura", lines.nature)
    add(document, "ImportoTotaleDocumento", _amount(lines.total_document))
    if invoice.corrects:  # a credit note cites the invoice it corrects (spec 1.9, 2.1.6)
        linked = add(general, "DatiFattureCollegate")
        add(linked, "IdDocumento", latin(invoice.corrects[0], "number", basic=True))
        add(linked, "Data", invoice.corrects[1].isoformat())


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
    line = add(goods, "DettaglioLinee")
    add(line, "NumeroLinea", str(number))
    add(line, "Descrizione", text)
    add(line, "PrezzoUnitario", _amount(amount))
    add(line, "PrezzoTotale", _amount(amount))
    add(line, "AliquotaIVA", _amount(rate))
    if withheld:
        add(line, "Ritenuta", "SI")
    if nature:
        add(line, "Natura", nature)


def _summary(
    goods: ET.Element, rate: Decimal, nature: str | None, base: Decimal, tax: Decimal, note: str
) -> None:
    summary = add(goods, "DatiRiepilogo")
    add(summary, "AliquotaIVA", _amount(rate))
    if nature:
        add(summary, "Natura", nature)
    add(summary, "ImponibileImporto", _amount(base))
    add(summary, "Imposta", _amount(tax))
    if nature:
        add(summary, "RiferimentoNormativo", note)
    else:
        add(summary, "EsigibilitaIVA", "I")  # VAT due at once: a professional's ordinary case


def _goods(body: ET.Element, invoice: Invoice) -> None:
    lines = invoice.lines
    goods = add(body, "DatiBeniServizi")
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
    payment = add(body, "DatiPagamento")
    add(payment, "CondizioniPagamento", "TP02")  # paid in full, in one instalment
    detail = add(payment, "DettaglioPagamento")
    add(detail, "ModalitaPagamento", "MP05")  # bank transfer
    add(detail, "DataScadenzaPagamento", invoice.due_on.isoformat())
    add(detail, "ImportoPagamento", _amount(invoice.lines.payable))
    add(detail, "IBAN", invoice.iban.replace(" ", "").upper())


def render(invoice: Invoice) -> bytes:
    """The file's bytes (UTF-8, with its declaration); InvalidInput names the field that cannot be
    written as the schema requires."""
    if not invoice.supplier.tax_code:
        raise InvalidInput({"tenant.tax_code": [Said("fatturapa.tax_code")]})
    ET.register_namespace("p", NAMESPACE)
    root = ET.Element(f"{{{NAMESPACE}}}FatturaElettronica", versione=FORMAT)
    _header(root, invoice)
    body = add(root, "FatturaElettronicaBody")
    _general(body, invoice)
    _goods(body, invoice)
    if not invoice.corrects:  # a credit note asks for no payment
        _payment(body, invoice)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)


def file_name(supplier_vat_number: str, progressive: str) -> str:
    """``IT<partita IVA>_<progressivo>.xml``, as SdI names a file (spec 1.9, §2.2)."""
    return f"IT{supplier_vat_number.strip().upper().removeprefix('IT')}_{progressive}.xml"
