"""Bearer API keys: every /v1 request names its tenant, or is turned away with 401.

Installed once on the app, so no blueprint added later can forget it. A key already known to be
wrong is refused from memory, and an address that keeps failing gets 429 before any lookup
(``failed_auth.py``).
"""

from __future__ import annotations

from flask import Flask, current_app, g, request
from flask_smorest import abort

from service.api.failed_auth import FailedAuthGuard
from service.application.keys import authenticate, key_digest

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
    address = request.remote_addr or "unknown"
    wait = guard.retry_after(address)
    if wait is not None:
        abort(
            429,
            message="Too many failed attempts to authenticate from this address; wait and retry "
            "with a valid API key.",
            headers={"Retry-After": str(wait)},
        )
    key = bearer_key(request.headers.get("Authorization", ""))
    digest = key_digest(key) if key is not None else None
    tenant = None
    if digest is not None and digest not in guard.bad_keys:
        tenant = authenticate(current_app.extensions["runtime"], key or "")
    if tenant is None:
        guard.failed(address, digest)
        abort(
            401,
            message="A valid API key is required: send 'Authorization: Bearer <key>'.",
            headers={"WWW-Authenticate": 'Bearer realm="engagement-service"'},
        )
    g.tenant_id = tenant


def tenant_id() -> int:
    return int(g.tenant_id)


def install_auth(app: Flask) -> None:
    app.extensions["failed_auth"] = FailedAuthGuard(app.config["FAILED_AUTH_LIMIT"])
    app.before_request(require_tenant)
