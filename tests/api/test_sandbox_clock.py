"""A sandbox's clock starts where a rehearsal starts (issue 36): `make run`'s first account at the
README's 30 November 2026, `tenants create --sandbox --clock` anywhere, and `POST /v1/clock/reset`
back or forth while the account has no engagements. On SQLite and PostgreSQL.

The app's clock is the test's (1 December 2026); each sandbox here lives on a day of its own,
so what it answers is dated by its clock, not by the app's and not by the wall clock.
"""

from __future__ import annotations

from typing import Any

from flask import Flask

from tests.conftest import Api


def reset(api: Api, as_of: Any) -> Any:
    return api.post("/v1/clock/reset", json={"as_of": as_of})


def clock_at(api: Api) -> str | None:
    return api.get("/v1/tenant").json["clock_at"]


def test_a_sandbox_without_engagements_resets_its_clock_back_and_lives_there(sandbox_api: Api) -> None:
    answer = reset(sandbox_api, "2026-11-30T09:00:00Z")
    assert answer.status_code == 200, answer.json
    assert answer.json == {"as_of": "2026-11-30T09:00:00+00:00"}
    assert clock_at(sandbox_api) == "2026-11-30T09:00:00+00:00"
    # Created the day before it starts: no invoice yet, nothing owed (at the app's clock,
    # 1 December, its first invoice would be issued at once).
    engagement = sandbox_api.create_engagement()
    assert (engagement["balance_due"], engagement["created_at"]) == ("0.00", "2026-11-30T09:00:00+00:00")
    assert sandbox_api.get(f"/v1/engagements/{engagement['id']}/invoices").json == []


def test_a_reset_moves_forward_too_and_a_time_without_offset_is_utc(sandbox_api: Api) -> None:
    assert reset(sandbox_api, "2031-06-01T12:00:00").json == {"as_of": "2031-06-01T12:00:00+00:00"}
    assert reset(sandbox_api, "2031-06-01T12:00:00+02:00").json == {"as_of": "2031-06-01T10:00:00+00:00"}


def test_a_sandbox_with_an_engagement_cannot_reset_its_clock(sandbox_api: Api) -> None:
    reset(sandbox_api, "2026-11-30T09:00:00Z")
    sandbox_api.create_engagement()
    refused = reset(sandbox_api, "2026-11-01T09:00:00Z")
    assert refused.status_code == 409 and refused.content_type == "application/problem+json"
    assert "has 1" in refused.json["detail"] and "/v1/clock/tick" in refused.json["detail"]
    assert clock_at(sandbox_api) == "2026-11-30T09:00:00+00:00"  # unchanged


def test_a_live_account_has_no_clock_to_reset(api: Api) -> None:
    refused = reset(api, "2026-11-30T09:00:00Z")
    assert refused.status_code == 403 and refused.content_type == "application/problem+json"
    assert clock_at(api) is None


def test_a_reset_outside_the_supported_years_or_without_a_time_names_as_of(sandbox_api: Api) -> None:
    for body in ({"as_of": "1999-12-31T09:00:00Z"}, {}, {"as_of": "soon"}):
        refused = sandbox_api.post("/v1/clock/reset", json=body)
        assert refused.status_code == 422, (body, refused.json)
        assert refused.content_type == "application/problem+json"
        assert "as_of" in refused.json["errors"], refused.json
    assert clock_at(sandbox_api) is None  # still on the app's clock


def _key(output: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {output.strip().splitlines()[-1]}"}


def test_tenants_create_starts_a_sandbox_clock_at_local_time_in_its_zone(app: Flask) -> None:
    created = app.test_cli_runner().invoke(
        args=["tenants", "create", "Prove", "--sandbox", "--language", "it", "--clock", "2026-11-30T09:00:00"]
    )
    assert created.exit_code == 0, created.output
    me = app.test_client().get("/v1/tenant", headers=_key(created.output)).json
    # 09:00 in Rome, winter time: 08:00 UTC.
    assert (me["timezone"], me["clock_at"]) == ("Europe/Rome", "2026-11-30T08:00:00+00:00")


def test_tenants_create_refuses_a_clock_for_a_live_account_and_creates_nothing(app: Flask) -> None:
    runner = app.test_cli_runner()
    refused = runner.invoke(args=["tenants", "create", "Live", "--clock", "2026-11-30T09:00:00"])
    assert refused.exit_code != 0 and "--sandbox" in refused.output
    too_early = runner.invoke(args=["tenants", "create", "Old", "--sandbox", "--clock", "1999-01-01"])
    assert too_early.exit_code != 0 and "2000" in too_early.output
    assert "Live" not in runner.invoke(args=["tenants", "list"]).output
    assert "Old" not in runner.invoke(args=["tenants", "list"]).output


def test_the_first_start_sandbox_lives_where_the_readme_stories_start(app: Flask) -> None:
    first = app.test_cli_runner().invoke(args=["bootstrap"])
    assert "2026-11-30 09:00" in first.output
    me = app.test_client().get("/v1/tenant", headers=_key(first.output)).json
    # The account's zone is London (English, by default): 09:00 there is 09:00 UTC in November.
    assert (me["sandbox"], me["timezone"], me["clock_at"]) == (
        True,
        "Europe/London",
        "2026-11-30T09:00:00+00:00",
    )
