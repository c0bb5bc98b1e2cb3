"""An invoice as its FatturaPA file: the account's tax profile applied to the invoice, written
as the specifications say, and served only when the official schema accepts it."""

from __future__ import annotations

from service.application.loading import load_for_reading
from service.application.runtime import Runtime
from service.documents.fatturapa import parties, schema, writer
from service.domain.errors import InvalidInput, NotFound
from service.domain.invoicing import credit_note_lines
from service.domain.model import Engagement, Invoice, Tenant
from service.domain.sayings import Said
from service.domain.sdi import CREDIT_NOTE, INVOICE
from service.domain.tax import profile_from

PROGRESSIVE_DIGITS = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
# A credit note's file needs a name of its own: its progressivo is its invoice's id plus this,
# so credit notes run from "I0000" and invoices stay below it (up to 30 million invoice ids).
CREDIT_NOTE_OFFSET = 18 * 36**4
# A file sent again after SdI rejected it (NS) needs a new name: SdI refuses a name it has already
# received (error 00002, "nome file duplicato"). The n-th sending again (n >= 1) of a file is named
# by a lowercase letter, for (n, document), then the invoice id in four base-36 digits [0-9A-Z].
# A first sending's name of an invoice id below RESENT_IDS starts with 0 (an invoice) or I (a
# credit note), and the letters below leave out i: a name sent again never meets another file's,
# not even compared without case (as SdI may compare them, and as ``sdi.document_of`` does).
RESENT_FIRST = "abcdefghjklmnopqrstuvwxy"
RESENT_IDS = 36**4  # invoice ids a sending again can name (1,679,616)
MOST_SENDINGS = len(RESENT_FIRST) // 2  # sendings again per file: 12 after the first


def _digits(number: int, alphabet: str, width: int) -> str:
    text = ""
    while number:
        number, digit = divmod(number, len(alphabet))
        text = alphabet[digit] + text
    return text.rjust(width, "0")


def progressive(invoice_id: int, document: str = INVOICE, sending: int = 0) -> str:
    """Five characters [0-9A-Za-z], unique per file sent: the file name's progressivo (spec 1.9).
    ``sending`` is how many times SdI rejected the file before (``sendings``)."""
    if sending == 0:
        return _digits(
            invoice_id + (CREDIT_NOTE_OFFSET if document == CREDIT_NOTE else 0), PROGRESSIVE_DIGITS, 5
        )
    if sending > MOST_SENDINGS or invoice_id >= RESENT_IDS:
        raise InvalidInput({"fatturapa": [Said("fatturapa.too_many_sendings", most=MOST_SENDINGS)]})
    first = RESENT_FIRST[2 * (sending - 1) + (1 if document == CREDIT_NOTE else 0)]
    return first + _digits(invoice_id, PROGRESSIVE_DIGITS, 4)


def sendings(invoice: Invoice, document: str) -> int:
    """How many of the file's transmissions SdI rejected: each asks for a new name, so this is
    also the number of the current sending (0 for the first). Read from the receipts recorded."""
    return len(
        {e["identifier"] for e in invoice.sdi_receipts if e["document"] == document and e["kind"] == "NS"}
    )


def file_names(tenant: Tenant, invoice: Invoice) -> dict[str, list[str]]:
    """Every name the invoice's files went to SdI under, the current one last: its own, and its
    credit note's if any. A receipt of any of them is about this invoice."""
    assert invoice.id is not None
    documents = [INVOICE, CREDIT_NOTE] if invoice.credit_note_number else [INVOICE]
    return {
        document: [
            writer.file_name(tenant.vat_number, progressive(invoice.id, document, sending))
            for sending in range(sendings(invoice, document) + 1)
        ]
        for document in documents
    }


def invoice_file(
    rt: Runtime, tenant_id: int, engagement_id: int, invoice_id: int, document: str = INVOICE
) -> tuple[str, bytes]:
    """(file name, bytes) of one invoice's FatturaPA file (TD01), or of its credit note's (TD04);
    InvalidInput names what keeps it from being valid, so nothing invalid ever reaches the
    user's intermediary."""
    with rt.reader() as uow:
        loaded = load_for_reading(rt, uow, tenant_id, engagement_id)
        invoice = next((i for i in loaded.engagement.invoices if i.id == invoice_id), None)
        if invoice is None or invoice.id is None:
            raise NotFound("invoice", invoice_id)
        if document == CREDIT_NOTE and not invoice.credit_note_number:
            raise NotFound("credit note of invoice", invoice_id)
        return build(loaded.tenant, loaded.engagement, invoice, document)


def build(tenant: Tenant, engagement: Engagement, invoice: Invoice, document: str) -> tuple[str, bytes]:
    """The file of a loaded invoice (or of its credit note), validated against the schema."""
    assert invoice.id is not None
    if tenant.tax_profile is None:
        raise InvalidInput({"tenant.tax_profile": [Said("fatturapa.no_profile")]})
    if engagement.currency != "EUR":
        raise InvalidInput({"currency": [Said("fatturapa.currency", currency=engagement.currency)]})
    profile = profile_from(tenant.tax_profile)
    # The lines fixed when the invoice was issued, the ones its letters show: never recomputed.
    lines = invoice.lines
    if lines is None or lines.vat_number:  # issued before the profile, or as a UK VAT invoice
        raise InvalidInput({"invoice": [Said("fatturapa.issued_untaxed")]})
    credit = document == CREDIT_NOTE and invoice.cancelled_at is not None
    issued_on = engagement.day_of(invoice.issued_at)
    file = writer.Invoice(
        number=(invoice.credit_note_number if credit else invoice.number) or str(invoice.id),
        issued_on=engagement.day_of(invoice.cancelled_at) if credit else issued_on,
        due_on=invoice.due_on,
        description=invoice.description,
        currency=engagement.currency,
        progressive=progressive(invoice.id, document, sendings(invoice, document)),
        sdi_code=engagement.client_sdi_code.strip(),
        pec=engagement.client_pec.strip(),
        iban=tenant.iban,
        supplier=writer.Party(
            tenant.name, tenant.sender_address, tenant.vat_number, tenant.tax_code, "tenant"
        ),
        client=client_party(engagement),
        profile=profile,
        lines=credit_note_lines(lines, invoice.credited, profile) if credit else lines,
        kind="TD04" if credit else "TD01",
        corrects=(invoice.number or str(invoice.id), issued_on) if credit else None,
    )
    content = writer.render(file)
    refused = schema.problems(content)
    if refused:  # what the checks above missed: the schema's own words, never an invalid file
        raise InvalidInput({"fatturapa": refused})
    return writer.file_name(tenant.vat_number, file.progressive), content


def client_party(engagement: Engagement) -> parties.Party:
    """The client as its files name them: the registered office when one is given."""
    return parties.Party(
        engagement.client_name,
        engagement.client_registered_office or engagement.client_address,
        engagement.client_vat_number.strip(),
        engagement.client_tax_code.strip(),
        "client",
    )


def check_client(tenant: Tenant, engagement: Engagement) -> None:
    """For an account that issues FatturaPA files (one with a tax profile): InvalidInput naming
    every client field that would keep the engagement's invoices from being valid, asked when
    the engagement is made or its client corrected, never first at the end of the month."""
    if tenant.tax_profile is None:
        return
    parties.check_client(
        client_party(engagement), engagement.client_sdi_code.strip(), engagement.client_pec.strip()
    )
