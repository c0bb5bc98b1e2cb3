"""Alembic environment: our engine factory (SQLite pragmas included) and our metadata."""

from __future__ import annotations

from alembic import context

from service.adapters.database import make_engine
from service.adapters.orm import metadata

config = context.config


def run_migrations_offline() -> None:
    context.configure(
        url=config.get_main_option("sqlalchemy.url"), target_metadata=metadata, literal_binds=True
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    engine = make_engine(config.get_main_option("sqlalchemy.url") or "")
    with engine.connect() as connection:
        if connection.dialect.name == "sqlite":
            # Batch mode rebuilds a table by copying it and dropping the old one; with foreign keys
            # on, that drop would cascade and delete every child row (an engagement's invoices).
            # The pragma only takes effect outside a transaction, so before the migrations' own.
            connection.connection.driver_connection.execute("PRAGMA foreign_keys=OFF")
        # SQLite cannot ALTER most things in place; batch mode rebuilds tables safely.
        context.configure(
            connection=connection,
            target_metadata=metadata,
            render_as_batch=connection.dialect.name == "sqlite",
        )
        with context.begin_transaction():
            context.run_migrations()
    engine.dispose()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
