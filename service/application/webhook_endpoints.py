"""Webhook endpoints: register, change, rotate the secret, read the delivery log, retry."""

from __future__ import annotations

from typing import Any

from service.application.runtime import Runtime
from service.application.unit_of_work import UnitOfWork
from service.domain import webhooks
from service.domain.errors import Conflict, InvalidInput, NotFound
from service.domain.webhooks import WebhookDelivery, WebhookEndpoint


def endpoint_view(endpoint: WebhookEndpoint) -> dict[str, Any]:
    return {
        "id": endpoint.id,
        "url": endpoint.url,
        "events": list(endpoint.events),
        "description": endpoint.description,
        "enabled": endpoint.disabled_at is None,
        "disabled_at": endpoint.disabled_at,
        "disabled_reason": endpoint.disabled_reason,
        "failing_since": endpoint.failing_since,
        "created_at": endpoint.created_at,
    }


def _check_url(rt: Runtime, url: str) -> None:
    try:
        rt.webhook_http.check(url)
    except ValueError as exc:
        raise InvalidInput({"url": [f"This URL cannot receive webhooks: {exc}."]}) from exc


def _require(uow: UnitOfWork, tenant_id: int, endpoint_id: int, *, lock: bool = False) -> WebhookEndpoint:
    endpoint = uow.webhooks.endpoint(tenant_id, endpoint_id, lock=lock)
    if endpoint is None:
        raise NotFound("webhook endpoint", endpoint_id)
    return endpoint


def create_endpoint(rt: Runtime, tenant_id: int, fields: dict[str, Any]) -> dict[str, Any]:
    """The answer is the only time the signing secret is shown."""
    _check_url(rt, fields["url"])
    with rt.writer() as uow:
        endpoint = WebhookEndpoint(
            tenant_id=tenant_id,
            url=fields["url"],
            events=fields["events"],
            description=fields.get("description", ""),
            secret=webhooks.new_secret(),
            created_at=rt.clock(),
        )
        uow.webhooks.add_endpoint(endpoint)
        uow.commit()
        return {**endpoint_view(endpoint), "secret": endpoint.secret}


def list_endpoints(rt: Runtime, tenant_id: int) -> list[dict[str, Any]]:
    with rt.reader() as uow:
        return [endpoint_view(e) for e in uow.webhooks.endpoints(tenant_id)]


def get_endpoint(rt: Runtime, tenant_id: int, endpoint_id: int) -> dict[str, Any]:
    with rt.reader() as uow:
        return endpoint_view(_require(uow, tenant_id, endpoint_id))


def update_endpoint(rt: Runtime, tenant_id: int, endpoint_id: int, changes: dict[str, Any]) -> dict[str, Any]:
    if "url" in changes:
        _check_url(rt, changes["url"])
    with rt.writer() as uow:
        endpoint = _require(uow, tenant_id, endpoint_id, lock=True)
        for name in ("url", "events", "description"):
            if name in changes:
                setattr(endpoint, name, changes[name])
        if changes.get("enabled") is True:
            # Enabling again starts afresh: the three failing days count from the next failure.
            endpoint.disabled_at = endpoint.disabled_reason = endpoint.failing_since = None
        elif changes.get("enabled") is False and endpoint.disabled_at is None:
            endpoint.disabled_at = rt.clock()
            endpoint.disabled_reason = "Disabled through the API."
        uow.commit()
        return endpoint_view(endpoint)


def delete_endpoint(rt: Runtime, tenant_id: int, endpoint_id: int) -> None:
    with rt.writer() as uow:
        uow.webhooks.delete_endpoint(_require(uow, tenant_id, endpoint_id, lock=True))
        uow.commit()


def rotate_secret(rt: Runtime, tenant_id: int, endpoint_id: int) -> dict[str, Any]:
    """A new secret signs from now on; the old one signs beside it for 24 hours so receivers can
    switch over without losing a delivery."""
    with rt.writer() as uow:
        endpoint = _require(uow, tenant_id, endpoint_id, lock=True)
        now = rt.clock()
        endpoint.previous_secret = endpoint.secret
        endpoint.previous_secret_expires_at = now + webhooks.ROTATION_OVERLAP
        endpoint.secret = webhooks.new_secret()
        uow.commit()
        return {
            **endpoint_view(endpoint),
            "secret": endpoint.secret,
            "previous_secret_expires_at": endpoint.previous_secret_expires_at,
        }


def delivery_view(delivery: WebhookDelivery, uow: UnitOfWork, attempts: list[Any]) -> dict[str, Any]:
    message = uow.webhooks.outbox_message(delivery.outbox_id)
    return {
        "id": delivery.id,
        "endpoint_id": delivery.endpoint_id,
        "webhook_id": message.webhook_id if message else None,
        "event_type": message.type if message else None,
        "status": delivery.status,
        "attempts": [
            {
                "at": a.attempted_at,
                "status_code": a.status_code,
                "latency_ms": a.latency_ms,
                "error": a.error,
            }
            for a in attempts
        ],
        "next_attempt_at": delivery.next_attempt_at,
        "completed_at": delivery.completed_at,
        "created_at": delivery.created_at,
    }


def list_deliveries(
    rt: Runtime, tenant_id: int, endpoint_id: int, limit: int, before: int | None
) -> dict[str, Any]:
    with rt.reader() as uow:
        _require(uow, tenant_id, endpoint_id)
        page = list(uow.webhooks.deliveries(tenant_id, endpoint_id, limit + 1, before))
        more = len(page) > limit
        page = page[:limit]
        attempts = uow.webhooks.attempts([d.id or 0 for d in page])
        items = [delivery_view(d, uow, attempts[d.id or 0]) for d in page]
        return {"items": items, "next_cursor": str(page[-1].id) if more else None}


def retry_delivery(rt: Runtime, tenant_id: int, delivery_id: int) -> dict[str, Any]:
    """Try once more now, whatever the delivery's state (a receiver fixed after the schedule ran
    out, or a success the receiver lost)."""
    with rt.writer() as uow:
        delivery = uow.webhooks.delivery(tenant_id, delivery_id)
        if delivery is None:
            raise NotFound("webhook delivery", delivery_id)
        endpoint = _require(uow, tenant_id, delivery.endpoint_id)
        if endpoint.disabled_at is not None:
            raise Conflict("The endpoint is disabled; enable it (PATCH enabled: true) before retrying.")
        delivery.status = "pending"
        delivery.next_attempt_at = rt.clock()
        delivery.completed_at = None
        uow.commit()
        attempts = uow.webhooks.attempts([delivery.id or 0])
        return delivery_view(delivery, uow, attempts[delivery.id or 0])
