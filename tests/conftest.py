"""Shared fixtures: a real SQLite file and a real PostgreSQL database for every storage test.

PostgreSQL is not optional: when it cannot be reached the PostgreSQL tests error out loudly,
naming the URL tried (override with TEST_POSTGRES_URL).
"""

from __future__ import annotations

import dataclasses
import os
import threading
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from io import BytesIO
from pathlib import Path
from typing import Any

import argon2
import docx
import psycopg
import pytest
import yaml
from cryptography.fernet import Fernet
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import text
from werkzeug.serving import make_server

from service import create_app
from service.adapters.database import close_connections
from service.adapters.migrations import upgrade
from service.adapters.orm import metadata
from service.application.runtime import Runtime
from service.application.tenants import create_tenant, update_tenant

POSTGRES_URL = os.environ.get("TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test")
BACKENDS = ("sqlite", "postgresql")
# argon2id at the least cost argon2 accepts, with a deployment's salt and hash lengths.
CHEAP_PASSWORDS = dataclasses.replace(argon2.profiles.CHEAPEST, salt_len=16, hash_len=32)


class FakeClock:
    """A clock the test moves by hand; no sleeping, no wall time."""

    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


@contextmanager
def throwaway_postgresql(purpose: str) -> Iterator[str]:
    """An empty database on the test server, dropped afterwards. An unreachable server fails
    the test loudly, naming the URL tried: the PostgreSQL leg is never skipped."""
    name = f"engagement_{purpose}_{uuid.uuid4().hex[:10]}"
    try:
        admin = psycopg.connect(POSTGRES_URL, autocommit=True, connect_timeout=5)
    except psycopg.OperationalError as exc:
        pytest.fail(f"PostgreSQL is required for the storage tests and {POSTGRES_URL} is unreachable: {exc}")
    with admin:
        admin.execute(f'CREATE DATABASE "{name}"')
        try:
            yield f"{POSTGRES_URL.rpartition('/')[0]}/{name}"
        finally:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(scope="session")
def postgresql_database() -> Iterator[str]:
    """A throwaway database on the local server, dropped at the end of the run."""
    with throwaway_postgresql("test") as url:
        yield url


@pytest.fixture(scope="session")
def sqlite_database(tmp_path_factory: pytest.TempPathFactory) -> str:
    return f"sqlite:///{tmp_path_factory.mktemp('db') / 'engagement.sqlite3'}"


@pytest.fixture(scope="session", params=BACKENDS)
def database_url(request: pytest.FixtureRequest) -> str:
    url = request.getfixturevalue(f"{request.param}_database")
    upgrade(url)  # the real migrations, on both backends
    return url


@pytest.fixture(scope="session")
def session_app(database_url: str) -> Iterator[Flask]:
    # Tests drive thousands of requests a minute with one key; the limit has its own test.
    app = create_app(
        {
            "DATABASE_URL": database_url,
            "TESTING": True,
            "RATE_LIMIT": "1000000 per minute",
            # Every test client comes from 127.0.0.1, so the failed-authentication limit is lifted too.
            "FAILED_AUTH_LIMIT": "1000000 per minute",
            # Tenants' SMTP passwords are sealed with this run's own key.
            "SMTP_SECRET_KEYS": Fernet.generate_key().decode(),
            # LibreOffice takes seconds a document: only the test of the PDF copy turns it on.
            "MESSAGE_PDF_COPY": False,
            # A desk password's hash and check cost ~0.2 s of CPU each at a deployment's argon2 cost,
            # and ~150 tests sign someone in: the cheapest (a test holds deployments to the full one).
            "ARGON2_PARAMETERS": CHEAP_PASSWORDS,
        }
    )
    yield app
    close_connections(app)


# The day every test's clock starts on, unless it says otherwise: tests never read the wall clock
# (make test-on runs the date-sensitive layers on another day to prove it).
DAY_ONE = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(DAY_ONE)


def empty_tables(app: Flask, keep: frozenset[str] = frozenset()) -> None:
    """Delete every row outside ``keep``; ids start again from 1 on both backends.

    On PostgreSQL only the tables that hold rows are emptied (DELETE, children first) and only
    the sequences that have been used are restarted: a TRUNCATE of all 22 tables costs ~60 ms
    however empty they are (it swaps every table's files), this ~1-4 ms, and ~850 tests pay it.
    """
    engine = app.extensions["sql_engine"]
    tables = [t for t in metadata.sorted_tables if t.name not in keep]
    with engine.begin() as connection:
        if engine.dialect.name == "postgresql":
            probe = " UNION ALL ".join(
                f"SELECT '{t.name}' WHERE EXISTS (SELECT 1 FROM {t.name})" for t in tables
            )
            holding = {name for (name,) in connection.execute(text(probe))}
            for table in reversed(tables):
                if table.name in holding:
                    connection.execute(table.delete())
            # The sequences the emptied tables own (serial or identity), once used: the rest are
            # fresh already, and a kept table's sequence must go on where it is.
            used = connection.execute(
                text(
                    "SELECT s.schemaname || '.' || s.sequencename FROM pg_sequences s "
                    "JOIN pg_class c ON c.relname = s.sequencename AND c.relkind = 'S' "
                    "JOIN pg_namespace n ON n.oid = c.relnamespace AND n.nspname = s.schemaname "
                    "JOIN pg_depend d ON d.objid = c.oid AND d.deptype IN ('a', 'i') "
                    "JOIN pg_class t ON t.oid = d.refobjid "
                    "WHERE s.last_value IS NOT NULL AND t.relname = ANY(:names)"
                ),
                {"names": [t.name for t in tables]},
            )
            for (sequence,) in used:
                connection.execute(text(f"ALTER SEQUENCE {sequence} RESTART"))
        else:
            for table in reversed(tables):
                connection.execute(table.delete())


@pytest.fixture
def app(session_app: Flask, clock: FakeClock) -> Iterator[Flask]:
    """The session's app on an empty database, with this test's clock."""
    empty_tables(session_app)
    runtime: Runtime = session_app.extensions["runtime"]
    runtime.clock = clock
    yield session_app


@pytest.fixture
def runtime(app: Flask) -> Runtime:
    return app.extensions["runtime"]


@pytest.fixture
def live_url(app: Flask) -> Iterator[str]:
    """The test's app behind a real HTTP server on a free loopback port (werkzeug's, in a thread):
    real sockets, with the test's clock and backend."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join()


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


class Api:
    """A test client that speaks for one tenant."""

    def __init__(self, client: FlaskClient, key: str, tenant_id: int) -> None:
        self.client = client
        self.key = key
        self.tenant_id = tenant_id
        self.headers = {"Authorization": f"Bearer {key}"}

    def get(self, path: str, **kwargs: Any) -> Any:
        return self.client.get(path, headers={**self.headers, **kwargs.pop("headers", {})}, **kwargs)

    def post(self, path: str, json: Any = None, **kwargs: Any) -> Any:
        headers = {**self.headers, **kwargs.pop("headers", {})}
        return self.client.post(path, json=json, headers=headers, **kwargs)

    def patch(self, path: str, json: Any = None, **kwargs: Any) -> Any:
        headers = {**self.headers, **kwargs.pop("headers", {})}
        return self.client.patch(path, json=json, headers=headers, **kwargs)

    def create_engagement(self, **changes: Any) -> dict[str, Any]:
        response = self.post("/v1/engagements", json=engagement_body(**changes))
        assert response.status_code == 201, response.json
        return response.json

    def document_texts(self, engagement_id: int, kind: str) -> list[str]:
        """The paragraphs of each of the engagement's documents of ``kind``, oldest first."""
        documents = self.get(f"/v1/engagements/{engagement_id}/documents").json
        return [
            "\n".join(
                p.text
                for p in docx.Document(BytesIO(self.get(f"/v1/documents/{d['id']}/content").data)).paragraphs
            ).replace("\xa0", " ")
            for d in documents
            if d["kind"] == kind
        ]

    def fire(self, engagement_id: int, trigger: str, **data: Any) -> Any:
        return self.post(
            f"/v1/engagements/{engagement_id}/transitions", json={"trigger": trigger, "data": data}
        )


def engagement_body(**changes: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "client": {
            "name": "Bottega Rossi S.r.l.",
            "contact_name": "Giulia Rossi",
            "email": "giulia@bottegarossi.it",
            "address": "Via Roma 1, 20121 Milano",
        },
        "language": "it",
        "currency": "EUR",
        "monthly_fee": "1200.00",
        "start_date": "2026-12-01",
        "payment_terms": {"due_day": 1, "grace_days": 7, "late_payment_policy": "remind_only"},
        "feedback_terms": {"response_days": 3, "reminders_before_offboarding": 2},
        "approval_terms": {"revision_rounds": 2},
        "services": ["Instagram editorial plan", "Monthly analytics report"],
        "accounts": [
            {"platform": "instagram", "handle": "@bottegarossi"},
            {"platform": "facebook", "handle": "Bottega Rossi"},
        ],
    }
    body.update(changes)
    return body


# A live account writes no letter without these (issue 16); the tests' accounts have them.
SENDER = {
    "sender_address": "Via Po 2, 10123 Torino",
    "sender_email": "studio@bianchi.example",
    "signatory": "Anna Bianchi",
}


def with_sender(runtime: Runtime, tenant_id: int) -> None:
    """Complete sender details, so that a live test account may write letters."""
    update_tenant(runtime, tenant_id, SENDER)


def live_tenant(runtime: Runtime, name: str, **options: Any) -> tuple[int, str]:
    """A live account ready to write letters: (its id, its key)."""
    tenant, key = create_tenant(runtime, name, **options)
    assert tenant.id is not None
    with_sender(runtime, tenant.id)
    return tenant.id, key


def _tenant_api(runtime: Runtime, client: FlaskClient, name: str, **options: Any) -> Api:
    tenant, key = create_tenant(runtime, name, **options)
    assert tenant.id is not None
    if not tenant.sandbox:
        with_sender(runtime, tenant.id)
    return Api(client, key, tenant.id)


@pytest.fixture
def api(runtime: Runtime, client: FlaskClient) -> Api:
    return _tenant_api(runtime, client, "Studio Bianchi", language="it")


@pytest.fixture
def other_api(runtime: Runtime, client: FlaskClient) -> Api:
    return _tenant_api(runtime, client, "Another Agency")


@pytest.fixture
def sandbox_api(runtime: Runtime, client: FlaskClient) -> Api:
    return _tenant_api(runtime, client, "Rehearsal", sandbox=True)


ROOT = Path(__file__).resolve().parents[1]


def openapi_operations() -> list[tuple[str, str]]:
    """(path, method) of every operation the committed openapi.yaml describes."""
    document = yaml.safe_load((ROOT / "openapi.yaml").read_text())
    return [
        (path, method)
        for path, item in document["paths"].items()
        for method in item
        if method != "parameters"
    ]


def post_together(
    app: Flask, times: int, path: str, body: dict[str, Any], headers: dict[str, str]
) -> list[int]:
    """The same POST from ``times`` threads released at once; their status codes."""
    start = threading.Barrier(times)
    statuses: list[int] = []

    def send() -> None:
        client = app.test_client()
        start.wait()
        statuses.append(client.post(path, json=body, headers=headers).status_code)

    threads = [threading.Thread(target=send) for _ in range(times)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return statuses
