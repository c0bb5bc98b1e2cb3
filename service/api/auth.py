"""Bearer API keys: every /v1 request names its tenant, or is turned away with 401.

Installed once on the app, so no blueprint added later can forget it.
"""

from __future__ import annotations

from flask import Flask, current_app, g, request
from flask_smorest import abort

from service.application.keys import authenticate

PROTECTED_PREFIX = "/v1/"


def require_tenant() -> None:
    if not request.path.startswith(PROTECTED_PREFIX):
        return
    scheme, _, key = request.headers.get("Authorization", "").partition(" ")
    tenant = None
    if scheme.lower() == "bearer" and key.strip():
        tenant = authenticate(current_app.extensions["runtime"], key.strip())
    if tenant is None:
        abort(
            401,
            message="A valid API key is required: send 'Authorization: Bearer <key>'.",
            headers={"WWW-Authenticate": 'Bearer realm="engagement-service"'},
        )
    g.tenant_id = tenant


def tenant_id() -> int:
    return int(g.tenant_id)


def install_auth(app: Flask) -> None:
    app.before_request(require_tenant)
