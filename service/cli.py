"""Command-line entry points: `flask --app service <command>`."""

from __future__ import annotations

import time
from datetime import datetime
from pathlib import Path

import click
from flask import Flask, current_app
from flask.cli import AppGroup, with_appcontext
from sqlalchemy.exc import OperationalError

from service.adapters.database import close_connections, unreachable
from service.adapters.job_wake import job_wake
from service.adapters.migrations import upgrade
from service.adapters.signing import HeadSigner
from service.application.clock import sweep
from service.application.converting import convert_when_woken
from service.application.dispatcher import deliver_until_idle
from service.application.keys import create_key, revoke_key
from service.application.mailing import send_due
from service.application.pdfs import convert_until_idle
from service.application.record import sign_heads
from service.application.retention import prune
from service.application.smtp_accounts import rotate_secrets
from service.application.tenants import create_tenant, first_start, list_tenants
from service.desk.cli import first_signin_lines
from service.documents.office import OfficeConverter
from service.domain.calendar import as_utc
from service.domain.errors import Conflict, InvalidInput, NotFound
from service.domain.model import LANGUAGES
from service.domain.text import one_line_problem
from service.supervisor import supervise

tenants = AppGroup("tenants", help="Manage tenants (freelancers, agencies).")


def _one_line(_ctx: click.Context, _param: click.Parameter, value: str) -> str:
    """The name goes into every e-mail's From header: the same check as the API's (issue 31)."""
    problem = one_line_problem(value)
    if problem is not None:
        raise click.BadParameter(problem)
    return value


@tenants.command("create")
@click.argument("name", callback=_one_line)
@click.option("--sandbox", is_flag=True, help="May move its own clock (for rehearsals and tests).")
@click.option("--language", type=click.Choice(LANGUAGES), default="en", show_default=True)
@click.option(
    "--clock",
    type=click.DateTime(["%Y-%m-%dT%H:%M:%S", "%Y-%m-%dT%H:%M", "%Y-%m-%d"]),
    help="A sandbox's clock starts here (the account's local time, e.g. 2026-11-30T09:00:00).",
)
def create_tenant_command(name: str, sandbox: bool, language: str, clock: datetime | None) -> None:
    """Create a tenant; its API key is printed once, as the last line."""
    if clock is not None and not sandbox:
        raise click.UsageError("--clock needs --sandbox: a live account runs on real time.")
    try:
        tenant, key = create_tenant(
            current_app.extensions["runtime"], name, sandbox=sandbox, language=language, clock=clock
        )
    except InvalidInput as error:
        raise click.BadParameter(" ".join(error.errors["clock"]), param_hint="--clock") from error
    click.echo(f"Created tenant {tenant.id} '{tenant.name}'{' (sandbox)' if sandbox else ''}.")
    if tenant.clock_at is not None:
        click.echo(f"Its clock is at {tenant.clock_at.isoformat()} ({tenant.timezone}); ticks move it on.")
    if not sandbox:
        click.echo("Before its first letter, set its address, email and signatory: PATCH /v1/tenant.")
    click.echo("Keep this API key safe; it is stored only as a hash and cannot be shown again:")
    click.echo(key)


@tenants.command("list")
def list_tenants_command() -> None:
    """Every tenant: id, name, sandbox, number of engagements, when it was created."""
    rows = list_tenants(current_app.extensions["runtime"])
    click.echo(f"{'id':>5}  {'sandbox':7}  {'engagements':>11}  {'created':20}  name")
    for row in rows:
        created = row["created_at"].strftime("%Y-%m-%d %H:%M UTC")
        sandbox = "yes" if row["sandbox"] else "no"
        click.echo(f"{row['id']:>5}  {sandbox:7}  {row['engagements']:>11}  {created:20}  {row['name']}")


keys = AppGroup("keys", help="Issue and revoke API keys (for a tenant who lost theirs).")


@keys.command("create")
@click.option("--tenant", "tenant_id", type=int, required=True, help="The tenant's id (see tenants list).")
@click.option("--name", default="operator-issued key", show_default=True, help="To recognise it later.")
def create_key_command(tenant_id: int, name: str) -> None:
    """Issue a new key for a tenant; the key is printed once, as the last line."""
    try:
        created = create_key(current_app.extensions["runtime"], tenant_id, name)
    except NotFound as exc:
        raise click.ClickException(f"{exc} (see: flask --app service tenants list)") from exc
    click.echo(
        f"Created key {created['id']} '{created['name']}' ({created['prefix']}) for tenant {tenant_id}."
    )
    click.echo("Keep this API key safe; it is stored only as a hash and cannot be shown again:")
    click.echo(created["key"])


@keys.command("revoke")
@click.argument("key_id", type=int)
def revoke_key_command(key_id: int) -> None:
    """Revoke a key: its next request answers 401. A tenant's last working key stays."""
    try:
        revoked = revoke_key(current_app.extensions["runtime"], key_id)
    except (NotFound, Conflict) as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"Key {revoked['id']} '{revoked['name']}' ({revoked['prefix']}) is revoked.")


@click.command("migrate")
@with_appcontext
def migrate_command() -> None:
    """Bring the database schema up to date (Alembic upgrade head)."""
    upgrade(current_app.config["DATABASE_URL"])
    click.echo("Database schema is up to date.")


@click.command("bootstrap")
@with_appcontext
def bootstrap_command() -> None:
    """On first start, create a sandbox tenant and print its key; later, say how to get one."""
    key = first_start(current_app.extensions["runtime"], click.echo)
    if key is not None:
        click.echo("Your API key (stored only as a hash, shown this once):")
        click.echo(key)


def _moment(_ctx: click.Context, _param: click.Parameter, value: str | None) -> datetime | None:
    if value is None:
        return None
    try:
        return as_utc(datetime.fromisoformat(value))
    except ValueError as exc:
        raise click.BadParameter("an ISO 8601 time, e.g. 2026-12-02T00:00:00Z (UTC if no offset)") from exc


@click.command("serve")
@click.option("--port", type=click.IntRange(1, 65535), default=8000, show_default=True)
@with_appcontext
def serve_command(port: int) -> None:
    """Migrate, bootstrap, then run the web server and the clock until stopped (`make run`)."""
    upgrade(current_app.config["DATABASE_URL"])
    runtime = current_app.extensions["runtime"]
    key = first_start(runtime, click.echo)
    desk = first_signin_lines(list_tenants(runtime)[0]["id"], f"http://127.0.0.1:{port}") if key else ()
    close_connections(current_app)  # the children open their own
    url = current_app.config["DATABASE_URL"]
    raise SystemExit(supervise(port, key, click.echo, lambda: unreachable(url), after_key=desk))


@click.command("tick")
@click.option("--as-of", callback=_moment, help="Sweep as if it were this time (live tenants only).")
@click.option("--every", type=click.IntRange(min=0), default=0, help="Repeat every N seconds; 0 runs once.")
@with_appcontext
def tick_command(as_of: datetime | None, every: int) -> None:
    """Take every automatic step that is due, for all tenants (what cron or a timer runs)."""
    runtime = current_app.extensions["runtime"]
    while True:
        try:
            taken = sweep(runtime, as_of=as_of)
        except OperationalError as exc:
            if not every:
                raise
            # The database may be restarting: the next round will catch up what is due.
            click.echo(f"tick: database unavailable ({type(exc.orig).__name__}); retrying", err=True)
            taken = []
        for step in taken:
            click.echo(
                f"engagement {step.engagement_id}: {step.trigger} at {step.at.isoformat()} (entry {step.seq})"
            )
        if not every:
            click.echo(f"{len(taken)} step(s) taken.")
            return
        try:
            time.sleep(every)
        except KeyboardInterrupt:
            return  # Ctrl-C between rounds: nothing is half done, so stop without a traceback


record = AppGroup("record", help="The hash-chained record's signed heads.")


@record.command("sign-heads")
@click.option(
    "--previous-key",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="After a key rotation: the retired key file; the heads it signed are signed with the current key.",
)
@click.option(
    "--unsigned", is_flag=True, help="Also sign heads written before signing existed (no signature)."
)
def sign_heads_command(previous_key: Path | None, unsigned: bool) -> None:
    """Sign record heads with the current key (RECORD_SIGNING_KEY); a head whose chain or signature
    does not verify is left alone and listed."""
    previous = HeadSigner.from_file(previous_key) if previous_key else None
    signed, refused = sign_heads(current_app.extensions["runtime"], previous, unsigned=unsigned)
    click.echo(f"{signed} head(s) signed with key {current_app.extensions['runtime'].signer.key_id}.")
    if refused:
        click.echo(f"Not signed, verify these first: engagements {', '.join(map(str, refused))}", err=True)
        raise SystemExit(1)


@click.command("deliver")
@click.option(
    "--every",
    type=click.FloatRange(min=0),
    default=0,
    help="Look for due deliveries every N seconds; 0 runs once.",
)
@with_appcontext
def deliver_command(every: float) -> None:
    """Deliver the outbox: webhooks and approved e-mails due now (`make run` runs it beside the clock)."""
    runtime = current_app.extensions["runtime"]
    while True:
        try:
            done = deliver_until_idle(runtime)
            mailed = send_due(runtime, runtime.mailer)
        except OperationalError as exc:
            if not every:
                raise
            click.echo(f"deliver: database unavailable ({type(exc.orig).__name__}); retrying", err=True)
        else:
            if done.attempted or mailed or not every:
                click.echo(
                    f"{done.fanned_out} announcement(s) fanned out, {done.attempted} delivery attempt(s), "
                    f"{done.succeeded} succeeded; {mailed} message(s) handed to SMTP."
                )
        if not every:
            return
        time.sleep(every)


@click.command("convert")
@click.option(
    "--every",
    type=click.FloatRange(min=0),
    default=0,
    help="Also look for PDFs every N s (woken at once when one is asked for); 0 runs once.",
)
@click.option("--office", metavar="HOST:PORT", help="The warm LibreOffice (unoserver); else a cold soffice.")
@with_appcontext
def convert_command(every: float, office: str | None) -> None:
    """Make the PDFs that requests asked for and store them (`make run` runs it beside the office)."""
    runtime = current_app.extensions["runtime"]
    converter = OfficeConverter(office)
    if not every:
        click.echo(f"{convert_until_idle(runtime, converter)} PDF conversion(s) attempted.")
        return
    wake = job_wake(current_app.extensions["sql_engine"])
    try:
        convert_when_woken(runtime, converter, wake, every, _report_round, transient=OperationalError)
    finally:
        wake.close()


def _report_round(attempted: int) -> bool:
    if attempted:
        click.echo(f"{attempted} PDF conversion(s) attempted.")
    return True  # the converter process runs until it is stopped


@click.command("rotate-secrets")
@with_appcontext
def rotate_secrets_command() -> None:
    """Re-encrypt stored SMTP passwords with the first of SMTP_SECRET_KEYS (then drop the old key)."""
    count = rotate_secrets(current_app.extensions["runtime"])
    click.echo(f"{count} SMTP password(s) sealed with the first key.")


@click.command("prune")
@with_appcontext
def prune_command() -> None:
    """Prune what retention allows to forget (the clock does it after each tick); never the record."""
    pruned = prune(current_app.extensions["runtime"])
    click.echo(
        f"{pruned.delivered_webhooks} delivered outbox row(s) and "
        f"{pruned.idempotency_keys} idempotency answer(s) pruned."
    )


def register_commands(app: Flask) -> None:
    commands = (
        tenants,
        keys,
        record,
        migrate_command,
        bootstrap_command,
        serve_command,
        tick_command,
        deliver_command,
        convert_command,
        rotate_secrets_command,
        prune_command,
    )
    for command in commands:
        app.cli.add_command(command)
