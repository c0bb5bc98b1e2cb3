"""PDF conversions are bounded per host and shared fairly: no tenant takes every slot."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager

import pytest

from service.documents.conversions import ConversionQueue, ConversionsBusy


@contextmanager
def held(queue: ConversionQueue, tenant_id: int) -> Iterator[threading.Event]:
    """A conversion of ``tenant_id`` in flight (in its own thread) until the block ends."""
    inside, done = threading.Event(), threading.Event()

    def convert() -> None:
        with queue.slot(tenant_id):
            inside.set()
            done.wait()

    worker = threading.Thread(target=convert)
    worker.start()
    assert inside.wait(timeout=10), "the conversion never got its slot"
    try:
        yield inside
    finally:
        done.set()
        worker.join()


def test_a_tenant_gets_its_share_and_no_more_while_others_still_convert() -> None:
    queue = ConversionQueue(slots=2, per_tenant=1, wait_seconds=0)
    with held(queue, tenant_id=1):
        with pytest.raises(ConversionsBusy, match="already has 1 PDF conversion") as refused, queue.slot(1):
            pass
        assert refused.value.retry_after == 2
        with queue.slot(2):  # another tenant still converts
            pass


def test_when_every_slot_is_busy_the_next_request_waits_then_is_refused() -> None:
    queue = ConversionQueue(slots=2, per_tenant=1, wait_seconds=0)
    with ExitStack() as running:
        running.enter_context(held(queue, tenant_id=1))
        running.enter_context(held(queue, tenant_id=2))
        with pytest.raises(ConversionsBusy, match="All 2 PDF conversion slots"), queue.slot(3):
            pass
    with queue.slot(3):  # slots are given back when conversions end
        pass


def test_a_refused_or_failed_conversion_gives_its_share_back() -> None:
    queue = ConversionQueue(slots=1, per_tenant=1, wait_seconds=0)
    with pytest.raises(RuntimeError), queue.slot(1):
        raise RuntimeError("LibreOffice crashed")
    with held(queue, tenant_id=2), pytest.raises(ConversionsBusy), queue.slot(1):
        pass
    with queue.slot(1):
        pass
