"""What every blueprint shares: the runtime, the ETag of a version, OpenAPI link targets."""

from __future__ import annotations

from flask import current_app

from service.application.runtime import Runtime


def runtime() -> Runtime:
    return current_app.extensions["runtime"]


def etag(version: int) -> str:
    return f'"{version}"'


def operation_ref(path: str, method: str) -> str:
    return "#/paths/" + path.replace("~", "~0").replace("/", "~1") + "/" + method
