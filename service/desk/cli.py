"""`flask --app service users …`: the desk's users, for the operator and for `make run`."""

from __future__ import annotations

import sys

import click
from flask import current_app
from flask.cli import with_appcontext

from service.application.people import People
from service.domain.errors import DomainError

FIRST_USER_EMAIL = "owner@localhost"


def _people() -> People:
    return current_app.extensions["people"]


def _fail(error: DomainError) -> None:
    errors = getattr(error, "errors", None)
    raise click.ClickException(f"{error} {errors}" if errors else str(error))


def first_signin_lines(tenant_id: int, base_url: str) -> tuple[str, ...]:
    """The first start's user, without a password yet, and the one-time link that sets it."""
    people = _people()
    user_id = people.create_user(tenant_id, FIRST_USER_EMAIL, None)
    return (
        f"The desk: open this link within 24 hours to choose your password ({FIRST_USER_EMAIL}):",
        f"{base_url}/app/login?token={people.issue_signin_link(tenant_id, user_id)}",
    )


@click.group("users")
def users() -> None:
    """People who sign in to the desk (/app/)."""


@users.command("create")
@click.option("--tenant", "tenant_id", type=int, required=True)
@click.option("--email", required=True)
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input.")
@with_appcontext
def create(tenant_id: int, email: str, password_stdin: bool) -> None:
    """Create a user; without --password-stdin, print a one-time link that sets the password."""
    password = sys.stdin.readline().rstrip("\n") if password_stdin else None
    try:
        user_id = _people().create_user(tenant_id, email, password)
    except DomainError as refused:
        _fail(refused)
    click.echo(f"Created user {user_id} <{email}> for tenant {tenant_id}.")
    if password is None:
        click.echo("Open this link within 24 hours to choose a password (replace the host if needed):")
        click.echo(f"http://127.0.0.1:8000/app/login?token={_people().issue_signin_link(tenant_id, user_id)}")


@users.command("list")
@click.option("--tenant", "tenant_id", type=int, required=True)
@with_appcontext
def list_users(tenant_id: int) -> None:
    click.echo(f"{'id':>5}  {'status':8}  {'created':20}  e-mail")
    for user in _people().list_users(tenant_id):
        status = "disabled" if user.disabled_at else "enabled"
        click.echo(f"{user.id:>5}  {status:8}  {user.created_at:%Y-%m-%d %H:%M:%S}   {user.email}")


@users.command("disable")
@click.option("--tenant", "tenant_id", type=int, required=True)
@click.option("--user", "user_id", type=int, required=True)
@with_appcontext
def disable(tenant_id: int, user_id: int) -> None:
    """Disable a user: their sessions and links end at once."""
    try:
        _people().disable_user(tenant_id, user_id)
    except DomainError as refused:
        _fail(refused)
    click.echo(f"User {user_id} is disabled; their sessions have ended.")


@users.command("link")
@click.option("--tenant", "tenant_id", type=int, required=True)
@click.option("--user", "user_id", type=int, required=True)
@with_appcontext
def link(tenant_id: int, user_id: int) -> None:
    """Print a new one-time sign-in link (24 hours) that lets the user set a new password."""
    try:
        token = _people().issue_signin_link(tenant_id, user_id)
    except DomainError as refused:
        _fail(refused)
    click.echo(f"http://127.0.0.1:8000/app/login?token={token}")
