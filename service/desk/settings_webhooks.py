"""Settings: webhook endpoints, each with its delivery log; a failed delivery is tried again and
the signing secret rotated, through the API's schema and use cases. A secret is shown once, on
the answer that made it (creation or rotation), never on a page one can load again."""

from __future__ import annotations

from typing import Any

from flask import redirect, request, url_for
from marshmallow import ValidationError

from service.api.webhooks import EndpointCreateSchema
from service.application import webhook_endpoints as use_case
from service.desk.base import desk, page, refusal, refused_fields, runtime, tenant_id
from service.domain.errors import DomainError, InvalidInput, NotFound
from service.domain.webhooks import EVENT_TYPES

LOG_SHOWN = 50  # the newest deliveries; the API pages through the rest


def _list_page(status: int = 200, **context: Any) -> Any:
    return page(
        "webhooks.html",
        status,
        **{
            "endpoints": use_case.list_endpoints(runtime(), tenant_id()),
            "event_types": EVENT_TYPES,
            "values": {},
            "errors": {},
            "made": None,
            **context,
        },
    )


@desk.get("/settings/webhooks")
def webhooks() -> Any:
    return _list_page()


@desk.post("/settings/webhooks")
def create_webhook() -> Any:
    picked = request.form.getlist("events")
    values = {"url": request.form.get("url", "").strip(), "description": request.form.get("description", "")}
    body = {**values, "events": ["*"] if "*" in picked or not picked else picked}
    try:
        made = use_case.create_endpoint(runtime(), tenant_id(), EndpointCreateSchema().load(body))
    except ValidationError as refused:
        return _list_page(422, values={**values, "events": picked}, errors=refused_fields(refused))
    except InvalidInput as refused:  # the URL names a place webhooks may not go
        return _list_page(422, values={**values, "events": picked}, errors=refused.errors)
    return _list_page(201, made=made)  # no redirect: the secret lives in this one answer only


def _endpoint_page(endpoint_id: int, status: int = 200, **context: Any) -> Any:
    rt, tenant = runtime(), tenant_id()
    endpoint = use_case.get_endpoint(rt, tenant, endpoint_id)  # another account's: 404
    log = use_case.list_deliveries(rt, tenant, endpoint_id, LOG_SHOWN, None)["items"]
    return page(
        "webhook.html", status, **{"endpoint": endpoint, "deliveries": log, "rotated": None, **context}
    )


@desk.get("/settings/webhooks/<int:endpoint_id>")
def webhook(endpoint_id: int) -> Any:
    return _endpoint_page(endpoint_id)


@desk.post("/settings/webhooks/<int:endpoint_id>/rotate")
def rotate_webhook_secret(endpoint_id: int) -> Any:
    rotated = use_case.rotate_secret(runtime(), tenant_id(), endpoint_id)
    return _endpoint_page(endpoint_id, rotated=rotated)  # shown once, like a new endpoint's


@desk.post("/settings/webhooks/<int:endpoint_id>/enable")
def enable_webhook(endpoint_id: int) -> Any:
    use_case.update_endpoint(runtime(), tenant_id(), endpoint_id, {"enabled": True})
    return redirect(url_for("desk.webhook", endpoint_id=endpoint_id), code=303)


@desk.post("/settings/webhooks/<int:endpoint_id>/delete")
def delete_webhook(endpoint_id: int) -> Any:
    use_case.delete_endpoint(runtime(), tenant_id(), endpoint_id)
    return redirect(url_for("desk.webhooks"), code=303)


@desk.post("/settings/webhooks/<int:endpoint_id>/deliveries/<int:delivery_id>/retry")
def retry_webhook_delivery(endpoint_id: int, delivery_id: int) -> Any:
    use_case.get_endpoint(runtime(), tenant_id(), endpoint_id)  # another account's endpoint: 404
    try:
        use_case.retry_delivery(runtime(), tenant_id(), delivery_id)
    except NotFound:
        raise  # another account's delivery: the desk's 404 page
    except DomainError as refused:  # a disabled endpoint: enable it first
        return _endpoint_page(endpoint_id, 409, problem=refusal(refused))
    return redirect(url_for("desk.webhook", endpoint_id=endpoint_id, retried=delivery_id), code=303)
