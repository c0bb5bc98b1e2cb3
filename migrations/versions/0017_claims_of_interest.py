"""interest and compensation, once claimed, stay claimed until paid or waived

The engagement remembers the day a letter first claimed the statutory interest and fixed
compensation (``claimed_on``), what payments settled of that claim (``claim_paid``) and the
user's waiver, with its day, reason and amount (``claim_waiver``). Existing engagements have
claimed nothing yet.

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-07 22:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0017"
down_revision = "0016"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("engagements") as batch:
        batch.add_column(sa.Column("claimed_on", sa.Date(), nullable=True))
        batch.add_column(
            sa.Column("claim_paid", sa.Numeric(12, 2), nullable=False, server_default="0.00")
        )
        batch.add_column(sa.Column("claim_waiver", sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("engagements") as batch:
        batch.drop_column("claim_waiver")
        batch.drop_column("claim_paid")
        batch.drop_column("claimed_on")
