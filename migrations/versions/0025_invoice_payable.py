"""an invoice keeps what the client owes on it and its tax lines, fixed when issued

``payable`` is the fee with the taxes the account's invoices carry, less any withholding; the
balance, the reminders, the interest and the statements run on it. ``taxes`` holds the lines
(``domain.invoicing.stored``). An existing invoice owes its fee, except under an account that
already has a tax profile: its FatturaPA file has shown the taxed amounts since 0019, so its
lines are computed now as that file computed them.

Revision ID: 0025
Revises: 0024
Create Date: 2026-12-08 02:10:00
"""

from __future__ import annotations

from decimal import Decimal

import sqlalchemy as sa
from alembic import op

from service.domain.invoicing import invoicing_of, stored

revision = "0025"
down_revision = "0024"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("invoices") as batch:
        batch.add_column(sa.Column("payable", sa.Numeric(12, 2), nullable=True))
        batch.add_column(sa.Column("taxes", sa.JSON(), nullable=True))
    invoices = sa.table(
        "invoices",
        sa.column("id", sa.Integer),
        sa.column("engagement_id", sa.Integer),
        sa.column("amount", sa.Numeric(12, 2)),
        sa.column("payable", sa.Numeric(12, 2)),
        sa.column("taxes", sa.JSON()),
    )
    engagements = sa.table(
        "engagements",
        sa.column("id", sa.Integer),
        sa.column("tenant_id", sa.Integer),
        sa.column("client_vat_number", sa.String),
    )
    tenants = sa.table("tenants", sa.column("id", sa.Integer), sa.column("tax_profile", sa.JSON()))
    connection = op.get_bind()
    connection.execute(invoices.update().values(payable=invoices.c.amount))
    taxed = connection.execute(
        sa.select(invoices.c.id, invoices.c.amount, engagements.c.client_vat_number, tenants.c.tax_profile)
        .join(engagements, engagements.c.id == invoices.c.engagement_id)
        .join(tenants, tenants.c.id == engagements.c.tenant_id)
        .where(tenants.c.tax_profile.isnot(None))
    ).all()
    for invoice_id, amount, client_vat_number, profile in taxed:
        if profile is None:  # a JSON null reads as None on some backends
            continue
        lines = invoicing_of("IT", "", profile).lines(Decimal(amount), client_vat_number)
        assert lines is not None
        connection.execute(
            invoices.update()
            .where(invoices.c.id == invoice_id)
            .values(payable=lines.payable, taxes=stored(lines))
        )
    with op.batch_alter_table("invoices") as batch:
        batch.alter_column("payable", existing_type=sa.Numeric(12, 2), nullable=False)


def downgrade() -> None:
    with op.batch_alter_table("invoices") as batch:
        batch.drop_column("taxes")
        batch.drop_column("payable")
