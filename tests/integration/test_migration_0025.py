"""Migration 0025 on a database that already holds invoices: each owes its fee, except under an
account that already had a tax profile, whose invoices get the lines its FatturaPA file showed."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

from sqlalchemy import MetaData, create_engine, text

from service.adapters.migrations import upgrade
from tests.integration.test_migration_0009 import _insert

PROFILE = {"tax_regime": "RF01", "pension_surcharge": {"fund": "INPS", "rate": "4.00"}}


def test_existing_invoices_get_their_amount_payable(fresh_url: str) -> None:
    upgrade(fresh_url, "0024")
    engine = create_engine(fresh_url)
    try:
        old = MetaData()
        old.reflect(engine)
        with engine.begin() as c:
            _insert(c, old, "tenants", id=1, name="Studio", language="it", tax_profile=PROFILE)
            _insert(c, old, "tenants", id=2, name="Agency", language="en", vat_number="GB123456789")
            _insert(c, old, "engagements", id=1, tenant_id=1, client_vat_number="09876543210")
            _insert(c, old, "engagements", id=2, tenant_id=2)
            at = datetime(2026, 12, 1, 9, tzinfo=UTC)
            for invoice_id, engagement_id in ((1, 1), (2, 2)):
                _insert(
                    c, old, "invoices", id=invoice_id, engagement_id=engagement_id, amount=1000, issued_at=at
                )

        upgrade(fresh_url)

        with engine.connect() as c:
            rows = c.execute(text("SELECT id, amount, payable FROM invoices ORDER BY id")).all()
            # Taxed: 1,000 + 40 + VAT 228.80 - withholding 20 % of 1,040 = 1,060.80. The GB account's
            # invoice was issued before VAT was charged: it owes its fee.
            assert [(i, Decimal(str(a)), Decimal(str(p))) for i, a, p in rows] == [
                (1, Decimal("1000"), Decimal("1060.80")),
                (2, Decimal("1000"), Decimal("1000")),
            ]
            taxes = dict(c.execute(text("SELECT id, taxes FROM invoices")).all())
            assert taxes[2] in (None, "null")
            assert taxes[1] is not None and "1060.80" in str(taxes[1])
    finally:
        engine.dispose()
