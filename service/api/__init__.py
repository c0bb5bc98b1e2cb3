"""The HTTP edge: blueprints, schemas and the problem handlers, wired in one place."""

from __future__ import annotations

from typing import Any

import marshmallow as ma
from flask import Flask

from service.api import (
    amendments,
    billing,
    documents,
    engagements,
    fatturapa,
    keys,
    messages,
    offboarding,
    portal_links,
    records,
    signed_copies,
    statements,
    system,
    tenant,
    transitions,
    webhooks,
    workflow,
)
from service.api.auth import install_auth, install_proxy_fix
from service.api.fields import Money
from service.api.hygiene import install_header_limits, install_hygiene
from service.api.idempotency import IdempotencyKeyPlugin, install_idempotency
from service.api.observability import install_observability
from service.api.problems import ProblemApi, register_problem_handlers
from service.api.rate_limit import install_rate_limit

BLUEPRINTS = (
    system.blp,
    engagements.blp,
    amendments.blp,
    documents.blp,
    billing.blp,
    fatturapa.blp,
    tenant.blp,
    keys.blp,
    workflow.blp,
    records.blp,
    offboarding.blp,
    statements.blp,
    webhooks.blp,
    messages.blp,
    signed_copies.blp,
    portal_links.blp,
)


def register_api(app: Flask) -> ProblemApi:
    app.config.setdefault("API_TITLE", "Engagement service")
    app.config.setdefault("API_VERSION", "1.0.0")
    app.config.setdefault("OPENAPI_VERSION", "3.0.3")
    api = ProblemApi(
        app,
        spec_kwargs={
            "info": {
                "description": "Run each client engagement as a workflow: clauses, notices, "
                "pauses, handover and a tamper-evident record.",
            },
            "security": [{"bearer": []}],
            "extra_plugins": [IdempotencyKeyPlugin()],
        },
    )
    api.spec.components.security_scheme("bearer", {"type": "http", "scheme": "bearer"})
    api.ma_plugin.map_to_openapi_type(Money, ma.fields.String)
    api.ma_plugin.converter.add_attribute_function(_money_pattern)
    install_proxy_fix(app)  # the client address every limit and log line uses
    install_observability(app)  # first: every later hook's log lines carry the request id
    install_header_limits(app)  # before anything reads a header
    install_rate_limit(app)  # before auth: a flood of bad keys never reaches the database
    install_auth(app)  # before idempotency: a key belongs to a tenant
    install_hygiene(app)  # before idempotency: a malformed body claims no key
    install_idempotency(app)
    definition = app.extensions["runtime"].workflow.definition
    for blueprint in (*BLUEPRINTS, transitions.make_blueprint(definition)):
        api.register_blueprint(blueprint)
    register_problem_handlers(app)
    return api


def _money_pattern(self: Any, field: ma.fields.Field, **_: Any) -> dict[str, str]:
    return {"pattern": f"^{field.pattern.pattern}$"} if isinstance(field, Money) else {}
