"""Where the desk's users, sessions and sign-in links are kept: Core statements, as for API keys.

Tokens are random and long, so their sha256 is a safe store; the token itself lives only in the
cookie or the link. A disabled user's tokens stop working at once: every lookup joins the user.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Engine, Table, func, insert, select, update
from sqlalchemy.exc import IntegrityError

from service.adapters.people_tables import desk_sessions, signin_links, users
from service.domain.errors import Conflict
from service.domain.people import UserRow

TOKEN_TABLES: dict[str, Table] = {"session": desk_sessions, "link": signin_links}


_USER_COLUMNS = (
    users.c.id,
    users.c.tenant_id,
    users.c.email,
    users.c.password_hash,
    users.c.created_at,
    users.c.disabled_at,
)


class SqlUserStore:
    def __init__(self, engine: Engine, writer: Engine) -> None:
        self._engine = engine
        self._writer = writer  # takes SQLite's writer lock like every other write

    def add_user(self, tenant_id: int, email: str, password_hash: str | None, now: datetime) -> int:
        row = {"tenant_id": tenant_id, "email": email, "password_hash": password_hash, "created_at": now}
        try:
            with self._writer.begin() as connection:
                return int(connection.execute(insert(users).values(row)).inserted_primary_key[0])
        except IntegrityError as exc:
            raise Conflict(f"A user with the e-mail {email} already exists.") from exc

    def users(self, tenant_id: int) -> list[UserRow]:
        query = select(*_USER_COLUMNS).where(users.c.tenant_id == tenant_id).order_by(users.c.id)
        with self._engine.connect() as connection:
            return [UserRow(*row) for row in connection.execute(query)]

    def user(self, tenant_id: int, user_id: int) -> UserRow | None:
        query = select(*_USER_COLUMNS).where(users.c.tenant_id == tenant_id, users.c.id == user_id)
        with self._engine.connect() as connection:
            row = connection.execute(query).first()
        return UserRow(*row) if row else None

    def user_by_email(self, email: str) -> UserRow | None:
        query = select(*_USER_COLUMNS).where(func.lower(users.c.email) == email.lower())
        with self._engine.connect() as connection:
            row = connection.execute(query).first()
        return UserRow(*row) if row else None

    def set_password(self, user_id: int, password_hash: str) -> None:
        with self._writer.begin() as connection:
            connection.execute(update(users).where(users.c.id == user_id).values(password_hash=password_hash))

    def disable(self, tenant_id: int, user_id: int, now: datetime) -> bool:
        """Disable the user and end every session and link it holds, in one transaction."""
        with self._writer.begin() as connection:
            changed = connection.execute(
                update(users)
                .where(users.c.tenant_id == tenant_id, users.c.id == user_id, users.c.disabled_at.is_(None))
                .values(disabled_at=now)
            ).rowcount
            for table in TOKEN_TABLES.values():
                connection.execute(
                    update(table)
                    .where(table.c.user_id == user_id, table.c.ended_at.is_(None))
                    .values(ended_at=now)
                )
        return bool(changed)

    def add_token(
        self, kind: str, user: UserRow, token_hash: str, now: datetime, expires_at: datetime
    ) -> None:
        row = {
            "tenant_id": user.tenant_id,
            "user_id": user.id,
            "token_hash": token_hash,
            "created_at": now,
            "expires_at": expires_at,
        }
        with self._writer.begin() as connection:
            connection.execute(insert(TOKEN_TABLES[kind]).values(row))

    def live_token(self, kind: str, token_hash: str, now: datetime) -> UserRow | None:
        """The enabled user holding this unexpired, unended token."""
        table = TOKEN_TABLES[kind]
        query = (
            select(*_USER_COLUMNS)
            .join(table, table.c.user_id == users.c.id)
            .where(
                table.c.token_hash == token_hash,
                table.c.ended_at.is_(None),
                table.c.expires_at > now,
                users.c.disabled_at.is_(None),
            )
        )
        with self._engine.connect() as connection:
            row = connection.execute(query).first()
        return UserRow(*row) if row else None

    def end_token(self, kind: str, token_hash: str, now: datetime) -> bool:
        """End it once: of two concurrent uses of a one-time link, one wins."""
        table = TOKEN_TABLES[kind]
        with self._writer.begin() as connection:
            ended = connection.execute(
                update(table)
                .where(table.c.token_hash == token_hash, table.c.ended_at.is_(None), table.c.expires_at > now)
                .values(ended_at=now)
            ).rowcount
        return bool(ended)
