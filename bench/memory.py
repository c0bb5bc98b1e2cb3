"""RSS after 1,000 and after 15,000 requests, in a fresh process so other figures do not count.

    .venv/bin/python -m bench.memory     # prints {"after_1000_mb": ..., "after_15000_mb": ...}

Requests go through the test client (auth, rate limit, logging hooks, schemas, the ORM): 19
reads of an engagement for every receive_feedback transition. 14,000 requests between the two
readings show a leak of a kilobyte a request as 1.1x; 20,000 took 84 s of a 5-minute bench.
"""

from __future__ import annotations

import gc
import json
from pathlib import Path

from bench.common import database, seed, service_app

CHECKPOINTS = (1_000, 15_000)
WRITE_EVERY = 20


def rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError("no VmRSS in /proc/self/status")


def main() -> None:
    with database("sqlite") as url:
        seeded = seed(url, CHECKPOINTS[-1] // WRITE_EVERY + 1)
        client = service_app(url).test_client()
        ready = iter(seeded.ready)
        reading = seeded.ready[0]
        found: dict[str, float] = {}
        for n in range(1, CHECKPOINTS[-1] + 1):
            if n % WRITE_EVERY == 0:
                response = client.post(
                    f"/v1/engagements/{next(ready)}/transitions",
                    json={"trigger": "receive_feedback"},
                    headers=seeded.headers,
                )
            else:
                response = client.get(f"/v1/engagements/{reading}", headers=seeded.headers)
            assert response.status_code == 200, response.status_code
            if n in CHECKPOINTS:
                gc.collect()
                found[f"after_{n}_mb"] = rss_mb()
    print(json.dumps(found))


if __name__ == "__main__":
    main()
