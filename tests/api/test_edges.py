"""Every edge a 4xx (or an honest 500): nesting, header lengths, ZIP's calendar, tampered
payloads, a corrupt database file, and what caches may keep. SQLite and PostgreSQL."""

from __future__ import annotations

import io
import json
import logging
import zipfile
from datetime import UTC, datetime
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import text

from service import create_app
from service.adapters.database import close_connections
from service.adapters.migrations import upgrade
from service.adapters.orm import tenants
from service.api.hygiene import MAX_JSON_DEPTH
from service.application.tenants import create_tenant
from tests.conftest import Api, engagement_body


def test_json_nested_900_deep_with_an_escape_is_400_not_a_recursion_error(api: Api) -> None:
    body = '{"client": ' + "[" * 900 + '"\\u00e9"' + "]" * 900 + "}"
    response = api.post("/v1/engagements", data=body, headers={"Content-Type": "application/json"})
    assert response.status_code == 400
    assert response.mimetype == "application/problem+json"
    assert f"deeper than {MAX_JSON_DEPTH} levels" in response.json["detail"]


def test_nesting_up_to_the_cap_reaches_the_schema_and_brackets_in_strings_do_not_count(api: Api) -> None:
    nested = "[" * (MAX_JSON_DEPTH - 1) + "]" * (MAX_JSON_DEPTH - 1)
    body = json.dumps({**engagement_body(), "services": ["[" * 500]})[:-1] + f', "extra": {nested}}}'
    response = api.post("/v1/engagements", data=body, headers={"Content-Type": "application/json"})
    assert response.status_code == 422
    assert "extra" in response.json["errors"]  # the schema read it: the depth check let it through


def test_a_header_of_thousands_of_characters_is_431_before_anything_reads_it(api: Api) -> None:
    e = api.create_engagement()
    response = api.post(
        f"/v1/engagements/{e['id']}/transitions",
        json={"trigger": "request_feedback", "data": {"subject": "Plan"}},
        headers={"If-Match": '"' + "9" * 4300 + '"'},
    )
    assert response.status_code == 431
    assert "If-Match" in response.json["detail"]
    assert api.get(f"/v1/engagements/{e['id']}").json["state"] == "active"


def _move_sandbox_clock(app: Flask, tenant_id: int, to: datetime) -> None:
    with app.extensions["sql_engine"].begin() as connection:
        connection.execute(tenants.update().where(tenants.c.id == tenant_id).values(clock_at=to))


@pytest.mark.parametrize(
    ("clock_at", "stamp"),
    [
        (datetime(2150, 6, 1, 12, 0, tzinfo=UTC), (2107, 12, 31, 23, 59, 58)),
        (datetime(2000, 1, 2, tzinfo=UTC), (2000, 1, 2, 0, 0, 0)),
    ],
)
def test_the_export_clamps_zip_dates_to_what_zip_can_hold(
    app: Flask, sandbox_api: Api, clock_at: datetime, stamp: tuple[int, ...]
) -> None:
    e = sandbox_api.create_engagement()
    _move_sandbox_clock(app, sandbox_api.tenant_id, clock_at)
    response = sandbox_api.get(f"/v1/engagements/{e['id']}/export")
    assert response.status_code == 200
    archive = zipfile.ZipFile(io.BytesIO(response.data))
    assert {info.date_time for info in archive.infolist()} == {stamp}
    manifest = json.loads(archive.read("manifest.json"))
    assert manifest["exported_at"] == clock_at.isoformat().replace("+00:00", "Z")


@pytest.mark.parametrize("payload", ['"erased"', "[1, 2]", "7"])
def test_a_payload_tampered_into_another_shape_is_a_verify_failure_not_a_500(
    app: Flask, api: Api, payload: str
) -> None:
    e = api.create_engagement()
    with app.extensions["sql_engine"].begin() as connection:
        connection.execute(
            text(f"UPDATE events SET payload = '{payload}' WHERE engagement_id = :id AND seq = 2"),
            {"id": e["id"]},
        )
    listed = api.get(f"/v1/engagements/{e['id']}/events")
    assert listed.status_code == 409
    assert listed.json["type"] == "/problems/record-tampered"
    assert "entry 2 was altered after it was written" in listed.json["detail"]
    verified = api.get(f"/v1/engagements/{e['id']}/events/verify").json
    assert (verified["valid"], verified["first_broken"]["seq"]) == (False, 2)
    assert api.get(f"/v1/engagements/{e['id']}/export").status_code == 200


def test_documents_and_exports_are_never_cached(api: Api) -> None:
    e = api.create_engagement()
    [document] = api.get(f"/v1/engagements/{e['id']}/documents").json
    for path in (f"/v1/documents/{document['id']}/content", f"/v1/engagements/{e['id']}/export"):
        response = api.get(path)
        assert response.status_code == 200
        assert response.headers["Cache-Control"] == "no-store"


def test_a_corrupt_sqlite_file_is_a_500_with_a_clear_log_not_an_outage(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    path = tmp_path / "corrupt.sqlite3"
    url = f"sqlite:///{path}"
    upgrade(url)
    app = create_app({"DATABASE_URL": url, "TESTING": True})
    _, key = create_tenant(app.extensions["runtime"], "Unlucky")
    close_connections(app)
    data = bytearray(path.read_bytes())
    data[4096:] = b"\xff" * (len(data) - 4096)  # every page after the header page
    path.write_bytes(bytes(data))

    app = create_app({"DATABASE_URL": url, "TESTING": True})
    try:
        with caplog.at_level(logging.ERROR, logger="service.api.problems"):
            response = app.test_client().get("/v1/engagements", headers={"Authorization": f"Bearer {key}"})
        assert response.status_code == 500
        assert "Retry-After" not in response.headers
        assert "refused this request with an error" in response.json["detail"]
        assert "database error, not an outage: DatabaseError: database disk image is malformed" in caplog.text
        assert "unavailable" not in caplog.text
    finally:
        close_connections(app)


def test_a_healthy_probe_is_not_logged_but_every_other_request_is(
    client: FlaskClient, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.INFO, logger="service.access"):
        assert client.get("/healthz").status_code == 200
        assert client.get("/v1/tenant").status_code == 401
    logged = [(r.fields["path"], r.fields["status"]) for r in caplog.records if r.name == "service.access"]  # type: ignore[attr-defined]
    assert logged == [("/v1/tenant", 401)]
