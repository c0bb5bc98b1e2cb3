"""Bearer API keys: every /v1 request names its tenant, or is turned away with 401."""

from __future__ import annotations

from flask import current_app, g, request
from flask_smorest import abort

from service.application.tenants import authenticate


def require_tenant() -> None:
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
