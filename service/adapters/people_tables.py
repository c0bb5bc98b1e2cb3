"""The desk's people: users of an account, their sessions and one-time sign-in links."""

from __future__ import annotations

from sqlalchemy import Column, ForeignKey, Index, Integer, String, Table

from service.adapters.orm import UTC_TIME, metadata


def _tenant() -> Column:
    return Column("tenant_id", Integer, ForeignKey("tenants.id", ondelete="CASCADE"), nullable=False)


users = Table(
    "users",
    metadata,
    Column("id", Integer, primary_key=True),
    _tenant(),
    Column("email", String(320), nullable=False, unique=True),
    Column("password_hash", String(200)),  # None until the user sets one through a sign-in link
    Column("created_at", UTC_TIME, nullable=False),
    Column("disabled_at", UTC_TIME),
    Index("ix_users_tenant_id", "tenant_id", "id"),
)


def _token_table(name: str) -> Table:
    """A session and a sign-in link are the same shape: a hashed token for one user, until it
    expires or is ended (a link ends when used)."""
    return Table(
        name,
        metadata,
        Column("id", Integer, primary_key=True),
        _tenant(),
        Column("user_id", Integer, ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
        Column("token_hash", String(64), nullable=False, unique=True),
        Column("created_at", UTC_TIME, nullable=False),
        Column("expires_at", UTC_TIME, nullable=False),
        Column("ended_at", UTC_TIME),
        Index(f"ix_{name}_user_id", "user_id"),
    )


desk_sessions = _token_table("desk_sessions")
signin_links = _token_table("signin_links")
