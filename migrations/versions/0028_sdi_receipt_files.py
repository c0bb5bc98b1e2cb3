"""the bytes of each SdI receipt, kept as evidence

Until now a receipt left only its sha256 and what it said in the record; the uploaded bytes are
now kept (bounded by MAX_CONTENT_LENGTH), exported with the engagement and checked against the
sha256 of their ``sdi_receipt`` entry. Receipts recorded before have no bytes.

Revision ID: 0028
Revises: 0027
Create Date: 2026-12-08 03:20:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0028"
down_revision = "0027"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "sdi_receipt_files",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("tenant_id", sa.Integer(), sa.ForeignKey("tenants.id", ondelete="CASCADE"), nullable=False),
        sa.Column(
            "engagement_id", sa.Integer(), sa.ForeignKey("engagements.id", ondelete="CASCADE"), nullable=False
        ),
        sa.Column("invoice_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(2), nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("content", sa.LargeBinary(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_sdi_receipt_files_engagement_id", "sdi_receipt_files", ["engagement_id", "id"])


def downgrade() -> None:
    op.drop_index("ix_sdi_receipt_files_engagement_id", "sdi_receipt_files")
    op.drop_table("sdi_receipt_files")
