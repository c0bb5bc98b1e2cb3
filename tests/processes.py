"""Helpers for tests that run real server processes on loopback."""

from __future__ import annotations

import socket
import subprocess
import sys
import threading
from collections.abc import Callable
from pathlib import Path

# gunicorn as tests start it: with no control socket, whose default path is one per user, so that
# a developer's own gunicorn (or their `make run`'s, were it on the default) keeps its socket.
GUNICORN = (str(Path(sys.executable).with_name("gunicorn")), "--no-control-socket")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def poll(condition: Callable[[], bool], attempts: int = 2400) -> None:
    """Wait (up to two minutes) until ``condition`` holds: for other processes, not for time."""
    for _ in range(attempts):
        if condition():
            return
        threading.Event().wait(0.05)
    raise AssertionError("condition not reached")


def wait_until_listening(server: subprocess.Popen, port: int) -> None:
    def listening() -> bool:
        assert server.poll() is None, server.stderr.read() if server.stderr else "server exited"
        with socket.socket() as sock:
            return sock.connect_ex(("127.0.0.1", port)) == 0

    poll(listening)
