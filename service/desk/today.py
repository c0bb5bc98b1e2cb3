"""Today: what needs the user, nearest deadline first."""

from __future__ import annotations

from typing import Any

from flask import redirect, url_for

from service.application.today import today_items
from service.desk.base import desk, page, runtime, tenant_id


@desk.get("/")
def home() -> Any:
    return redirect(url_for("desk.today"))


@desk.get("/today")
def today() -> Any:
    return page("today.html", items=today_items(runtime(), tenant_id()))
