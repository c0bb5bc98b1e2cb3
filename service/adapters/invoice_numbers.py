"""Invoice numbers per tenant and calendar year: sequential, gap-free, never given twice.

Each number is taken from a counter row inside the transaction that issues the invoice. On
PostgreSQL the UPDATE holds the row's lock until that transaction ends, so a second issuer waits
and then reads the incremented value; on SQLite writers are already serialised. A transaction
that rolls back gives its number back with it, so no number is skipped.
"""

from __future__ import annotations

from sqlalchemy import update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from service.adapters.orm import invoice_counters

_INSERT = {"postgresql": postgresql.insert, "sqlite": sqlite.insert}


class InvoiceNumberRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def take(self, tenant_id: int, year: int) -> int:
        """The next number of the tenant's year, counted from 1."""
        insert = _INSERT[self.session.get_bind().dialect.name]
        # A concurrent first issuer of the year makes this wait for its commit, then do nothing.
        self.session.execute(
            insert(invoice_counters)
            .values(tenant_id=tenant_id, year=year, last_number=0)
            .on_conflict_do_nothing()
        )
        counter = invoice_counters.c
        return self.session.execute(
            update(invoice_counters)
            .where(counter.tenant_id == tenant_id, counter.year == year)
            .values(last_number=counter.last_number + 1)
            .returning(counter.last_number)
        ).scalar_one()
