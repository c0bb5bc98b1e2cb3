"""Invoice numbers: per tenant and calendar year, sequential, gap-free, unique under concurrency."""

from __future__ import annotations

import threading
from datetime import UTC, datetime

from flask import Flask

from tests.conftest import Api, FakeClock, engagement_body


def _together(app: Flask, requests: list[tuple[str, dict]], headers: dict[str, str]) -> list[int]:
    """Each POST from its own thread, all released at once; their status codes."""
    start = threading.Barrier(len(requests))
    statuses: list[int] = []

    def send(path: str, body: dict) -> None:
        client = app.test_client()
        start.wait()
        statuses.append(client.post(path, json=body, headers=headers).status_code)

    threads = [threading.Thread(target=send, args=request) for request in requests]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return statuses


def _numbers(api: Api) -> list[str]:
    page = api.get("/v1/engagements?limit=100").json["items"]
    return sorted(i["number"] for e in page for i in api.get(f"/v1/engagements/{e['id']}/invoices").json)


def test_concurrent_issuing_gives_unique_gap_free_numbers(app: Flask, api: Api) -> None:
    # Eight engagements created at once each issue their first invoice: all race for the year's
    # first number, when the counter row does not exist yet.
    created = _together(app, [("/v1/engagements", engagement_body())] * 8, api.headers)
    assert created == [201] * 8
    engagements = api.get("/v1/engagements?limit=100").json["items"]
    extra = {"description": "Extra campaign", "amount": "150.00", "due_on": "2026-12-20"}
    # Then sixteen one-off invoices at once, two on each engagement: different engagement locks,
    # one counter.
    issued = _together(
        app, [(f"/v1/engagements/{e['id']}/invoices", extra) for e in engagements] * 2, api.headers
    )
    assert issued == [201] * 16

    assert _numbers(api) == [f"2026-{n:04d}" for n in range(1, 25)]


def test_numbers_start_again_each_year_and_for_each_tenant(
    api: Api, other_api: Api, clock: FakeClock
) -> None:
    first = api.create_engagement()
    other_api.create_engagement(language="en")
    assert [i["number"] for i in api.get(f"/v1/engagements/{first['id']}/invoices").json] == ["2026-0001"]
    assert _numbers(other_api) == ["2026-0001"]

    clock.now = datetime(2027, 1, 2, 9, 0, tzinfo=UTC)
    extra = {"description": "Extra campaign", "amount": "150.00", "due_on": "2027-01-20"}
    added = api.post(f"/v1/engagements/{first['id']}/invoices", json=extra).json
    # Loading the engagement first issues January's monthly invoice: it takes 2027-0001.
    assert added["number"] == "2027-0002"
    assert _numbers(api) == ["2026-0001", "2027-0001", "2027-0002"]


def test_the_year_is_the_tenants_local_year(api: Api, other_api: Api, clock: FakeClock) -> None:
    # 23:30 UTC on 31 December is already New Year's Day in Rome, still New Year's Eve in London.
    rome = api.create_engagement()
    london = other_api.create_engagement(language="en")
    clock.now = datetime(2026, 12, 31, 23, 30, tzinfo=UTC)
    extra = {"description": "Extra campaign", "amount": "150.00", "due_on": "2027-01-20"}
    assert api.post(f"/v1/engagements/{rome['id']}/invoices", json=extra).json["number"].startswith("2027-")
    assert (
        other_api.post(f"/v1/engagements/{london['id']}/invoices", json=extra).json["number"] == "2026-0002"
    )


def test_the_record_and_the_payment_entry_cite_the_number(api: Api) -> None:
    e = api.create_engagement()
    api.post(f"/v1/engagements/{e['id']}/payments", json={"amount": "1200.00", "received_on": "2026-12-01"})
    events = api.get(f"/v1/engagements/{e['id']}/events").json
    issued = next(ev for ev in events if ev["type"] == "invoice_issued")
    paid = next(ev for ev in events if ev["type"] == "payment_received")
    assert issued["payload"]["number"] == "2026-0001"
    assert paid["payload"]["settled"][0]["number"] == "2026-0001"
