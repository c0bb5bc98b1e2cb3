"""Verify and export one long record in a fresh process, so the export's RSS growth is its own.

    .venv/bin/python -m bench.scale_export URL KEY SMALL_ID BIG_ID

Prints one JSON line: the medians of ``GET .../events/verify`` and of ``GET .../export`` for
both engagements, and the peak RSS the big export added above the process after a warm-up
export of the small one (Linux: the peak is reset through /proc/self/clear_refs first).
"""

from __future__ import annotations

import gc
import json
import sys
import time
from pathlib import Path

from bench.common import BENCH_CONFIG
from service import create_app


def _status_mb(field: str) -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(f"{field}:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError(f"no {field} in /proc/self/status")


def main(url: str, key: str, small: int, big: int) -> None:
    client = create_app({**BENCH_CONFIG, "DATABASE_URL": url}).test_client()
    headers = {"Authorization": f"Bearer {key}"}

    def timed(path: str) -> tuple[float, int]:
        started = time.perf_counter()
        response = client.get(path, headers=headers)
        size = len(response.get_data()) if response.status_code == 200 else -1
        elapsed = time.perf_counter() - started
        assert response.status_code == 200, (path, response.status_code, response.get_data()[:300])
        if path.endswith("verify"):
            assert response.get_json()["valid"] is True, response.get_json()
        return elapsed * 1000, size

    found: dict[str, float] = {}
    for name, engagement in (("small", small), ("big", big)):
        found[f"verify_{name}_ms"] = min(
            timed(f"/v1/engagements/{engagement}/events/verify")[0] for _ in range(3)
        )
    timed(f"/v1/engagements/{small}/export")  # warm: imports, templates, connections
    gc.collect()
    Path("/proc/self/clear_refs").write_text("5")  # the peak starts again from here
    before = _status_mb("VmRSS")
    found["export_big_ms"], found["export_big_bytes"] = timed(f"/v1/engagements/{big}/export")
    found["export_rss_growth_mb"] = _status_mb("VmHWM") - before
    found["export_small_ms"] = min(timed(f"/v1/engagements/{small}/export")[0] for _ in range(3))
    found["export_big_ms"] = min(found["export_big_ms"], timed(f"/v1/engagements/{big}/export")[0])
    print(json.dumps(found))


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4]))
