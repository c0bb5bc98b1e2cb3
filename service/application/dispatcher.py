"""The dispatcher: fans the outbox out to webhook endpoints and delivers what is due.

One round: (1) pending outbox rows become deliveries, one per subscribed endpoint, in one
transaction; (2) a batch of due deliveries is claimed under a lease and the claim committed;
(3) each is posted, outside any transaction; (4) the outcomes are written in one transaction.
A dispatcher killed between (2) and (4) loses nothing: its lease runs out and another round
posts the same body again with the same ``webhook-id`` (at least once; receivers de-duplicate).
"""

from __future__ import annotations

import logging
import random
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from service.application.runtime import Runtime
from service.application.unit_of_work import UnitOfWork
from service.domain import webhooks
from service.domain.queues import ClaimedDelivery
from service.domain.sayings import Said, say
from service.domain.webhooks import Answer, OutboxMessage, WebhookAttempt, WebhookEndpoint

logger = logging.getLogger(__name__)
BATCH = 200  # deliveries one round claims in all ...
SHARE = 20  # ... and at most this many of one tenant's, taken round-robin (fair delivery)
FAN_OUT_BATCH = 500
USER_AGENT = "engagement-service-webhooks/1"
# A claimed row is this dispatcher's for LEASE; it starts no post after POSTING_BUDGET, so even a
# post that then takes its whole deadline ends inside the lease. Unposted rows are let go.
LEASE = timedelta(seconds=120)
POSTING_BUDGET = LEASE - timedelta(seconds=webhooks.TOTAL_TIMEOUT_SECONDS)


@dataclass
class Round:
    fanned_out: int = 0
    attempted: int = 0
    succeeded: int = 0
    deferred: int = 0  # claimed, not posted: their receiver was silent, or the round's time was up

    def __iadd__(self, other: Round) -> Round:
        self.fanned_out += other.fanned_out
        self.attempted += other.attempted
        self.succeeded += other.succeeded
        self.deferred += other.deferred
        return self


def deliver_round(rt: Runtime, *, batch: int = BATCH, rng: random.Random | None = None) -> Round:
    now = rt.clock()
    done = Round(fanned_out=fan_out(rt, now))
    with rt.writer() as uow:
        claimed = uow.webhooks.claim(now, batch, SHARE, now + LEASE)
        uow.commit()
    if not claimed:
        return done
    answers: list[tuple[ClaimedDelivery, Answer]] = []
    unposted: list[ClaimedDelivery] = []
    silent: set[int] = set()  # endpoints that gave no answer in this round: one timeout each
    for delivery in claimed:
        if rt.clock() - now > POSTING_BUDGET or delivery.endpoint_id in silent:
            unposted.append(delivery)
            continue
        answer = post(rt, delivery)
        answers.append((delivery, answer))
        if answer.status_code is None:
            silent.add(delivery.endpoint_id)
    with rt.writer() as uow:
        done.attempted, done.succeeded = _record(uow, answers, rt.clock(), rng)
        uow.webhooks.release(unposted)
        uow.commit()
    done.deferred = len(unposted)
    return done


def deliver_until_idle(rt: Runtime, *, batch: int = BATCH, rng: random.Random | None = None) -> Round:
    """Rounds until nothing is due now, or until a round had to put deliveries back (a silent
    receiver's: they wait for the next wake, so that it costs one timeout per wake, not one per
    delivery): what `flask deliver` runs each time it wakes."""
    total = Round()
    while True:
        done = deliver_round(rt, batch=batch, rng=rng)
        total += done
        if (not done.fanned_out and not done.attempted) or done.deferred:
            return total


def fan_out(rt: Runtime, now: datetime) -> int:
    total = 0
    while True:
        with rt.writer() as uow:
            count = uow.webhooks.fan_out(now, FAN_OUT_BATCH)
            uow.commit()
        total += count
        if count < FAN_OUT_BATCH:
            return total


def post(rt: Runtime, delivery: ClaimedDelivery) -> Answer:
    """One delivery's answer; whatever goes wrong with it is its failed attempt, on the backoff
    schedule like a refusal, and the deliveries after it are still posted."""
    try:
        return _post(rt, delivery)
    except Exception as error:  # a fault of this delivery (its stored body, secret, URL), not of the round
        logger.exception("webhook delivery %s could not be posted", delivery.id)
        return Answer(None, 0, f"{type(error).__name__}: {error}"[:500])


def _post(rt: Runtime, delivery: ClaimedDelivery) -> Answer:
    sent_at = int(rt.clock().timestamp())
    headers = {
        "content-type": "application/json",
        "user-agent": USER_AGENT,
        "webhook-id": delivery.webhook_id,
        "webhook-timestamp": str(sent_at),
        "webhook-signature": webhooks.signature_header(
            delivery.secrets, delivery.webhook_id, sent_at, delivery.body
        ),
    }
    return rt.webhook_http.post(delivery.url, delivery.body.encode(), headers)


def _record(
    uow: UnitOfWork,
    answers: list[tuple[ClaimedDelivery, Answer]],
    now: datetime,
    rng: random.Random | None,
) -> tuple[int, int]:
    """Write every outcome of a batch, then what they mean for their endpoints: (tries, successes)."""
    outcomes = []
    verdicts: dict[int, webhooks.Verdict] = {}
    for delivery, answer in answers:
        verdict = verdicts[delivery.id] = webhooks.judge(answer, delivery.attempts + 1, now, rng)
        changes: dict[str, Any] = {
            "status": "pending",
            "last_status_code": answer.status_code,
            "last_error": answer.error,
            "next_attempt_at": verdict.next_attempt_at,
        }
        if verdict.succeeded or verdict.next_attempt_at is None:
            changes.update(status="succeeded" if verdict.succeeded else "failed", completed_at=now)
        attempt = WebhookAttempt(delivery.id, now, answer.status_code, answer.latency_ms, answer.error)
        outcomes.append((delivery, attempt, changes))
    held = uow.webhooks.finish_attempts(outcomes)
    endpoints: dict[int, WebhookEndpoint | None] = {}
    succeeded = 0
    for delivery, _ in answers:
        if delivery.id not in held:
            continue  # another dispatcher took the row after this one's lease ran out
        if delivery.endpoint_id not in endpoints:
            endpoints[delivery.endpoint_id] = uow.webhooks.endpoint(
                delivery.tenant_id, delivery.endpoint_id, lock=True
            )
        endpoint = endpoints[delivery.endpoint_id]
        verdict = verdicts[delivery.id]
        succeeded += verdict.succeeded
        if endpoint is not None:
            _judge_endpoint(uow, endpoint, verdict, now)
    return len(held), succeeded


def _judge_endpoint(
    uow: UnitOfWork, endpoint: WebhookEndpoint, verdict: webhooks.Verdict, now: datetime
) -> None:
    if verdict.succeeded:
        if endpoint.failing_since is not None:
            endpoint.failing_since = None
        return
    if endpoint.failing_since is None:
        endpoint.failing_since = now
    if endpoint.disabled_at is None:
        if verdict.disable_endpoint:
            disable(uow, endpoint, _in_accounts_language(uow, endpoint, Said("webhooks.gone")), now)
        elif now - endpoint.failing_since >= webhooks.FAILING_LIMIT:
            failing = Said("webhooks.failing", count=webhooks.FAILING_LIMIT.days)
            disable(uow, endpoint, _in_accounts_language(uow, endpoint, failing), now)


def _in_accounts_language(uow: UnitOfWork, endpoint: WebhookEndpoint, reason: Said) -> str:
    """An endpoint belongs to the account, not to an engagement: its reason is in the account's language."""
    tenant = uow.tenants.get(endpoint.tenant_id)
    return say(reason, tenant.language if tenant else None)


def disable(uow: UnitOfWork, endpoint: WebhookEndpoint, reason: str, now: datetime) -> None:
    """Stop delivering to the endpoint and tell the tenant's other endpoints."""
    endpoint.disabled_at = now
    endpoint.disabled_reason = reason
    uow.webhooks.fail_pending(endpoint.id or 0, f"endpoint disabled: {reason}", now)
    data = {"endpoint_id": endpoint.id, "url": endpoint.url, "reason": reason}
    uow.webhooks.announce(
        OutboxMessage(
            endpoint.tenant_id,
            webhooks.ENDPOINT_DISABLED,
            webhooks.body(webhooks.ENDPOINT_DISABLED, now, data),
            now,
        )
    )
