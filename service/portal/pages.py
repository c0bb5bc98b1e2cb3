"""The portal's pages and the client's answers."""

from __future__ import annotations

from decimal import Decimal
from io import BytesIO
from pathlib import Path
from typing import Any

from babel.dates import format_date
from babel.numbers import format_currency
from flask import Blueprint, Response, current_app, redirect, render_template, request, send_file, url_for
from flask_wtf.csrf import CSRFError, generate_csrf

from service.api.documents import content_disposition
from service.application import portal as view
from service.application import portal_acceptance
from service.application.portal import LinkClosed, Portal
from service.application.portal_answers import Answer, ShownChanged, answer, sha256_text
from service.application.runtime import Runtime
from service.application.unit_of_work import UnitOfWork
from service.desk.base import CSP
from service.domain.errors import DomainError, NotFound
from service.domain.model import LANGUAGES, ApprovalRequest, Engagement, FeedbackRequest
from service.portal.payment import epc_qr

FOLDER = Path(__file__).with_name("wording")
COMMENT_LENGTH = 2000

portal = Blueprint("portal", __name__, url_prefix="/p", template_folder="templates")


def runtime() -> Runtime:
    return current_app.extensions["runtime"]


def sayer(language: str) -> Any:
    wording = current_app.extensions["portal_wording"]
    return lambda key, **values: wording.say(language, key, **values)


@portal.before_request
def protect() -> None:
    if request.method == "POST":
        current_app.extensions["desk_csrf"].protect()


@portal.after_request
def headers(response: Response) -> Response:
    response.headers["Content-Security-Policy"] = CSP
    response.headers["Cache-Control"] = "no-store"
    response.headers["Referrer-Policy"] = "no-referrer"  # the token is in the URL: never pass it on
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["X-Frame-Options"] = "DENY"
    response.headers["X-Robots-Tag"] = "noindex"
    return response


def shown_text(engagement: Engagement, kind: str, item: FeedbackRequest | ApprovalRequest) -> str:
    """The exact sentence the page shows for a request: what the evidence hashes."""
    say = sayer(engagement.language)
    if isinstance(item, FeedbackRequest):
        return str(say("feedback.shown", subject=item.subject, due=_date(item.due_on, engagement.language)))
    left = max(0, engagement.revision_rounds - item.rounds)
    description = item.description.strip()
    return " ".join(
        say(
            "approval.shown",
            item=item.item,
            description=description,
            left=left,
            agreed=engagement.revision_rounds,
        ).split()
    )


def _date(day: Any, language: str) -> str:
    return format_date(day, format="long", locale=language)


def _page(template: str, language: str, status: int = 200, **context: Any) -> tuple[str, int]:
    lang = language if language in LANGUAGES else "en"
    return render_template(
        f"portal/{template}", lang=lang, say=sayer(lang), csrf=generate_csrf, **context
    ), status


def _closed(closed: LinkClosed, token: str) -> tuple[str, int]:
    """No data: an expired link offers a fresh one to the address on file, nothing else."""
    opened = closed.opened
    if opened is None or opened.status != "expired":
        return _page("closed.html", _guess_language(), 404)
    with runtime().reader() as uow:
        engagement = uow.engagements.get(opened.link.tenant_id, opened.link.engagement_id)
        language = engagement.language if engagement else opened.tenant.language
    return _page("expired.html", language, 410, token=token, sent=request.args.get("sent") == "1")


def _guess_language() -> str:
    return request.accept_languages.best_match(LANGUAGES) or "en"


def _context(uow: UnitOfWork, portal_view: Portal) -> dict[str, Any]:
    rt, engagement = runtime(), portal_view.engagement
    language, currency = engagement.language, engagement.currency

    def money(amount: Decimal) -> str:
        return format_currency(amount, currency, locale=language)

    needed = view.needs(portal_view)
    statement = view.account(rt, portal_view)
    details = view.payment_details(portal_view, statement["outstanding_total"])
    numbers = ", ".join(i.number for i in needed["invoices"] if i.number)  # the transfer's reference
    qr = epc_qr(details, numbers or engagement.client_name) if details and details["epc"] else None
    return {
        "engagement": engagement,
        "sender": portal_view.tenant.name,
        "feedback": [(f, shown_text(engagement, "feedback", f)) for f in needed["feedback"]],
        "approvals": [
            (a["approval"], shown_text(engagement, "approval", a["approval"])) for a in needed["approvals"]
        ],
        "invoices": needed["invoices"],
        "accepting": portal_acceptance.to_accept(rt, uow, portal_view),
        "letters": portal_view.letters,
        "acknowledged": portal_view.acknowledged,
        "statement": statement,
        "payment": details,
        "qr": qr,
        "money": money,
        "date": lambda day: _date(day, language),
        "kind_name": lambda kind: rt.renderer.kind_name(kind, language),
        "sha256": sha256_text,
    }


@portal.get("/<token>")
def home(token: str) -> Any:
    rt = runtime()
    try:
        with rt.reader() as uow:
            portal_view = view.portal_in(rt, uow, token)
            context = _context(uow, portal_view)
    except LinkClosed as closed:
        return _closed(closed, token)
    notice = request.args.get("answered")
    return _page("home.html", portal_view.engagement.language, token=token, notice=notice, **context)


@portal.get("/<token>/letters/<int:document_id>")
def letter(token: str, document_id: int) -> Any:
    try:
        document = view.portal_document(runtime(), token, document_id)
    except LinkClosed as closed:
        return _closed(closed, token)
    if document is None:
        return _page("closed.html", _guess_language(), 404)
    response = send_file(BytesIO(document.content), mimetype="application/octet-stream")
    response.headers["Content-Disposition"] = content_disposition(document.download_name)
    return response


@portal.post("/<token>/<any(feedback, approval, letter):kind>/<int:item_id>")
def answer_item(token: str, kind: str, item_id: int) -> Any:
    """One answer. The consent recorded is the sentence the page showed beside the box, in the
    engagement's language, taken from the wording here, never from what the form posts."""
    form = request.form
    comment = form.get("comment", "").strip()[:COMMENT_LENGTH]
    decision = form.get("decision", "")
    if form.get("consent") != "yes" or (decision == "changes_requested" and not comment):
        return redirect(url_for("portal.home", token=token, answered="incomplete"), 303)
    try:
        language = _language_of(token)
        given = Answer(
            token=token,
            kind=kind,
            item_id=item_id,
            decision=decision,
            comment=comment,
            shown_sha256=form.get("shown_sha256", ""),
            consent=str(sayer(language)("answer.consent")),
            address=request.remote_addr,
            user_agent=request.user_agent.string,
        )
        answer(runtime(), given, shown_text)
    except LinkClosed as closed:
        return _closed(closed, token)
    except ShownChanged:
        return redirect(url_for("portal.home", token=token, answered="changed"), 303)
    except NotFound:
        return _page("closed.html", _guess_language(), 404)
    except DomainError:
        return redirect(url_for("portal.home", token=token, answered="refused"), 303)
    return redirect(url_for("portal.home", token=token, answered="done"), 303)


def _language_of(token: str) -> str:
    rt = runtime()
    with rt.reader() as uow:
        return view.portal_in(rt, uow, token).engagement.language


@portal.post("/<token>/fresh-link")
def fresh_link(token: str) -> Any:
    """Only an expired link's page offers this; the answer is the same whatever happened."""
    view.send_fresh_link(runtime(), token)
    return redirect(url_for("portal.home", token=token, sent="1"), 303)


@portal.errorhandler(CSRFError)
def csrf_refused(_: CSRFError) -> tuple[str, int]:
    return _page("error.html", _guess_language(), 400, problem="error.csrf")
