"""Retention: what the service may forget, pruned in batches by the clock process.

Two kinds of rows grow with traffic and stop mattering: outbox rows whose announcements were
fanned out long ago, with their finished deliveries and attempts, and stored idempotency
answers past their key's lifetime. Each batch is its own short writer transaction, so writers
keep going between batches. Never pruned: an outbox row not yet fanned out, a delivery still
pending (or any row of its outbox message), the record, the documents.
"""

from __future__ import annotations

from dataclasses import dataclass

from service.application import idempotency
from service.application.runtime import Runtime


@dataclass(frozen=True)
class Pruned:
    delivered_webhooks: int
    idempotency_keys: int


def prune(rt: Runtime) -> Pruned:
    """Prune everything older than ``rt.retention`` allows, as of ``rt.clock()``."""
    keep = rt.retention
    keys = idempotency.purge_expired(rt, keep.batch, older_than=keep.idempotency_keys)
    return Pruned(prune_delivered_webhooks(rt), keys)


def prune_delivered_webhooks(rt: Runtime) -> int:
    """Outbox rows fanned out more than ``retention.delivered_webhooks`` ago whose deliveries
    are all finished, with those deliveries and their attempts. A row exactly at the limit stays."""
    keep = rt.retention
    cutoff = rt.clock() - keep.delivered_webhooks
    pruned = 0
    while True:
        with rt.writer() as uow:
            chosen, deleted = uow.webhooks.prune_delivered(cutoff, keep.batch)
            if chosen:
                uow.commit()
        pruned += deleted
        if chosen < keep.batch:
            return pruned
