"""The desk: server-rendered pages for the freelancer, under /app/, over the same use cases as
the API (never the API over HTTP, so the two cannot disagree).

People sign in with an e-mail and a password; the session is a row, named by a random token in
an HttpOnly cookie. Every form carries a CSRF token (Flask-WTF). Pages answer with a strict
Content-Security-Policy: scripts and styles from this host only.
"""

from __future__ import annotations

import secrets

from flask import Flask, request
from flask.sessions import SecureCookieSessionInterface
from flask_wtf.csrf import CSRFProtect

from service.adapters.first_pages import FirstPages
from service.adapters.key_files import read_or_create
from service.adapters.passwords import STRONG, Argon2Passwords
from service.adapters.user_store import SqlUserStore
from service.application.people import People
from service.desk import (
    engagement_page,
    engagements,
    formats,
    handover,
    labels,
    outbox,
    outbox_bulk,
    portal_links,
    previews,
    settings,
    settings_mail,
    settings_webhooks,
    signin,
    today,
)
from service.desk.base import desk
from service.desk.cli import users
from service.desk.signin import SignInLimits
from service.desk.wording import FOLDER as WORDING_FOLDER
from service.desk.wording import DeskWording

__all__ = [
    "engagement_page",
    "engagements",
    "formats",
    "handover",
    "labels",
    "outbox",
    "outbox_bulk",
    "portal_links",
    "previews",
    "settings",
    "settings_mail",
    "settings_webhooks",
    "signin",
    "today",
]  # imported for the routes they add to `desk`


class TlsAwareSessions(SecureCookieSessionInterface):
    """Flask's session cookie (it holds only the CSRF secret) is Secure when served over TLS."""

    def get_cookie_secure(self, app: Flask) -> bool:
        return request.is_secure


def register_desk(app: Flask) -> None:
    app.config["SECRET_KEY"] = app.config.get("SECRET_KEY") or read_or_create(
        app.config["DESK_SECRET_KEY_FILE"], lambda: secrets.token_hex(32).encode()
    )
    app.config.update(
        SESSION_COOKIE_HTTPONLY=True, SESSION_COOKIE_SAMESITE="Lax", SESSION_COOKIE_NAME="desk_csrf"
    )
    # The JSON API authenticates by bearer key, never by cookie, so CSRF is the desk's alone.
    app.config["WTF_CSRF_CHECK_DEFAULT"] = False
    app.session_interface = TlsAwareSessions()
    app.extensions["desk_csrf"] = CSRFProtect(app)
    rt = app.extensions["runtime"]
    engine = app.extensions["sql_engine"]
    app.extensions["people"] = People(
        SqlUserStore(engine, engine.execution_options(sqlite_write=True)),
        # Only tests lower the cost (ARGON2_PARAMETERS, never read from the environment): each
        # hash or check costs ~0.2 s of CPU at a deployment's, and the suite makes hundreds.
        Argon2Passwords(app.config.get("ARGON2_PARAMETERS", STRONG)),
        clock=lambda: rt.clock(),  # read per call: tests swap the runtime's clock
    )
    app.extensions["signin_limits"] = SignInLimits(app.config["SIGNIN_LIMIT"])
    wording = DeskWording.load(app.config.get("DESK_WORDING_DIR") or WORDING_FOLDER)
    definition = rt.workflow.definition
    wording.require_workflow_labels(definition.state_names, definition.triggers)
    app.extensions["desk_wording"] = wording
    app.extensions["first_pages"] = FirstPages(app.config["PREVIEW_CACHE_DIR"])
    app.register_blueprint(desk)
    app.cli.add_command(users)
