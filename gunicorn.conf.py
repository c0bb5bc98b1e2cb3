"""How `make run` serves: gthread workers, so a slow client holds one thread, not the server.

A sync worker reads each request whole before the next: two sockets trickling their headers
held both workers of the old `make run` (20 % availability, /healthz in 31 s). Here each worker
has a bounded pool of threads; a connection that sends nothing for 5 s goes back to the poller
(gunicorn's own data wait), and one that trickles holds one thread of ``threads``. gunicorn has
no deadline for a whole request's headers, so in production put a buffering reverse proxy in
front (README, "Production"), which reads each request whole before passing it on.

One process by default: the in-process rate counter (adapters/rate_counter.py) then counts for
the whole server and the X-RateLimit-* headers are true. More processes need a shared counter.
"""

from __future__ import annotations

import gc
import os
from typing import Any

worker_class = "gthread"
workers = int(os.environ.get("WEB_CONCURRENCY", "1"))
threads = int(os.environ.get("GUNICORN_THREADS", "32"))  # bounded: each holds a database connection at most
timeout = 30  # a worker silent this long is restarted (the idempotency lease outlives it)
graceful_timeout = 30
keepalive = 5
# Request line and headers are bounded before the app sees them (the app caps each value again).
limit_request_line = 4094
limit_request_fields = 100
limit_request_field_size = 8190

if workers > 1 and os.environ.get("RATELIMIT_STORAGE_URI", "local://").startswith("local://"):
    raise RuntimeError(
        "WEB_CONCURRENCY > 1 with the in-process rate counter would count each worker apart and make "
        "the X-RateLimit-* headers lie: set RATELIMIT_STORAGE_URI to a shared store (e.g. redis://), "
        "or serve from one process with more GUNICORN_THREADS."
    )


def post_worker_init(worker: Any) -> None:
    """What the worker made while loading the app (compiled templates and wording, mappers,
    schemas, the workflow) lives as long as the worker: frozen out of the collector's way, so
    that a full collection no longer walks it. Unfrozen, each walked ~160,000 objects in ~95 ms,
    paid by the request it landed on (`make bench`: HTTP p99 39.9 -> 27.0 ms on SQLite)."""
    gc.collect()
    gc.freeze()
