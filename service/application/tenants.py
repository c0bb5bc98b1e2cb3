"""Tenants and their API keys. Keys are random and long, so a SHA-256 digest is a safe store."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from typing import Any

from service.application.runtime import Runtime
from service.domain.errors import NotFound
from service.domain.model import ApiKey, Tenant

KEY_PREFIX = "eng_"
_PREFIX_LENGTH = 8
SENDER_FIELDS = (
    "name",
    "sender_address",
    "sender_email",
    "vat_number",
    "signatory",
    "language",
    "delivery_mode",
)


def _digest(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def create_tenant(
    rt: Runtime, name: str, *, sandbox: bool = False, language: str = "en"
) -> tuple[Tenant, str]:
    """Create a tenant and its first key; the key itself is returned once and never stored."""
    with rt.writer() as uow:
        now = rt.clock()
        tenant = Tenant(name=name, language=language, sandbox=sandbox, created_at=now)
        uow.tenants.add(tenant)
        uow.flush()
        assert tenant.id is not None
        key = issue_key(uow, tenant.id, now)
        uow.commit()
        return tenant, key


def issue_key(uow: Any, tenant_id: int, now: Any) -> str:
    prefix = secrets.token_hex(_PREFIX_LENGTH // 2)
    key = f"{KEY_PREFIX}{prefix}_{secrets.token_urlsafe(32)}"
    uow.tenants.add_key(ApiKey(tenant_id=tenant_id, prefix=prefix, key_hash=_digest(key), created_at=now))
    return key


def authenticate(rt: Runtime, key: str) -> int | None:
    """The tenant id for a presented key, or None. The comparison takes constant time."""
    if not key.startswith(KEY_PREFIX):
        return None
    prefix = key[len(KEY_PREFIX) : len(KEY_PREFIX) + _PREFIX_LENGTH]
    presented = _digest(key)
    for tenant_id, key_hash in rt.keys.hashes_with_prefix(prefix):
        if hmac.compare_digest(key_hash, presented):
            return tenant_id
    return None


def get_tenant(rt: Runtime, tenant_id: int) -> Tenant:
    with rt.reader() as uow:
        tenant = uow.tenants.get(tenant_id)
        if tenant is None:
            raise NotFound("account", tenant_id)
        return tenant


def update_tenant(rt: Runtime, tenant_id: int, changes: dict[str, Any]) -> Tenant:
    with rt.writer() as uow:
        tenant = uow.tenants.get(tenant_id)
        if tenant is None:
            raise NotFound("account", tenant_id)
        for field in SENDER_FIELDS:
            if field in changes:
                setattr(tenant, field, changes[field])
        uow.commit()
        return tenant
