"""Idempotency keys: a retried POST gets the first answer and changes nothing.

The key is claimed (inserted) before the request runs, so concurrent first attempts race on a
unique constraint and exactly one proceeds. Keys expire after 24 hours of real time.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import timedelta

from service.application.runtime import Runtime
from service.domain.errors import Conflict, InvalidInput
from service.domain.model import StoredResponse

KEY_LIFETIME = timedelta(hours=24)


@dataclass(frozen=True)
class Replay:
    status: int
    content_type: str
    body: bytes


def fingerprint(method: str, path: str, body: bytes) -> str:
    return hashlib.sha256(f"{method} {path}\n".encode() + body).hexdigest()


def claim(rt: Runtime, tenant_id: int, key: str, print_: str) -> Replay | None:
    """None: this request is the first and must run. A Replay: answer with it instead."""
    now = rt.clock()
    with rt.writer() as uow:
        stored = uow.responses.get(tenant_id, key)
        if stored is not None and stored.created_at < now - KEY_LIFETIME:
            uow.responses.delete(stored)
            uow.flush()
            stored = None
        if stored is None:
            uow.responses.add(
                StoredResponse(tenant_id=tenant_id, key=key, fingerprint=print_, created_at=now)
            )
            try:
                uow.commit()
            except Conflict:
                raise _in_progress() from None
            return None
        if stored.fingerprint != print_:
            raise InvalidInput(
                {"Idempotency-Key": ["This key was used with a different request; use a new key."]}
            )
        if stored.status is None:
            raise _in_progress()
        return Replay(stored.status, stored.content_type, stored.body)


def _in_progress() -> Conflict:
    return Conflict("A request with this Idempotency-Key is still being processed; retry shortly.")


def settle(rt: Runtime, tenant_id: int, key: str, status: int, content_type: str, body: bytes) -> None:
    """Store the answer; a server error releases the key so that a retry really runs again."""
    with rt.writer() as uow:
        stored = uow.responses.get(tenant_id, key)
        if stored is None:
            return
        if status >= 500:
            uow.responses.delete(stored)
        else:
            stored.status, stored.content_type, stored.body = status, content_type, body
        uow.commit()
