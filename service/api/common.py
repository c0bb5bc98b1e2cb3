"""What every blueprint shares: the runtime, ETags and If-Match, OpenAPI link targets."""

from __future__ import annotations

from flask import current_app, request

from service.application.runtime import Runtime


def runtime() -> Runtime:
    return current_app.extensions["runtime"]


def etag(version: int) -> str:
    return f'"{version}"'


def operation_ref(path: str, method: str) -> str:
    return "#/paths/" + path.replace("~", "~0").replace("/", "~1") + "/" + method


IF_MATCH = {
    "in": "header",
    "name": "If-Match",
    "required": False,
    "schema": {"type": "string"},
    "description": 'The ETag you last saw (e.g. "7"); a stale one answers 412',
}


def if_match_version() -> int | None:
    """The version If-Match names; None when absent or *. Unparseable means stale."""
    raw = request.headers.get("If-Match")
    if raw is None or raw.strip() == "*":
        return None
    value = raw.strip().removeprefix("W/").strip('"')
    return int(value) if value.isdigit() else -1
