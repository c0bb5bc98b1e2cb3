"""the client's acceptance: one-time codes (hashed) and the account's sealing certificate

A client accepts the contract or an amendment with a code sent to the e-mail on file; only the
code's keyed hash is stored. The service seals the accepted PDF under the account's own
certificate, issued on first use; its private key is stored sealed with SMTP_SECRET_KEYS.

Revision ID: 0023
Revises: 0022
Create Date: 2026-12-08 02:30:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0023"
down_revision = "0022"
branch_labels = None
depends_on = None

UTC_TIME = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "acceptance_codes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("public_id", sa.String(length=32), nullable=False),
        sa.Column("tenant_id", sa.Integer(), nullable=False),
        sa.Column("engagement_id", sa.Integer(), nullable=False),
        sa.Column("subject", sa.String(length=16), nullable=False),
        sa.Column("amendment_id", sa.Integer(), nullable=True),
        sa.Column("document_id", sa.Integer(), nullable=False),
        sa.Column("pdf_sha256", sa.String(length=64), nullable=False),
        sa.Column("contact", sa.String(length=320), nullable=False),
        sa.Column("link_id", sa.String(length=64), nullable=False),
        sa.Column("code_hash", sa.String(length=64), nullable=False),
        sa.Column("created_at", UTC_TIME, nullable=False),
        sa.Column("expires_at", UTC_TIME, nullable=False),
        sa.Column("tries", sa.Integer(), nullable=False),
        sa.Column("used_at", UTC_TIME, nullable=True),
        sa.ForeignKeyConstraint(
            ["tenant_id"], ["tenants.id"], name=op.f("fk_acceptance_codes_tenant_id_tenants"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["engagement_id"],
            ["engagements.id"],
            name=op.f("fk_acceptance_codes_engagement_id_engagements"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_acceptance_codes")),
        sa.UniqueConstraint("tenant_id", "public_id", name=op.f("uq_acceptance_codes_tenant_id")),
    )
    op.create_index("ix_acceptance_codes_engagement", "acceptance_codes", ["engagement_id", "created_at"])
    op.create_table(
        "account_certificates",
        sa.Column("tenant_id", sa.Integer(), nullable=False),
        sa.Column("certificate_pem", sa.Text(), nullable=False),
        sa.Column("private_key_sealed", sa.Text(), nullable=False),
        sa.Column("created_at", UTC_TIME, nullable=False),
        sa.ForeignKeyConstraint(
            ["tenant_id"],
            ["tenants.id"],
            name=op.f("fk_account_certificates_tenant_id_tenants"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("tenant_id", name=op.f("pk_account_certificates")),
    )


def downgrade() -> None:
    op.drop_table("account_certificates")
    op.drop_index("ix_acceptance_codes_engagement", table_name="acceptance_codes")
    op.drop_table("acceptance_codes")
