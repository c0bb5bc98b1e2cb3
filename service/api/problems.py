"""Every error leaves as RFC 9457 problem+json, from this one place."""

from __future__ import annotations

import http
import logging
from typing import Any

from flask import Flask, Response, g, has_request_context, json, request
from flask_smorest import Api
from flask_smorest.utils import prepare_response
from marshmallow import Schema, fields
from sqlalchemy.exc import DBAPIError, OperationalError
from werkzeug.exceptions import HTTPException

from service.api.field_wording import fields_said_in
from service.application.engagements import engagement_language
from service.domain import errors
from service.domain.sayings import ENGLISH, say, sentence

PROBLEM_TYPE = "application/problem+json"
logger = logging.getLogger(__name__)

_DOMAIN_STATUS: dict[type[errors.DomainError], tuple[int, str]] = {
    errors.NotFound: (404, "not-found"),
    errors.InvalidTrigger: (409, "invalid-trigger"),
    errors.RecordTampered: (409, "record-tampered"),
    errors.Conflict: (409, "conflict"),
    errors.GuardBlocked: (422, "guard-blocked"),
    errors.SenderIncomplete: (422, "sender-details-missing"),
    errors.InvalidInput: (422, "invalid-input"),
    errors.PreconditionFailed: (412, "stale-version"),
    errors.PreconditionRequired: (428, "if-match-required"),
    errors.Forbidden: (403, "forbidden"),
    errors.PdfFailed: (503, "pdf-conversion-failed"),  # before its base class: the first match wins
    errors.Unavailable: (503, "unavailable"),
}


# SQLite reports a damaged file or a missing table as OperationalError, like a locked or
# missing file; these say the data or the schema is wrong, not that the database is away.
_DAMAGE = ("malformed", "not a database", "corrupt", "no such table", "no such column")


def _damaged(error: DBAPIError) -> bool:
    message = str(error.orig).lower()
    return any(sign in message for sign in _DAMAGE)


class ProblemSchema(Schema):
    type = fields.String(required=True, metadata={"description": "URI naming the problem kind"})
    title = fields.String(required=True)
    status = fields.Integer(required=True)
    detail = fields.String(required=True)
    errors = fields.Dict(
        keys=fields.String(),
        values=fields.List(fields.String()),
        metadata={"description": "Field (dotted path) → messages, for invalid input"},
    )
    blocked_by = fields.List(fields.String(), metadata={"description": "Why a guard refused the transition"})


def problem(status: int, detail: str, slug: str | None = None, **extra: Any) -> Response:
    phrase = http.HTTPStatus(status).phrase
    body = {
        "type": f"/problems/{slug}" if slug else "about:blank",
        "title": phrase,
        "status": status,
        "detail": detail,
        **extra,
    }
    return Response(json.dumps(body), status=status, mimetype=PROBLEM_TYPE)


def field_messages(messages: Any, prefix: str = "") -> dict[str, list[str]]:
    """Nested marshmallow messages → {"client.email": [...]} so each field is named."""
    if isinstance(messages, list) and all(isinstance(m, str) for m in messages):
        return {prefix or "_body": messages}
    if isinstance(messages, dict):
        flat: dict[str, list[str]] = {}
        for key, value in messages.items():
            flat.update(field_messages(value, f"{prefix}.{key}" if prefix else str(key)))
        return flat
    return {prefix or "_body": [str(messages)]}


def request_language() -> str | None:
    """The language of the engagement a request under ``/v1/engagements/{id}/…`` is about, so its
    field messages are said in it (issue 30); None elsewhere, or for an engagement the tenant
    lacks (its 404 comes later, from the view)."""
    engagement_id = (request.view_args or {}).get("engagement_id") if has_request_context() else None
    tenant = g.get("tenant_id")
    if engagement_id is None or tenant is None:
        return None
    from service.api.common import runtime  # the blueprints' helper; problems is imported first

    return engagement_language(runtime(), int(tenant), int(engagement_id))


def _http_problem(error: HTTPException) -> Response:
    status = error.code or 500
    data = getattr(error, "data", None) or {}
    if status == 400 and "messages" in data:  # webargs: the body is not JSON at all
        response = problem(400, "The request body is not valid JSON.", "malformed-json")
    elif "messages" in data:  # webargs validation: {"json": {...}} or {"query": {...}}
        flat: dict[str, list[str]] = {}
        for location_messages in data["messages"].values():
            flat.update(field_messages(location_messages))
        language = request_language()
        named = ", ".join(sorted(flat))
        detail = sentence(language or ENGLISH, "fields.some_invalid", {"fields": named})
        response = problem(status, detail, "invalid-input", errors=fields_said_in(flat, language))
    else:
        detail = data.get("message") or error.description or http.HTTPStatus(status).phrase
        response = problem(status, detail)
    for name, value in (data.get("headers") or {}).items():
        response.headers[name] = value
    if error.code == 405 and hasattr(error, "valid_methods") and error.valid_methods:
        response.headers["Allow"] = ", ".join(error.valid_methods)
    return response


class ProblemApi(Api):
    """flask-smorest, with its error payloads and their documentation made RFC 9457."""

    ERROR_SCHEMA = ProblemSchema

    def handle_http_exception(self, error: HTTPException) -> Response:  # type: ignore[override]
        return _http_problem(error)

    def _register_responses(self) -> None:
        for status in http.HTTPStatus:
            response: dict[str, Any] = {"description": status.phrase}
            if status >= 400:
                response["schema"] = self.ERROR_SCHEMA
            prepare_response(response, self.spec, PROBLEM_TYPE)
            self.spec.components.response(status.name, response, lazy=True)
        default = {"description": "Default error response", "schema": self.ERROR_SCHEMA}
        prepare_response(default, self.spec, PROBLEM_TYPE)
        self.spec.components.response("DEFAULT_ERROR", default, lazy=True)


def register_problem_handlers(app: Flask) -> None:
    @app.errorhandler(errors.DomainError)
    def _domain(error: errors.DomainError) -> Response:
        status, slug = next((v for cls, v in _DOMAIN_STATUS.items() if isinstance(error, cls)), (500, None))
        extra: dict[str, Any] = {}
        # A refusal about an engagement is said in its language (sayings.Said; plain text as is).
        detail = say(error.args[0], error.language) if error.args else str(error)
        if isinstance(error, errors.GuardBlocked):
            extra["blocked_by"] = [say(reason, error.language) for reason in error.reasons]
        if isinstance(error, errors.InvalidInput):
            extra["errors"] = {
                field: [say(message, error.language) for message in messages]
                for field, messages in error.errors.items()
            }
        if isinstance(error, errors.InvalidTrigger):
            extra["errors"] = {"trigger": [detail]}  # the one field such a refusal is about
        response = problem(status, detail, slug, **extra)
        retry_after = getattr(error, "retry_after", None)
        if retry_after is not None:
            response.headers["Retry-After"] = str(retry_after)
        return response

    @app.errorhandler(DBAPIError)
    def _database_error(error: DBAPIError) -> Response:
        if isinstance(error, OperationalError) and not _damaged(error):
            logger.error("database unavailable: %s", type(error.orig).__name__)
            response = problem(503, "The database is not reachable right now; try again shortly.")
            response.headers["Retry-After"] = "5"
            return response
        # Not an outage: retrying will not help and someone must look (a corrupt SQLite file,
        # a schema behind the code). The driver's own message says which.
        logger.error(
            "database error, not an outage: %s: %s", type(error.orig).__name__, str(error.orig)[:300]
        )
        return problem(500, "The database refused this request with an error; nothing was changed.")

    @app.errorhandler(Exception)
    def _unexpected(error: Exception) -> Response:
        if isinstance(error, HTTPException):
            return _http_problem(error)
        logger.exception("unhandled error")
        return problem(500, "Something went wrong on our side; nothing was changed.")
