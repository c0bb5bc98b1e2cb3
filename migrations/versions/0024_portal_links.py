"""the client's portal links

A link to the portal (``/p/<token>``) is for one engagement and one contact; only the sha256 of
its random token is stored. It expires, and the user can revoke it.

Revision ID: 0024
Revises: 0023
Create Date: 2026-12-08 02:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0024"
down_revision = "0023"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "portal_links",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("tenant_id", sa.Integer(), sa.ForeignKey("tenants.id", ondelete="CASCADE"), nullable=False),
        sa.Column(
            "engagement_id", sa.Integer(), sa.ForeignKey("engagements.id", ondelete="CASCADE"), nullable=False
        ),
        sa.Column("contact", sa.String(320), nullable=False),
        sa.Column("token_hash", sa.String(64), nullable=False, unique=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("revoked_at", sa.DateTime(timezone=True)),
    )
    op.create_index("ix_portal_links_engagement_id", "portal_links", ["engagement_id", "id"])


def downgrade() -> None:
    op.drop_index("ix_portal_links_engagement_id", "portal_links")
    op.drop_table("portal_links")
