"""Every "day" rule is a day in the tenant's time zone, and business days skip the public holidays
of the engagement's country, through the API on both backends. Expected days and instants are
written out by hand (midnight in Rome is 23:00 UTC in winter, 22:00 in summer)."""

from __future__ import annotations

from typing import Any

import pytest
from flask.testing import FlaskClient

from service.application.runtime import Runtime
from tests.api.test_offboarding_journeys import document_text
from tests.conftest import Api, _tenant_api


def sandbox(runtime: Runtime, client: FlaskClient, name: str, language: str, zone: str | None = None) -> Api:
    api = _tenant_api(runtime, client, name, sandbox=True, language=language)
    if zone is not None:
        assert api.patch("/v1/tenant", json={"timezone": zone}).status_code == 200
    return api


def tick(api: Api, as_of: str) -> None:
    response = api.post("/v1/clock/tick", json={"as_of": as_of})
    assert response.status_code == 200, response.json


def engagement(api: Api, eid: int) -> dict[str, Any]:
    return api.get(f"/v1/engagements/{eid}").json


def entries(api: Api, eid: int, trigger: str) -> list[dict[str, Any]]:
    events = api.get(f"/v1/engagements/{eid}/events").json
    return [e for e in events if e["type"] == "transition" and e["payload"]["trigger"] == trigger]


def test_a_tick_at_2330_utc_on_1_december_finds_the_invoice_overdue_in_rome_not_yet_in_london(
    runtime: Runtime, client: FlaskClient
) -> None:
    rome = sandbox(runtime, client, "Studio Roma", "en", "Europe/Rome")
    london = sandbox(runtime, client, "Studio London", "en", "Europe/London")
    in_rome = rome.create_engagement(language="en")["id"]  # due 1 December
    in_london = london.create_engagement(language="en")["id"]
    for api in (rome, london):
        tick(api, "2026-12-01T23:30:00+00:00")  # 00:30 on 2 December in Rome, 23:30 on 1 December in London
    assert engagement(rome, in_rome)["state"] == "payment_overdue"
    assert engagement(london, in_london)["state"] == "active"
    # The step is dated when 2 December began in Rome; London's falls due at its own midnight.
    assert [e["occurred_at"] for e in entries(rome, in_rome, "mark_payment_overdue")] == [
        "2026-12-01T23:00:00+00:00"
    ]
    assert engagement(london, in_london)["next_deadline"] == "2026-12-02T00:00:00+00:00"


def test_the_letter_carries_the_tenants_day_not_the_utc_day(runtime: Runtime, client: FlaskClient) -> None:
    api = sandbox(runtime, client, "Studio Bianchi", "it")  # Italian: Europe/Rome by default
    assert api.patch("/v1/tenant", json={"city": "Milano"}).status_code == 200
    eid = api.create_engagement()["id"]
    tick(api, "2026-12-01T23:30:00+00:00")  # the reminder is dated 23:00 UTC on 1 December: 2 Dec in Rome
    reminders = [
        d for d in api.get(f"/v1/engagements/{eid}/documents").json if d["kind"] == "payment_reminder"
    ]
    assert len(reminders) == 1
    assert "Milano, 2 dicembre 2026" in document_text(api, eid, "payment_reminder")


# Europe changes to summer time on Sunday 28 March 2027 and back on Sunday 31 October 2027.
DST = [
    pytest.param("Europe/Rome", 27, "2027-03-27T23:00:00+00:00", id="rome-before-spring"),
    pytest.param("Europe/Rome", 28, "2027-03-28T22:00:00+00:00", id="rome-after-spring"),
    pytest.param("Europe/London", 27, "2027-03-28T00:00:00+00:00", id="london-before-spring"),
    pytest.param("Europe/London", 28, "2027-03-28T23:00:00+00:00", id="london-after-spring"),
]


@pytest.mark.parametrize(("zone", "due_day", "deadline"), DST)
def test_the_clocks_next_deadline_is_local_midnight_on_both_sides_of_a_dst_change(
    runtime: Runtime, client: FlaskClient, zone: str, due_day: int, deadline: str
) -> None:
    api = sandbox(runtime, client, "Studio", "en", zone)
    body = {"due_day": due_day, "grace_days": 7, "late_payment_policy": "remind_only"}
    eid = api.create_engagement(start_date="2027-03-01", payment_terms=body)["id"]
    tick(api, "2027-03-10T12:00:00+00:00")  # March's invoice issued, due on the 27th or the 28th
    assert engagement(api, eid)["next_deadline"] == deadline  # the first overdue day's midnight


def test_the_autumn_change_too(runtime: Runtime, client: FlaskClient) -> None:
    api = sandbox(runtime, client, "Studio", "en", "Europe/Rome")
    terms = {"grace_days": 7, "late_payment_policy": "remind_only"}
    before = api.create_engagement(start_date="2027-10-01", payment_terms={"due_day": 30, **terms})["id"]
    after = api.create_engagement(start_date="2027-10-01", payment_terms={"due_day": 31, **terms})["id"]
    tick(api, "2027-10-10T12:00:00+00:00")
    assert engagement(api, before)["next_deadline"] == "2027-10-30T22:00:00+00:00"  # 31 Oct, still CEST
    assert engagement(api, after)["next_deadline"] == "2027-10-31T23:00:00+00:00"  # 1 Nov, CET


# A feedback request on Wednesday 23 December 2026, 3 business days to answer, reminders every
# 3 business days. Italy: 25 and 26 December, 1 and 6 January are holidays. England and Wales:
# 25 December, Monday 28 December (Boxing Day falls on a Saturday) and 1 January.
REMINDERS = [
    pytest.param(
        "it",
        "IT",
        "2026-12-29",  # Thu 24 (1), Mon 28 (2), Tue 29 (3)
        # Wed 30; then Thu 31, Mon 4, Tue 5; then Thu 7, Fri 8, Mon 11 (Wed 6 is the Epiphany).
        ["2026-12-30", "2027-01-05", "2027-01-11"],
        ["2026-12-29T23:00:00+00:00", "2027-01-04T23:00:00+00:00", "2027-01-10T23:00:00+00:00"],
        id="italy",
    ),
    pytest.param(
        "en",
        "GB",
        "2026-12-30",  # Thu 24 (1), Tue 29 (2), Wed 30 (3)
        # Thu 31; then Mon 4, Tue 5, Wed 6; then Thu 7, Fri 8, Mon 11.
        ["2026-12-31", "2027-01-06", "2027-01-11"],
        ["2026-12-31T00:00:00+00:00", "2027-01-06T00:00:00+00:00", "2027-01-11T00:00:00+00:00"],
        id="england",
    ),
]


@pytest.mark.parametrize(("language", "jurisdiction", "due_on", "reminder_days", "reminded_at"), REMINDERS)
def test_feedback_deadline_and_reminders_skip_the_public_holidays(
    runtime: Runtime,
    client: FlaskClient,
    language: str,
    jurisdiction: str,
    due_on: str,
    reminder_days: list[str],
    reminded_at: list[str],
) -> None:
    api = sandbox(runtime, client, "Studio", language)
    # Billed from February: no invoice goes overdue and stops the reminders meanwhile.
    # Three reminders agreed: the ladder stops at the agreed count (issue 30).
    feedback = {"response_days": 3, "reminders_before_offboarding": 3}
    eid = api.create_engagement(
        language=language, jurisdiction=jurisdiction, start_date="2027-02-01", feedback_terms=feedback
    )["id"]
    tick(api, "2026-12-23T09:00:00+00:00")  # Wednesday 23 December
    asked = api.fire(eid, "request_feedback", subject="Approve the January plan")
    assert asked.status_code == 200, asked.json
    assert asked.json["event"]["payload"]["due_on"] == due_on
    tick(api, "2027-01-11T09:00:00+00:00")
    reminders = entries(api, eid, "remind_feedback")
    # Each reminder goes out when its day begins in the tenant's zone, and names the next one.
    assert [e["occurred_at"] for e in reminders] == reminded_at
    assert [e["payload"]["next_reminder_on"] for e in reminders] == [*reminder_days[1:], "2027-01-14"]
