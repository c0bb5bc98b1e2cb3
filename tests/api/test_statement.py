"""GET /v1/engagements/{id}/statement: outstanding, statutory interest per rate period, fixed
sums and totals, to the cent. Expected figures are worked out by hand and written as literals."""

from __future__ import annotations

import pytest

from tests.conftest import Api

# The fixture clock stands at 2026-12-01 09:00 UTC; each engagement's December invoice
# (1,200.00, due 1 December) is issued on creation and is not late yet.


def _extra(api: Api, engagement_id: int, amount: str, due_on: str) -> dict:
    body = {"description": "Arrears", "amount": amount, "due_on": due_on}
    response = api.post(f"/v1/engagements/{engagement_id}/invoices", json=body)
    assert response.status_code == 201, response.json
    return response.json


def test_an_italian_invoice_paid_30_days_late_owes_10_01_interest_and_40_euro(api: Api) -> None:
    e = api.create_engagement()
    late = _extra(api, e["id"], "1200.00", "2026-01-31")
    api.post(f"/v1/engagements/{e['id']}/payments", json={"amount": "1200.00", "received_on": "2026-03-02"})

    body = api.get(f"/v1/engagements/{e['id']}/statement").json

    assert (body["as_of"], body["jurisdiction"], body["currency"]) == ("2026-12-01", "IT", "EUR")
    [paid_late, december] = body["invoices"]
    assert paid_late == {
        "id": late["id"],
        "number": "2026-0002",
        "description": "Arrears",
        "amount": "1200.00",
        "payable": "1200.00",  # no tax profile: the fee
        "outstanding": "0.00",
        "due_on": "2026-01-31",
        "paid_on": "2026-03-02",
        "days_late": 30,
        "interest": "10.01",
        "compensation": "40.00",
        "rate_periods": [
            {
                "from": "2026-02-01",
                "to": "2026-03-02",
                "rate": "10.15",
                "days": 30,
                "interest": "10.01",
                "provisional": False,
                "source": "MEF comunicato (26A00172), Gazzetta Ufficiale n. 15 del 20 gennaio 2026",
            }
        ],
    }
    assert (december["number"], december["outstanding"], december["days_late"], december["interest"]) == (
        "2026-0001",
        "1200.00",
        0,
        "0.00",
    )
    assert december["rate_periods"] == [] and december["compensation"] == "0.00"
    assert body["outstanding_total"] == "1200.00"
    assert body["interest_total"] == "10.01"
    assert body["compensation_total"] == "40.00"
    assert body["claimable_total"] == "1250.01"
    assert body["provisional"] is False


def test_a_debt_unpaid_since_june_2025_accrues_per_half_year_and_flags_the_missing_one(api: Api) -> None:
    e = api.create_engagement()
    _extra(api, e["id"], "1000.00", "2025-06-20")

    body = api.get(f"/v1/engagements/{e['id']}/statement").json

    [old, _december] = body["invoices"]
    assert [
        (p["from"], p["to"], p["rate"], p["days"], p["interest"], p["provisional"])
        for p in old["rate_periods"]
    ] == [
        ("2025-06-21", "2025-06-30", "11.15", 10, "3.05", False),
        ("2025-07-01", "2025-12-31", "10.15", 184, "51.17", False),
        ("2026-01-01", "2026-06-30", "10.15", 181, "50.33", False),
        ("2026-07-01", "2026-12-01", "10.40", 154, "43.88", False),  # ECB 2.40 % from June 2026
    ]
    assert (old["days_late"], old["interest"], old["compensation"]) == (529, "148.43", "40.00")
    assert body["provisional"] is False
    assert body["claimable_total"] == "2388.43"  # 1000 + 1200 + 148.43 + 40
    # Into 2027, whose rate is not on file yet: the last known one, flagged.
    later = api.get(f"/v1/engagements/{e['id']}/statement?as_of=2027-01-11").json
    [old, *_] = later["invoices"]
    last = old["rate_periods"][-1]
    # 1-11 January 2027: 11 days at 2.40 + 8 = 10.40 % on 1,000.00 = 3.134...
    assert (last["from"], last["to"], last["rate"], last["days"], last["interest"], last["provisional"]) == (
        "2027-01-01",
        "2027-01-11",
        "10.40",
        11,
        "3.13",
        True,
    )
    assert later["provisional"] is True


def test_an_english_debt_keeps_the_rate_it_started_with_and_carries_70_pounds(other_api: Api) -> None:
    e = other_api.create_engagement(language="en", currency="GBP")
    _extra(other_api, e["id"], "1000.00", "2026-11-01")

    body = other_api.get(f"/v1/engagements/{e['id']}/statement").json

    assert (body["jurisdiction"], body["regime"]) == (
        "GB",
        "Late Payment of Commercial Debts (Interest) Act 1998",
    )
    [late, _december] = body["invoices"]
    # Bank Rate 3.75 % on 30 June 2026 + 8 = 11.75 %; 1000 x 11.75% x 30/365
    assert [(p["from"], p["to"], p["rate"], p["days"], p["interest"]) for p in late["rate_periods"]] == [
        ("2026-11-02", "2026-12-01", "11.75", 30, "9.66")
    ]
    assert late["compensation"] == "70.00"
    assert (body["outstanding_total"], body["interest_total"], body["compensation_total"]) == (
        "2200.00",
        "9.66",
        "70.00",
    )
    assert body["claimable_total"] == "2279.66"


def test_fixed_sums_are_left_out_when_the_engagement_is_billed_in_another_currency(other_api: Api) -> None:
    e = other_api.create_engagement(language="en", currency="USD")
    _extra(other_api, e["id"], "1000.00", "2026-11-01")
    body = other_api.get(f"/v1/engagements/{e['id']}/statement").json
    assert body["compensation_applies"] is False
    assert body["compensation_total"] == "0.00"
    assert body["interest_total"] == "9.66"


def test_as_of_draws_the_statement_up_for_another_day(api: Api) -> None:
    e = api.create_engagement()
    body = api.get(f"/v1/engagements/{e['id']}/statement?as_of=2026-12-11").json
    [december] = body["invoices"]
    # 2-11 December: 10 days at 2.40 + 8 = 10.40 % on 1,200.00 = 3.4191...
    assert (december["days_late"], december["interest"], december["compensation"]) == (10, "3.42", "40.00")


def test_a_paid_invoice_paid_on_time_does_not_appear(api: Api) -> None:
    e = api.create_engagement()
    api.post(f"/v1/engagements/{e['id']}/payments", json={"amount": "1200.00", "received_on": "2026-12-01"})
    body = api.get(f"/v1/engagements/{e['id']}/statement").json
    assert body["invoices"] == []
    assert body["claimable_total"] == "0.00"


@pytest.mark.parametrize("as_of", ["2026-13-01", "yesterday", "2040-01-01"])
def test_a_bad_as_of_is_422_naming_it(api: Api, as_of: str) -> None:
    e = api.create_engagement()
    response = api.get(f"/v1/engagements/{e['id']}/statement?as_of={as_of}")
    assert response.status_code == 422
    assert "as_of" in response.json["errors"], response.json


def test_an_unknown_query_parameter_is_named(api: Api) -> None:
    e = api.create_engagement()
    response = api.get(f"/v1/engagements/{e['id']}/statement?until=2026-12-31")
    assert response.status_code == 422
    assert "until" in response.json["errors"], response.json
