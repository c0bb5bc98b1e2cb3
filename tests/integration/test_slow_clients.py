"""Ten clients trickling their requests byte by byte leave the server answering: a real gunicorn,
started with the repository's gunicorn.conf.py (what `make run` uses) on a free loopback port.

Half trickle their headers, half (with a valid key) the body of a POST: gunicorn reads headers
before the app runs, the app reads the body itself, and either can hold a worker."""

from __future__ import annotations

import http.client
import json
import os
import socket
import subprocess
import threading
import time
from pathlib import Path

from service import create_app
from service.adapters.database import close_connections
from service.adapters.migrations import upgrade
from service.application.tenants import create_tenant
from tests.conftest import ROOT, engagement_body
from tests.processes import GUNICORN, free_port, wait_until_listening

SLOW_CLIENTS = 10
SLOW_HEADERS = b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Padding: " + b"s" * 200 + b"\r\n\r\n"


def _slow_body(key: str) -> tuple[bytes, bytes]:
    body = json.dumps(engagement_body()).encode()
    head = (
        f"POST /v1/engagements HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer {key}\r\n"
        f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n\r\n"
    ).encode()
    return head, body


def _trickle(port: int, head: bytes, tail: bytes, stop: threading.Event, started: threading.Barrier) -> None:
    with socket.create_connection(("127.0.0.1", port)) as sock:
        sock.sendall(head)
        started.wait()
        for byte in tail:
            if stop.is_set():
                return
            sock.sendall(bytes([byte]))
            stop.wait(0.1)  # a byte every tenth of a second: tens of seconds per request


def test_healthz_answers_within_a_second_while_ten_clients_trickle_their_requests(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'slow.sqlite3'}"
    upgrade(url)
    app = create_app({"DATABASE_URL": url, "TESTING": True})
    _, key = create_tenant(app.extensions["runtime"], "Slow")
    close_connections(app)
    requests = [(b"", SLOW_HEADERS), _slow_body(key)] * (SLOW_CLIENTS // 2)
    port = free_port()
    server = subprocess.Popen(
        [*GUNICORN, "-c", str(ROOT / "gunicorn.conf.py"),
         "--bind", f"127.0.0.1:{port}", "service:create_app()"],
        env={**os.environ, "DATABASE_URL": url},
        cwd=ROOT,
        stderr=subprocess.PIPE,
        text=True,
    )  # fmt: skip
    stop = threading.Event()
    started = threading.Barrier(SLOW_CLIENTS + 1)
    slow = [threading.Thread(target=_trickle, args=(port, *request, stop, started)) for request in requests]
    try:
        wait_until_listening(server, port)
        warm = http.client.HTTPConnection("127.0.0.1", port, timeout=60)  # the worker has booted
        warm.request("GET", "/healthz")
        assert warm.getresponse().status == 200
        warm.close()
        for client in slow:
            client.start()
        started.wait()
        stop.wait(1.0)  # every slow client has sent its first bytes and holds its connection
        for _ in range(5):
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=1.0)
            began = time.monotonic()
            connection.request("GET", "/healthz")
            response = connection.getresponse()
            elapsed = time.monotonic() - began
            connection.close()
            assert response.status == 200
            assert elapsed < 1.0, f"/healthz took {elapsed:.2f} s behind {SLOW_CLIENTS} slow clients"
        assert all(client.is_alive() for client in slow)  # still trickling: they were really in the way
    finally:
        stop.set()
        for client in slow:
            client.join(timeout=5)
        server.terminate()
        server.wait(timeout=30)
