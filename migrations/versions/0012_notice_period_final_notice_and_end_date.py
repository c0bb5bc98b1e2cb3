"""notice period, final notice and the day the contract ends

The engagement's terms gain the notice period for ending without a breach
(``termination_notice_days``, 15 for existing engagements, as the contract they signed said
nothing: the service's default); it remembers the final notice sent to a client who does not
answer (when it went out and the day it gave them) and the day the contract ends once that day
is known.

Revision ID: 0012
Revises: 0011
Create Date: 2026-11-30 07:10:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("engagements") as batch:
        batch.add_column(
            sa.Column("termination_notice_days", sa.Integer(), nullable=False, server_default="15")
        )
        batch.add_column(sa.Column("final_notice_at", sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column("final_notice_deadline", sa.Date(), nullable=True))
        batch.add_column(sa.Column("ends_on", sa.Date(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("engagements") as batch:
        batch.drop_column("ends_on")
        batch.drop_column("final_notice_deadline")
        batch.drop_column("final_notice_at")
        batch.drop_column("termination_notice_days")
