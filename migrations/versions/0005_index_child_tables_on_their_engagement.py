"""index child tables on their engagement

Loading an engagement reads its invoices and feedback requests by engagement_id; without an
index each load scanned the whole table, so every transition got slower as the service grew.
invoices and events already lead a unique constraint with the column and need no second index.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-27 13:55:14.139686
"""

from __future__ import annotations

from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

TABLES = ("approvals", "documents", "feedback_requests", "handover_items", "incidents", "payments", "work_log")


def upgrade() -> None:
    for table in TABLES:
        op.create_index(op.f(f"ix_{table}_engagement_id"), table, ["engagement_id"])


def downgrade() -> None:
    for table in TABLES:
        op.drop_index(op.f(f"ix_{table}_engagement_id"), table_name=table)
