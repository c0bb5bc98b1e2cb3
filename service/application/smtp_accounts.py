"""A tenant's own SMTP account (a PEC mailbox is one): stored sealed, never shown or logged."""

from __future__ import annotations

from typing import Any

from service.application.runtime import Mailer, Runtime
from service.application.unit_of_work import UnitOfWork
from service.domain.errors import NotFound, Unavailable
from service.domain.messages import SmtpAccount


def account_view(account: SmtpAccount) -> dict[str, Any]:
    return {
        "host": account.host,
        "port": account.port,
        "security": account.security,
        "username": account.username,
        "password_set": True,
        "channel": account.channel,
        "from_address": account.from_address,
        "updated_at": account.updated_at,
    }


def put_account(rt: Runtime, tenant_id: int, fields: dict[str, Any]) -> dict[str, Any]:
    if rt.secrets is None:
        raise Unavailable(
            "This deployment cannot store SMTP passwords: its operator must set SMTP_SECRET_KEYS."
        )
    with rt.writer() as uow:
        account = SmtpAccount(
            tenant_id=tenant_id,
            host=fields["host"],
            port=fields["port"],
            security=fields["security"],
            username=fields["username"],
            password_sealed=rt.secrets.seal(fields["password"]),
            channel=fields["channel"],
            from_address=fields.get("from_address") or fields["username"],
            updated_at=rt.clock(),
        )
        uow.messages.save_smtp_account(account)
        uow.commit()
        return account_view(account)


def get_account(rt: Runtime, tenant_id: int) -> dict[str, Any]:
    with rt.reader() as uow:
        account = uow.messages.smtp_account(tenant_id)
        if account is None:
            raise NotFound("SMTP account", "(none set)")
        return account_view(account)


def delete_account(rt: Runtime, tenant_id: int) -> None:
    with rt.writer() as uow:
        account = uow.messages.smtp_account(tenant_id)
        if account is None:
            raise NotFound("SMTP account", "(none set)")
        uow.messages.delete_smtp_account(account)
        uow.commit()


def mailer_for(
    rt: Runtime, uow: UnitOfWork, tenant_id: int, default: Mailer | None
) -> tuple[Mailer | None, str | None]:
    """(mailer, From address override): the tenant's own account when set, else the deployment's."""
    account = uow.messages.smtp_account(tenant_id)
    if account is None or rt.secrets is None or rt.smtp_mailer is None:
        return default, None
    mailer = rt.smtp_mailer(
        account.host,
        account.port,
        implicit_tls=account.security == "tls",
        username=account.username,
        password=rt.secrets.open(account.password_sealed),
        ca_file=rt.smtp_ca_file,
        timeouts=rt.smtp_timeouts,
    )
    return mailer, account.from_address


def rotate_secrets(rt: Runtime) -> int:
    """Re-seal every stored password with the first key: the step between adding a key and
    dropping the old one."""
    if rt.secrets is None:
        raise Unavailable("SMTP_SECRET_KEYS is not set.")
    with rt.writer() as uow:
        accounts = list(uow.messages.all_smtp_accounts())
        for account in accounts:
            account.password_sealed = rt.secrets.rotate(account.password_sealed)
        uow.commit()
        return len(accounts)
