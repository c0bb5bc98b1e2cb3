"""jurisdiction, time zone, parties' data and invoice numbers

Tenants get a jurisdiction and an IANA time zone (from their language: it -> IT and
Europe/Rome, en -> GB and Europe/London), payment details (IBAN, BIC), a city and a PEC address;
engagements get the tenant's jurisdiction and the client's tax data. Invoices get a number per
tenant and calendar year: existing ones are numbered in the order they were issued, and the
counter table continues from there.

Revision ID: 0009
Revises: 0007
Create Date: 2026-11-30 04:30:00
"""

from __future__ import annotations

from collections import defaultdict

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0007"
branch_labels = None
depends_on = None

TENANT_TEXT = {"iban": 34, "bic": 11, "city": 200, "pec": 320}
CLIENT_TEXT = {
    "client_vat_number": 50,
    "client_tax_code": 50,
    "client_pec": 320,
    "client_sdi_code": 7,
    "client_registered_office": 500,
    "client_legal_representative": 200,
}


def _text(name: str, length: int) -> sa.Column:
    return sa.Column(name, sa.String(length=length), nullable=False, server_default="")


def upgrade() -> None:
    with op.batch_alter_table("tenants") as batch:
        batch.add_column(sa.Column("jurisdiction", sa.String(length=2), nullable=False, server_default="GB"))
        batch.add_column(
            sa.Column("timezone", sa.String(length=64), nullable=False, server_default="Europe/London")
        )
        for name, length in TENANT_TEXT.items():
            batch.add_column(_text(name, length))
    op.execute("UPDATE tenants SET jurisdiction = 'IT', timezone = 'Europe/Rome' WHERE language = 'it'")

    with op.batch_alter_table("engagements") as batch:
        for name, length in CLIENT_TEXT.items():
            batch.add_column(_text(name, length))
        batch.add_column(sa.Column("jurisdiction", sa.String(length=2), nullable=False, server_default="GB"))
    op.execute(
        "UPDATE engagements SET jurisdiction = "
        "(SELECT tenants.jurisdiction FROM tenants WHERE tenants.id = engagements.tenant_id)"
    )

    op.add_column("invoices", sa.Column("tenant_id", sa.Integer(), nullable=True))
    op.add_column("invoices", sa.Column("number", sa.String(length=20), nullable=True))
    op.create_table(
        "invoice_counters",
        sa.Column("tenant_id", sa.Integer(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("last_number", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["tenant_id"],
            ["tenants.id"],
            name=op.f("fk_invoice_counters_tenant_id_tenants"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("tenant_id", "year", name=op.f("pk_invoice_counters")),
    )
    _number_existing_invoices()
    op.create_index("uq_invoices_tenant_number", "invoices", ["tenant_id", "number"], unique=True)


def _number_existing_invoices() -> None:
    connection = op.get_bind()
    rows = connection.execute(
        sa.text(
            "SELECT invoices.id, engagements.tenant_id, invoices.issued_at FROM invoices "
            "JOIN engagements ON engagements.id = invoices.engagement_id "
            "ORDER BY engagements.tenant_id, invoices.issued_at, invoices.id"
        )
    ).all()
    last: dict[tuple[int, int], int] = defaultdict(int)
    for invoice_id, tenant_id, issued_at in rows:
        year = int(str(issued_at)[:4])  # SQLite hands back text, PostgreSQL a datetime
        last[(tenant_id, year)] += 1
        connection.execute(
            sa.text("UPDATE invoices SET tenant_id = :tenant, number = :number WHERE id = :id"),
            {"tenant": tenant_id, "number": f"{year}-{last[(tenant_id, year)]:04d}", "id": invoice_id},
        )
    for (tenant_id, year), number in last.items():
        connection.execute(
            sa.text("INSERT INTO invoice_counters (tenant_id, year, last_number) VALUES (:t, :y, :n)"),
            {"t": tenant_id, "y": year, "n": number},
        )


def downgrade() -> None:
    op.drop_index("uq_invoices_tenant_number", table_name="invoices")
    op.drop_table("invoice_counters")
    with op.batch_alter_table("invoices") as batch:
        batch.drop_column("number")
        batch.drop_column("tenant_id")
    with op.batch_alter_table("engagements") as batch:
        for name in (*CLIENT_TEXT, "jurisdiction"):
            batch.drop_column(name)
    with op.batch_alter_table("tenants") as batch:
        for name in ("jurisdiction", "timezone", *TENANT_TEXT):
            batch.drop_column(name)
