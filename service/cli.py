"""Command-line entry points: `flask --app service <command>`."""

from __future__ import annotations

import time
from datetime import datetime

import click
from flask import Flask, current_app
from flask.cli import AppGroup, with_appcontext
from sqlalchemy.exc import OperationalError

from service.adapters.migrations import upgrade
from service.application.clock import sweep
from service.application.dispatcher import deliver_until_idle
from service.application.mailing import send_due
from service.application.smtp_accounts import rotate_secrets
from service.application.tenants import create_tenant
from service.domain.calendar import as_utc
from service.domain.model import LANGUAGES

tenants = AppGroup("tenants", help="Manage tenants (freelancers, agencies) and their keys.")


@tenants.command("create")
@click.argument("name")
@click.option("--sandbox", is_flag=True, help="May move its own clock (for rehearsals and tests).")
@click.option("--language", type=click.Choice(LANGUAGES), default="en", show_default=True)
def create_tenant_command(name: str, sandbox: bool, language: str) -> None:
    """Create a tenant; its API key is printed once, as the last line."""
    tenant, key = create_tenant(current_app.extensions["runtime"], name, sandbox=sandbox, language=language)
    click.echo(f"Created tenant {tenant.id} '{tenant.name}'{' (sandbox)' if sandbox else ''}.")
    click.echo("Keep this API key safe; it is stored only as a hash and cannot be shown again:")
    click.echo(key)


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
    runtime = current_app.extensions["runtime"]
    with runtime.reader() as uow:
        first_start = not uow.tenants.any_exist()
    if not first_start:
        click.echo("Tenants exist already. New key: flask --app service tenants create NAME")
        return
    _, key = create_tenant(runtime, "My practice", sandbox=True)
    click.echo("First start: created the sandbox tenant 'My practice'. Your API key:")
    click.echo(key)


def _moment(_ctx: click.Context, _param: click.Parameter, value: str | None) -> datetime | None:
    if value is None:
        return None
    try:
        return as_utc(datetime.fromisoformat(value))
    except ValueError as exc:
        raise click.BadParameter("an ISO 8601 time, e.g. 2026-12-02T00:00:00Z (UTC if no offset)") from exc


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
        time.sleep(every)


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


@click.command("rotate-secrets")
@with_appcontext
def rotate_secrets_command() -> None:
    """Re-encrypt stored SMTP passwords with the first of SMTP_SECRET_KEYS (then drop the old key)."""
    count = rotate_secrets(current_app.extensions["runtime"])
    click.echo(f"{count} SMTP password(s) sealed with the first key.")


def register_commands(app: Flask) -> None:
    commands = (
        tenants,
        migrate_command,
        bootstrap_command,
        tick_command,
        deliver_command,
        rotate_secrets_command,
    )
    for command in commands:
        app.cli.add_command(command)
