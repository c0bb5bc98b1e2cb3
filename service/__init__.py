"""The engagement service. ``create_app`` is the only way in: no module-level app."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import timedelta
from functools import partial
from typing import Any

from flask import Flask

from service import config
from service.adapters import orm
from service.adapters.database import make_engine, make_lookup_engine
from service.adapters.key_store import SqlKeyStore
from service.adapters.mail import SmtpMailer
from service.adapters.request_transaction import sharing
from service.adapters.seal import PdfSealer
from service.adapters.secret_box import SecretBox
from service.adapters.signing import HeadSigner
from service.adapters.unit_of_work import SqlAlchemyUnitOfWork, session_factories
from service.adapters.webhook_http import WebhookHttp
from service.api import register_api
from service.api.observability import configure_logging
from service.application.deadlines import before_flush
from service.application.runtime import Retention, Runtime, system_clock, workflow_engine
from service.cli import register_commands
from service.desk import register_desk
from service.documents import DocumentRenderer
from service.domain.rates import load_rates
from service.portal import register_portal


def create_app(overrides: Mapping[str, Any] | None = None) -> Flask:
    # Static files: the desk's stylesheet, what /docs loads, and the vendored front-end files
    # (static/vendor/, never another host's).
    app = Flask(__name__, static_folder="static")
    app.config.update(config.from_environment())
    app.config.update(overrides or {})
    if not app.config.get("TESTING"):
        configure_logging()
    orm.start_mappers()
    sql_engine = app.extensions["sql_engine"] = make_engine(app.config["DATABASE_URL"])
    key_lookup_sql_engine = app.extensions["key_lookup_sql_engine"] = make_lookup_engine(sql_engine)
    sessions = session_factories(sql_engine)
    renderer = DocumentRenderer(app.config["TEMPLATES_DIR"])
    workflow = workflow_engine(app.config["WORKFLOW_FILE"], renderer)
    signer = HeadSigner.from_file(app.config["RECORD_SIGNING_KEY"])
    app.extensions["runtime"] = Runtime(
        # Inside an idempotent request every unit of work joins the request's one transaction.
        reader=sharing(lambda: SqlAlchemyUnitOfWork(sessions.reader), writes=False),
        writer=sharing(
            lambda: SqlAlchemyUnitOfWork(
                sessions.writer, before_flush=partial(before_flush, workflow, signer)
            ),
            writes=True,
        ),
        keys=SqlKeyStore(key_lookup_sql_engine, sql_engine.execution_options(sqlite_write=True)),
        workflow=workflow,
        renderer=renderer,
        signer=signer,
        webhook_http=WebhookHttp.from_config(app.config),
        clock=app.config.get("CLOCK", system_clock),
        rates=load_rates(app.config["REFERENCE_RATES_FILE"]),
        mailer=SmtpMailer.from_url(app.config["SMTP_URL"], ca_file=app.config["SMTP_CA_FILE"])
        if app.config["SMTP_URL"]
        else None,
        secrets=SecretBox(app.config["SMTP_SECRET_KEYS"]) if app.config["SMTP_SECRET_KEYS"] else None,
        smtp_mailer=SmtpMailer,
        smtp_ca_file=app.config["SMTP_CA_FILE"],
        pdf_copies=app.config["MESSAGE_PDF_COPY"],
        sealer=PdfSealer(),
        public_url=app.config["PUBLIC_URL"],
        retention=Retention(
            delivered_webhooks=timedelta(days=app.config["RETAIN_DELIVERED_WEBHOOKS_DAYS"]),
            idempotency_keys=timedelta(hours=app.config["RETAIN_IDEMPOTENCY_KEYS_HOURS"]),
        ),
    )
    register_api(app)
    register_desk(app)
    register_portal(app)
    register_commands(app)
    return app
