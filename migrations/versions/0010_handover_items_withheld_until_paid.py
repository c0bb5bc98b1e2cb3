"""handover items withheld until paid

An access-granting handover item waived while money was owed may be completed after closing,
once the late payment arrives; the flag says which waivers were of that kind.

Revision ID: 0010
Revises: 0006
Create Date: 2026-11-30 05:20:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("handover_items") as batch:
        batch.add_column(
            sa.Column("withheld_until_paid", sa.Boolean(), nullable=False, server_default=sa.false())
        )


def downgrade() -> None:
    with op.batch_alter_table("handover_items") as batch:
        batch.drop_column("withheld_until_paid")
