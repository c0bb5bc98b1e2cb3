"""A chunked body over the limit is 413, as one that announced its length would be (issue 31).

A real gunicorn with the repository's gunicorn.conf.py: it is the server that de-chunks and marks
the input terminated. Werkzeug stopped reading at MAX_CONTENT_LENGTH and handed on the first
MiB as if it were the whole body (a 400 "not valid JSON", or a closed connection behind a proxy).
"""

from __future__ import annotations

import http.client
import json
import os
import subprocess
from collections.abc import Iterator
from pathlib import Path

from service import create_app
from service.adapters.database import close_connections
from service.adapters.migrations import upgrade
from tests.conftest import ROOT, engagement_body, live_tenant
from tests.processes import GUNICORN, free_port, wait_until_listening

MIB = 1024 * 1024


def _chunks(body: bytes, padding: int) -> Iterator[bytes]:
    """The JSON body with ``padding`` spaces before its last brace, 64 KiB a chunk."""
    yield body[:-1]
    for start in range(0, padding, 65536):
        yield b" " * min(65536, padding - start)
    yield body[-1:]


def test_a_chunked_body_over_the_limit_is_413_and_one_under_it_is_served(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'chunked.sqlite3'}"
    upgrade(url)
    app = create_app({"DATABASE_URL": url, "TESTING": True})
    _, key = live_tenant(app.extensions["runtime"], "Chunked")
    close_connections(app)
    port = free_port()
    server = subprocess.Popen(
        [
            *GUNICORN,
            "-c",
            str(ROOT / "gunicorn.conf.py"),
            "--bind",
            f"127.0.0.1:{port}",
            "service:create_app()",
        ],
        env={**os.environ, "DATABASE_URL": url},
        cwd=ROOT,
        stderr=subprocess.PIPE,
        text=True,
    )
    body = json.dumps(engagement_body()).encode()
    headers = {"Authorization": f"Bearer {key}", "Content-Type": "application/json"}
    try:
        wait_until_listening(server, port)
        statuses = []
        for padding in (2 * MIB, MIB - len(body), 1000):
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
            connection.request(
                "POST", "/v1/engagements", body=_chunks(body, padding), headers=headers, encode_chunked=True
            )
            response = connection.getresponse()
            statuses.append((response.status, response.getheader("Content-Type")))
            response.read()
            connection.close()
        assert statuses == [
            (413, "application/problem+json"),
            (201, "application/json"),  # exactly the limit: whole, and served
            (201, "application/json"),
        ]
    finally:
        server.terminate()
        server.communicate(timeout=30)
