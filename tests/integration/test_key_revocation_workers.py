"""Revocation reaches every worker: a real gunicorn with two workers, the key revoked between
requests, and every later request with it refused, whichever worker answers."""

from __future__ import annotations

import os
import subprocess
import urllib.error
import urllib.request
from pathlib import Path

from flask import Flask

from service.application.keys import create_key, revoke_key
from tests.conftest import Api
from tests.processes import GUNICORN, free_port, poll, wait_until_listening

ATTEMPTS = 200  # to see both workers answer; in practice a handful of requests does


def _status(port: int, key: str) -> int:
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}/v1/tenant",
        headers={"Authorization": f"Bearer {key}", "Connection": "close"},
    )
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def _workers_seen(log: Path, sent: int) -> dict[str, set[str]]:
    """Worker pid → statuses it answered, once the log holds a line per request sent."""
    poll(lambda: log.exists() and len(log.read_text().splitlines()) >= sent)
    seen: dict[str, set[str]] = {}
    for line in log.read_text().splitlines()[:sent]:
        pid, status = line.split()
        seen.setdefault(pid, set()).add(status)
    return seen


def test_a_revoked_key_answers_401_on_both_gunicorn_workers(
    app: Flask, api: Api, database_url: str, tmp_path: Path
) -> None:
    runtime = app.extensions["runtime"]
    doomed = create_key(runtime, api.tenant_id, "doomed")
    port, log = free_port(), tmp_path / "access.log"
    server = subprocess.Popen(
        [*GUNICORN, "--bind", f"127.0.0.1:{port}", "--workers", "2",
         "--access-logfile", str(log), "--access-logformat", "%(p)s %(s)s", "service:create_app()"],
        # Every request with the revoked key is a failed authentication from 127.0.0.1: at the
        # default 20 a minute, a worker the kernel hands 20 in a row would answer 429 before the
        # other had refused any. That limit has its own tests (tests/api/test_rate_limit.py).
        env={
            **os.environ,
            "DATABASE_URL": database_url,
            "RATE_LIMIT": "100000 per minute",
            "FAILED_AUTH_LIMIT": "100000 per minute",
        },
        stderr=subprocess.PIPE,
        text=True,
    )  # fmt: skip
    try:
        wait_until_listening(server, port)
        sent = 0
        while len(_workers_seen(log, sent)) < 2 and sent < ATTEMPTS:
            assert _status(port, doomed["key"]) == 200
            sent += 1
        before = _workers_seen(log, sent)
        assert len(before) == 2, before  # both workers have served the key

        revoke_key(runtime, doomed["id"], api.tenant_id)
        refused_by: set[str] = set()
        while len(refused_by) < 2 and sent < 2 * ATTEMPTS:
            assert _status(port, doomed["key"]) == 401
            sent += 1
            refused_by = {pid for pid, statuses in _workers_seen(log, sent).items() if "401" in statuses}
        assert refused_by == set(before)
        assert _status(port, api.key) == 200  # the account's other key still works
    finally:
        server.terminate()
        server.wait(timeout=60)
