"""Seeding many engagements or messages fast: copy one made through the use cases, in SQL."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Connection, insert, select, text

from service.adapters.orm import engagements, invoices, messages


def copy_engagement(connection: Connection, engagement_id: int, copies: int) -> None:
    """``copies`` copies of an engagement and its invoices (the record is not copied: each copy
    continues the template's chain from its head, which is all the sweep needs)."""
    columns = [c.name for c in engagements.c if c.name != "id"]
    _copy(
        connection,
        f"INSERT INTO engagements ({', '.join(columns)}) "
        f"SELECT {', '.join('e.' + c for c in columns)} FROM engagements e, n WHERE e.id = :id",
        engagement_id,
        copies,
    )
    # Copies are not issued through the service: they carry no invoice number (numbers are unique).
    columns = [c.name for c in invoices.c if c.name not in ("id", "engagement_id", "number")]
    connection.execute(
        text(
            f"INSERT INTO invoices (engagement_id, {', '.join(columns)}) "
            f"SELECT e.id, {', '.join('i.' + c for c in columns)} "
            "FROM engagements e JOIN invoices i ON i.engagement_id = :id WHERE e.id > :id"
        ),
        {"id": engagement_id},
    )


def _copy(connection: Connection, insert: str, engagement_id: int, copies: int) -> None:
    # A recursive counter: the same SQL on SQLite and PostgreSQL (no generate_series).
    counter = "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < :copies) "
    connection.execute(text(counter + insert), {"id": engagement_id, "copies": copies})


def copy_message(connection: Connection, message_id: int, copies: int, due: datetime) -> None:
    """``copies`` copies of an approved message, each with its own Message-ID, all due at ``due``."""
    row = dict(connection.execute(select(messages).where(messages.c.id == message_id)).mappings().one())
    row.pop("id")
    row["next_attempt_at"] = due
    rows = [{**row, "message_id": f"<copy-{n}-of-{message_id}@example.com>"} for n in range(copies)]
    connection.execute(insert(messages), rows)
