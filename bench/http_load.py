"""The API over HTTP: gunicorn, 2 workers, 4 client threads (http.client); the service, the
same-work floor, the bare route and the ORM floor."""

from __future__ import annotations

import http.client
import os
import signal
import socket
import statistics
import subprocess
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import NamedTuple

from bench.common import ROOT, Seeded

CLIENTS = 4
WORKERS = 2
RECEIVE = b'{"trigger": "receive_feedback"}'


@dataclass(frozen=True)
class Load:
    throughput: float  # requests per second, all clients together
    latencies: list[float]  # seconds, every request

    def percentile_ms(self, fraction: float) -> float:
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))] * 1000

    @property
    def median_ms(self) -> float:
        return statistics.median(self.latencies) * 1000


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def gunicorn(app: str, url: str) -> Iterator[int]:
    """Serve ``app`` (module:factory()) on a free port until the block ends."""
    port = _free_port()
    env = {**os.environ, "DATABASE_URL": url, "RATE_LIMIT": "1000000 per minute"}
    command = [
        str(ROOT / ".venv" / "bin" / "gunicorn"),
        "--no-control-socket",  # its default path is one per user: three at once would take it in turn
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        str(WORKERS),
        # gunicorn reads ./gunicorn.conf.py (make run's gthread set-up) from its working directory
        # unless told otherwise: this figure keeps measuring the sync workers its baselines used.
        "--worker-class",
        "sync",
        "--threads",
        "1",
        app,
    ]
    server = subprocess.Popen(
        command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                if time.monotonic() > deadline or server.poll() is not None:
                    raise RuntimeError(f"gunicorn {app} did not start") from None
                time.sleep(0.1)
        yield port
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)


def run_load(port: int, paths: Callable[[], str | None], headers: dict[str, str]) -> Load:
    """Every client posts the next path until ``paths`` answers None."""
    latencies: list[list[float]] = [[] for _ in range(CLIENTS)]
    lock = threading.Lock()
    failures: list[str] = []

    def client(number: int) -> None:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        while True:
            with lock:
                path = paths()
            if path is None:
                return
            started = time.perf_counter()
            connection.request("POST", path, body=RECEIVE, headers=headers)
            response = connection.getresponse()
            response.read()
            latencies[number].append(time.perf_counter() - started)
            if response.status != 200:
                failures.append(f"{path}: {response.status}")
            if response.getheader("Connection", "").lower() == "close":
                connection.close()  # gunicorn's sync workers close after each response

    threads = [threading.Thread(target=client, args=(n,)) for n in range(CLIENTS)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    if failures:
        raise RuntimeError(f"{len(failures)} requests failed, e.g. {failures[:3]}")
    every = [x for client_latencies in latencies for x in client_latencies]
    return Load(len(every) / elapsed, every)


def _limited(items: Iterator[str], count: int) -> Callable[[], str | None]:
    remaining = iter([next(items) for _ in range(count)])
    return lambda: next(remaining, None)


class Loads(NamedTuple):
    ours: Load
    same_work: Load  # the same-work floor (``same_work_floor.py``): what the targets bound
    bare: Load
    orm_floor: Load


def compare(seeded: Seeded, ids: Iterator[int], requests: int = 400, rounds: int = 3) -> Loads:
    """The service's receive_feedback, the same-work floor, the bare route and the ORM floor
    (``orm_floor.py``), same server set-up and load, in alternating rounds. Ours and the
    same-work floor each take fresh engagements awaiting feedback from ``ids``."""
    service_paths = (f"/v1/engagements/{i}/transitions" for i in ids)
    same_work_paths = (f"/floor/engagements/{i}/transitions" for i in ids)
    # One engagement per client thread for the baselines: they flip state, so they never run out.
    bare_ids = [next(ids) for _ in range(CLIENTS)]
    floor_ids = [next(ids) for _ in range(CLIENTS)]
    bare_paths = (f"/bare/{bare_ids[n % CLIENTS]}" for n in range(10**9))
    floor_paths = (f"/orm/{seeded.tenant_id}/{floor_ids[n % CLIENTS]}" for n in range(10**9))
    loads: list[list[Load]] = [[], [], [], []]
    with (
        gunicorn("service:create_app()", seeded.url) as service_port,
        gunicorn("bench.same_work_floor:create_same_work_floor_app()", seeded.url) as same_work_port,
        gunicorn("bench.bare:create_bare_app()", seeded.url) as bare_port,
        gunicorn("bench.orm_floor:create_orm_floor_app()", seeded.url) as floor_port,
    ):
        servers = (
            (service_port, service_paths),
            (same_work_port, same_work_paths),
            (bare_port, bare_paths),
            (floor_port, floor_paths),
        )
        for port, paths in servers:
            run_load(port, _limited(paths, 40), seeded.headers)  # warm every worker
        for _ in range(rounds):
            for (port, paths), done in zip(servers, loads, strict=True):
                done.append(run_load(port, _limited(paths, requests), seeded.headers))
    return Loads(*(_merge(done) for done in loads))


def _merge(loads: list[Load]) -> Load:
    throughput = statistics.median(load.throughput for load in loads)
    return Load(throughput, [x for load in loads for x in load.latencies])
