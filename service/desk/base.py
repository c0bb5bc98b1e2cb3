"""What every desk page shares: the blueprint, who is signed in, CSRF, headers, wording."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, current_app, g, redirect, render_template, request, url_for
from flask_wtf.csrf import CSRFError, generate_csrf
from marshmallow import ValidationError

from service.api.field_wording import fields_said_in
from service.api.problems import field_messages
from service.application.people import People
from service.application.runtime import Runtime
from service.application.tenants import get_tenant
from service.domain.errors import DomainError, NotFound
from service.domain.model import LANGUAGES
from service.domain.sayings import say

SESSION_COOKIE = "desk_session"
PUBLIC_ENDPOINTS = frozenset({"desk.login", "desk.sign_in", "desk.set_password"})
CSP = "default-src 'self'; img-src 'self' data:; frame-ancestors 'none'; form-action 'self'; base-uri 'none'"
# Mermaid draws its SVG with inline style attributes and a <style> element inside it, and has no
# setting to do otherwise; so the one page that draws the workflow diagram also allows inline
# styles. Scripts stay 'self' only: the diagram's start-up is a static file, never inline.
CSP_WITH_DIAGRAM = f"{CSP}; style-src 'self' 'unsafe-inline'"

desk = Blueprint("desk", __name__, url_prefix="/app", template_folder="templates")


def people() -> People:
    return current_app.extensions["people"]


@desk.before_request
def require_person() -> Any:
    if request.method == "POST":
        current_app.extensions["desk_csrf"].protect()
    g.desk_user = None
    token = request.cookies.get(SESSION_COOKIE)
    if token:
        g.desk_user = people().session_user(token)
    if g.desk_user is None and request.endpoint not in PUBLIC_ENDPOINTS:
        return redirect(url_for("desk.login", next=request.full_path if request.method == "GET" else None))
    return None


@desk.after_request
def page_headers(response: Response) -> Response:
    response.headers["Content-Security-Policy"] = CSP_WITH_DIAGRAM if g.get("desk_diagram") else CSP
    response.headers["Cache-Control"] = "no-store"
    response.headers["Referrer-Policy"] = "same-origin"
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["X-Frame-Options"] = "DENY"
    return response


def draws_diagram() -> None:
    """This answer's page draws a Mermaid diagram: its CSP allows inline styles (see above)."""
    g.desk_diagram = True


@desk.app_template_global()
def csrf_token() -> str:
    return generate_csrf()


def tenant_id() -> int:
    return int(g.desk_user.tenant_id)


def runtime() -> Runtime:
    return current_app.extensions["runtime"]


def language() -> str:
    """The desk speaks the account's language."""
    if "desk_language" not in g:
        asked = request.args.get("lang")  # before sign-in: the language the last page spoke
        fallback = asked if asked in LANGUAGES else "en"
        g.desk_language = get_tenant(runtime(), tenant_id()).language if g.get("desk_user") else fallback
    return str(g.desk_language)


def speak_to(account: int) -> None:
    """Before anyone is signed in (a sign-in link's page), speak the link's account's language."""
    g.desk_language = get_tenant(runtime(), account).language


@desk.app_template_global()
def t(key: str, **values: Any) -> str:
    return current_app.extensions["desk_wording"].say(language(), key, **values)


def page(template: str, status: int = 200, **context: Any) -> tuple[str, int]:
    return render_template(f"desk/{template}", lang=language(), user=g.get("desk_user"), **context), status


def wants_fragment() -> bool:
    """An htmx click (not a boosted page load): answer the part of the page it replaces."""
    return request.headers.get("HX-Request") == "true" and request.headers.get("HX-Boosted") != "true"


def fragment(template: str, status: int = 200, **context: Any) -> tuple[str, int]:
    """Part of a page, for htmx to swap in: no layout around it, the same wording and filters."""
    return render_template(f"desk/{template}", lang=language(), user=g.get("desk_user"), **context), status


def local_path(target: str | None, default: str) -> str:
    """Only a path on this desk: never an open redirect to another host."""
    return target if target and target.startswith("/app/") else default


@desk.errorhandler(NotFound)
def not_found(_: NotFound) -> tuple[str, int]:
    return page("error.html", 404, problem="not_found")


@desk.errorhandler(CSRFError)
def csrf_refused(_: CSRFError) -> tuple[str, int]:
    return page("error.html", 400, problem="csrf")


def refusal(error: DomainError) -> str:
    """A refusal as the API would word it, in the desk's language, with a guard's reasons."""
    said = [say(error.args[0], error.language or language())] if error.args else [str(error)]
    said += [say(reason, error.language or language()) for reason in getattr(error, "reasons", ())]
    said += [f"{field}: {' '.join(texts)}" for field, texts in getattr(error, "errors", {}).items()]
    return " ".join(said)


def refused_fields(refused: ValidationError) -> dict[str, list[str]]:
    """A form's field messages, from the API's own schemas, in the desk's language."""
    return fields_said_in(field_messages(refused.messages), language())
