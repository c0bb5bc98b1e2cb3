"""A real PostgreSQL server stopped and started under a running service, and a graceful stop.

The outage test runs its own throwaway cluster (initdb on a free port) so that stopping it
cannot disturb the shared server the rest of the suite uses.
"""

from __future__ import annotations

import fcntl
import glob
import json
import os
import shutil
import signal
import subprocess
import tempfile
import threading
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest

from service import create_app
from service.adapters.database import close_connections
from service.adapters.migrations import upgrade
from tests.conftest import DAY_ONE, FakeClock, engagement_body, live_tenant
from tests.processes import GUNICORN, free_port, poll, wait_until_listening

BIN = sorted(glob.glob("/usr/lib/postgresql/*/bin"))[-1:] or [""]
PG_BIN = Path(BIN[0])


def _as_postgres(*command: str) -> None:
    # PostgreSQL refuses to run as root; CI and developers run as root here.
    prefix = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
    subprocess.run(
        [*prefix, *command], check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=120
    )


class Cluster:
    def __init__(self, directory: Path, port: int) -> None:
        self.directory, self.port = directory, port
        self.url = f"postgresql://postgres@127.0.0.1:{port}/postgres"

    def start(self) -> None:
        options = f"-p {self.port} -k {self.directory} -c listen_addresses=127.0.0.1"
        # -l: the server's output goes to a file, not to a pipe we would wait on forever.
        data, log = str(self.directory / "data"), str(self.directory / "server.log")
        _as_postgres(str(PG_BIN / "pg_ctl"), "-D", data, "-l", log, "-o", options, "-w", "start")

    def stop(self) -> None:
        _as_postgres(
            str(PG_BIN / "pg_ctl"), "-D", str(self.directory / "data"), "-m", "immediate", "-w", "stop"
        )


@pytest.fixture
def cluster() -> Iterator[Cluster]:
    assert (PG_BIN / "initdb").exists(), "PostgreSQL server binaries are required for the outage test"
    directory = Path(tempfile.mkdtemp(prefix="pg-outage-"))
    if os.geteuid() == 0:
        shutil.chown(directory, "postgres")
    _as_postgres(str(PG_BIN / "initdb"), "-D", str(directory / "data"), "-A", "trust", "-U", "postgres")
    running = Cluster(directory, free_port())
    running.start()
    try:
        yield running
    finally:
        subprocess.run(
            [
                "runuser",
                "-u",
                "postgres",
                "--",
                str(PG_BIN / "pg_ctl"),
                "-D",
                str(directory / "data"),
                "-m",
                "immediate",
                "stop",
            ],
            capture_output=True,
        )
        shutil.rmtree(directory, ignore_errors=True)


def test_requests_answer_503_during_a_restart_and_work_after_it(cluster: Cluster) -> None:
    upgrade(cluster.url)
    app = create_app({"DATABASE_URL": cluster.url, "TESTING": True, "CLOCK": FakeClock(DAY_ONE)})
    _, key = live_tenant(app.extensions["runtime"], "Outage")
    client, headers = app.test_client(), {"Authorization": f"Bearer {key}"}
    engagement = client.post("/v1/engagements", json=engagement_body(), headers=headers).json["id"]
    path = f"/v1/engagements/{engagement}/transitions"

    cluster.stop()
    assert client.get("/readyz").status_code == 503
    assert client.get("/healthz").status_code == 200  # the process itself is fine
    during = client.post(
        path, json={"trigger": "request_feedback", "data": {"subject": "Plan"}}, headers=headers
    )
    assert during.status_code == 503
    assert during.content_type == "application/problem+json"

    cluster.start()
    assert client.get("/readyz").status_code == 200
    after = client.post(
        path, json={"trigger": "request_feedback", "data": {"subject": "Plan"}}, headers=headers
    )
    assert after.status_code == 200, after.json
    record = client.get(f"/v1/engagements/{engagement}/events", headers=headers).json
    assert [ev["payload"]["trigger"] for ev in record if ev["type"] == "transition"] == ["request_feedback"]
    assert client.get(f"/v1/engagements/{engagement}/events/verify", headers=headers).json["valid"] is True
    close_connections(app)


def test_gunicorn_finishes_a_request_in_flight_when_asked_to_stop(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'graceful.sqlite3'}"
    upgrade(url)
    app = create_app({"DATABASE_URL": url, "TESTING": True, "CLOCK": FakeClock(DAY_ONE)})
    _, key = live_tenant(app.extensions["runtime"], "Graceful")
    headers = {"Authorization": f"Bearer {key}", "Content-Type": "application/json"}
    created = app.test_client().post("/v1/engagements", json=engagement_body(), headers=headers).json
    close_connections(app)

    port = free_port()
    server = subprocess.Popen(
        [*GUNICORN, "--bind", f"127.0.0.1:{port}", "--workers", "1",
         "--graceful-timeout", "60", "service:create_app()"],
        env={**os.environ, "DATABASE_URL": url},
        stderr=subprocess.PIPE,
        text=True,
    )  # fmt: skip
    # The test holds the SQLite writer lock, so the request waits inside the worker for it.
    lock_path = str(tmp_path / "graceful.sqlite3") + ".writer-lock"
    lock = os.open(lock_path, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        wait_until_listening(server, port)
        fcntl.flock(lock, fcntl.LOCK_EX)
        result: dict[str, object] = {}
        request = urllib.request.Request(
            f"http://127.0.0.1:{port}/v1/engagements/{created['id']}/transitions",
            data=json.dumps({"trigger": "request_feedback", "data": {"subject": "Plan"}}).encode(),
            headers=headers,
        )
        reader = threading.Thread(
            target=lambda: result.update(status=urllib.request.urlopen(request, timeout=120).status)
        )
        reader.start()
        # In flight once this server's worker has opened the lock file to wait for it.
        poll(lambda: _descendant_holds(server.pid, lock_path))
        server.send_signal(signal.SIGTERM)
        fcntl.flock(lock, fcntl.LOCK_UN)
        reader.join(timeout=120)
        assert result["status"] == 200
        assert server.wait(timeout=120) == 0
    finally:
        os.close(lock)
        if server.poll() is None:
            server.kill()


def _descendant_holds(root: int, path: str) -> bool:
    """Whether a process below ``root`` has ``path`` open."""
    parents: dict[int, int] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            text = stat.read_text()
        except OSError:
            continue  # the process ended while we looked
        parents[int(text.split(" ", 1)[0])] = int(text[text.rindex(")") + 2 :].split()[1])
    for pid in parents:
        ancestor = parents.get(pid)
        while ancestor and ancestor != root:
            ancestor = parents.get(ancestor)
        if ancestor != root:
            continue
        try:
            if any(os.readlink(fd) == path for fd in Path(f"/proc/{pid}/fd").iterdir()):
                return True
        except OSError:
            continue
    return False


def test_connections_the_server_dropped_cost_no_request(postgresql_database: str) -> None:
    """The key lookup skips the pre-ping: a dropped connection fails its read once, the pool
    replaces every older connection, and the read is retried. Use cases still pre-ping."""
    upgrade(postgresql_database)
    app = create_app({"DATABASE_URL": postgresql_database, "TESTING": True, "CLOCK": FakeClock(DAY_ONE)})
    _, key = live_tenant(app.extensions["runtime"], "Dropped")
    client, headers = app.test_client(), {"Authorization": f"Bearer {key}"}
    engagement = client.post("/v1/engagements", json=engagement_body(), headers=headers).json["id"]

    with psycopg.connect(postgresql_database, autocommit=True) as admin:
        dropped = admin.execute(
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid()"
        ).fetchone()
    assert dropped and dropped[0] >= 1  # every pooled connection the app holds

    fired = client.post(
        f"/v1/engagements/{engagement}/transitions",
        json={"trigger": "request_feedback", "data": {"subject": "Plan"}},
        headers=headers,
    )
    assert fired.status_code == 200, fired.json
    assert client.get(f"/v1/engagements/{engagement}", headers=headers).json["state"] == "awaiting_feedback"
    close_connections(app)


def test_closing_the_app_returns_every_postgresql_connection(postgresql_database: str) -> None:
    """The key lookup's pool as well as the use cases': closing the app (as the test fixtures and
    the bench do) leaves no session open on the server."""
    upgrade(postgresql_database)
    url = f"{postgresql_database}?application_name=closing-app"
    app = create_app({"DATABASE_URL": url, "TESTING": True, "CLOCK": FakeClock(DAY_ONE)})
    _, key = live_tenant(app.extensions["runtime"], "Closing")
    assert (
        app.test_client().get("/v1/engagements", headers={"Authorization": f"Bearer {key}"}).status_code
        == 200
    )

    def sessions_open() -> int:
        with psycopg.connect(postgresql_database, autocommit=True) as admin:
            row = admin.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE application_name = 'closing-app'"
            ).fetchone()
        return row[0] if row else 0

    assert sessions_open() >= 2  # the lookup's connection and the reader's
    close_connections(app)
    assert sessions_open() == 0
