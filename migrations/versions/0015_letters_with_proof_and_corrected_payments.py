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


def upgrade() -> None:
    with op.batch_alter_table("messages") as batch:
        batch.add_column(sa.Column("note", sa.String(1000)))


def downgrade() -> None:
    with op.batch_alter_table("messages") as batch:
        batch.drop_column("note")
