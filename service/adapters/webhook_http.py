"""Posting webhooks over HTTP without becoming a way into the deployment's own network.

A URL must be http or https and every address its host resolves to must be public: loopback,
private, link-local (cloud metadata lives at 169.254.169.254), shared, reserved and
multicast addresses are refused, at creation and again at every delivery, since DNS can
change. The request then goes to the address that was checked (the host name is kept for the
Host header and TLS), so a second lookup cannot swap it. Redirects are never followed.
Each post ends within its deadline (``total`` seconds: connect, send and the whole answer), so a
receiver that drips its answer costs one deadline, not a dispatcher.
``WEBHOOK_ALLOW_PRIVATE_TARGETS=1`` lifts the address check (tests, self-hosting on a LAN).
"""

from __future__ import annotations

import ipaddress
import socket
import time
from collections.abc import Callable, Mapping
from datetime import datetime, timedelta
from email.utils import parsedate_to_datetime
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import httpx

from service.adapters.http_deadline import DeadlineTransport, within
from service.domain.webhooks import TIMEOUT_SECONDS, TOTAL_TIMEOUT_SECONDS, Answer

Resolver = Callable[[str, int], list[str]]
IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
CONNECT_TIMEOUT_SECONDS = 5.0


class UnsafeTarget(ValueError):
    """The URL may not receive webhooks; the message says why, for the API's 422."""


def system_resolver(host: str, port: int) -> list[str]:
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return list(dict.fromkeys(str(info[4][0]) for info in infos))


# RFC 6052's well-known NAT64 prefix: a translator sends traffic for it to the IPv4 address in
# its last 32 bits.
NAT64 = ipaddress.ip_network("64:ff9b::/96")


def carried(address: IPAddress) -> tuple[ipaddress.IPv4Address, ...]:
    """The IPv4 addresses an IPv6 address stands for, where its traffic ends: IPv4-mapped,
    6to4 (2002::/16), Teredo (2001::/32: its server and its client) and NAT64 forms."""
    if isinstance(address, ipaddress.IPv4Address):
        return ()
    if address.ipv4_mapped is not None:
        return (address.ipv4_mapped,)
    if address.sixtofour is not None:
        return (address.sixtofour,)
    if address.teredo is not None:
        return address.teredo
    if address in NAT64:
        return (ipaddress.IPv4Address(int(address) & 0xFFFFFFFF),)
    return ()


def refusal(address: IPAddress) -> str | None:
    """Why this address may not be a webhook target, or None when it may. One that carries IPv4
    addresses is judged by them: ``[2002:7f00:1::]`` is 127.0.0.1 as far as a 6to4 relay goes."""
    inner = carried(address)
    if inner:
        reasons = [(a, _class_refusal(a)) for a in inner]
        return next((f"which carries {a}, {reason}" for a, reason in reasons if reason), None)
    return _class_refusal(address)


def _class_refusal(address: IPAddress) -> str | None:
    if address.is_loopback:
        return "a loopback address"
    if address.is_link_local:
        return "a link-local address (where cloud metadata services answer)"
    if address.is_private or address.is_unspecified or address.is_reserved or address.is_multicast:
        return "a private or reserved address"
    if not address.is_global:
        return "a non-public address"
    return None


class WebhookHttp:
    def __init__(
        self,
        *,
        allow_private: bool = False,
        resolver: Resolver = system_resolver,
        timeout: float = TIMEOUT_SECONDS,
        total: float = TOTAL_TIMEOUT_SECONDS,
    ) -> None:
        if not 0 < total <= TOTAL_TIMEOUT_SECONDS:
            # The dispatcher's lease is sized for posts that end within TOTAL_TIMEOUT_SECONDS.
            raise ValueError(f"a webhook post's total timeout must be in (0, {TOTAL_TIMEOUT_SECONDS:g}] s")
        self.allow_private = allow_private
        self._resolve = resolver
        self.total = total
        # One client per process: connections to a receiver are kept alive between deliveries.
        # A receiver that does not take the connection is given less than one that is working;
        # each operation is bounded on its own, and the whole post by ``total`` (``within``).
        limits = httpx.Timeout(min(timeout, total), connect=min(timeout, total, CONNECT_TIMEOUT_SECONDS))
        self.client = httpx.Client(
            timeout=limits, follow_redirects=False, trust_env=False, transport=DeadlineTransport()
        )

    @classmethod
    def from_config(cls, config: Mapping[str, Any]) -> WebhookHttp:
        return cls(
            allow_private=config["WEBHOOK_ALLOW_PRIVATE_TARGETS"],
            total=config["WEBHOOK_TOTAL_TIMEOUT_SECONDS"],
        )

    def check(self, url: str) -> None:
        """Raise UnsafeTarget when the URL may not receive webhooks."""
        self._target(url)

    def post(self, url: str, body: bytes, headers: dict[str, str]) -> Answer:
        started = time.perf_counter()
        try:
            # The name's lookup counts against the deadline too, though it cannot be cut short.
            with within(self.total):
                target, extensions, host_header = self._target(url)
                response = self.client.post(
                    target, content=body, headers={**headers, **host_header}, extensions=extensions
                )
        except UnsafeTarget as exc:
            return Answer(None, _elapsed_ms(started), f"refused: {exc}")
        except httpx.HTTPError as exc:
            if time.perf_counter() - started >= self.total:
                cut = f"TimeoutError: no complete answer within {self.total:g} s in all"
                return Answer(None, _elapsed_ms(started), f"{cut} ({type(exc).__name__})")
            return Answer(None, _elapsed_ms(started), f"{type(exc).__name__}: {exc}"[:500])
        return Answer(
            response.status_code,
            _elapsed_ms(started),
            retry_after=_retry_after(response.headers.get("retry-after")),
        )

    def close(self) -> None:
        self.client.close()

    def _target(self, url: str) -> tuple[str, dict[str, Any], dict[str, str]]:
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https"):
            raise UnsafeTarget("only http and https URLs can receive webhooks")
        if not parts.hostname:
            raise UnsafeTarget("the URL has no host")
        if parts.username or parts.password:
            raise UnsafeTarget("credentials in the URL are not accepted; put a token in the path")
        try:
            port = parts.port or (443 if parts.scheme == "https" else 80)
        except ValueError as exc:
            raise UnsafeTarget("the URL's port is not valid") from exc
        if self.allow_private:
            return url, {}, {}
        host = parts.hostname
        try:
            addresses = [ipaddress.ip_address(a.split("%")[0]) for a in self._resolve(host, port)]
        except (OSError, UnicodeError) as exc:
            raise UnsafeTarget(f"the host {host!r} does not resolve") from exc
        if not addresses:
            raise UnsafeTarget(f"the host {host!r} does not resolve")
        for address in addresses:
            reason = refusal(address)
            if reason is not None:
                raise UnsafeTarget(f"the host {host!r} resolves to {address}, {reason}")
        pinned = addresses[0]
        literal = f"[{pinned}]" if pinned.version == 6 else str(pinned)
        netloc = f"{literal}:{port}"
        host_header = parts.netloc.rpartition("@")[2]
        extensions = {"sni_hostname": host} if parts.scheme == "https" else {}
        return urlunsplit(parts._replace(netloc=netloc)), extensions, {"Host": host_header}


def _retry_after(value: str | None) -> timedelta | None:
    """Seconds, or an HTTP date (RFC 9110 §10.2.3); None when absent or unreadable."""
    if not value:
        return None
    if value.strip().isdigit():
        return timedelta(seconds=int(value.strip()))
    try:
        moment = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    # A real delay between two real clocks (the receiver's and ours), not a business date:
    # the one wall-clock read besides Runtime.clock (tests/unit/test_one_clock.py).
    return max(timedelta(0), moment - datetime.now(moment.tzinfo))


def _elapsed_ms(started: float) -> int:
    return round((time.perf_counter() - started) * 1000)
