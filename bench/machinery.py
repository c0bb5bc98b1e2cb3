"""Does each piece of performance machinery still earn its keep (issue 19)? Each is measured
against the same service without it, in the same run, through the test client: the rate counter
(``local://``) against ``limits``' own ``memory://`` storage, and the key-lookup pool against the
key read on the service's own engine. The compiled renderer's figure is ``render``'s (plain
docxtpl is the renderer without it); the SQLite writer queue serves concurrency, which only the
HTTP figures can show."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from flask import Flask

from bench.common import BENCH_CONFIG, Seeded, median_ms
from bench.inprocess import timed_receive
from service import create_app
from service.adapters.key_store import SqlKeyStore

PATH = "/v1/engagements/{}/transitions"


def _app(url: str, **config: Any) -> Flask:
    return create_app({**BENCH_CONFIG, "DATABASE_URL": url, **config})


def _without_lookup_pool(url: str) -> Flask:
    """The service with its API keys read on the writer's engine, as every other read is."""
    app = _app(url)
    runtime = app.extensions["runtime"]
    engine = app.extensions["sql_engine"]
    runtime.keys = SqlKeyStore(engine, engine.execution_options(sqlite_write=True))
    return app


def with_and_without(
    seeded: Seeded, ids: Iterator[int], without: Callable[[str], Flask], rounds: int = 8, per_round: int = 40
) -> tuple[float, float]:
    """Median ms of receive_feedback on the service as it is and on the service without one
    piece, alternating in rounds so both see the same machine."""
    clients = (_app(seeded.url).test_client(), without(seeded.url).test_client())
    samples: tuple[list[float], list[float]] = ([], [])
    for round_number in range(rounds + 1):
        for client, kept in zip(clients, samples, strict=True):
            measured = [timed_receive(client, PATH.format(next(ids)), seeded) for _ in range(per_round)]
            if round_number:  # the first round warms caches and connections
                kept += measured
    return median_ms(samples[0]), median_ms(samples[1])


def rate_counter(seeded: Seeded, ids: Iterator[int]) -> tuple[float, float]:
    return with_and_without(seeded, ids, lambda url: _app(url, RATELIMIT_STORAGE_URI="memory://"))


def lookup_pool(seeded: Seeded, ids: Iterator[int]) -> tuple[float, float]:
    return with_and_without(seeded, ids, _without_lookup_pool)
