"""Signing in and out, and the one-time link that sets a password."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from flask import current_app, make_response, redirect, request, url_for
from limits import parse
from limits.strategies import FixedWindowRateLimiter
from werkzeug.wrappers import Response

from service.adapters.rate_counter import LocalCounter
from service.desk.base import SESSION_COOKIE, desk, language, local_path, page, people, speak_to
from service.domain.errors import InvalidInput
from service.domain.people import SESSION_LIFETIME, normal_email


class SignInLimits:
    """Failed sign-ins per e-mail and per client address: whichever is spent first waits."""

    def __init__(self, limit: str, clock: Callable[[], float] = time.time) -> None:
        self.limit = parse(limit)
        self._failures = FixedWindowRateLimiter(LocalCounter(clock=clock))

    def _keys(self, email: str, address: str) -> tuple[str, str]:
        return f"email:{normal_email(email)}", f"address:{address}"

    def allowed(self, email: str, address: str) -> bool:
        return all(self._failures.test(self.limit, key) for key in self._keys(email, address))

    def failed(self, email: str, address: str) -> None:
        for key in self._keys(email, address):
            self._failures.hit(self.limit, key)


def _signed_in(token: str) -> Response:
    response = redirect(local_path(request.args.get("next"), url_for("desk.today")), code=303)
    response.set_cookie(
        SESSION_COOKIE,
        token,
        max_age=int(SESSION_LIFETIME.total_seconds()),
        httponly=True,
        samesite="Lax",
        secure=request.is_secure,
        path="/app/",
    )
    return response


@desk.get("/login")
def login() -> Any:
    token = request.args.get("token")
    if token is None:
        return page("login.html")
    holder = people().link_holder(token)
    if holder is None:
        return page("login.html", 410, notice="link_expired")
    speak_to(holder.tenant_id)
    return page("set_password.html", token=token, email=holder.email)


@desk.post("/login")
def sign_in() -> Any:
    email, password = request.form.get("email", ""), request.form.get("password", "")
    limits: SignInLimits = current_app.extensions["signin_limits"]
    address = request.remote_addr or "unknown"
    if not limits.allowed(email, address):
        return page("login.html", 429, notice="too_many", email=email)
    token = people().sign_in(email, password)
    if token is None:
        limits.failed(email, address)
        return page("login.html", 401, notice="wrong", email=email)
    return _signed_in(token)


@desk.post("/login/link")
def set_password() -> Any:
    token, password = request.form.get("token", ""), request.form.get("password", "")
    holder = people().link_holder(token)
    if holder is not None:
        speak_to(holder.tenant_id)
    if password != request.form.get("repeat", ""):
        return page("set_password.html", 422, token=token, problem="password.mismatch")
    try:
        session = people().redeem_link(token, password)
    except InvalidInput as refused:
        return page(
            "set_password.html", 422, token=token, problem=f"password.{refused.errors['password'][0]}"
        )
    if session is None:
        return page("login.html", 410, notice="link_expired")
    return _signed_in(session)


@desk.post("/logout")
def sign_out() -> Response:
    token = request.cookies.get(SESSION_COOKIE)
    spoken = language()
    if token:
        people().sign_out(token)
    response = make_response(redirect(url_for("desk.login", notice="signed_out", lang=spoken), code=303))
    response.delete_cookie(SESSION_COOKIE, path="/app/")
    return response
