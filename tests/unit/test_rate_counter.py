"""The in-process rate counter: fixed windows per key, no timer thread, bounded memory."""

from __future__ import annotations

import threading

from limits import parse
from limits.storage import storage_from_string
from limits.strategies import FixedWindowRateLimiter

from service.adapters.rate_counter import SWEEP_SECONDS, LocalCounter


class Seconds:
    def __init__(self) -> None:
        self.now = 1_000_000.0

    def __call__(self) -> float:
        return self.now


def test_each_key_counts_in_its_own_window() -> None:
    clock = Seconds()
    limiter = FixedWindowRateLimiter(LocalCounter(clock=clock))
    two_a_minute = parse("2 per minute")
    assert [limiter.hit(two_a_minute, "a") for _ in range(3)] == [True, True, False]
    assert limiter.hit(two_a_minute, "b")
    reset, remaining = limiter.get_window_stats(two_a_minute, "a")
    assert (reset, remaining) == (clock.now + 60, 0)


def test_a_new_window_starts_when_the_old_one_ends() -> None:
    clock = Seconds()
    limiter = FixedWindowRateLimiter(LocalCounter(clock=clock))
    one_a_minute = parse("1 per minute")
    assert limiter.hit(one_a_minute, "a")
    clock.now += 59
    assert not limiter.hit(one_a_minute, "a")
    clock.now += 1
    assert limiter.hit(one_a_minute, "a")


def test_stale_windows_are_swept_so_memory_follows_the_keys_of_one_window() -> None:
    clock = Seconds()
    counter = LocalCounter(clock=clock)
    for n in range(1_000):
        counter.incr(f"flood-{n}", expiry=1)
    clock.now += SWEEP_SECONDS
    counter.incr("after", expiry=60)
    assert counter.reset() == 1


def test_no_thread_is_started_to_expire_counters() -> None:
    before = threading.active_count()
    counter = storage_from_string("local://")
    assert isinstance(counter, LocalCounter)
    for n in range(100):
        counter.incr(f"k{n}", expiry=60)
    assert threading.active_count() == before


def test_a_window_rolls_over_at_its_end_when_the_sweep_runs_out_of_phase() -> None:
    """Window 60 s, sweep every 45 s: the sweeps at 45 s and 90 s never coincide with the
    window's end at 60 s, so a counter that only reset on a sweep would still refuse at 60 s."""
    clock = Seconds()
    start = clock.now
    limiter = FixedWindowRateLimiter(LocalCounter(clock=clock, sweep_seconds=45))
    one_a_minute = parse("1 per minute")
    assert limiter.hit(one_a_minute, "a")
    clock.now = start + 46  # a sweep has run; the window is still open
    assert not limiter.hit(one_a_minute, "a")
    assert limiter.get_window_stats(one_a_minute, "a") == (start + 60, 0)
    clock.now = start + 60  # the window's end, 14 s after a sweep and 30 s before the next
    assert limiter.get_window_stats(one_a_minute, "a")[1] == 1
    assert limiter.hit(one_a_minute, "a")
    assert limiter.get_window_stats(one_a_minute, "a") == (start + 120, 0)
    clock.now = start + 119
    assert not limiter.hit(one_a_minute, "a")
    clock.now = start + 120
    assert limiter.hit(one_a_minute, "a")
