"""an account's tax code and tax profile, for its FatturaPA files

``tax_code`` is the account's codice fiscale; ``tax_profile`` the regime, VAT rate, pension
fund surcharge, withholding and stamp duty payer (``domain.tax``). Existing accounts have
none: nothing changes for them.

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-08 00:30:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0019"
down_revision = "0018"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("tenants") as batch:
        batch.add_column(sa.Column("tax_code", sa.String(50), nullable=False, server_default=""))
        batch.add_column(sa.Column("tax_profile", sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("tenants") as batch:
        batch.drop_column("tax_profile")
        batch.drop_column("tax_code")
