"""The lows of issue 31: integers too long to convert, and the record's entry types in full."""

from __future__ import annotations

import json

import yaml

from service.domain.record import ENTRY_TYPES
from tests.conftest import ROOT, Api, engagement_body

DIGITS = "7" * 5000  # Python converts at most 4,300 digits (sys.get_int_max_str_digits)


def _post(api: Api, path: str, raw: str) -> object:
    return api.client.post(path, data=raw, headers={**api.headers, "Content-Type": "application/json"})


def test_an_integer_too_long_to_convert_is_422_naming_the_field(api: Api) -> None:
    engagement = api.create_engagement()
    payment = f'{{"amount": "1.00", "received_on": "2026-12-01", "reference": {DIGITS}}}'
    body = json.dumps(engagement_body()).replace('"due_day": 1', f'"due_day": -{DIGITS}')
    transition = f'{{"trigger": "issue_conduct_warning", "data": {{"days_to_comply": [{DIGITS}]}}}}'
    cases = {
        f"/v1/engagements/{engagement['id']}/payments": "reference",
        "/v1/engagements": "payment_terms.due_day",
        f"/v1/engagements/{engagement['id']}/transitions": "data.days_to_comply.0",
    }
    events = api.get(f"/v1/engagements/{engagement['id']}/events").json
    for (path, field), raw in zip(cases.items(), (payment, body, transition), strict=True):
        response = _post(api, path, raw)
        assert response.status_code == 422, (path, response.status_code)
        assert response.json["errors"] == {field: ["A number of more than 4300 digits; no field takes one."]}
    assert api.get(f"/v1/engagements/{engagement['id']}/events").json == events  # nothing applied
    assert [e["id"] for e in api.get("/v1/engagements").json["items"]] == [engagement["id"]]


def test_the_same_digits_inside_a_string_are_text(api: Api) -> None:
    engagement = api.create_engagement()
    raw = f'{{"item": "{DIGITS[:400]}", "description": "{DIGITS}"}}'
    response = _post(api, f"/v1/engagements/{engagement['id']}/approvals", raw)
    assert response.status_code == 201, response.json


def test_the_record_entry_enum_lists_every_type_written() -> None:
    spec = yaml.safe_load((ROOT / "openapi.yaml").read_text())
    enum = spec["components"]["schemas"]["Event"]["properties"]["type"]["enum"]
    assert enum == list(ENTRY_TYPES)
    assert {"message_sent", "message_failed", "message_approved", "message_discarded", "pec_receipt"} <= set(
        enum
    )
