"""The service reads "now" through one clock, ``Runtime.clock``, which tests pin (issue 29): no
module reads the calendar's date or time on its own, so a test's pinned day is the only day the
service sees, and `make test-on` finds any test that still depends on the real one."""

from __future__ import annotations

import ast

from tests.conftest import ROOT

WALL_CLOCK = {("datetime", "now"), ("datetime", "utcnow"), ("datetime", "today"), ("date", "today")}
# Each place that may read it, and why: what the clock itself is, or a real-world duration.
ALLOWED = {
    "service/application/runtime.py": "system_clock: the one clock, what production injects",
    "service/adapters/webhook_http.py": "a receiver's Retry-After as an HTTP date: a real delay",
}


def wall_clock_reads(source: str) -> list[int]:
    """Lines calling datetime.now()/utcnow()/today() or date.today()."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            owner = node.func.value
            if isinstance(owner, ast.Name) and (owner.id, node.func.attr) in WALL_CLOCK:
                found.append(node.lineno)
    return found


def test_only_the_clock_reads_the_wall_clock() -> None:
    readers = {
        str(path.relative_to(ROOT)): lines
        for path in sorted((ROOT / "service").rglob("*.py"))
        if (lines := wall_clock_reads(path.read_text(encoding="utf-8")))
    }
    assert set(readers) <= set(ALLOWED), {k: v for k, v in readers.items() if k not in ALLOWED}


def test_the_scan_sees_each_way_of_reading_the_calendar() -> None:
    source = "a = datetime.now(UTC)\nb = date.today()\nc = datetime.utcnow()\nd = rt.clock()\n"
    assert wall_clock_reads(source) == [1, 2, 3]
