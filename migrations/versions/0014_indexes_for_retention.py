"""indexes for retention and a tenant's engagement list, built without locking large tables

Pruning delivered webhooks finds the outbox rows dispatched before a cutoff (an index on
``outbox.dispatched_at``) and the deliveries of each (an index on
``webhook_deliveries.outbox_id``, which the foreign key's ON DELETE CASCADE needs on PostgreSQL
too: without it every deleted outbox row scans the deliveries). A tenant's engagement list
without a state filter pages newest first by id: ``(tenant_id, id)`` reads a page at any depth
straight from the index (the ``(tenant_id, state, id)`` one serves only a filtered list).

On PostgreSQL these tables can hold millions of rows on a live deployment, so each index is
built with ``CREATE INDEX CONCURRENTLY``, which takes no lock that stops writers but cannot run
inside a transaction: Alembic's autocommit block ends the migration's transaction around it. A
concurrent build that failed half-way leaves an invalid index of the same name; it is dropped
first so the retry builds a valid one. SQLite builds them plainly (one writer at a time anyway).

Revision ID: 0014
Revises: 0013
Create Date: 2026-11-30 07:10:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None

INDEXES = (
    ("ix_engagements_tenant_id_id", "engagements", ["tenant_id", "id"]),
    ("ix_outbox_dispatched_at", "outbox", ["dispatched_at"]),
    ("ix_webhook_deliveries_outbox_id", "webhook_deliveries", ["outbox_id"]),
)


def _invalid(name: str) -> bool:
    found = op.get_bind().execute(
        sa.text(
            "SELECT 1 FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid "
            "WHERE c.relname = :name AND NOT i.indisvalid"
        ),
        {"name": name},
    )
    return found.first() is not None


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        for name, table, columns in INDEXES:
            op.create_index(name, table, columns)
        return
    with op.get_context().autocommit_block():
        for name, table, columns in INDEXES:
            if _invalid(name):
                op.drop_index(name, table_name=table, postgresql_concurrently=True)
            op.create_index(name, table, columns, postgresql_concurrently=True, if_not_exists=True)


def downgrade() -> None:
    concurrently = op.get_bind().dialect.name == "postgresql"
    if not concurrently:
        for name, table, _ in INDEXES:
            op.drop_index(name, table_name=table)
        return
    with op.get_context().autocommit_block():
        for name, table, _ in INDEXES:
            op.drop_index(name, table_name=table, postgresql_concurrently=True, if_exists=True)
