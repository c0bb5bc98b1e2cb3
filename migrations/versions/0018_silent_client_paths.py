"""a silent client ends by a formal demand or by withdrawal, never both

``feedback_essential`` is the contract clause that makes timely feedback an essential
obligation (a term fixed at creation, false for every existing engagement: their contracts do
not hold it). ``final_notice_path`` is the path the user chose with the final notice:
``withdrawal`` (the contract's notice period) or ``formal_demand`` (a *diffida*, art. 1454
c.c.); empty until a final notice is sent. Existing final notices were worded as neither, so
they are read as withdrawal, the path that needs no clause.

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-08 00:20:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0018"
down_revision = "0017"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("engagements") as batch:
        batch.add_column(
            sa.Column("feedback_essential", sa.Boolean(), nullable=False, server_default=sa.false())
        )
        batch.add_column(sa.Column("final_notice_path", sa.String(16), nullable=False, server_default=""))


def downgrade() -> None:
    with op.batch_alter_table("engagements") as batch:
        batch.drop_column("final_notice_path")
        batch.drop_column("feedback_essential")
