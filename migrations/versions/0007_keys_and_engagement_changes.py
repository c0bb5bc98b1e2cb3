"""named, expiring, revocable API keys; client search; documents listed per tenant

A tenant holds several keys: each has a name and a last-used time, may expire, and is revoked
rather than deleted so the list still explains which key was used when. Engagements keep a
case- and accent-folded copy of the client's name to search by (the same on both backends),
documents are indexed by tenant for the list across engagements, and each engagement keeps
its amendments of terms with the day each applies from.

Revision ID: 0007
Revises: 0010
Create Date: 2026-11-30 04:30:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from service.domain.search import search_key

revision = "0007"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("api_keys", schema=None) as batch_op:
        batch_op.add_column(sa.Column("name", sa.String(length=100), nullable=False, server_default="first key"))
        batch_op.add_column(sa.Column("last_used_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("expires_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True))
    with op.batch_alter_table("api_keys", schema=None) as batch_op:
        batch_op.alter_column("name", server_default=None)

    with op.batch_alter_table("engagements", schema=None) as batch_op:
        batch_op.add_column(sa.Column("client_search", sa.String(length=800), nullable=False, server_default=""))
    engagements = sa.table("engagements", sa.column("id", sa.Integer), sa.column("client_name", sa.String),
                           sa.column("client_search", sa.String))
    connection = op.get_bind()
    for row in connection.execute(sa.select(engagements.c.id, engagements.c.client_name)).all():
        connection.execute(engagements.update().where(engagements.c.id == row.id)
                           .values(client_search=search_key(row.client_name)))
    with op.batch_alter_table("engagements", schema=None) as batch_op:
        batch_op.alter_column("client_search", server_default=None)
        batch_op.add_column(sa.Column("term_changes", sa.JSON(), nullable=False, server_default=sa.text("'[]'")))
    with op.batch_alter_table("engagements", schema=None) as batch_op:
        batch_op.alter_column("term_changes", server_default=None)

    op.create_index("ix_documents_tenant_id_id", "documents", ["tenant_id", "id"])


def downgrade() -> None:
    op.drop_index("ix_documents_tenant_id_id", table_name="documents")
    with op.batch_alter_table("engagements", schema=None) as batch_op:
        batch_op.drop_column("term_changes")
        batch_op.drop_column("client_search")
    with op.batch_alter_table("api_keys", schema=None) as batch_op:
        batch_op.drop_column("revoked_at")
        batch_op.drop_column("expires_at")
        batch_op.drop_column("last_used_at")
        batch_op.drop_column("name")
