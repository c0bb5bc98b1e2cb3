"""an account chooses the order payments are applied in, and whether interest holds the resume

Issue 30: by default a payment settles capital first (work resumes once the invoices are paid);
an account may keep the statutory order instead (costs and interest before capital, art. 1194
c.c.), and may let the claimed interest still unpaid hold the resume. Existing accounts keep
today's behaviour: capital first, interest does not hold the resume.

Revision ID: 0022
Revises: 0021
Create Date: 2026-12-08 02:10:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0022"
down_revision = "0021"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("tenants") as batch:
        batch.add_column(
            sa.Column("payment_allocation", sa.String(16), nullable=False, server_default="capital_first")
        )
        batch.add_column(
            sa.Column("interest_holds_resume", sa.Boolean, nullable=False, server_default=sa.false())
        )


def downgrade() -> None:
    with op.batch_alter_table("tenants") as batch:
        batch.drop_column("interest_holds_resume")
        batch.drop_column("payment_allocation")
