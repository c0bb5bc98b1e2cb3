"""Settings: the account's own SMTP or PEC mailbox, through the API's schema and use cases. The
password is sealed on the way in and never shown again, not even as a form's value."""

from __future__ import annotations

from typing import Any

from flask import redirect, request, url_for
from marshmallow import ValidationError

from service.api.tenant import SmtpAccountPutSchema
from service.application import smtp_accounts
from service.desk.base import desk, page, refusal, refused_fields, runtime, tenant_id
from service.domain.errors import DomainError, NotFound

MAIL_FORM = ("host", "port", "security", "username", "password", "channel", "from_address")
SECURITIES = ("starttls", "tls")
MAIL_CHANNELS = ("email", "pec")  # a mailbox sends e-mail or PEC; "post" is printed, never an account


def _mail_page(status: int = 200, **context: Any) -> Any:
    try:
        saved = smtp_accounts.get_account(runtime(), tenant_id())
    except NotFound:
        saved = None
    shown = {name: str(saved[name]) for name in MAIL_FORM if saved and name != "password"}
    return page(
        "settings_mail.html",
        status,
        **{
            "saved": saved,
            "values": shown,
            "errors": {},
            "channels": MAIL_CHANNELS,
            "securities": SECURITIES,
            **context,
        },
    )


@desk.get("/settings/mail")
def mail_settings() -> Any:
    return _mail_page()


@desk.post("/settings/mail")
def save_mail() -> Any:
    values = {name: request.form.get(name, "").strip() for name in MAIL_FORM}
    body: dict[str, Any] = {k: v for k, v in values.items() if v}
    if values["port"].isdigit():
        body["port"] = int(values["port"])  # the API's field is a strict integer, as JSON sends it
    values.pop("password")  # a refused form never sends the password back to the page
    try:
        account = SmtpAccountPutSchema().load(body)
        smtp_accounts.put_account(runtime(), tenant_id(), account)
    except ValidationError as refused:
        return _mail_page(422, values=values, errors=refused_fields(refused))
    except DomainError as refused:
        return _mail_page(409, values=values, problem=refusal(refused))
    return redirect(url_for("desk.mail_settings", saved=1), code=303)


@desk.post("/settings/mail/forget")
def forget_mail() -> Any:
    smtp_accounts.delete_account(runtime(), tenant_id())
    return redirect(url_for("desk.mail_settings"), code=303)
