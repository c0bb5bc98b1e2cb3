"""Invoice numbers per tenant and calendar year: sequential, gap-free, never given twice.

Each number is taken from a counter row inside the transaction that issues the invoice. On
PostgreSQL the UPDATE holds the row's lock until that transaction ends, so a second issuer waits
and then reads the incremented value; on SQLite writers are already serialised. A transaction
that rolls back gives its number back with it, so no number is skipped.
"""

from __future__ import annotations

from sqlalchemy import Table, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from service.adapters.orm import credit_note_counters, invoice_counters

_INSERT = {"postgresql": postgresql.insert, "sqlite": sqlite.insert}


class InvoiceNumberRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def take(self, tenant_id: int, year: int) -> int:
        """The next invoice number of the tenant's year, counted from 1."""
        return self._take(invoice_counters, tenant_id, year)

    def take_credit_note(self, tenant_id: int, year: int) -> int:
        """The next credit note number of the tenant's year: a series of its own."""
        return self._take(credit_note_counters, tenant_id, year)

    def _take(self, counters: Table, tenant_id: int, year: int) -> int:
        insert = _INSERT[self.session.get_bind().dialect.name]
        # A concurrent first issuer of the year makes this wait for its commit, then do nothing.
        self.session.execute(
            insert(counters).values(tenant_id=tenant_id, year=year, last_number=0).on_conflict_do_nothing()
        )
        counter = counters.c
        return self.session.execute(
            update(counters)
            .where(counter.tenant_id == tenant_id, counter.year == year)
            .values(last_number=counter.last_number + 1)
            .returning(counter.last_number)
        ).scalar_one()
