"""An invoice as its FatturaPA file: the account's tax profile applied to the invoice, written
as the specifications say, and served only when the official schema accepts it."""

from __future__ import annotations

from service.application.loading import load_for_reading
from service.application.runtime import Runtime
from service.documents.fatturapa import parties, schema, writer
from service.domain.errors import InvalidInput, NotFound
from service.domain.model import Engagement, Tenant
from service.domain.sayings import Said
from service.domain.tax import profile_from

PROGRESSIVE_DIGITS = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"


def progressive(invoice_id: int) -> str:
    """Five characters [0-9A-Z], unique per invoice: the file name's progressivo (spec 1.9)."""
    text = ""
    while invoice_id:
        invoice_id, digit = divmod(invoice_id, 36)
        text = PROGRESSIVE_DIGITS[digit] + text
    return text.rjust(5, "0")


def invoice_file(rt: Runtime, tenant_id: int, engagement_id: int, invoice_id: int) -> tuple[str, bytes]:
    """(file name, bytes) of one invoice's FatturaPA file; InvalidInput names what keeps it from
    being valid, so nothing invalid ever reaches the user's intermediary."""
    with rt.reader() as uow:
        loaded = load_for_reading(rt, uow, tenant_id, engagement_id)
        tenant, engagement = loaded.tenant, loaded.engagement
        invoice = next((i for i in engagement.invoices if i.id == invoice_id), None)
        if invoice is None or invoice.id is None:
            raise NotFound("invoice", invoice_id)
        if tenant.tax_profile is None:
            raise InvalidInput({"tenant.tax_profile": [Said("fatturapa.no_profile")]})
        if engagement.currency != "EUR":
            raise InvalidInput({"currency": [Said("fatturapa.currency", currency=engagement.currency)]})
        profile = profile_from(tenant.tax_profile)
        # The lines fixed when the invoice was issued, the ones its letters show: never recomputed.
        lines = invoice.lines
        if lines is None or lines.vat_number:  # issued before the profile, or as a UK VAT invoice
            raise InvalidInput({"invoice": [Said("fatturapa.issued_untaxed")]})
        document = writer.Invoice(
            number=invoice.number or str(invoice.id),
            issued_on=engagement.day_of(invoice.issued_at),
            due_on=invoice.due_on,
            description=invoice.description,
            currency=engagement.currency,
            progressive=progressive(invoice.id),
            sdi_code=engagement.client_sdi_code.strip(),
            pec=engagement.client_pec.strip(),
            iban=tenant.iban,
            supplier=writer.Party(
                tenant.name, tenant.sender_address, tenant.vat_number, tenant.tax_code, "tenant"
            ),
            client=client_party(engagement),
            profile=profile,
            lines=lines,
        )
    content = writer.render(document)
    refused = schema.problems(content)
    if refused:  # what the checks above missed: the schema's own words, never an invalid file
        raise InvalidInput({"fatturapa": refused})
    return writer.file_name(tenant.vat_number, document.progressive), content


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
