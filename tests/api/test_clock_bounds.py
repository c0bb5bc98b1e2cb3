"""The date model's bounds: how far one tick moves a sandbox clock, the supported years, and a
tick that fails saying so. SQLite and PostgreSQL."""

from __future__ import annotations

from typing import Any

import pytest

from service.application import clock as clock_module
from tests.api.test_billing import pay, tick
from tests.conftest import Api, FakeClock, engagement_body


def test_one_tick_moves_a_sandbox_clock_at_most_400_days(sandbox_api: Api, clock: FakeClock) -> None:
    # The fake clock is at 2026-12-01T09:00Z: 400 days on is 2028-01-05T09:00Z.
    too_far = tick(sandbox_api, as_of="2028-01-05T09:00:01Z")
    assert too_far.status_code == 422
    assert too_far.mimetype == "application/problem+json"
    [message] = too_far.json["errors"]["as_of"]
    assert "at most 400 days" in message and "2028-01-05T09:00:00+00:00" in message
    assert sandbox_api.get("/v1/tenant").json["clock_at"] is None  # the refused tick moved nothing
    assert tick(sandbox_api, as_of="2028-01-05T09:00:00Z").status_code == 200
    assert tick(sandbox_api, as_of="2029-02-08T09:00:00Z").status_code == 200  # 400 more days


# Every date a request carries, each past either end of 2000–2200 (UTC offsets included).
DATE_FIELDS = [
    ("engagement", "start_date", "2201-01-01"),
    ("engagement", "start_date", "1999-12-31"),
    ("invoice", "due_on", "9999-12-31"),
    ("payment", "received_on", "0001-01-01"),
    ("work_log", "date", "1970-01-01"),
    ("incident", "occurred_on", "2201-06-01"),
    ("forecast", "until", "9999-12-31"),
    ("tick", "as_of", "9999-12-31T23:59:59-23:59"),
    ("tick", "as_of", "0001-01-01T00:00:00+23:59"),
]


def _send(api: Api, target: str, field: str, value: str) -> Any:
    if target == "engagement":
        return api.post("/v1/engagements", json=engagement_body(**{field: value}))
    e = api.create_engagement(language="en")  # English: the sentence below (Italian: test_field_wording)
    path = f"/v1/engagements/{e['id']}"
    if target == "invoice":
        return api.post(f"{path}/invoices", json={"description": "Extra", "amount": "10.00", field: value})
    if target == "payment":
        return pay(api, e["id"], "10.00", value)
    if target == "work_log":
        return api.post(f"{path}/work-log", json={"summary": "Posts", field: value})
    if target == "incident":
        return api.post(f"{path}/incidents", json={"kind": "other", "description": "x", field: value})
    if target == "forecast":
        return api.get(f"{path}/forecast?until={value}")
    return tick(api, **{field: value})


@pytest.mark.parametrize(("target", "field", "value"), DATE_FIELDS)
def test_dates_outside_2000_to_2200_are_422_naming_the_field(
    sandbox_api: Api, target: str, field: str, value: str
) -> None:
    response = _send(sandbox_api, target, field, value)
    assert response.status_code == 422, response.json
    assert response.json["errors"][field] == ["Only years 2000 to 2200 are supported (UTC offsets included)."]


@pytest.mark.parametrize(
    "as_of", ["9999-12-31T23:59:59-23:59", "0001-01-01T00:00:00+23:59", "2027-01-01T00:00:00Z"]
)
def test_a_live_account_setting_its_clock_is_403_whatever_the_date(api: Api, as_of: str) -> None:
    response = tick(api, as_of=as_of)
    assert response.status_code == 403
    assert response.mimetype == "application/problem+json"


def test_a_failed_tick_is_503_naming_the_engagement_and_the_step_stays_due(
    api: Api, clock: FakeClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    healthy, broken = api.create_engagement(), api.create_engagement()
    real_apply = clock_module.apply_trigger

    def failing(rt: Any, uow: Any, tenant: Any, engagement: Any, *args: Any, **kwargs: Any) -> Any:
        if engagement.id == broken["id"]:
            raise RuntimeError("the renderer fell over")
        return real_apply(rt, uow, tenant, engagement, *args, **kwargs)

    monkeypatch.setattr(clock_module, "apply_trigger", failing)
    clock.advance(days=1)
    failed = tick(api)
    assert failed.status_code == 503
    assert failed.mimetype == "application/problem+json"
    assert f"engagement {broken['id']} (RuntimeError)" in failed.json["detail"]
    assert "1 other step(s) were taken" in failed.json["detail"]
    assert api.get(f"/v1/engagements/{healthy['id']}").json["state"] != "active"  # kept

    monkeypatch.setattr(clock_module, "apply_trigger", real_apply)
    retried = tick(api)
    assert retried.status_code == 200
    assert [(s["engagement_id"], s["trigger"]) for s in retried.json["steps"]] == [
        (broken["id"], "mark_payment_overdue")
    ]


def test_a_tick_takes_a_bounded_share_and_says_when_more_is_due(
    sandbox_api: Api, monkeypatch: pytest.MonkeyPatch
) -> None:
    e = sandbox_api.create_engagement()
    assert sandbox_api.fire(e["id"], "request_feedback", subject="Approve the plan").status_code == 200
    forecast = sandbox_api.get(f"/v1/engagements/{e['id']}/forecast?until=2027-06-01").json["steps"]
    assert len(forecast) > 6
    monkeypatch.setattr(clock_module, "TICK_BUDGET", clock_module.Budget(per_engagement=3, per_tenant=3))
    first = tick(sandbox_api, as_of="2027-06-01T00:00:00Z")
    assert (len(first.json["steps"]), first.json["more_due"]) == (3, True)
    taken = first.json["steps"]
    while (again := tick(sandbox_api)).json["more_due"]:
        taken += again.json["steps"]
    taken += again.json["steps"]
    assert [(s["trigger"], s["at"]) for s in taken] == [(s["trigger"], s["at"]) for s in forecast]
