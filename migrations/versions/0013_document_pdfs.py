"""document pdfs

A document's PDF is converted once, outside the request workers, and stored beside the .docx
with its sha256; the row is the conversion's job while it is pending (a partial index finds
those).

Revision ID: 0013
Revises: 0012
Create Date: 2026-11-30 07:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "document_pdfs",
        sa.Column(
            "document_id", sa.Integer(), sa.ForeignKey("documents.id", ondelete="CASCADE"), primary_key=True
        ),
        sa.Column("tenant_id", sa.Integer(), sa.ForeignKey("tenants.id", ondelete="CASCADE"), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("lease_until", sa.DateTime(timezone=True)),
        sa.Column("content", sa.LargeBinary()),
        sa.Column("sha256", sa.String(64)),
        sa.Column("error", sa.String(500)),
        sa.Column("requested_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("finished_at", sa.DateTime(timezone=True)),
    )
    pending = sa.text("status = 'pending'")
    op.create_index(
        "ix_document_pdfs_pending",
        "document_pdfs",
        ["requested_at"],
        sqlite_where=pending,
        postgresql_where=pending,
    )


def downgrade() -> None:
    op.drop_index("ix_document_pdfs_pending", table_name="document_pdfs")
    op.drop_table("document_pdfs")
