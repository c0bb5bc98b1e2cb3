"""The client accepts the contract or a proposed amendment: the PDF first, then the consents
(each onerous clause by number, art. 1341-1342 c.c.), then the one-time code, which comes last.
Or the client uploads the contract signed with their own digital signature (PAdES or .p7m).

Every step that acts is a POST with the CSRF token (``pages.protect``); the pages only read,
except that asking for a PDF never made queues its conversion, as the desk's preview does.
"""

from __future__ import annotations

from io import BytesIO
from typing import Any

from flask import redirect, request, send_file, url_for
from werkzeug.exceptions import RequestEntityTooLarge

from service.application import portal as view
from service.application.acceptance import (
    acceptance_terms,
    check_consents,
    confirm_acceptance,
    request_acceptance_code,
)
from service.application.pdfs import pdf_of
from service.application.portal import LinkClosed, Portal
from service.application.portal_acceptance import ToAccept, client_action, to_accept
from service.application.signed_copies import FIELD, receive_signed_copy
from service.domain.acceptance import ClientAction, Consents
from service.domain.errors import Conflict, InvalidInput, NotFound, Unavailable
from service.domain.pdfs import READY
from service.domain.sayings import say
from service.portal.pages import _closed, _guess_language, _page, portal, runtime, sayer

UPLOAD_LIMIT = 20 * 1024 * 1024  # a signed contract of a few pages; far more is not one


def _opened(token: str, amendment_id: int | None) -> tuple[Portal, ToAccept]:
    """The live link's view and the thing it may accept; NotFound when there is none."""
    rt = runtime()
    with rt.reader() as uow:
        portal_view = view.portal_in(rt, uow, token)
        item = next((i for i in to_accept(rt, uow, portal_view) if i.amendment_id == amendment_id), None)
    if item is None:
        raise NotFound("acceptance", amendment_id)
    return portal_view, item


def _ids(portal_view: Portal) -> tuple[int, int]:
    return portal_view.link.tenant_id, portal_view.link.engagement_id


def _consents() -> Consents:
    clauses = tuple(str(n) for n in request.form.getlist("clause"))
    return Consents(terms=request.form.get("terms") == "yes", onerous_clauses=clauses)


def _show(
    token: str,
    amendment_id: int | None,
    *,
    status: int = 200,
    errors: dict[str, list[str]] | None = None,
    problem: str | None = None,
    sent_to: str | None = None,
) -> Any:
    """The acceptance page: the PDF, the consents (as the client ticked them), the code."""
    try:
        portal_view, item = _opened(token, amendment_id)
    except LinkClosed as closed:
        return _closed(closed, token)
    except NotFound:
        return _page("closed.html", _guess_language(), 404)
    rt, language = runtime(), portal_view.engagement.language
    tenant_id, engagement_id = _ids(portal_view)
    try:
        ready = pdf_of(rt, tenant_id, item.document_id).job.status == READY
    except Unavailable:  # the account's conversion queue is full: the page says it is being prepared
        ready = False
    terms = acceptance_terms(rt, tenant_id, engagement_id, amendment_id=amendment_id) if ready else None
    posted = _consents() if request.method == "POST" else Consents(terms=False)
    return _page(
        "accept.html",
        language,
        status,
        token=token,
        item=item,
        terms=terms,
        sender=portal_view.tenant.name,
        ticked=posted,
        errors=errors or {},
        problem=problem,
        sent_to=sent_to,
        target=_target_url(token, amendment_id),
    )


def _target_url(token: str, amendment_id: int | None) -> dict[str, Any]:
    return {"token": token, "amendment_id": amendment_id}


def _said(error: Exception, language: str | None) -> str:
    return say(error.args[0], language) if error.args else ""


def _act(token: str, amendment_id: int | None, step: Any) -> Any:
    """Run one step as the link's client; refusals shown on the page, beside their field."""
    try:
        portal_view, _ = _opened(token, amendment_id)
        tenant_id, engagement_id = _ids(portal_view)
        client = client_action(portal_view, request.remote_addr, request.user_agent.string)
        return step(tenant_id, engagement_id, client)
    except LinkClosed as closed:
        return _closed(closed, token)
    except NotFound:
        return _page("closed.html", _guess_language(), 404)
    except InvalidInput as refused:
        errors = {f: [say(m, refused.language) for m in ms] for f, ms in refused.errors.items()}
        return _show(token, amendment_id, status=422, errors=errors)
    except (Conflict, Unavailable) as refused:
        status = 409 if isinstance(refused, Conflict) else 503
        return _show(token, amendment_id, status=status, problem=_said(refused, refused.language))


@portal.get("/<token>/accept/contract", defaults={"amendment_id": None})
@portal.get("/<token>/accept/amendment/<int:amendment_id>")
def accept(token: str, amendment_id: int | None) -> Any:
    return _show(token, amendment_id)


@portal.get("/<token>/accept/contract/pdf", defaults={"amendment_id": None})
@portal.get("/<token>/accept/amendment/<int:amendment_id>/pdf")
def accept_pdf(token: str, amendment_id: int | None) -> Any:
    """The PDF the consents and the code refer to, shown inline (the browser's own viewer)."""
    try:
        portal_view, item = _opened(token, amendment_id)
    except LinkClosed as closed:
        return _closed(closed, token)
    except NotFound:
        return _page("closed.html", _guess_language(), 404)
    requested = pdf_of(runtime(), portal_view.link.tenant_id, item.document_id)
    if requested.job.status != READY or requested.job.content is None:
        return redirect(url_for("portal.accept", token=token, amendment_id=amendment_id), 303)
    name = requested.filename.removesuffix(".docx") + ".pdf"
    return send_file(BytesIO(requested.job.content), mimetype="application/pdf", download_name=name)


@portal.post("/<token>/accept/contract/code", defaults={"amendment_id": None})
@portal.post("/<token>/accept/amendment/<int:amendment_id>/code")
def send_code(token: str, amendment_id: int | None) -> Any:
    """The consents are asked before any e-mail goes out; the code's check asks them again."""

    def step(tenant_id: int, engagement_id: int, client: ClientAction) -> Any:
        rt = runtime()
        check_consents(rt, tenant_id, engagement_id, _consents(), amendment_id=amendment_id)
        sent = request_acceptance_code(rt, tenant_id, engagement_id, client, amendment_id=amendment_id)
        return _show(token, amendment_id, sent_to=sent["sent_to"])

    return _act(token, amendment_id, step)


@portal.post("/<token>/accept/contract/confirm", defaults={"amendment_id": None})
@portal.post("/<token>/accept/amendment/<int:amendment_id>/confirm")
def confirm(token: str, amendment_id: int | None) -> Any:
    """The signature's last step: the code with the consents ticked beside it."""

    def step(tenant_id: int, engagement_id: int, client: ClientAction) -> Any:
        code = request.form.get("code", "").strip()[:12]
        consents = _consents()
        confirm_acceptance(
            runtime(), tenant_id, engagement_id, code, consents, client, amendment_id=amendment_id
        )
        return redirect(url_for("portal.home", token=token, answered="accepted"), 303)

    return _act(token, amendment_id, step)


@portal.post("/<token>/accept/contract/signed-copy")
def signed_copy(token: str) -> Any:
    """The contract signed with the client's own digital signature, checked before it is kept."""

    def step(tenant_id: int, engagement_id: int, client: ClientAction) -> Any:
        try:
            upload = request.files.get(FIELD)
            content = upload.read(UPLOAD_LIMIT + 1) if upload else b""
        except RequestEntityTooLarge:
            content = b""
        if not content or len(content) > UPLOAD_LIMIT:
            language = runtime_language(tenant_id, engagement_id)
            return _show(token, None, status=422, errors={FIELD: [_wording(language, "accept.file_missing")]})
        receive_signed_copy(runtime(), tenant_id, engagement_id, content, client)
        return redirect(url_for("portal.home", token=token, answered="signed"), 303)

    return _act(token, None, step)


def runtime_language(tenant_id: int, engagement_id: int) -> str:
    with runtime().reader() as uow:
        engagement = uow.engagements.get(tenant_id, engagement_id)
        return engagement.language if engagement else "en"


def _wording(language: str, key: str) -> str:
    return str(sayer(language)(key))
