"""Request ids and one JSON log line per request.

Logs carry ids, paths, statuses and timings only: never keys, bodies, e-mails or document text.
"""

from __future__ import annotations

import json
import logging
import re
import time
import uuid
from typing import Any

from flask import Flask, Response, g, has_request_context, request

REQUEST_ID = "X-Request-ID"
_SAFE_ID = re.compile(r"[A-Za-z0-9._-]{1,128}")
access_log = logging.getLogger("service.access")


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "time": self.formatTime(record, "%Y-%m-%dT%H:%M:%S%z"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        if has_request_context() and "request_id" in g:
            entry["request_id"] = g.request_id
        entry.update(getattr(record, "fields", {}))
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False)


def configure_logging() -> None:
    handler = logging.StreamHandler()
    handler.setFormatter(JsonFormatter())
    root = logging.getLogger("service")
    root.handlers[:] = [handler]
    root.setLevel(logging.INFO)
    root.propagate = False


def _start() -> None:
    incoming = request.headers.get(REQUEST_ID, "")
    g.request_id = incoming if _SAFE_ID.fullmatch(incoming) else uuid.uuid4().hex
    g.started = time.perf_counter()


# Probed every few seconds by load balancers and by the supervisor until a worker answers: a
# healthy answer is no news, and logging it would bury the lines that are (and, at start-up,
# could land after the first API key that `make run` prints last). A failing probe is logged.
QUIET_WHEN_HEALTHY = frozenset({"/healthz"})


def _finish(response: Response) -> Response:
    response.headers[REQUEST_ID] = g.get("request_id", "")
    if request.path in QUIET_WHEN_HEALTHY and response.status_code == 200:
        return response
    fields = {
        "method": request.method,
        "path": request.path,
        "status": response.status_code,
        "duration_ms": round((time.perf_counter() - g.get("started", time.perf_counter())) * 1000, 2),
        "tenant_id": g.get("tenant_id"),
    }
    access_log.info("request", extra={"fields": fields})
    return response


def install_observability(app: Flask) -> None:
    app.before_request(_start)
    app.after_request(_finish)
