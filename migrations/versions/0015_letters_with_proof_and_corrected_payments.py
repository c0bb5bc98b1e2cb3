"""letters with proof and payments that can be corrected

A message carries a note for its sender (send it by registered post too; print it). Payments
can be reversed (the reversal is a record entry; the row keeps when and why), and credit notes
are numbered per tenant and year in their own series (NC-2027-0001).

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-07 23:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None


MONEY = sa.Numeric(12, 2)
UTC_TIME = sa.DateTime(timezone=True)


def upgrade() -> None:
    with op.batch_alter_table("messages") as batch:
        batch.add_column(sa.Column("note", sa.String(1000)))
    with op.batch_alter_table("payments") as batch:
        batch.add_column(sa.Column("reversed_at", UTC_TIME))
        batch.add_column(sa.Column("reversal_reason", sa.String(1000)))
    with op.batch_alter_table("invoices") as batch:
        batch.add_column(sa.Column("credited", MONEY, nullable=False, server_default="0"))
        batch.add_column(sa.Column("cancelled_at", UTC_TIME))
        batch.add_column(sa.Column("cancellation_reason", sa.String(1000)))
        batch.add_column(sa.Column("credit_note_number", sa.String(20)))
    op.create_table(
        "credit_note_counters",
        sa.Column("tenant_id", sa.Integer, sa.ForeignKey("tenants.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("year", sa.Integer, primary_key=True),
        sa.Column("last_number", sa.Integer, nullable=False),
    )


def downgrade() -> None:
    op.drop_table("credit_note_counters")
    with op.batch_alter_table("invoices") as batch:
        for column in ("credit_note_number", "cancellation_reason", "cancelled_at", "credited"):
            batch.drop_column(column)
    with op.batch_alter_table("payments") as batch:
        batch.drop_column("reversal_reason")
        batch.drop_column("reversed_at")
    with op.batch_alter_table("messages") as batch:
        batch.drop_column("note")
