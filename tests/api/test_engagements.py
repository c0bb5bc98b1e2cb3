"""Creating, reading and listing engagements through the API, on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest

from tests.api.test_billing import pay
from tests.api.test_documents import text_of
from tests.conftest import Api, engagement_body


def test_create_answers_201_with_location_etag_and_terms(api: Api) -> None:
    response = api.post("/v1/engagements", json=engagement_body())
    assert response.status_code == 201
    body = response.json
    assert response.headers["Location"] == f"/v1/engagements/{body['id']}"
    assert response.headers["ETag"] == f'"{body["version"]}"'
    assert body["state"] == "active"
    assert body["monthly_fee"] == "1200.00"
    assert body["payment_terms"] == {
        "due_day": 1,
        "grace_days": 7,
        "late_payment_policy": "remind_only",
        "express_termination": False,
    }
    assert body["client"]["email"] == "giulia@bottegarossi.it"
    assert body["workflow_version"] == "1"
    assert body["balance_due"] == "1200.00"  # the first month is invoiced on the start date


def test_get_one_has_state_version_balance_and_etag(api: Api) -> None:
    created = api.create_engagement()
    api.fire(created["id"], "request_feedback", subject="Approve the plan")
    pay(api, created["id"], "200.00", "2026-12-01")
    response = api.get(f"/v1/engagements/{created['id']}")
    assert response.status_code == 200
    body = response.json
    # Created (1), asked for feedback (2), paid (3): one version per change.
    assert (body["state"], body["version"]) == ("awaiting_feedback", 3)
    assert response.headers["ETag"] == '"3"'
    assert (body["balance_due"], body["credit"]) == ("1000.00", "0.00")  # 1,200 invoiced, 200 paid
    # The day after the fee fell due, from midnight in Rome (23:00 UTC)
    assert body["next_deadline"] == "2026-12-01T23:00:00+00:00"


@pytest.mark.parametrize(
    ("name", "contact", "address"),
    [
        ("Rossi & Figli", "Giulia <Rossi>", 'Via "Roma" 1 & 2, 20121 Milano'),
        ("شركة روسي وأبناؤه", "مرحبا بالعالم", "شارع روما ١، ميلانو"),
        ("Café Rossi 😀 👩‍💻 🇮🇹", "Giulia 🌸", "Via Roma 1 🏠"),
        ("株式会社ロッシ", "罗西 朱莉娅", "北京市朝阳区 1号 / 서울 중구"),
    ],
)
def test_client_names_in_any_script_are_taken_and_written_literally_into_the_contract(
    api: Api, name: str, contact: str, address: str
) -> None:
    client = {"name": name, "contact_name": contact, "email": "giulia@bottegarossi.it", "address": address}
    response = api.post("/v1/engagements", json=engagement_body(client=client))
    assert response.status_code == 201, response.json
    assert (response.json["client"]["name"], response.json["client"]["address"]) == (name, address)
    [contract] = api.get(f"/v1/engagements/{response.json['id']}/documents").json
    text = text_of(api.get(f"/v1/documents/{contract['id']}/content").data)
    for value in (name, contact, address):
        assert value in text, (value, text)


def test_terms_not_given_take_documented_defaults(api: Api) -> None:
    body = engagement_body(payment_terms={"due_day": 31})
    del body["feedback_terms"], body["approval_terms"], body["language"]
    created = api.post("/v1/engagements", json=body).json
    assert created["payment_terms"] == {
        "due_day": 31,
        "grace_days": 7,
        "late_payment_policy": "remind_only",
        "express_termination": False,
    }
    assert created["feedback_terms"] == {
        "response_days": 3,
        "reminders_before_offboarding": 2,
        "feedback_essential": False,
    }
    assert created["approval_terms"] == {"revision_rounds": 2}
    assert created["language"] == "it"  # the account's default language


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"payment_terms": {"due_day": 32}}, "payment_terms.due_day"),
        ({"payment_terms": {"due_day": 0}}, "payment_terms.due_day"),
        ({"monthly_fee": "12.345"}, "monthly_fee"),
        ({"monthly_fee": "-5"}, "monthly_fee"),
        ({"monthly_fee": 1e400}, "monthly_fee"),
        ({"currency": "EURO"}, "currency"),
        ({"language": "fr"}, "language"),
        ({"start_date": "2026-02-30"}, "start_date"),
        ({"client": {"name": "A", "email": "not-an-email"}}, "client.email"),
        ({"client": {"name": "", "email": "a@b.it"}}, "client.name"),
        ({"client": {"name": "A\x00B", "email": "a@b.it"}}, "client.name"),
        ({"payment_terms": {"due_day": 1, "late_payment_policy": "sue"}}, "payment_terms.late_payment_policy"),
        ({"accounts": [{"platform": "x"}]}, "accounts.0.handle"),
        ({"services": ["s"] * 51}, "services"),
    ],
)  # fmt: skip
def test_invalid_terms_answer_422_naming_the_field(api: Api, changes, field) -> None:
    response = api.post("/v1/engagements", json=engagement_body(**changes))
    assert response.status_code == 422
    assert response.content_type == "application/problem+json"
    assert field in response.json["errors"]
    assert response.json["status"] == 422
    assert api.get("/v1/engagements").json["items"] == []  # nothing half-created


@pytest.mark.parametrize("field", ["id", "state", "version"])
def test_read_only_fields_in_the_body_are_named(api: Api, field: str) -> None:
    response = api.post("/v1/engagements", json=engagement_body(**{field: 7}))
    assert response.status_code == 422
    assert field in response.json["errors"]


def test_unknown_fields_are_named(api: Api) -> None:
    response = api.post("/v1/engagements", json=engagement_body(discount="50%"))
    assert response.status_code == 422
    assert response.json["errors"] == {"discount": ["Unknown field."]}


def test_malformed_json_is_400(api: Api) -> None:
    response = api.post("/v1/engagements", data='{"client": ', headers={"Content-Type": "application/json"})
    assert response.status_code == 400
    assert response.content_type == "application/problem+json"


def test_a_body_over_one_mebibyte_is_413(api: Api) -> None:
    big = engagement_body(services=["x" * 300] * 4000)
    response = api.post("/v1/engagements", json=big)
    assert response.status_code == 413
    assert response.json["status"] == 413


def test_list_is_newest_first_with_a_cursor(api: Api) -> None:
    ids = [api.create_engagement()["id"] for _ in range(5)]
    first = api.get("/v1/engagements?limit=2").json
    assert [e["id"] for e in first["items"]] == ids[::-1][:2]
    second = api.get(f"/v1/engagements?limit=2&cursor={first['next_cursor']}").json
    third = api.get(f"/v1/engagements?limit=2&cursor={second['next_cursor']}").json
    assert [e["id"] for e in second["items"] + third["items"]] == ids[::-1][2:]
    assert third["next_cursor"] is None


def test_list_filters_by_state_and_clamps_the_limit(api: Api) -> None:
    first = api.create_engagement()
    api.create_engagement()
    api.fire(first["id"], "request_feedback", subject="Approve the plan")
    waiting = api.get("/v1/engagements?state=awaiting_feedback&limit=1000").json
    assert [e["id"] for e in waiting["items"]] == [first["id"]]
    assert api.get("/v1/engagements?limit=0").status_code == 422
    assert api.get("/v1/engagements?cursor=abc").status_code == 422


def test_another_tenants_engagement_is_404(api: Api, other_api: Api) -> None:
    theirs = other_api.create_engagement()
    for path in ("", "/transitions", "/events", "/events/verify"):
        assert api.get(f"/v1/engagements/{theirs['id']}{path}").status_code == 404
    assert api.fire(theirs["id"], "request_feedback", subject="x").status_code == 404
    assert api.get("/v1/engagements").json["items"] == []


@pytest.mark.parametrize("header", [None, "Bearer", "Bearer eng_nope_nope", "Basic abc"])
def test_missing_or_wrong_key_is_401(client, header) -> None:
    headers = {"Authorization": header} if header else {}
    response = client.get("/v1/engagements", headers=headers)
    assert response.status_code == 401
    assert response.content_type == "application/problem+json"
    assert response.headers["WWW-Authenticate"].startswith("Bearer")


def test_health_and_openapi_answer_without_a_key(client) -> None:
    assert client.get("/healthz").json == {"status": "ok"}
    assert client.get("/readyz").json == {"status": "ok"}
    response = client.get("/openapi.yaml")
    assert response.status_code == 200 and b"openapi:" in response.data
