"""API keys: issued, listed, revoked, and checked on every request.

Keys are random and long, so a SHA-256 digest is a safe store; the secret is shown once, when
the key is made. A revoked key stays listed (which key was used when is part of the story) but
never works again. An account always keeps one working key: losing the last one would lock its
owner out, so only an operator (``flask keys create``) could let them back in.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import datetime
from typing import Any

from service.application.pages import clamp, page_of
from service.application.runtime import Runtime
from service.application.unit_of_work import UnitOfWork
from service.domain.errors import Conflict, InvalidInput, NotFound
from service.domain.model import ApiKey

KEY_PREFIX = "eng_"
_PREFIX_LENGTH = 8
FIRST_KEY_NAME = "first key"


def key_digest(key: str) -> str:
    """What is stored of a key, and what the rate limiter and the negative cache key on."""
    return hashlib.sha256(key.encode()).hexdigest()


def issue_key(
    uow: UnitOfWork, tenant_id: int, now: datetime, name: str, expires_at: datetime | None = None
) -> tuple[ApiKey, str]:
    """A new key row, and the secret itself (returned once, never stored)."""
    prefix = secrets.token_hex(_PREFIX_LENGTH // 2)
    secret = f"{KEY_PREFIX}{prefix}_{secrets.token_urlsafe(32)}"
    key = ApiKey(
        tenant_id=tenant_id,
        prefix=prefix,
        key_hash=key_digest(secret),
        created_at=now,
        name=name,
        expires_at=expires_at,
    )
    uow.tenants.add_key(key)
    return key, secret


def presented_prefix(presented: str) -> str:
    """The part of a presented credential that names which key is meant ("eng_0123abcd"); what
    failed authentication is counted per, whatever the rest says."""
    return presented[: len(KEY_PREFIX) + _PREFIX_LENGTH]


def authenticate(rt: Runtime, presented: str) -> int | None:
    """The tenant id for a presented key, or None. The comparison takes constant time."""
    if not presented.startswith(KEY_PREFIX):
        return None
    prefix = presented_prefix(presented)[len(KEY_PREFIX) :]
    digest = key_digest(presented)
    for stored in rt.keys.candidates(prefix):
        if hmac.compare_digest(stored.key_hash, digest):
            now = rt.clock()  # real time: a sandbox's own clock does not age its keys
            if stored.expires_at is not None and now >= stored.expires_at:
                return None
            rt.keys.mark_used(stored, now)
            return stored.tenant_id
    return None


def key_view(key: ApiKey, now: datetime) -> dict[str, Any]:
    status = "revoked" if key.revoked_at else "active" if key.works_at(now) else "expired"
    return {
        "id": key.id,
        "name": key.name,
        "prefix": f"{KEY_PREFIX}{key.prefix}",
        "status": status,
        "created_at": key.created_at,
        "last_used_at": key.last_used_at,
        "expires_at": key.expires_at,
        "revoked_at": key.revoked_at,
    }


def list_keys(
    rt: Runtime, tenant_id: int, *, before_id: int | None, limit: int
) -> tuple[list[dict[str, Any]], int | None]:
    limit = clamp(limit)
    with rt.reader() as uow:
        rows = uow.tenants.keys(tenant_id, before_id=before_id, limit=limit + 1)
        return page_of([key_view(k, rt.clock()) for k in rows], limit)


def create_key(rt: Runtime, tenant_id: int, name: str, expires_at: datetime | None = None) -> dict[str, Any]:
    """A new key for the tenant; the answer holds the secret, which is never shown again."""
    with rt.writer() as uow:
        tenant = uow.tenants.get(tenant_id)
        if tenant is None:
            raise NotFound("account", tenant_id)
        now = rt.clock()
        if expires_at is not None and expires_at <= now:
            raise InvalidInput({"expires_at": ["A key must expire in the future."]})
        key, secret = issue_key(uow, tenant_id, now, name, expires_at)
        uow.flush()
        view = {**key_view(key, now), "key": secret}
        uow.commit()
        return view


def revoke_key(rt: Runtime, key_id: int, tenant_id: int | None = None) -> dict[str, Any]:
    """Revoke a key of the tenant (any tenant's, for an operator who passes None). Its next
    request answers 401, on every worker."""
    with rt.writer() as uow:
        key = uow.tenants.key(key_id, tenant_id)
        if key is None:
            raise NotFound("API key", key_id)
        uow.tenants.get(key.tenant_id, lock=True)  # two revocations of the last two keys queue here
        now = rt.clock()
        if key.revoked_at is None:
            others = [k for k in uow.tenants.keys(key.tenant_id) if k.id != key.id and k.works_at(now)]
            if not others:
                raise Conflict(
                    "This is the account's last working key: create another one first, then revoke this one."
                )
            key.revoked_at = now
        view = key_view(key, now)
        uow.commit()
        return view
