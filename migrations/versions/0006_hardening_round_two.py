"""hardening, round two: each tenant's due engagements in deadline order

The sweep gives each tenant a bounded slice per pass and reads that tenant's due engagements
in deadline order: (tenant_id, next_deadline) serves it without scanning other tenants' rows.
The sweeper also purges idempotency answers older than 24 hours, oldest first, in batches.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-30 04:30:00
"""

from __future__ import annotations

from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_engagements_tenant_next_deadline", "engagements", ["tenant_id", "next_deadline"])
    op.create_index("ix_stored_responses_created_at", "stored_responses", ["created_at"])


def downgrade() -> None:
    op.drop_index("ix_stored_responses_created_at", table_name="stored_responses")
    op.drop_index("ix_engagements_tenant_next_deadline", table_name="engagements")
