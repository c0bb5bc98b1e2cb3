"""formal demand and time to comply

The engagement remembers its last formal demand (the day it was sent and the deadline it gave)
so that ending for non-payment can wait for that deadline, and whether its contract holds the
express termination clause (art. 1456 c.c.), which spares that wait; and when its last conduct
warning went out and the day it gave the client to comply.

Revision ID: 0011
Revises: 0008
Create Date: 2026-11-30 05:50:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("engagements") as batch:
        batch.add_column(sa.Column("formal_demand_on", sa.Date(), nullable=True))
        batch.add_column(sa.Column("formal_demand_deadline", sa.Date(), nullable=True))
        batch.add_column(
            sa.Column("express_termination", sa.Boolean(), nullable=False, server_default=sa.false())
        )
        batch.add_column(sa.Column("conduct_warned_at", sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column("comply_by", sa.Date(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("engagements") as batch:
        batch.drop_column("comply_by")
        batch.drop_column("conduct_warned_at")
        batch.drop_column("express_termination")
        batch.drop_column("formal_demand_deadline")
        batch.drop_column("formal_demand_on")
