"""The desk's people: creating users, signing in and out, and one-time sign-in links.

Sessions and links are rows (``adapters/user_store.py``): ending one ends it on every worker.
Nothing here says whether an e-mail exists: a wrong password and an unknown user answer alike.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Protocol

from service.domain.errors import InvalidInput, NotFound
from service.domain.people import (
    SESSION_LIFETIME,
    SIGNIN_LINK_LIFETIME,
    UserRow,
    normal_email,
    password_problems,
)


class UserStore(Protocol):
    def add_user(self, tenant_id: int, email: str, password_hash: str | None, now: datetime) -> int: ...
    def users(self, tenant_id: int) -> list[UserRow]: ...
    def user(self, tenant_id: int, user_id: int) -> UserRow | None: ...
    def user_by_email(self, email: str) -> UserRow | None: ...
    def set_password(self, user_id: int, password_hash: str) -> None: ...
    def disable(self, tenant_id: int, user_id: int, now: datetime) -> bool: ...
    def add_token(
        self, kind: str, user: UserRow, token_hash: str, now: datetime, expires_at: datetime
    ) -> None: ...
    def live_token(self, kind: str, token_hash: str, now: datetime) -> UserRow | None: ...
    def end_token(self, kind: str, token_hash: str, now: datetime) -> bool: ...


class Passwords(Protocol):
    def hash(self, password: str) -> str: ...
    def verify(self, password_hash: str | None, password: str) -> bool: ...


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _check_password(password: str) -> None:
    problems = password_problems(password)
    if problems:
        raise InvalidInput({"password": problems})


@dataclass
class People:
    store: UserStore
    passwords: Passwords
    clock: Callable[[], datetime]

    def create_user(self, tenant_id: int, email: str, password: str | None) -> int:
        """A user with a password, or without one (then a sign-in link sets it)."""
        if password is not None:
            _check_password(password)
        hashed = self.passwords.hash(password) if password is not None else None
        return self.store.add_user(tenant_id, normal_email(email), hashed, self.clock())

    def list_users(self, tenant_id: int) -> list[UserRow]:
        return self.store.users(tenant_id)

    def disable_user(self, tenant_id: int, user_id: int) -> None:
        if self.store.user(tenant_id, user_id) is None:
            raise NotFound("user", user_id)
        self.store.disable(tenant_id, user_id, self.clock())

    def issue_signin_link(self, tenant_id: int, user_id: int) -> str:
        """A one-time token, valid for a day, that lets the user set a password and sign in."""
        user = self.store.user(tenant_id, user_id)
        if user is None or user.disabled_at is not None:
            raise NotFound("user", user_id)
        return self._issue("link", user, SIGNIN_LINK_LIFETIME)

    def link_holder(self, token: str) -> UserRow | None:
        """Who a sign-in link is for, if it still works; opening it uses nothing up."""
        return self.store.live_token("link", token_digest(token), self.clock())

    def redeem_link(self, token: str, password: str) -> str | None:
        """Set the password and start a session; None when the link is used, expired or unknown."""
        _check_password(password)
        user = self.link_holder(token)
        if user is None or not self.store.end_token("link", token_digest(token), self.clock()):
            return None
        self.store.set_password(user.id, self.passwords.hash(password))
        return self._issue("session", user, SESSION_LIFETIME)

    def sign_in(self, email: str, password: str) -> str | None:
        found = self.store.user_by_email(normal_email(email))
        user = found if found is not None and found.disabled_at is None else None
        # Verified even for an unknown e-mail (against a decoy hash): both answers take as long.
        if not self.passwords.verify(user.password_hash if user else None, password) or user is None:
            return None
        return self._issue("session", user, SESSION_LIFETIME)

    def session_user(self, token: str) -> UserRow | None:
        return self.store.live_token("session", token_digest(token), self.clock())

    def sign_out(self, token: str) -> None:
        self.store.end_token("session", token_digest(token), self.clock())

    def _issue(self, kind: str, user: UserRow, lifetime: timedelta) -> str:
        token = secrets.token_urlsafe(32)
        now = self.clock()
        self.store.add_token(kind, user, token_digest(token), now, now + lifetime)
        return token
