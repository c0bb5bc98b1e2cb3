"""Command-line entry points: `flask --app service <command>`."""

from __future__ import annotations

import click
from flask import Flask, current_app
from flask.cli import AppGroup, with_appcontext

from service.adapters.migrations import upgrade
from service.application.tenants import create_tenant
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


def register_commands(app: Flask) -> None:
    for command in (tenants, migrate_command, bootstrap_command):
        app.cli.add_command(command)
