"""hardening, round two: each tenant's due engagements in deadline order

The sweep gives each tenant a bounded slice per pass and reads that tenant's due engagements
in deadline order: (tenant_id, next_deadline) serves it without scanning other tenants' rows.
The sweeper also purges idempotency answers older than 24 hours, oldest first, in batches.
Each engagement's record head now carries the server's Ed25519 signature; heads written before
are empty until `flask --app service record sign-heads --unsigned` signs them.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-30 04:30:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_engagements_tenant_next_deadline", "engagements", ["tenant_id", "next_deadline"])
    op.create_index("ix_stored_responses_created_at", "stored_responses", ["created_at"])
    op.add_column(
        "engagements", sa.Column("record_signature", sa.String(128), nullable=False, server_default="")
    )


def downgrade() -> None:
    op.drop_column("engagements", "record_signature")
    op.drop_index("ix_stored_responses_created_at", table_name="stored_responses")
    op.drop_index("ix_engagements_tenant_next_deadline", table_name="engagements")
