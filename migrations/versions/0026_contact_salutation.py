"""the client's contact has an optional salutation: title and surname

"Dear Sarah Harlow," reads as a form letter to an English client; with a salutation the letters
and their e-mails greet "Dear Ms Harlow," / "Gentile Sig.ra Rossi,". Existing engagements have
none: their letters keep greeting the contact's full name, a form neutral as to title.

Revision ID: 0026
Revises: 0025
Create Date: 2026-12-08 02:10:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0026"
down_revision = "0025"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("engagements") as batch:
        batch.add_column(
            sa.Column("client_contact_salutation", sa.String(100), nullable=False, server_default="")
        )


def downgrade() -> None:
    with op.batch_alter_table("engagements") as batch:
        batch.drop_column("client_contact_salutation")
