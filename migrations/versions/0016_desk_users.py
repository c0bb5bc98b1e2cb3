"""desk users, their sessions and one-time sign-in links

People sign in to the desk with an e-mail and a password (argon2). A session is a row, so
signing out or disabling a user ends it on every worker at once; the cookie holds a random
token whose sha256 is all that is stored, as for API keys and sign-in links.

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-07 23:30:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None


def _tenant() -> sa.Column:
    return sa.Column("tenant_id", sa.Integer(), sa.ForeignKey("tenants.id", ondelete="CASCADE"), nullable=False)


def _user() -> sa.Column:
    return sa.Column("user_id", sa.Integer(), sa.ForeignKey("users.id", ondelete="CASCADE"), nullable=False)


def upgrade() -> None:
    op.create_table(
        "users",
        sa.Column("id", sa.Integer(), primary_key=True),
        _tenant(),
        sa.Column("email", sa.String(320), nullable=False, unique=True),
        sa.Column("password_hash", sa.String(200)),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("disabled_at", sa.DateTime(timezone=True)),
    )
    op.create_index("ix_users_tenant_id", "users", ["tenant_id", "id"])
    for table in ("desk_sessions", "signin_links"):
        op.create_table(
            table,
            sa.Column("id", sa.Integer(), primary_key=True),
            _tenant(),
            _user(),
            sa.Column("token_hash", sa.String(64), nullable=False, unique=True),
            sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
            sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
            sa.Column("ended_at", sa.DateTime(timezone=True)),
        )
        op.create_index(f"ix_{table}_user_id", table, ["user_id"])


def downgrade() -> None:
    for table in ("signin_links", "desk_sessions"):
        op.drop_index(f"ix_{table}_user_id", table_name=table)
        op.drop_table(table)
    op.drop_index("ix_users_tenant_id", table_name="users")
    op.drop_table("users")
