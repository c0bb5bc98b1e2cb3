"""the client's legal representative has a role beside the name

"Nome e cognome: Niccolò Ferrè, socio accomandatario" put the role in the name field; the
signature block now reads the name and, on its own line, the role (``socio accomandatario``,
``Director``). Existing engagements have no role recorded.

Revision ID: 0020
Revises: 0019
Create Date: 2026-12-08 00:30:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0020"
down_revision = "0019"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("engagements") as batch:
        batch.add_column(
            sa.Column("client_legal_representative_role", sa.String(200), nullable=False, server_default="")
        )


def downgrade() -> None:
    with op.batch_alter_table("engagements") as batch:
        batch.drop_column("client_legal_representative_role")
