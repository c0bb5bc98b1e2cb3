"""Idempotency keys: a retried POST gets the first answer and changes nothing.

The key is claimed (inserted, and committed) before the request runs, so concurrent first
attempts race on a unique constraint and exactly one proceeds. The API then runs the request and
``settle`` in one transaction (``adapters/request_transaction.py``): the effect and its stored
answer commit together, or neither does. A claim is a lease: a request that died with it (its
worker killed at gunicorn's 30 s timeout, or the whole process) applied nothing, since its one
transaction never committed, so once the lease has run out a retry takes the key over. Answers
are kept 24 hours of real time, then the sweeper purges them in batches.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import timedelta

from service.application.runtime import Runtime
from service.domain.calendar import as_utc
from service.domain.errors import Conflict, InvalidInput
from service.domain.model import StoredResponse

KEY_LIFETIME = timedelta(hours=24)
# A little above the longest a request can run (gunicorn.conf.py: timeout 30 s, then a graceful 30 s).
CLAIM_LEASE = timedelta(seconds=90)
PURGE_BATCH = 500


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
        stored = uow.responses.get(tenant_id, key, lock=True)  # two retries cannot both take it over
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
            if as_utc(stored.created_at) > now - CLAIM_LEASE:
                raise _in_progress()
            stored.created_at = now  # the request holding it died: this one runs instead
            uow.commit()
            return None
        return Replay(stored.status, stored.content_type, stored.body)


def purge_expired(rt: Runtime, batch: int = PURGE_BATCH, *, older_than: timedelta = KEY_LIFETIME) -> int:
    """Delete answers and claims older than ``older_than`` (24 hours unless the deployment keeps
    them longer), ``batch`` rows per transaction (short transactions: the writers keep going
    between them). Returns how many went."""
    cutoff = rt.clock() - max(older_than, KEY_LIFETIME)
    purged = 0
    while True:
        with rt.writer() as uow:
            deleted = uow.responses.delete_older_than(cutoff, batch)
            if deleted:
                uow.commit()
        purged += deleted
        if deleted < batch:
            return purged


def _in_progress() -> Conflict:
    return Conflict("A request with this Idempotency-Key is still being processed; retry shortly.")


def settle(rt: Runtime, tenant_id: int, key: str, status: int, content_type: str, body: bytes) -> None:
    """Store the answer (in the request's transaction, which commits it with the effect); a
    server error releases the key, after the request was rolled back, so that a retry really
    runs again."""
    with rt.writer() as uow:
        stored = uow.responses.get(tenant_id, key)
        if stored is None:
            return
        if status >= 500:
            uow.responses.delete(stored)
        else:
            stored.status, stored.content_type, stored.body = status, content_type, body
        uow.commit()
