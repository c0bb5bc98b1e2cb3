"""How long a pending PDF will really take (Retry-After), and the converter woken by a queued job.

The history is fabricated with the test's clock: a converter that advances it as it converts, so
each stored conversion took exactly what the test says (``finished_at - started_at``).
"""

from __future__ import annotations

import threading

from flask import Flask

from service.adapters.job_wake import job_wake
from service.application.converting import convert_when_woken
from service.application.pdfs import convert_next
from service.application.runtime import Runtime
from tests.conftest import Api, FakeClock

FAKE_PDF = b"%PDF-1.7 a stand-in"


class SlowConverter:
    """Each conversion takes ``seconds`` of the test's clock."""

    def __init__(self, clock: FakeClock, seconds: float) -> None:
        self.clock, self.seconds = clock, seconds

    def convert(self, docx: bytes) -> bytes:
        self.clock.advance(seconds=self.seconds)
        return FAKE_PDF


def _documents(api: Api, count: int) -> list[int]:
    ids = []
    for _ in range(count):
        engagement = api.create_engagement()
        [contract] = api.get(f"/v1/engagements/{engagement['id']}/documents").json
        ids.append(contract["id"])
    return ids


def _ask(api: Api, document: int) -> str:
    answer = api.get(f"/v1/documents/{document}/content?format=pdf")
    assert answer.status_code == 202
    return answer.headers["Retry-After"]


def test_retry_after_is_the_queue_ahead_times_the_recent_median(
    api: Api, runtime: Runtime, clock: FakeClock
) -> None:
    history, queued = _documents(api, 3), _documents(api, 3)
    assert _ask(api, history[0]) == "1"  # nothing converted yet: one poll's worth
    for document, seconds in zip(history, (3, 4, 60), strict=True):  # median 4 s; 60 s is an outlier
        _ask(api, document)
        assert convert_next(runtime, SlowConverter(clock, seconds)) is not None
    clock.advance(seconds=1)
    waits = []
    for document in queued:
        waits.append(_ask(api, document))
        clock.advance(seconds=1)  # later requests queue behind earlier ones
    assert waits == ["4", "8", "12"]
    # Polling says the same while nothing moved; once the first is made the others move up.
    assert api.get(f"/v1/documents/{queued[2]}/pdf").headers["Retry-After"] == "12"
    assert convert_next(runtime, SlowConverter(clock, 4)) is not None
    assert api.get(f"/v1/documents/{queued[2]}/pdf").headers["Retry-After"] == "8"


def test_the_converter_is_woken_by_the_queued_job_not_its_poll_interval(
    api: Api, runtime: Runtime, app: Flask
) -> None:
    [document] = _documents(api, 1)
    waiting, converted = threading.Event(), threading.Event()

    def after_round(attempted: int) -> bool:
        if attempted:
            converted.set()
            return False
        waiting.set()  # an empty round: the loop now waits on the wake
        return True

    class Instant:
        def convert(self, docx: bytes) -> bytes:
            return FAKE_PDF

    wake = job_wake(app.extensions["sql_engine"])
    loop = threading.Thread(
        target=convert_when_woken, args=(runtime, Instant(), wake, 30.0, after_round), daemon=True
    )
    loop.start()
    try:
        assert waiting.wait(20)
        _ask(api, document)
        # The poll interval is 30 s: converted well before it only if the queued job woke the loop.
        assert converted.wait(20), "the converter slept through the queued job"
    finally:
        loop.join(timeout=40)
        wake.close()
    assert api.get(f"/v1/documents/{document}/content?format=pdf").status_code == 200
