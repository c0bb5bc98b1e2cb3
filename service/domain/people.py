"""Rules for the people who use the desk: what a password must be, how long access lasts."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import NamedTuple

MIN_PASSWORD = 12  # NIST SP 800-63B allows 8; a desk that sends legal letters asks for more
MAX_PASSWORD = 256
SESSION_LIFETIME = timedelta(hours=12)
SIGNIN_LINK_LIFETIME = timedelta(hours=24)


class UserRow(NamedTuple):
    id: int
    tenant_id: int
    email: str
    password_hash: str | None
    created_at: datetime
    disabled_at: datetime | None


def normal_email(email: str) -> str:
    return email.strip().lower()


def password_problems(password: str) -> list[str]:
    """The keys of the sentences (wording `desk.password.*`) that say what is wrong with it."""
    if len(password) < MIN_PASSWORD:
        return ["too_short"]
    if len(password) > MAX_PASSWORD:
        return ["too_long"]
    return []
