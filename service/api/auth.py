"""Bearer API keys: every /v1 request names its tenant, or is turned away with 401.

Installed once on the app, so no blueprint added later can forget it. A key already known to be
wrong is refused from memory, a key prefix that keeps failing gets 429 before any lookup, and
an address that keeps failing gets 429 for its failures, never for a valid key
(``failed_auth.py``). The address is the client's, read from ``X-Forwarded-For`` only behind
``TRUSTED_PROXIES`` proxies (``install_proxy_fix``).
"""

from __future__ import annotations

from typing import NoReturn

from flask import Flask, current_app, g, request
from flask_smorest import abort
from werkzeug.middleware.proxy_fix import ProxyFix

from service.api.failed_auth import FailedAuthGuard
from service.application.keys import authenticate, key_digest, presented_prefix

PROTECTED_PREFIX = "/v1/"


def bearer_key(header: str) -> str | None:
    """The key of an ``Authorization: Bearer <key>`` header, as authentication reads it: the
    scheme in any case, any whitespace around and between. The rate limiter keys on the same."""
    scheme, _, key = header.strip().partition(" ")
    key = key.strip()
    return key if scheme.lower() == "bearer" and key else None


def require_tenant() -> None:
    if not request.path.startswith(PROTECTED_PREFIX):
        return
    guard: FailedAuthGuard = current_app.extensions["failed_auth"]
    key = bearer_key(request.headers.get("Authorization", ""))
    prefix = f"prefix:{presented_prefix(key)}" if key is not None else None
    if prefix is not None and (wait := guard.retry_after(prefix)) is not None:
        _too_many("Too many failed attempts with this API key's prefix; wait and retry.", wait)
    digest = key_digest(key) if key is not None else None
    tenant = None
    if digest is not None and digest not in guard.bad_keys:
        tenant = authenticate(current_app.extensions["runtime"], key or "")
    if tenant is None:
        address = f"addr:{request.remote_addr or 'unknown'}"
        wait = guard.retry_after(address)  # past the address's limit: this failure waits too
        guard.failed((address,) if prefix is None else (address, prefix), digest)
        if wait is not None:
            _too_many(
                "Too many failed attempts to authenticate from this address; wait and retry with a "
                "valid API key.",
                wait,
            )
        abort(
            401,
            message="A valid API key is required: send 'Authorization: Bearer <key>'.",
            headers={"WWW-Authenticate": 'Bearer realm="engagement-service"'},
        )
    g.tenant_id = tenant


def _too_many(message: str, wait: int) -> NoReturn:
    abort(429, message=message, headers={"Retry-After": str(wait)})


def tenant_id() -> int:
    return int(g.tenant_id)


def install_auth(app: Flask) -> None:
    app.extensions["failed_auth"] = FailedAuthGuard(app.config["FAILED_AUTH_LIMIT"])
    app.before_request(require_tenant)


def install_proxy_fix(app: Flask) -> None:
    """Behind ``TRUSTED_PROXIES`` proxies the client is the address the nearest of them saw,
    the ``TRUSTED_PROXIES``-th from the right of ``X-Forwarded-For``; with none (the default) the
    header is ignored, so that no client can name an address of its choosing."""
    proxies = int(app.config["TRUSTED_PROXIES"])
    if proxies > 0:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies)  # type: ignore[method-assign]
