"""Counts the requests schemathesis generated, and says so at the end of the run."""

from __future__ import annotations

from typing import Any

SENT = {"requests": 0}


def pytest_terminal_summary(terminalreporter: Any) -> None:
    if SENT["requests"]:
        terminalreporter.write_line(f"schemathesis: {SENT['requests']} generated requests checked")
