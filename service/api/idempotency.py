"""The HTTP side of Idempotency-Key: claim before the view runs, store or replay after."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from apispec import BasePlugin
from flask import Flask, Response, current_app, g, request

from service.adapters import request_transaction
from service.api.auth import tenant_id
from service.api.problems import PROBLEM_TYPE
from service.application import idempotency
from service.domain.errors import InvalidInput

HEADER = "Idempotency-Key"
MAX_KEY_LENGTH = 255


class IdempotencyKeyPlugin(BasePlugin):
    """Documents the header on every POST, where the hooks below honour it."""

    def operation_helper(self, path: str | None = None, operations: dict | None = None, **_: object) -> None:
        post = (operations or {}).get("post")
        if post is not None:
            post.setdefault("parameters", []).append(
                {
                    "in": "header",
                    "name": HEADER,
                    "required": False,
                    "schema": {"type": "string", "minLength": 1, "maxLength": MAX_KEY_LENGTH},
                    "description": "Retries with the same key and body return the first answer "
                    "and change nothing (kept 24 hours); another body with the same key is 422.",
                }
            )
            responses = post.setdefault("responses", {})
            responses["422"] = REUSED_KEY_422
            responses.setdefault("409", IN_PROGRESS_409)


def _problem(description: str) -> dict[str, object]:
    return {
        "description": description,
        "content": {PROBLEM_TYPE: {"schema": {"$ref": "#/components/schemas/Problem"}}},
    }


REUSED_KEY_422 = _problem(
    "Invalid input (errors names each field), or an Idempotency-Key already used with another request"
)
IN_PROGRESS_409 = _problem("A request with this Idempotency-Key is still being processed")


View = TypeVar("View", bound=Callable[..., Any])


def commits_in_parts(view: View) -> View:
    """For a view that commits part by part on purpose (the clock's tick keeps the steps taken
    before a failure): its request is not one transaction, its answer is stored after its parts,
    and a retry after a lost answer runs again, which takes only what is still due."""
    view.commits_in_parts = True  # type: ignore[attr-defined]
    return view


def _claim() -> Response | None:
    key = request.headers.get(HEADER)
    if request.method != "POST" or key is None or "tenant_id" not in g:
        return None
    if not 1 <= len(key) <= MAX_KEY_LENGTH:
        raise InvalidInput({HEADER: [f"Between 1 and {MAX_KEY_LENGTH} characters."]})
    print_ = idempotency.fingerprint(request.method, request.full_path, request.get_data())
    replay = idempotency.claim(current_app.extensions["runtime"], tenant_id(), key, print_)
    if replay is None:
        g.idempotency_key = key
        view = current_app.view_functions.get(request.endpoint or "")
        if not getattr(view, "commits_in_parts", False):
            request_transaction.begin()  # the request's effect and its answer: one COMMIT
        return None
    response = Response(replay.body, status=replay.status, content_type=replay.content_type)
    response.headers["Idempotent-Replayed"] = "true"
    return response


def _settle(response: Response) -> Response:
    key = g.pop("idempotency_key", None)
    if key is None:
        return response
    failed = response.status_code >= 500
    if failed:
        request_transaction.end(commit=False)  # nothing of a failed request is kept
    idempotency.settle(
        current_app.extensions["runtime"],
        tenant_id(),
        key,
        response.status_code,
        response.content_type or "",
        response.get_data(),
    )
    if not failed:
        request_transaction.end(commit=True)  # the effect and the stored answer together
    return response


def install_idempotency(app: Flask) -> None:
    """After auth (which sets the tenant); the after-hook also runs for error responses, and the
    teardown ends a request that left before it (nothing of that request is committed)."""
    app.before_request(_claim)
    app.after_request(_settle)
    app.teardown_request(lambda _error: request_transaction.end(commit=False))
