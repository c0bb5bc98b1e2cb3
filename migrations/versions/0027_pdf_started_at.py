"""a PDF job remembers when its conversion started

``Retry-After`` on a pending PDF is the jobs ahead of it times the median of the recent
conversions (issue 35); a conversion's time is ``finished_at - started_at``, set when the converter
claims the job. Jobs finished before this have none and are not counted.

Revision ID: 0027
Revises: 0026
Create Date: 2026-12-08 03:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0027"
down_revision = "0026"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("document_pdfs") as batch:
        batch.add_column(sa.Column("started_at", sa.DateTime(timezone=True)))


def downgrade() -> None:
    with op.batch_alter_table("document_pdfs") as batch:
        batch.drop_column("started_at")
