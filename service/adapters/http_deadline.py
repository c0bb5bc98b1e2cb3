"""One deadline for a whole HTTP exchange: connect, TLS, sending and the full response.

httpx's timeouts bound each network operation, not the exchange, so a receiver that drips one
byte every few seconds holds a request forever (encode/httpx#1450). Here every socket operation
of the exchange gets what is left of its deadline as its timeout, or its own timeout when that is
shorter; once nothing is left the next operation fails as a timeout at once. The deadline belongs
to the thread that set it (``within``), so a client shared by threads bounds each one's request.
"""

from __future__ import annotations

import ssl
import threading
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import Any

import httpcore
import httpx

_current = threading.local()
# What httpx 0.28 gives a pool by default (httpx.Limits()), spelled out since the pool is built here.
LIMITS = httpx.Limits(max_connections=100, max_keepalive_connections=20, keepalive_expiry=5.0)


@contextmanager
def within(seconds: float) -> Iterator[None]:
    """Bound every network operation of this thread's HTTP exchange to ``seconds`` from now."""
    _current.deadline = time.monotonic() + seconds
    try:
        yield
    finally:
        _current.deadline = None


def _bounded(timeout: float | None, failure: type[Exception]) -> float | None:
    """The operation's timeout cut to what is left of the deadline; ``failure`` when none is."""
    deadline = getattr(_current, "deadline", None)
    if deadline is None:
        return timeout
    left = deadline - time.monotonic()
    if left <= 0:
        raise failure("the exchange's deadline has passed")
    return left if timeout is None else min(timeout, left)


class DeadlineStream(httpcore.NetworkStream):
    def __init__(self, stream: httpcore.NetworkStream) -> None:
        self.stream = stream

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        return self.stream.read(max_bytes, _bounded(timeout, httpcore.ReadTimeout))

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        self.stream.write(buffer, _bounded(timeout, httpcore.WriteTimeout))

    def close(self) -> None:
        self.stream.close()

    def start_tls(
        self, ssl_context: ssl.SSLContext, server_hostname: str | None = None, timeout: float | None = None
    ) -> httpcore.NetworkStream:
        bounded = _bounded(timeout, httpcore.ConnectTimeout)
        return DeadlineStream(self.stream.start_tls(ssl_context, server_hostname, bounded))

    def get_extra_info(self, info: str) -> Any:
        return self.stream.get_extra_info(info)


class DeadlineBackend(httpcore.NetworkBackend):
    def __init__(self) -> None:
        self.backend = httpcore.SyncBackend()

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[httpcore.SOCKET_OPTION] | None = None,
    ) -> httpcore.NetworkStream:
        bounded = _bounded(timeout, httpcore.ConnectTimeout)
        return DeadlineStream(self.backend.connect_tcp(host, port, bounded, local_address, socket_options))

    def sleep(self, seconds: float) -> None:
        self.backend.sleep(seconds)


class DeadlineTransport(httpx.HTTPTransport):
    """httpx's own transport over a pool whose sockets keep the deadline. httpx 0.28 cannot be
    given a network backend, so the pool its transport sends through is replaced by one that has it."""

    def __init__(self) -> None:
        super().__init__(trust_env=False)
        self._pool = httpcore.ConnectionPool(
            ssl_context=httpx.create_ssl_context(trust_env=False),
            max_connections=LIMITS.max_connections,
            max_keepalive_connections=LIMITS.max_keepalive_connections,
            keepalive_expiry=LIMITS.keepalive_expiry,
            network_backend=DeadlineBackend(),
        )
