"""A month's FatturaPA files in one zip, for an intermediary that takes them in bulk: every
invoice the account issued in that month of its own calendar, and every credit note."""

from __future__ import annotations

import io
import zipfile
from datetime import date, datetime

from service.application.fatturapa import build
from service.application.loading import Loaded, load_for_reading
from service.application.runtime import Runtime
from service.domain.calendar import next_month, start_of_local_day
from service.domain.errors import InvalidInput, NotFound
from service.domain.model import Invoice
from service.domain.sdi import CREDIT_NOTE, INVOICE


def month_zip(rt: Runtime, tenant_id: int, year: int, month: int) -> tuple[str, bytes]:
    """(zip name, bytes); each file validated as one by one, and a file that cannot be valid is
    422 naming the invoice (by number) and its field: a month is handed over whole or not at all."""
    buffer = io.BytesIO()
    with rt.reader() as uow, zipfile.ZipFile(buffer, "w") as archive:
        tenant = uow.tenants.get(tenant_id)
        if tenant is None:
            raise NotFound("tenant", tenant_id)
        start = start_of_local_day(date(year, month, 1), tenant.timezone)
        end = start_of_local_day(date(*next_month(year, month), 1), tenant.timezone)

        def within(moment: datetime | None) -> bool:
            return moment is not None and start <= moment < end

        for engagement_id in uow.engagements.invoiced_between(tenant_id, start, end):
            loaded = load_for_reading(rt, uow, tenant_id, engagement_id)
            for invoice in loaded.engagement.invoices:
                documents = {INVOICE: invoice.issued_at, CREDIT_NOTE: invoice.cancelled_at}
                for document, moment in documents.items():
                    if not within(moment) or (document == CREDIT_NOTE and not invoice.credit_note_number):
                        continue
                    name, content = _built(loaded, invoice, document)
                    day = loaded.engagement.day_of(moment)  # type: ignore[arg-type]  # within: not None
                    info = zipfile.ZipInfo(name, (day.year, day.month, day.day, 0, 0, 0))
                    info.compress_type = zipfile.ZIP_DEFLATED
                    archive.writestr(info, content)
    return f"fatturapa-{year:04d}-{month:02d}.zip", buffer.getvalue()


def _built(loaded: Loaded, invoice: Invoice, document: str) -> tuple[str, bytes]:
    try:
        return build(loaded.tenant, loaded.engagement, invoice, document)
    except InvalidInput as refused:
        number = invoice.credit_note_number if document == CREDIT_NOTE else invoice.number
        raise InvalidInput(
            {f"invoices.{number}.{field}": said for field, said in refused.errors.items()}
        ) from refused
