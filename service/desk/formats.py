"""How the desk writes money, days, times and record entries: Babel, in the account's language
and time zone."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from babel.dates import format_date, format_datetime
from babel.numbers import format_currency
from flask import g

from service.application.record_csv import summary
from service.application.tenants import get_tenant
from service.desk.base import desk, language, runtime, tenant_id
from service.desk.labels import labelled
from service.domain.model import Event
from service.domain.record import CLIENT_OWN_TYPES


def _zone() -> ZoneInfo:
    if "desk_zone" not in g:
        g.desk_zone = ZoneInfo(get_tenant(runtime(), tenant_id()).timezone)
    return g.desk_zone


@desk.app_template_filter("desk_money")
def money(amount: Decimal | str | None, currency: str) -> str:
    return format_currency(Decimal(amount or 0), currency, locale=language())


@desk.app_template_filter("desk_date")
def day(value: date | str | None) -> str:
    if value is None:
        return "—"
    return format_date(
        date.fromisoformat(value) if isinstance(value, str) else value, "long", locale=language()
    )


@desk.app_template_filter("desk_datetime")
def instant(value: datetime | None) -> str:
    if value is None:
        return "—"
    return format_datetime(value, "d MMM yyyy HH:mm", tzinfo=_zone(), locale=language())


@desk.app_template_filter("desk_event")
def event_line(event: Event) -> str:
    """One line of the timeline: the record's own summary of the entry, as record.csv has it."""
    # The entry's own currency where it names one (an amount without one stays as written);
    # instants in the account's zone, as the desk shows every time.
    return summary(labelled(event), language(), zone=str(_zone()))


@desk.app_template_test("client_own")
def is_client_own(event: Event) -> bool:
    """Whether the entry is the client's own doing, marked so in the timeline."""
    return event.type in CLIENT_OWN_TYPES


@desk.app_template_filter("desk_letter")
def letter_name(kind: str) -> str:
    """A document kind as its reader calls it ("Sollecito di pagamento")."""
    return runtime().renderer.kind_name(kind, language())
