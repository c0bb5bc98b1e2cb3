"""Per-key rate limits: a fixed window per API key, counted by the ``limits`` library.

``limits`` is what flask-limiter builds on; used directly, one limit costs one counter increment
per request instead of flask-limiter's per-request resolution of every decorator and scope
(0.2 ms, a tenth of a transition, in ``make bench``).
"""

from __future__ import annotations

import math
import time

from flask import Flask, Response, g, request
from flask_smorest import abort
from limits import parse
from limits.storage import storage_from_string
from limits.strategies import FixedWindowRateLimiter

from service.adapters import rate_counter as _rate_counter  # noqa: F401  (registers local://)
from service.api.auth import bearer_key
from service.application.keys import key_digest

LIMITED_PREFIX = "/v1/"


class RateLimit:
    def __init__(self, limit: str, storage_uri: str) -> None:
        self.limit = parse(limit)  # e.g. "600 per minute"; a bad setting fails at start-up
        self.counter = FixedWindowRateLimiter(storage_from_string(storage_uri))

    def check(self) -> None:
        if not request.path.startswith(LIMITED_PREFIX):
            return
        key = _rate_key()
        if not self.counter.hit(self.limit, key):
            reset, _ = self.counter.get_window_stats(self.limit, key)
            abort(
                429,
                message=f"Too many requests: {self.limit.amount} per {self.limit.GRANULARITY.name} "
                "are allowed for each API key.",
                headers={"Retry-After": str(max(1, math.ceil(reset - time.time())))},
            )
        g.rate_key = key

    def add_headers(self, response: Response) -> Response:
        key = g.pop("rate_key", None)
        if key is not None:
            reset, remaining = self.counter.get_window_stats(self.limit, key)
            response.headers["X-RateLimit-Limit"] = str(self.limit.amount)
            response.headers["X-RateLimit-Remaining"] = str(remaining)
            response.headers["X-RateLimit-Reset"] = str(math.ceil(reset))
        return response


def _rate_key() -> str:
    """Per API key, read as authentication reads it (``bearer``, ``BEARER`` and extra spaces are
    the same key) and hashed: the key itself never reaches the limiter's storage. Else per address."""
    key = bearer_key(request.headers.get("Authorization", ""))
    if key is not None:
        return "key:" + key_digest(key)[:32]
    return "addr:" + (request.remote_addr or "unknown")


def install_rate_limit(app: Flask) -> None:
    rate_limit = RateLimit(app.config["RATE_LIMIT"], app.config["RATELIMIT_STORAGE_URI"])
    app.before_request(rate_limit.check)
    app.after_request(rate_limit.add_headers)
    app.extensions["rate_limit"] = rate_limit
