"""an invoice keeps what SdI said of its FatturaPA files

The receipts the user brings back from their intermediary (RC delivered, NS rejected, MC not
delivered, NE, DT, AT): the status of the invoice's own file, and every receipt of it and of
its credit note's file (domain/sdi.py). Existing invoices have no receipt.

Revision ID: 0021
Revises: 0020
Create Date: 2026-12-08 02:10:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0021"
down_revision = "0020"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("invoices") as batch:
        batch.add_column(sa.Column("sdi_status", sa.String(24)))
        batch.add_column(sa.Column("sdi_receipts", sa.JSON, nullable=False, server_default="[]"))


def downgrade() -> None:
    with op.batch_alter_table("invoices") as batch:
        batch.drop_column("sdi_receipts")
        batch.drop_column("sdi_status")
